// A session with the implementation: a channel opened by a launcher, a hello
// exchange first, then requests with ids whose responses are matched by id
// in whatever order they come (DRV requirements of spec §13). A session ends
// at the first crash or framing error; the runner decides what that means
// for the cases in flight and opens a new session for the rest.
import type { DriverResponse, PeerCall } from "../../gen/ts/ap2p/v1/driver_pb.js";
import { SessionLost, type Implementation, type PeerHandler } from "./case.js";
import { DRIVER_PROTOCOL_VERSION, HARNESS_NAME, HARNESS_VERSION } from "./version.js";
import { decodeResponse, encodeRequest, quote, roleName, type RequestBody } from "./protocol.js";
import { StartFailure, type Launcher, type Transport } from "./transport.js";

/** Receives the frames of one request, for a case's transcript. */
export type FrameSink = (direction: "sent" | "received", text: string) => void;

/** Why a session ended. */
export interface Loss {
  readonly kind: "crash" | "framing";
  readonly message: string;
  /** The end of the implementation's stderr when it happened. */
  readonly stderrTail: string;
  /** For a framing error whose text names the id of a waiting request: that id (DRV-016). */
  readonly id?: bigint;
}

/** An answer, with its round trip on the monotonic clock: from just before the request was written to just after the response was read (DRV-025). */
export interface Answer {
  readonly response: DriverResponse;
  readonly elapsedMs: number;
}

/** The corpus clock T0 (vectors/README.md), sent after every hello (DRV-013). */
export const CORPUS_CLOCK_MS = 1767225600000n;

/** What the runner hears from a session. */
export interface SessionHooks {
  /** The session ended under the harness (not by kill() or shutdown()). Called at most once. */
  lost(loss: Loss): void;
  /** Some stderr, to attribute to the cases in flight. */
  stderr(text: string): void;
}

interface Pending {
  readonly kind: RequestBody["case"];
  readonly sink: FrameSink | undefined;
  /** Answers the PeerCalls made during this request (a scenario's call only). */
  readonly peers: PeerHandler | undefined;
  sentAt: number;
  resolve(r: Answer): void;
  reject(e: Error): void;
}

/** The id a malformed response names, if it names one: `"id":"7"` or `"id":7`. */
function namedId(text: string): bigint | undefined {
  const m = /"id"\s*:\s*"?([1-9][0-9]{0,19})"?/.exec(text);
  return m === null ? undefined : BigInt(m[1]!);
}

const RESULT_FOR: Record<string, readonly string[]> = {
  hello: ["hello"],
  call: ["ok", "error", "unsupported", "skipped"],
  clock: ["ok", "error", "unsupported"],
  shutdown: ["ok"],
  peerReply: ["ok"],
};

/** An open session with the implementation. */
export class DriverSession {
  readonly #pending = new Map<bigint, Pending>();
  #transport: Transport | undefined;
  #dead = false;
  #closing = false;
  #hooks: SessionHooks;
  #implementation: Implementation | undefined;
  #clockAnswer: string | undefined;
  /** The call_ids of the session's PeerCalls, each allowed once (DRV-027). */
  readonly #peerCallIds = new Set<bigint>();

  private constructor(
    hooks: SessionHooks,
    private readonly nextId: () => bigint,
  ) {
    this.#hooks = hooks;
  }

