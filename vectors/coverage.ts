// Which requirements the corpus must cover with negative vectors, and the
// reasoned exceptions. The prefix list grows as the corpus covers more of the
// specification: add a prefix here when its vectors are written.

/** Requirement prefixes whose MUST requirements each need a vector with result "invalid" that cites them. */
export const NEGATIVE_COVERAGE_PREFIXES: readonly string[] = ["ENC", "ID", "SIG", "DESC", "ERR", "ARCH", "SEC", "CAN", "REP", "TIER", "DLG", "TASK", "EVD", "DISC"];

/** Why a MUST requirement has no negative vector, and whether a positive vector must cite it instead. */
export interface CoverageException {
  readonly reason: string;
  /** True if at least one vector (of any result) must cite the requirement. */
  readonly positive: boolean;
}

/** MUST requirements of the prefixes above that a negative vector cannot exercise. */
export const COVERAGE_EXCEPTIONS: Readonly<Record<string, CoverageException>> = {
  "ARCH-002": {
    reason: "A prohibition whose observable effect is an acceptance: a verifier that identified peers by display_name would merge or reject a second peer that shares the name (descriptor/store/same-display-name-001).",
    positive: true,
  },
  "CAN-032": {
    reason: "A record the delegator keeps of its own attempts: nothing to reject. The fallback.plan and fallback.attempts vectors pin the exact record (peer and outcome of every attempt, in order) that a conforming delegator produces.",
    positive: true,
  },
  "DESC-014": {
    reason: "A limit on the verifier's own configuration, not on input. The vectors use allowances up to the limit (descriptor/expiry/max-skew-*) and none beyond it.",
    positive: true,
  },
  "DESC-019": {
    reason: "A publisher rule that no single descriptor shows: a verifier cannot tell when a peer's earlier descriptors were issued. The reference refuses such a refresh as caller misuse.",
    positive: false,
  },
  "DISC-022": {
    reason: "A limit on what a registry puts into an answer, drawn from origins that only the registry knows (§6.7): no client-side check can reject an answer for it. The registry.answer vectors pin the exact results of a registry that applies it (discovery-registry/answer/diversity-*).",
    positive: true,
  },
  "DLG-005": {
    reason: "behavioural: covered by the conformance scenarios and reference/src/delegation/delegate.test.ts. When to stop, how many candidates to contact and when to report DELEGATION_FAILED are decisions of the live procedure over several exchanges; the fallback vectors of canary.json pin the selection rule it applies.",
    positive: false,
  },
  "DLG-006": {
    reason: "behavioural: covered by the conformance scenarios and reference/src/delegation/delegate.test.ts. Which providers a delegator attests depends on whom it contacted during the procedure; no single input shows it.",
    positive: false,
  },
  "DLG-007": {
    reason: "behavioural: covered by the conformance scenarios and reference/src/delegation/delegate.test.ts. The reference checks require_attestation inside the procedure, after the task result and its evidence package have been verified (there is no exported function a vector operation could call); the evidence vectors cover the platform-attestation checks themselves.",
    positive: false,
  },
  "ENC-017": {
    reason: "No message of the schema has a oneof yet. Add vectors when one does (the coverage test fails then).",
    positive: false,
  },
  "ERR-002": {
    reason: "A rule on the error registry, not on input; schemas/error-registry.test.ts checks it against schemas/error-codes.lock.",
    positive: false,
  },
  "REP-003": {
    reason: "Which outcome a delegator attests depends on what it observed, which no input shows; that an evaluator counts every negative outcome alike is arithmetic, pinned by reputation/score/basic/negative-outcomes-001 and reputation/score/basic/tiers-do-not-weigh-001.",
    positive: true,
  },
  "REP-013": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. The reputation.score vectors under reputation/score/duplicate/ pin which attestation of a delegation counts (the later issued_at, then the smaller message hash).",
    positive: true,
  },
  "REP-014": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. The reputation.decay vectors pin the weight at and between halvings and at the cut-off; reputation/score/decay/ pins it inside scores.",
    positive: true,
  },
  "REP-015": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. reputation/score/cap/ and reputation/score/scope/ pin the capped and scoped evidence to the unit.",
    positive: true,
  },
  "REP-016": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. reputation/score/trust/, reputation/score/sybil/ and reputation/score/params/ pin the rater weights (depth, damping, floor, trusted raters, exclusion of the provider) through the scores.",
    positive: true,
  },
  "REP-017": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. Every reputation.score vector pins the score in ppm, and the prior, including the worked example of §7.9.",
    positive: true,
  },
  "REP-018": {
    reason: "A limit on the evaluator's own configuration, not on input (like DESC-014). The vectors use parameters at the bounds (reputation/score/params/: depth 0 and 4, damping 0, the least and greatest prior and half-life, the least floor and cap) and none beyond them.",
    positive: true,
  },
  "REP-020": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. Vectors flagged OrderIndependence give the same attestations in other orders and get the same scores; every score is pinned to the integer.",
    positive: true,
  },
  "SIG-012": {
    reason: "A signer rule with nothing to reject: the produce vectors (ed25519.sign, cose.sign, descriptor.sign) give the exact bytes a signer must output.",
    positive: true,
  },
  "TIER-003": {
    reason: "behavioural: covered by the conformance scenarios and reference/src/delegation/delegate.test.ts. That a provider answers the canaries and returns the evidence of the tiers it lists is its behaviour over a delegation, not a property of one message.",
    positive: false,
  },
};
