// Which requirements the corpus must cover with negative vectors, and the
// reasoned exceptions. The prefix list grows as the corpus covers more of the
// specification: add a prefix here when its vectors are written.

/** Requirement prefixes whose MUST requirements each need a vector with result "invalid" that cites them. */
export const NEGATIVE_COVERAGE_PREFIXES: readonly string[] = ["ENC", "ID", "SIG", "DESC", "ERR", "ARCH", "SEC"];

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
  "DESC-014": {
    reason: "A limit on the verifier's own configuration, not on input. The vectors use allowances up to the limit (descriptor/expiry/max-skew-*) and none beyond it.",
    positive: true,
  },
  "DESC-019": {
    reason: "A publisher rule that no single descriptor shows: a verifier cannot tell when a peer's earlier descriptors were issued. The reference refuses such a refresh as caller misuse.",
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
  "SIG-012": {
    reason: "A signer rule with nothing to reject: the produce vectors (ed25519.sign, cose.sign, descriptor.sign) give the exact bytes a signer must output.",
    positive: true,
  },
};
