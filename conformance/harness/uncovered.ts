// MUST requirements that no conformance case cites, each with the reason.
// The spec-coverage test (reference.test.ts) fails when a MUST requirement
// is cited by no case and is not listed here, and when an entry here becomes
// cited by a case (the entry is stale). Requirements whose text binds the
// harness ("The harness MUST …") are not listed: the harness's own tests
// prove them, and the coverage test checks that a test title names each.

/** Why no case covers a requirement. */
export interface Uncovered {
  /**
   * scenario: needs a behavioural scenario in which the harness plays other
   * peers and that no scenario of scenarios/ has yet;
   * session: checked on every exchange of every session rather than by one
   * case, so a violation shows as a framing error, crash or warning of
   * whatever case is in flight;
   * not-observable: a rule no implementation's answers can show.
   */
  readonly kind: "scenario" | "session" | "not-observable";
  readonly reason: string;
}

/** The list. Keep it short and true. */
export const UNCOVERED: Readonly<Record<string, Uncovered>> = {
  "DLG-007": {
    kind: "scenario",
    reason: "Rejecting a result without attestation happens inside a delegation, after the harness (as provider) has returned the result.",
  },
  "ERR-002": {
    kind: "not-observable",
    reason: "A rule on the error registry itself, checked against schemas/error-codes.lock by schemas/error-registry.test.ts.",
  },
  "DRV-006": {
    kind: "session",
    reason: "The harness never sends an undeclared operation (DRV-005); a declared one answered with error instead of unsupported fails the case it was sent for.",
  },
  "DRV-012": {
    kind: "session",
    reason: "Observed when each session ends: a late exit, or a status other than 0, is reported as a warning naming DRV-012.",
  },
  "DRV-018": {
    kind: "session",
    reason: "Every line of standard output is checked; a line that is not a DriverResponse is a framing error of the case in flight, or of the session start.",
  },
  "DRV-019": {
    kind: "session",
    reason: "Every WebSocket frame is checked; a binary frame or one that is not a DriverResponse is a framing error of the case in flight.",
  },
  "DRV-020": {
    kind: "session",
    reason: "Checked at every launch over WebSocket: stdout other than the one LISTENING line, a URL off loopback, or no line in time fail the session start.",
  },
};
