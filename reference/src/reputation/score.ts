// The reputation function (spec/07-reputation.md §7.5, REP-012 to REP-017):
// personalised to one evaluator, computed from verified outcome attestations
// in integer arithmetic with floor division, so that every implementation
// gets the same score in parts per million from the same inputs.
import type { OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { misuse } from "../errors.js";
import { capEvidence, dedupeAttestations, evidenceTable, inScope, type CapabilityScope, type EvidenceTable } from "./evidence.js";
import { checkParams, DEFAULT_REPUTATION_PARAMS, PPM, type ReputationParams } from "./params.js";
import { raterWeights } from "./trust.js";

/** Step 5 (REP-017): floor((r + a) · 10^6 / (r + s + a + b)). */
export function betaScore(positive: bigint, negative: bigint, params: Pick<ReputationParams, "priorPositive" | "priorNegative">): bigint {
  const a = params.priorPositive;
  const b = params.priorNegative;
  return ((positive + a) * PPM) / (positive + negative + a + b);
}

/** The score of a provider with no counted evidence: where every new identity starts (REP-017). */
export function priorScore(params: ReputationParams = DEFAULT_REPUTATION_PARAMS): bigint {
  return betaScore(0n, 0n, params);
}

/** The weighted evidence about one provider, and its score. */
export interface ProviderReputation {
  /** Weighted positive evidence r, in micro-units. */
  readonly positive: bigint;
  /** Weighted negative evidence s, in micro-units. */
  readonly negative: bigint;
  /** The score in ppm, 0..1,000,000. */
  readonly score: bigint;
}

/** Inputs shared by every provider's score: the tables of steps 1 to 3. */
interface Prepared {
  readonly trustTable: EvidenceTable;
  readonly scoreTable: EvidenceTable;
}

function prepare(evaluator: string, attestations: Iterable<OutcomeAttestation>, now: bigint, params: ReputationParams, scope: CapabilityScope | undefined): Prepared {
  checkParams(params, evaluator);
  if (now < 0n) misuse(`now: expected a non-negative time, got ${now}`);
  const deduped = dedupeAttestations(attestations); // step 1 (REP-013)
  const trustTable = evidenceTable(deduped, now, params.halfLifeMs); // steps 2, 3 (REP-014, REP-015)
  const scoreTable = scope === undefined ? trustTable : evidenceTable(deduped.filter((a) => inScope(a, scope)), now, params.halfLifeMs);
  return { trustTable, scoreTable };
}

function scoreOne(evaluator: string, provider: string, p: Prepared, params: ReputationParams): ProviderReputation {
  // Step 4 (REP-016): rater weights from every attestation that neither comes
  // from nor is about the provider, so nothing the provider signs, and no
  // trust it passes on, can reach its own score.
  const weights = raterWeights(evaluator, p.trustTable, params, provider);
  let positive = 0n;
  let negative = 0n;
  for (const [rater, row] of p.scoreTable) {
    const w = weights.get(rater);
    const e = row.get(provider);
    if (w === undefined || e === undefined) continue;
    const c = rater === evaluator ? e : capEvidence(e, params.raterCap);
    positive += (w * c.positive) / PPM;
    negative += (w * c.negative) / PPM;
  }
  return { positive, negative, score: betaScore(positive, negative, params) }; // step 5 (REP-017)
}

/**
 * The evaluator's reputation for one provider, with the evidence behind it.
 * `attestations` must have passed verifyAttestation (REP-012). The provider
 * may be any peer but the evaluator; one nobody has attested gets the prior.
 */
export function reputationOf(
  evaluator: string,
  attestations: Iterable<OutcomeAttestation>,
  provider: string,
  now: bigint,
  params: ReputationParams = DEFAULT_REPUTATION_PARAMS,
  scope?: CapabilityScope,
): ProviderReputation {
  if (provider === evaluator) misuse("an evaluator has no reputation with itself");
  return scoreOne(evaluator, provider, prepare(evaluator, attestations, now, params, scope), params);
}

/**
 * The evaluator's scores, in ppm, for every provider that an attestation in
 * scope names, except the evaluator itself, in peer id order. Any other peer's
 * score is priorScore(params).
 *
 * @example
 * ```ts
 * import { computeReputation, DEFAULT_REPUTATION_PARAMS, PPM } from "ap2p";
 *
 * // attestations: verified OutcomeAttestation messages the evaluator holds.
 * const scores = computeReputation(myDid, attestations, now, DEFAULT_REPUTATION_PARAMS);
 * for (const [peer, ppm] of scores) console.log(peer, Number(ppm) / Number(PPM));
 * ```
 * @see spec/07-reputation.md §7.5 (the reputation function)
 */
export function computeReputation(
  evaluator: string,
  attestations: Iterable<OutcomeAttestation>,
  now: bigint,
  params: ReputationParams = DEFAULT_REPUTATION_PARAMS,
  scope?: CapabilityScope,
): Map<string, bigint> {
  const list = [...attestations];
  const p = prepare(evaluator, list, now, params, scope);
  const providers = new Set(list.filter((a) => inScope(a, scope)).map((a) => a.provider));
  providers.delete(evaluator);
  const scores = new Map<string, bigint>();
  for (const provider of [...providers].sort()) scores.set(provider, scoreOne(evaluator, provider, p, params).score);
  return scores;
}
