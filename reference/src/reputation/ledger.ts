// A delegator's reputation from its own attestations, kept incrementally
// (spec/07-reputation.md §7.5). When every attestation is the evaluator's own,
// step 4 gives the evaluator the weight 10^6 ppm (REP-016: t_0 = 10^6 and the
// sum is capped there) and its evidence is never capped (REP-015), so a
// provider's score is betaScore of the evaluator's decayed evidence about it
// (REP-014, REP-017). This ledger computes exactly that, and a property test
// checks it against computeReputation; it exists because a simulator or a busy
// delegator scores providers far more often than attestations arrive.
//
// The fast path: within the first half-life, the weight of an attestation of
// age m = now − t is floor(U · (2H − m) / (2H)) (REP-014 with n = 0). Writing
// U·t = q·2H + r and U·(2H − now) = Q·2H + R, with 0 ≤ r, R < 2H, that weight
// is Q + q + [r ≥ 2H − R]. The sum over a provider's attestations is then
// n·Q + Σq + #{r ≥ 2H − R}: one bigint sum kept as attestations arrive and a
// binary search in the sorted remainders, instead of one decay per
// attestation. Any other age (older than a half-life, or in the future) takes
// the slow path, decayWeight per attestation.
import { misuse } from "../errors.js";
import { decayWeight } from "./decay.js";
import type { PairEvidence } from "./evidence.js";
import { checkParams, DEFAULT_REPUTATION_PARAMS, EVIDENCE_UNIT, type ReputationParams } from "./params.js";
import { betaScore, priorScore } from "./score.js";

/** One polarity of the evidence about one provider. */
class Side {
  /** Issue times, ms, in arrival order. */
  readonly times: number[] = [];
  /** r = U·t mod 2H of every attestation, ascending. */
  readonly remainders: number[] = [];
  /** Σ floor(U·t / 2H). */
  quotients = 0n;
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;

  add(t: bigint, twoH: bigint): void {
    const u = EVIDENCE_UNIT * t;
    const r = Number(u % twoH);
    this.quotients += u / twoH;
    const rs = this.remainders;
    let lo = 0;
    let hi = rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    rs.splice(lo, 0, r);
    const n = Number(t);
    this.times.push(n);
    if (n < this.minTime) this.minTime = n;
    if (n > this.maxTime) this.maxTime = n;
  }

  /** Σ decayWeight(now − t) over the attestations. */
  sum(now: bigint, nowNumber: number, halfLifeMs: bigint, q: bigint, threshold: number): bigint {
    const n = this.times.length;
    if (n === 0) return 0n;
    if (this.maxTime <= nowNumber && this.minTime > nowNumber - Number(halfLifeMs)) {
      const rs = this.remainders;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rs[mid]! < threshold) lo = mid + 1;
        else hi = mid;
      }
      return BigInt(n) * q + this.quotients + BigInt(n - lo);
    }
    let total = 0n;
    for (const t of this.times) total += decayWeight(now - BigInt(t), halfLifeMs);
    return total;
  }
}

/**
 * The reputation an evaluator gives providers from its own outcome
 * attestations only: equal to `computeReputation(evaluator, attestations, now,
 * params)` when every attestation is the evaluator's, each about a different
 * task. Issue times and `now` are milliseconds since the Unix epoch and must
 * be below 2^53.
 */
export class OwnReputationLedger {
  /** The evaluator's reputation parameters (REP-018). */
  readonly params: ReputationParams;
  private readonly sides = new Map<string, { positive: Side; negative: Side }>();
  private readonly twoH: bigint;
  private readonly prior: bigint;
  private cachedNow = -1n;
  private cachedQ = 0n;
  private cachedThreshold = 0;

  /** `evaluator` is only checked against the parameters (REP-018). */
  constructor(evaluator: string, params: ReputationParams = DEFAULT_REPUTATION_PARAMS) {
    checkParams(params, evaluator);
    this.params = params;
    this.twoH = 2n * params.halfLifeMs;
    this.prior = priorScore(params);
  }

  /** Adds one attestation by the evaluator: about `provider`, issued at `issuedAt`, positive or not (isPositiveOutcome). */
  record(provider: string, issuedAt: bigint, positive: boolean): void {
    if (typeof issuedAt !== "bigint" || issuedAt < 0n || issuedAt > BigInt(Number.MAX_SAFE_INTEGER)) misuse("issuedAt must be a bigint within 0..2^53-1");
    let s = this.sides.get(provider);
    if (s === undefined) this.sides.set(provider, (s = { positive: new Side(), negative: new Side() }));
    (positive ? s.positive : s.negative).add(issuedAt, this.twoH);
  }

  /** The decayed evidence about a provider at `now` (REP-014), in micro-units. */
  evidence(provider: string, now: bigint): PairEvidence {
    const s = this.sides.get(provider);
    if (s === undefined) return { positive: 0n, negative: 0n };
    if (now !== this.cachedNow) this.prepare(now);
    const n = Number(now);
    return {
      positive: s.positive.sum(now, n, this.params.halfLifeMs, this.cachedQ, this.cachedThreshold),
      negative: s.negative.sum(now, n, this.params.halfLifeMs, this.cachedQ, this.cachedThreshold),
    };
  }

  /** The provider's score at `now`, in ppm (REP-017); priorScore for a provider with no attestation. */
  score(provider: string, now: bigint): bigint {
    if (!this.sides.has(provider)) return this.prior;
    const e = this.evidence(provider, now);
    return betaScore(e.positive, e.negative, this.params);
  }

  /** Q and the threshold 2H − R for U·(2H − now) = Q·2H + R. */
  private prepare(now: bigint): void {
    if (typeof now !== "bigint" || now < 0n || now > BigInt(Number.MAX_SAFE_INTEGER)) misuse("now must be a bigint within 0..2^53-1");
    const x = EVIDENCE_UNIT * (this.twoH - now);
    let q = x / this.twoH;
    if (x % this.twoH < 0n) q -= 1n;
    this.cachedQ = q;
    this.cachedThreshold = Number(this.twoH - (x - q * this.twoH));
    this.cachedNow = now;
  }
}
