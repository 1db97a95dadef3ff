// Which requirements the corpus covers, and how the others are covered.
// vectors/coverage.test.ts enforces two rules:
//
// 1. Every MUST requirement with a prefix in NEGATIVE_COVERAGE_PREFIXES is
//    cited by a vector whose result is "invalid", or has a reasoned entry in
//    COVERAGE_EXCEPTIONS (positive vectors cite it instead) or in
//    UNCITED_REQUIREMENTS (no vector cites it).
// 2. Every requirement of spec/requirements.json, at any level, is cited by at
//    least one vector, or has an entry in UNCITED_REQUIREMENTS that says how it
//    is covered instead, naming the tests that cover it where there are any.
//
// An entry for a requirement that a vector now cites is stale, and fails.

/** Requirement prefixes whose MUST requirements each need a vector with result "invalid" that cites them. */
export const NEGATIVE_COVERAGE_PREFIXES: readonly string[] = ["ENC", "ID", "SIG", "DESC", "ERR", "ARCH", "SEC", "CAN", "REP", "TIER", "DLG", "TASK", "EVD", "DISC"];

/** Why a MUST requirement has no negative vector; at least one positive vector must cite it. */
export interface CoverageException {
  readonly reason: string;
}

/** MUST requirements of the prefixes above that positive vectors cite, but no negative vector can exercise. */
export const COVERAGE_EXCEPTIONS: Readonly<Record<string, CoverageException>> = {
  "ARCH-002": {
    reason: "A prohibition whose observable effect is an acceptance: a verifier that identified peers by display_name would merge or reject a second peer that shares the name (descriptor/store/same-display-name-001).",
  },
  "CAN-032": {
    reason: "A record the delegator keeps of its own attempts: nothing to reject. The fallback.plan and fallback.attempts vectors pin the exact record (peer and outcome of every attempt, in order) that a conforming delegator produces.",
  },
  "DESC-014": {
    reason: "A limit on the verifier's own configuration, not on input. The vectors use allowances up to the limit (descriptor/expiry/max-skew-*) and none beyond it.",
  },
  "DISC-022": {
    reason: "A limit on what a registry puts into an answer, drawn from origins that only the registry knows (§6.7): no client-side check can reject an answer for it. The registry.answer vectors pin the exact results of a registry that applies it (discovery-registry/answer/diversity-*).",
  },
  "REP-003": {
    reason: "Which outcome a delegator attests depends on what it observed, which no input shows; that an evaluator counts every negative outcome alike is arithmetic, pinned by reputation/score/basic/negative-outcomes-001 and reputation/score/basic/tiers-do-not-weigh-001.",
  },
  "REP-013": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. The reputation.score vectors under reputation/score/duplicate/ pin which attestation of a delegation counts (the later issued_at, then the smaller message hash).",
  },
  "REP-014": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. The reputation.decay vectors pin the weight at and between halvings and at the cut-off; reputation/score/decay/ pins it inside scores.",
  },
  "REP-015": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. reputation/score/cap/ and reputation/score/scope/ pin the capped and scoped evidence to the unit.",
  },
  "REP-016": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. reputation/score/trust/, reputation/score/sybil/ and reputation/score/params/ pin the rater weights (depth, damping, floor, trusted raters, exclusion of the provider) through the scores.",
  },
  "REP-017": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. Every reputation.score vector pins the score in ppm, and the prior, including the worked example of §7.9.",
  },
  "REP-018": {
    reason: "A limit on the evaluator's own configuration, not on input (like DESC-014). The vectors use parameters at the bounds (reputation/score/params/: depth 0 and 4, damping 0, the least and greatest prior and half-life, the least floor and cap) and none beyond them.",
  },
  "REP-020": {
    reason: "A rule on the evaluator's own arithmetic, with nothing to reject: the input is attestations that have all passed §7.4. Vectors flagged OrderIndependence give the same attestations in other orders and get the same scores; every score is pinned to the integer.",
  },
  "SIG-012": {
    reason: "A signer rule with nothing to reject: the produce vectors (ed25519.sign, cose.sign, descriptor.sign) give the exact bytes a signer must output.",
  },
};

