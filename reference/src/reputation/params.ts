// Parameters of the reputation function (spec/07-reputation.md §7.5.1): the
// evaluator's own policy, with defaults and the bounds that keep every
// intermediate value within the stated magnitudes (REP-018).
import { misuse } from "../errors.js";
import { parseDidKey } from "../crypto/did-key.js";

/** Parts per million: the scale of scores, rater weights and the damping factor. */
export const PPM = 1_000_000n;
/** One unit of evidence: what one attestation issued at `now` weighs, in micro-units (REP-014). */
export const EVIDENCE_UNIT = 1_000_000n;

/** An evaluator's reputation parameters. Evidence quantities are in micro-units (EVIDENCE_UNIT = one fresh attestation). */
export interface ReputationParams {
  /** Evidence loses half its weight every halfLifeMs milliseconds (REP-014). */
  readonly halfLifeMs: bigint;
  /** Prior positive evidence a, in micro-units (REP-017). */
  readonly priorPositive: bigint;
  /** Prior negative evidence b, in micro-units (REP-017). */
  readonly priorNegative: bigint;
  /** Most evidence one rater other than the evaluator contributes about one provider, in micro-units (REP-015). */
  readonly raterCap: bigint;
  /** Least normaliser of a rater's outgoing trust, in micro-units (REP-016). */
  readonly trustFloor: bigint;
  /** Fraction of its trust a rater passes on per hop, in ppm (REP-016). */
  readonly dampingPpm: bigint;
  /** Largest number of hops from the evaluator to a counted rater (REP-016). */
  readonly depth: number;
  /** Raters the evaluator trusts as fully as itself, besides itself (REP-016). */
  readonly trustedRaters: readonly string[];
}

/** Inclusive bounds of every parameter (REP-018). */
export const PARAM_BOUNDS = Object.freeze({
  halfLifeMs: [3_600_000n, 31_536_000_000n] as const, // one hour .. 365 days
  priorPositive: [1n, 1_000_000_000n] as const, // up to 1000 units
  priorNegative: [1n, 1_000_000_000n] as const,
  raterCap: [1_000_000n, 1_000_000_000n] as const, // 1 .. 1000 units
  trustFloor: [1_000_000n, 1_000_000_000n] as const,
  dampingPpm: [0n, 1_000_000n] as const,
  depth: [0, 4] as const,
  trustedRaters: 64,
});

/** The recommended parameters (REP-019). */
export const DEFAULT_REPUTATION_PARAMS: ReputationParams = Object.freeze({
  halfLifeMs: 1_209_600_000n, // 14 days
  priorPositive: 1_000_000n, // a = 1 unit
  priorNegative: 2_000_000n, // b = 2 units: a newcomer starts at 333,333 ppm
  raterCap: 10_000_000n, // 10 units
  trustFloor: 10_000_000n, // 10 units
  dampingPpm: 500_000n, // one half per hop
  depth: 2,
  trustedRaters: Object.freeze([]) as readonly string[],
});

function within(name: string, value: bigint, [lo, hi]: readonly [bigint, bigint]): void {
  if (typeof value !== "bigint" || value < lo || value > hi) misuse(`${name}: expected an integer within ${lo}..${hi}, got ${String(value)}`);
}

/** Throws INVALID_ARGUMENT unless the parameters are within bounds for this evaluator (REP-018). */
export function checkParams(params: ReputationParams, evaluator: string): void {
  within("halfLifeMs", params.halfLifeMs, PARAM_BOUNDS.halfLifeMs);
  within("priorPositive", params.priorPositive, PARAM_BOUNDS.priorPositive);
  within("priorNegative", params.priorNegative, PARAM_BOUNDS.priorNegative);
  within("raterCap", params.raterCap, PARAM_BOUNDS.raterCap);
  within("trustFloor", params.trustFloor, PARAM_BOUNDS.trustFloor);
  within("dampingPpm", params.dampingPpm, PARAM_BOUNDS.dampingPpm);
  const [dLo, dHi] = PARAM_BOUNDS.depth;
  if (!Number.isInteger(params.depth) || params.depth < dLo || params.depth > dHi) misuse(`depth: expected an integer within ${dLo}..${dHi}, got ${params.depth}`);
  if (params.trustedRaters.length > PARAM_BOUNDS.trustedRaters) misuse(`trustedRaters: expected at most ${PARAM_BOUNDS.trustedRaters}, got ${params.trustedRaters.length}`);
  if (new Set(params.trustedRaters).size !== params.trustedRaters.length) misuse("trustedRaters: expected distinct peer ids");
  for (const peer of [evaluator, ...params.trustedRaters]) {
    const key = parseDidKey(peer);
    if (!key.ok) misuse(`expected a peer identifier, got ${JSON.stringify(peer)} (${key.error.code})`);
  }
  if (params.trustedRaters.includes(evaluator)) misuse("trustedRaters: expected peers other than the evaluator");
}