  /** The implementation as it introduced itself. */
  get implementation(): Implementation {
    if (this.#implementation === undefined) throw new Error("the session has not said hello");
    return this.#implementation;
  }

  /** How the implementation answered the clock request of the session start ("ok", "error", "unsupported"). */
  get clockAnswer(): string | undefined {
    return this.#clockAnswer;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** True once the session has ended, for whatever reason. */
  get dead(): boolean {
    return this.#dead;
  }

  /**
   * Opens a channel and exchanges hellos, within deadlineMs; rejects with a
   * StartFailure. The hello's frames go to helloSink (the session
   * transcript of the report).
   */
  static async open(launcher: Launcher, hooks: SessionHooks, nextId: () => bigint, deadlineMs: number, helloSink?: FrameSink): Promise<DriverSession> {
    const session = new DriverSession(hooks, nextId);
    const started = performance.now();
    // Until the hello is answered, a loss is a failure to start rather than a loss to report.
    let startLoss: Loss | undefined;
    const hooksDuringStart: SessionHooks = { lost: (l) => (startLoss = l), stderr: hooks.stderr };
    session.#hooks = hooksDuringStart;
    const transport = await launcher.open(
      {
        message: (text) => session.#onMessage(text),
        stderr: (text) => session.#hooks.stderr(text),
        lost: (kind, message) => session.#lose(kind, message),
      },
      deadlineMs,
    );
    session.#transport = transport;
    let timer: NodeJS.Timeout | undefined;
    try {
      const remaining = Math.max(1, deadlineMs - (performance.now() - started));
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StartFailure("timeout", `no answer to the hello within ${Math.round(deadlineMs)} ms`)), remaining);
      });
      // DRV-001: nothing else is sent until the hello is answered.
      const { response } = await Promise.race([
        session.send({ case: "hello", value: { driverProtocolVersion: DRIVER_PROTOCOL_VERSION, harnessName: HARNESS_NAME, harnessVersion: HARNESS_VERSION } } as RequestBody, helloSink).answer,
        deadline,
      ]);
      if (response.result.case !== "hello") throw new StartFailure("framing", "unreachable");
      const hello = response.result.value;
      // DRV-002: another version is a framing error that names both, and no call is sent.
      if (hello.driverProtocolVersion !== DRIVER_PROTOCOL_VERSION) {
        throw new StartFailure("framing", `DRV-002: the implementation speaks driver protocol version ${hello.driverProtocolVersion}; this harness speaks version ${DRIVER_PROTOCOL_VERSION}`);
      }
      if (hello.implementationName.length === 0) throw new StartFailure("framing", "the hello result has no implementation_name");
      session.#implementation = {
        name: hello.implementationName,
        version: hello.implementationVersion,
        roles: hello.roles.map(roleName),
        operations: [...hello.operations],
      };
      // DRV-013: the corpus clock, alone, before the first call. Whether the answer is ok
      // is the business of the case driver/clock-001 (DRV-007), not a reason to stop.
      const clock = await Promise.race([session.send({ case: "clock", value: { nowMs: CORPUS_CLOCK_MS } } as RequestBody, helloSink).answer, deadline]);
      session.#clockAnswer = clock.response.result.case;
    } catch (e) {
      clearTimeout(timer);
      session.#dead = true;
      await transport.terminate();
      if (e instanceof StartFailure) throw e;
      if (startLoss !== undefined) {
        const tail = startLoss.stderrTail.trim();
        throw new StartFailure(startLoss.kind, `${startLoss.message} during the hello${tail.length > 0 ? `; stderr ends: ${quote(tail, 500)}` : ""}`);
      }
      throw e;
    }
    clearTimeout(timer);
    session.#hooks = hooks;
    return session;
  }

  /** Sends one request; its answer resolves with the response, or rejects with SessionLost. */
  send(body: RequestBody, sink?: FrameSink, peers?: PeerHandler): { readonly id: bigint; readonly answer: Promise<Answer> } {
    const id = this.nextId();
    if (this.#dead || this.#transport === undefined) return { id, answer: Promise.reject(new SessionLost("the session has ended")) };
    const text = encodeRequest(id, body);
    const answer = new Promise<Answer>((resolve, reject) => {
      const pending: Pending = { kind: body.case, sink, peers, sentAt: 0, resolve, reject };
      this.#pending.set(id, pending);
      sink?.("sent", text);
      pending.sentAt = performance.now();
      this.#transport!.send(text);
    });
    return { id, answer };
  }

  /** Sends one request and waits for its response. */
  async request(body: RequestBody, sink?: FrameSink): Promise<DriverResponse> {
    return (await this.send(body, sink).answer).response;
  }

  #onMessage(text: string): void {
    if (this.#dead) return;
    const receivedAt = performance.now();
    const decoded = decodeResponse(text);
    if ("framing" in decoded) {
      const id = namedId(text);
      const named = id !== undefined && this.#pending.has(id) ? id : undefined;
      if (named !== undefined) this.#pending.get(named)!.sink?.("received", text);
      this.#lose("framing", decoded.framing, named);
      return;
    }
    const response = decoded.response;
    const pending = this.#pending.get(response.id);
    if (pending === undefined) {
      // DRV-004: an unknown id, or a second answer to the same request.
      this.#lose("framing", `DRV-004: a response to id ${response.id}, which is not waiting for an answer: ${quote(text)}`);
      return;
    }
    pending.sink?.("received", text);
    if (response.result.case === "peerCall") {
      this.#onPeerCall(pending, response.result.value, text);
      return;
    }
    const allowed = RESULT_FOR[pending.kind ?? ""] ?? [];
    if (!allowed.includes(response.result.case ?? "")) {
      this.#lose("framing", `a ${pending.kind} request answered with "${response.result.case}" (expected ${allowed.join(" or ")}): ${quote(text)}`, response.id);
      return;
    }
    this.#pending.delete(response.id);
    pending.resolve({ response, elapsedMs: receivedAt - pending.sentAt });
  }

  /**
   * DRV-027: a PeerCall is not an answer. It is only allowed during a call
   * whose case plays peers, with a call_id new to the session; the peer's
   * reply goes back as a PeerReply request and the call keeps waiting.
   */
  #onPeerCall(pending: Pending, call: PeerCall, text: string): void {
    const handler = pending.peers;
    if (handler === undefined) {
      this.#lose("framing", `DRV-027: a PeerCall during a ${pending.kind} request whose case plays no peers: ${quote(text)}`);
      return;
    }
    if (call.callId === 0n || this.#peerCallIds.has(call.callId)) {
      this.#lose("framing", `DRV-027: a PeerCall whose call_id ${call.callId} is zero or was used before in the session: ${quote(text)}`);
      return;
    }
    this.#peerCallIds.add(call.callId);
    void handler(call)
      .catch(() => "silent" as const)
      .then((answer) => {
        if (this.#dead) return;
        const value = answer === "silent" ? { callId: call.callId, silent: true } : { callId: call.callId, payload: answer.payload, ...(answer.output ? { output: answer.output } : {}) };
        // A lost session rejects the reply's answer too; the call's own rejection reports it.
        this.send({ case: "peerReply", value } as RequestBody, pending.sink).answer.catch(() => {});
      });
  }

  #lose(kind: "crash" | "framing", message: string, id?: bigint): void {
    if (this.#dead) return;
    this.#dead = true;
    if (this.#closing) {
      this.#failPending("the session was shut down");
      return;
    }
    const loss: Loss = { kind, message, stderrTail: this.#transport?.stderrTail() ?? "", ...(id === undefined ? {} : { id }) };
    this.#failPending(`${kind}: ${message}`);
    this.#hooks.lost(loss);
  }

  #failPending(why: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(new SessionLost(why));
  }

  /** Ends the session now: the transport is terminated and pending requests reject. */
  async kill(): Promise<void> {
    this.#dead = true;
    this.#closing = true;
    this.#failPending("the session was ended by the harness");
    await this.#transport?.terminate();
  }

  /**
   * Ends the session politely: Shutdown, the grace period to answer and
   * exit, then the process group is ended. Resolves with a warning when the
   * implementation did not answer, did not exit in time, or exited with a
   * status other than 0 (DRV-012).
   */
  async shutdown(graceMs: number): Promise<string | undefined> {
    if (this.#dead) {
      await this.#transport?.terminate();
      return undefined;
    }
    this.#closing = true;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.request({ case: "shutdown", value: {} } as RequestBody).then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    this.#dead = true;
    this.#failPending("the session was shut down");
    const warning = await this.#transport?.close();
    if (!answered) return `DRV-012: shutdown was not answered with ok within ${Math.round(graceMs)} ms${warning === undefined ? "" : `; ${warning.replace(/^DRV-012: /, "")}`}`;
    return warning;
  }
}