/**
 * Why no vector cites a requirement:
 * - procedure: a step of the live delegation procedure, decided over several
 *   exchanges with several peers; one operation on one input cannot show it;
 * - conduct: a rule on what a party itself does, chooses or configures, with
 *   no input that shows it and nothing for another party to reject;
 * - deployment: a rule on how a peer is run (its keys, its clock), outside
 *   every message;
 * - order: a recommended order of checks; the corpus gives each invalid input
 *   one defect, and two defects only where a MUST fixes the order (the
 *   DefectOrder vectors, which cite the order requirements they exercise);
 * - schema: a rule on the schema or the error registry themselves;
 * - driver: the conformance driver protocol between the harness and an
 *   implementation (spec §13), over which the corpus is sent: no vector can
 *   exercise it;
 * - connectivity: the WebSocket binding (spec §14), which lives between two
 *   running peers, with fresh nonces and real timers.
 */
export type UncitedKind = "procedure" | "conduct" | "deployment" | "order" | "schema" | "driver" | "connectivity";

/** How a requirement that no vector cites is covered instead. */
export interface UncitedRequirement {
  readonly kind: UncitedKind;
  readonly reason: string;
  /** Test files (paths from the repository root) whose text names the requirement ID and that test it. */
  readonly tests?: readonly string[];
}

const DELEGATE_TEST = "reference/src/delegation/delegate.test.ts";

/** A requirement of the driver protocol (spec §13), with the tests that name it. */
function driver(...tests: string[]): UncitedRequirement {
  return {
    kind: "driver",
    reason: "A rule of the conformance driver protocol (spec §13), which carries the corpus between the harness and an implementation; no vector can exercise it. The harness's and the adapters' own tests do.",
    tests,
  };
}

/** A requirement of the WebSocket binding (spec §14), with the loopback tests that name it. */
function connectivity(...tests: string[]): UncitedRequirement {
  return {
    kind: "connectivity",
    reason: "A rule of the WebSocket binding (spec §14): connections, the handshake over live nonces, frames, timeouts and limits, which happen between two running peers and not in one operation on one input. The loopback tests of reference/src/net do.",
    tests,
  };
}

