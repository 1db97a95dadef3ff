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
  "ERR-002": {
    kind: "not-observable",
    reason: "A rule on the error registry itself, checked against schemas/error-codes.lock by schemas/error-registry.test.ts.",
  },
  "NET-011": {
    kind: "scenario",
    reason: "Binds a node as a client that dials a peer it expects. The wire cases (spec §13.11) play only clients of the node's endpoint, and a driven delegator reaches the peers the harness plays through PeerCalls, not connections, so no case can present it a server with another identity.",
  },
  "NET-016": {
    kind: "scenario",
    reason: "Binds a client matching answers to its requests. The wire cases play the client themselves; no case makes the node dial a server the harness scripts, so its handling of a stray or mismatched answer cannot be seen.",
  },
  "NET-021": {
    kind: "not-observable",
    reason: "A conforming server may finish each request before it reads the next, so no number of requests the harness sends at once forces a NET_TOO_MANY_IN_FLIGHT answer; only a node whose handler can be held open could show the limit. The loopback tests of reference/src/net hold one open and prove it.",
  },
  "NET-022": {
    kind: "not-observable",
    reason: "A server stopping to read while its send queue is above the high-water mark shows only as TCP flow control after megabytes of unread answers, which no answer or close of the node states; the loopback tests of reference/src/net check it from inside the node.",
  },
  "NET-025": {
    kind: "scenario",
    reason: "Binds a client resolving its own requests (an answer, an ERROR, a timeout or the connection's end). The wire cases play the client; the node's own calls to peers reach the harness as PeerCalls, which settle them without a connection.",
  },
  "NET-029": {
    kind: "not-observable",
    reason: "What a node does not treat as confidential, or as proof that no one relays the connection, is a matter of its decisions after the handshake, which no frame or answer shows.",
  },
  "NET-030": {
    kind: "scenario",
    reason: "Needs a wss: endpoint with a certificate the harness trusts and a TLS 1.3 channel binding in the transcript; the listen operation of spec §13.11 opens ws: endpoints only. The TLS tests of reference/src/net prove it.",
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
