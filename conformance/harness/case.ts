// What a conformance case is, what it may ask of the implementation, and
// what it can conclude. A case gets a session and decides its own verdict;
// the runner owns everything that can go wrong around it (deadlines, crashes,
// framing, respawning). Vector cases (vector-case.ts) make one operation call
// per sample. Behavioural scenarios, where the harness plays the other peers,
// are further implementations of the same interface.

import type { PeerCall } from "../../gen/ts/ap2p/v1/driver_pb.js";

/** How strongly the specification asks for what a case checks (from the BCP 14 keyword of its requirements). */
export type Level = "required" | "recommended" | "optional";

/** Every way a case can end, kept apart in the reports. */
export type Outcome = "pass" | "fail" | "slow" | "timeout" | "crash" | "framing" | "unsupported" | "skipped";

/** The outcomes that count as a failure of the case. */
export const FAILING_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(["fail", "slow", "timeout", "crash", "framing"]);

/** The implementation's self-description from its DriverHelloResult. */
export interface Implementation {
  readonly name: string;
  readonly version: string;
  /** Role names without the prefix, lower case: "codec", "signer", … */
  readonly roles: readonly string[];
  readonly operations: readonly string[];
}

/** The implementation's answer to one request. */
export type CallResult = (
  | { readonly kind: "ok"; readonly outputJson: string }
  | { readonly kind: "error"; readonly code: string; readonly message: string }
  | { readonly kind: "unsupported"; readonly reason: string }
  | { readonly kind: "skipped"; readonly reason: string }
) & {
  /** The round trip on the monotonic clock, from just before the request was written to just after the response was read (DRV-025). */
  readonly elapsedMs: number;
};

/** What a peer the harness plays answers to a PeerCall: its bytes, or silence (it timed out). */
export type PeerAnswer = { readonly payload: Uint8Array; readonly output?: Uint8Array } | "silent";

/** Answers the PeerCalls an operation makes (§13.10); `call` is the PeerCall as received. */
export type PeerHandler = (call: PeerCall) => Promise<PeerAnswer>;

/** What a case may ask of the implementation under test. Calls reject with SessionLost when the session ends under them; cases let that propagate. */
export interface CaseSession {
  /** The implementation as it introduced itself in this session. */
  readonly implementation: Implementation;
  /**
   * Performs one operation (OperationCall). The PeerCalls it makes go to
   * `peers`; without a handler a PeerCall is a framing error (DRV-027).
   */
  call(operation: string, inputsJson: string, sharedJson: string, peers?: PeerHandler): Promise<CallResult>;
  /** Sets the implementation's clock (ClockSet, DRV requirements of spec §13). */
  setClock(nowMs: bigint): Promise<CallResult>;
  /** Adds a line to the case's transcript (shown for failing cases). */
  note(text: string): void;
}

/** The run's settings that a case needs. */
export interface CaseContext {
  /** Multiplies every budget and deadline. */
  readonly timeScale: number;
  /** How many samples a timed case measures. */
  readonly samples: number;
}

/** What a case concludes. Timeouts, crashes and framing errors are concluded by the runner, never by a case. */
export interface CaseVerdict {
  readonly outcome: "pass" | "fail" | "slow" | "unsupported" | "skipped";
  /** Why, for a case that did not pass; a note for one that did (e.g. an acceptable test's verdict). */
  readonly message?: string;
  /** A short token naming what the implementation did, matched by baseline prefixes: an error code, "valid" or "output". */
  readonly observed?: string;
  /** Round-trip times of the samples of a timed case, in milliseconds. */
  readonly samplesMs?: readonly number[];
}

/** One conformance case. */
export interface Case {
  /** Stable, hierarchical id (a vector test's id). */
  readonly id: string;
  /** The group the case is reported under: the vector file name without ".json". */
  readonly suite: string;
  /** The requirement IDs the case exercises. */
  readonly requirements: readonly string[];
  readonly level: Level;
  /** The operations the case calls; it is unsupported, and not sent, when the implementation did not declare one of them. */
  readonly operations: readonly string[];
  /** The timing budget in milliseconds (before time scaling), if the specification sets one. */
  readonly budgetMs?: number;
  /** Run with nothing else in flight, so that its timings are its own. */
  readonly exclusive: boolean;
  /** What the case expects, in a few words ("invalid DESC_EXPIRED"). */
  readonly expectation: string;
  run(session: CaseSession, context: CaseContext): Promise<CaseVerdict>;
}

/** Thrown into a case's pending calls when the session ends under it; the runner classifies the loss. */
export class SessionLost extends Error {
  override readonly name = "SessionLost";
}