/** Every requirement, at any level, that no vector cites. */
export const UNCITED_REQUIREMENTS: Readonly<Record<string, UncitedRequirement>> = {
  "CAN-011": {
    kind: "conduct",
    reason: "How a provider answers a challenge (with the implementation, model and limits of a real task) is its own conduct: a provider that treats canaries specially still answers them correctly, so no input or output shows it. Covert canaries (§8.9) are what make special treatment hard to get away with.",
  },
  "CAN-023": {
    kind: "conduct",
    reason: "How a verifier chooses canary inputs (from the distribution of its real tasks, never the same input twice) is its own conduct: each challenge is well-formed whatever its input, so there is nothing to reject.",
  },
  "CAN-024": {
    kind: "conduct",
    reason: "When, how often and over which connection a delegator sends covert canaries is its own conduct at the transport, outside every message.",
  },
  "CAN-025": {
    kind: "conduct",
    reason: "Whether a canary input holds data the verifier may not disclose is a question about where the data came from, which no input shows.",
  },
  "DESC-019": {
    kind: "conduct",
    reason: "A publisher rule that no single descriptor shows: a verifier cannot tell when a peer's earlier descriptors were issued. The reference refuses such a refresh or withdrawal as caller misuse.",
    tests: ["reference/src/descriptor/descriptor.test.ts"],
  },
  "DESC-020": {
    kind: "conduct",
    reason: "A publisher rule: a tombstone that expires before the descriptors it withdraws is still a valid descriptor, and a verifier that has not kept those descriptors cannot see their lifetimes, so there is nothing to reject.",
  },
  "DISC-004": {
    kind: "conduct",
    reason: "When a registry sweeps its index is its own housekeeping: an answer never holds an expired descriptor, whenever the sweep runs (discovery-registry/answer/expired-001 pins that), so no input shows the sweep.",
    tests: ["reference/src/discovery/registry.test.ts"],
  },
  "DLG-005": {
    kind: "procedure",
    reason: "When to stop, how many candidates to contact and when to report DELEGATION_FAILED are decisions of the live procedure over several exchanges; the fallback vectors of canary.json pin the selection rule it applies.",
    tests: [DELEGATE_TEST],
  },
  "DLG-006": {
    kind: "procedure",
    reason: "Which providers a delegator attests depends on whom it contacted during the procedure; no single input shows it.",
    tests: [DELEGATE_TEST],
  },
  "DLG-007": {
    kind: "procedure",
    reason: "The reference checks require_attestation inside the procedure, after the task result and its evidence package have been verified, with no exported function a vector operation could call; the evidence vectors cover the platform-attestation checks themselves (EVD-015 to EVD-019).",
    tests: [DELEGATE_TEST],
  },
  "ENC-019": {
    kind: "order",
    reason: "The decode vectors give every invalid input exactly one defect (spec §3.3), so that an implementation that orders its decode checks differently still reports the expected code; ENC-019's order is recommended, not required, and no vector pins it.",
  },
  "ERR-002": {
    kind: "schema",
    reason: "A rule on the error registry, not on input; the registry test checks the enum against schemas/error-codes.lock.",
    tests: ["schemas/error-registry.test.ts"],
  },
  "EVD-014": {
    kind: "conduct",
    reason: "What a provider writes into its own trace: a verifier cannot tell the hash of a detail record from any other 32 bytes, nor personal data from any other text, so there is nothing to reject.",
  },
  "EVD-021": {
    kind: "order",
    reason: "The evidence vectors give every invalid package one defect, so that a verifier that orders steps 7a to 7h differently still reports the expected code (the one two-defect vector, evidence/attestation/replayed-from-other-task-001, is ordered inside step 7h by EVD-019, a MUST). The reference's test pins the recommended order.",
    tests: ["reference/src/evidence/evidence.test.ts"],
  },
  "REP-021": {
    kind: "conduct",
    reason: "Which delegations a delegator attests is its own conduct over time; a missing attestation is not an input anyone can be given. DLG-006 bounds it from the other side.",
  },
  "SEC-001": {
    kind: "deployment",
    reason: "Whether a peer's key also signs for another protocol is a matter of how the peer is run: no AP2P message shows it.",
  },
  "SEC-002": {
    kind: "deployment",
    reason: "Where a verifier's clock comes from is a matter of how it is run: every vector gives the current time as an input.",
  },
  "TIER-003": {
    kind: "procedure",
    reason: "That a provider answers the canaries and returns the evidence of the tiers it lists is its behaviour over a delegation, not a property of one message.",
    tests: [DELEGATE_TEST],
  },

  "DRV-001": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-002": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-003": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-004": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-005": driver("conformance/harness/roles.test.ts", "conformance/harness/runner.test.ts"),
  "DRV-006": driver("conformance/adapters/reference/dispatch.test.ts", "conformance/adapters/python/adapter.test.ts"),
  "DRV-007": driver("conformance/harness/runner.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-008": driver("conformance/harness/runner.test.ts"),
  "DRV-009": driver("conformance/adapters/reference/dispatch.test.ts"),
  "DRV-010": driver("conformance/adapters/reference/stdio.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-011": driver("conformance/harness/report/report.test.ts"),
  "DRV-012": driver("conformance/harness/runner.test.ts", "conformance/adapters/reference/stdio.test.ts"),
  "DRV-013": driver("conformance/harness/session.test.ts"),
  "DRV-014": driver("conformance/adapters/reference/dispatch.test.ts"),
  "DRV-015": driver("conformance/harness/runner.test.ts"),
  "DRV-016": driver("conformance/harness/runner.test.ts", "conformance/harness/session.test.ts"),
  "DRV-017": driver("conformance/harness/runner.test.ts"),
  "DRV-018": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/stdio.test.ts"),
  "DRV-019": driver("conformance/harness/runner.test.ts", "conformance/adapters/reference/ws.test.ts"),
  "DRV-020": driver("conformance/harness/runner.test.ts", "conformance/adapters/reference/ws.test.ts"),
  "DRV-021": driver("conformance/harness/runner.test.ts"),
  "DRV-022": driver("conformance/harness/runner.test.ts"),
  "DRV-023": driver("conformance/harness/report/report.test.ts"),
  "DRV-024": driver("conformance/harness/reference.test.ts"),
  "DRV-025": driver("conformance/harness/runner.test.ts", "conformance/harness/timing.test.ts"),
  "DRV-026": driver("conformance/harness/runner.test.ts"),
  "DRV-027": driver("conformance/harness/session.test.ts", "conformance/adapters/reference/dispatch.test.ts"),
  "DRV-028": driver("conformance/adapters/reference/endpoints.test.ts"),
  "DRV-029": driver("conformance/adapters/reference/endpoints.test.ts"),
  "DRV-030": driver("conformance/harness/scenarios/wire.test.ts"),

  "NET-001": connectivity("reference/src/net/handshake.test.ts"),
  "NET-002": connectivity("reference/src/net/frames.test.ts"),
  "NET-003": connectivity("reference/src/net/frames.test.ts", "reference/src/net/robustness.test.ts"),
  "NET-004": connectivity("reference/src/net/frames.test.ts"),
  "NET-005": connectivity("reference/src/net/handshake.test.ts"),
  "NET-006": connectivity("reference/src/net/handshake.test.ts"),
  "NET-007": connectivity("reference/src/net/handshake.test.ts"),
  "NET-008": connectivity("reference/src/net/handshake.test.ts"),
  "NET-009": connectivity("reference/src/net/handshake.test.ts"),
  "NET-010": connectivity("reference/src/net/handshake.test.ts", "reference/src/net/tls.test.ts"),
  "NET-011": connectivity("reference/src/net/handshake.test.ts"),
  "NET-012": connectivity("reference/src/net/handshake.test.ts", "reference/src/net/tls.test.ts"),
  "NET-013": connectivity("reference/src/net/frames.test.ts"),
  "NET-014": connectivity("reference/src/net/frames.test.ts", "reference/src/net/robustness.test.ts"),
  "NET-015": connectivity("reference/src/net/frames.test.ts"),
  "NET-016": connectivity("reference/src/net/frames.test.ts"),
  "NET-017": connectivity("reference/src/net/frames.test.ts"),
  "NET-018": connectivity("reference/src/net/frames.test.ts", "reference/src/net/robustness.test.ts"),
  "NET-019": connectivity("reference/src/net/frames.test.ts"),
  "NET-020": connectivity("reference/src/net/frames.test.ts"),
  "NET-021": connectivity("reference/src/net/limits.test.ts", "reference/src/net/robustness.test.ts"),
  "NET-022": connectivity("reference/src/net/limits.test.ts"),
  "NET-023": connectivity("reference/src/net/limits.test.ts", "reference/src/net/robustness.test.ts"),
  "NET-024": connectivity("reference/src/net/limits.test.ts"),
  "NET-025": connectivity("reference/src/net/limits.test.ts"),
  "NET-026": connectivity("reference/src/net/shutdown.test.ts"),
  "NET-027": connectivity("reference/src/net/frames.test.ts"),
  "NET-028": connectivity("reference/src/net/limits.test.ts"),
  "NET-029": connectivity("reference/src/net/tls.test.ts"),
  "NET-030": connectivity("reference/src/net/tls.test.ts"),
  "NET-031": connectivity("reference/src/net/frames.test.ts"),
};
