// Runs cases against an implementation and always comes back with a record
// for every case. Around each case the runner keeps the guarantees a CI job
// needs (spec §13.5): a deadline for every call (DRV-015), a limit for the
// whole run, a new session after a crash, timeout or framing error
// (DRV-017), failures charged to the calls that caused them (DRV-016),
// quarantine of an implementation that keeps failing, and an orderly stop on
// abort.
//
// Attribution. A timeout is charged to the call whose deadline passed, and a
// framing error that names the id of a waiting request to that request; the
// other calls in flight are sent again in the next session. A crash, or a
// framing error that names no waiting request, cannot be pinned on one of
// several calls in flight: each of them is sent again alone, and a call that
// crashes alone is the one charged. That keeps the set of failing cases the
// same from run to run, which a baseline needs; a call in flight alone is
// charged at once.
import { FAILING_OUTCOMES, SessionLost, type CallResult, type Case, type CaseContext, type CaseSession, type CaseVerdict, type Implementation, type Outcome, type PeerHandler } from "./case.js";
import type { RequestBody } from "./protocol.js";
import { isDeclared } from "./roles.js";
import { DriverSession, type FrameSink, type Loss } from "./session.js";
import { roundMs } from "./timing.js";
import { HeadBuffer, capText } from "./text.js";
import { StartFailure, type Launcher } from "./transport.js";

/** How a run behaves. Durations are in milliseconds; those marked "scaled" are multiplied by timeScale. */
export interface RunOptions {
  /** Calls in flight at once (cases with a budget always run alone). */
  readonly jobs: number;
  /** The base deadline of a call; a call's deadline is the larger of this and twice its budget (scaled, DRV-015). */
  readonly caseTimeoutMs: number;
  /** The deadline for a session to start: the LISTENING line, the connection, the hello (scaled, DRV-020). */
  readonly startupTimeoutMs: number;
  /** The grace period between SIGTERM and SIGKILL, and after shutdown (scaled, DRV-012). */
  readonly graceMs: number;
  /** The limit of the whole run (wall clock, not scaled). */
  readonly runTimeoutMs: number;
  /** Multiplies budgets and deadlines, for slow or fast machines (spec §13.8). */
  readonly timeScale: number;
  /** Timed samples per case with a budget; at least 5 (DRV-025). */
  readonly samples: number;
  /** Consecutive session failures (crash, timeout, framing) after which the implementation is quarantined. */
  readonly quarantineAfter: number;
  /** How many failing cases keep a transcript. */
  readonly maxTranscripts: number;
  /** Ends the run early; the reason is the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Defaults, as the CLI documents them. */
export const DEFAULT_RUN_OPTIONS: Omit<RunOptions, "signal"> = {
  jobs: 8,
  caseTimeoutMs: 10_000,
  startupTimeoutMs: 10_000,
  graceMs: 2_000,
  runTimeoutMs: 10 * 60_000,
  timeScale: 1,
  samples: 5,
  quarantineAfter: 3,
  maxTranscripts: 200,
};

/** One line of a transcript: milliseconds since the case started, and what happened. */
export interface Frame {
  readonly t_ms: number;
  readonly dir: "sent" | "received" | "note";
  readonly text: string;
}

/** The result of one case. */
export interface CaseRecord {
  readonly case: Case;
  readonly outcome: Outcome;
  readonly message: string;
  /** What the implementation did, for baseline prefixes: an error code, "valid", "output", or the outcome. */
  readonly observed: string;
  /** Wall time of the case; undefined for a case that was not sent. */
  readonly durationMs: number | undefined;
  /** Round trips of the timed samples (DRV-025), or of the one call of an untimed case (DRV-026). */
  readonly samplesMs: readonly number[];
  /** How many times the case was started (more than one after an interruption or as a suspect). */
  readonly attempts: number;
  readonly transcript?: readonly Frame[];
  readonly stderr?: string;
}

/** Something that happened to the run rather than to one case. */
export interface Incident {
  /** Milliseconds since the run started. */
  readonly t_ms: number;
  readonly kind: "crash" | "framing" | "timeout" | "start" | "quarantine" | "abort" | "warning" | "harness";
  readonly message: string;
  /** The cases in flight. */
  readonly cases: readonly string[];
  /**
   * For a crash, timeout or framing error: the cases it was charged to,
   * directly or after they were sent again alone (DRV-016). Empty when it
   * could be charged to none; such a failure still fails the run.
   */
  readonly charged?: readonly string[];
  readonly stderr?: string;
}

/** What a run found. */
export interface RunResult {
  /** One record per case, in the order of the cases given. */
  readonly records: readonly CaseRecord[];
  /** The implementation as it introduced itself in the first session that started. */
  readonly implementation: Implementation | undefined;
  readonly incidents: readonly Incident[];
  readonly sessions: number;
  /** Why the run stopped early at the user's request or the run limit; its unrun cases are skipped. */
  readonly aborted: string | undefined;
  /** Why the implementation stopped being driven; its unrun cases carry the class of that failure (DRV-016). */
  readonly quarantined: string | undefined;
  /** Errors of the harness itself (never charged to the implementation). */
  readonly harnessErrors: number;
  /** Crashes and framing errors that could be charged to no case (DRV-016: they fail the run). */
  readonly unchargedFailures: number;
  readonly durationMs: number;
  /** From the start of the first case to the end of the last one (the first session's start left out). */
  readonly casePhaseMs: number;
}

/** Called as cases finish, for progress displays. */
export type RecordListener = (record: CaseRecord) => void;

const MAX_FRAME_CHARS = 4096;
const MAX_FRAMES = 40;
const MAX_STDERR_CHARS = 4096;
const MAX_MESSAGE_CHARS = 2000;
/** How long after a failing case ends its stderr is still attributed to it. */
const STDERR_LINGER_MS = 100;

interface Running {
  readonly case: Case;
  readonly started: number;
  readonly frames: Frame[];
  readonly stderr: HeadBuffer;
  /** Run with nothing else in flight. */
  readonly alone: boolean;
  /** Deadline timers of the calls waiting for an answer. */
  readonly timers: Map<bigint, NodeJS.Timeout>;
  settled: boolean;
}

/** The class a failed session start gives (spec §13.5 step 2). */
const START_CLASS: Record<StartFailure["kind"], Outcome> = { crash: "crash", framing: "framing", timeout: "timeout" };

/** Runs cases against the implementation that the launcher reaches. */
export async function runCases(
  cases: readonly Case[],
  launcher: Launcher,
  options: RunOptions,
  roleOf: (operation: string) => string | undefined,
  onRecord: RecordListener = () => {},
): Promise<RunResult> {
  return new Runner(cases, launcher, options, roleOf, onRecord).run();
}

class Runner {
  readonly #records = new Map<string, CaseRecord>();
  readonly #inFlight = new Map<Case, Running>();
  readonly #byRequest = new Map<bigint, Running>();
  readonly #attempts = new Map<Case, number>();
  readonly #interruptions = new Map<Case, number>();
  readonly #incidents: Incident[] = [];
  readonly #dying: Promise<unknown>[] = [];
  /** stderr buffers of failing cases that still take what arrives shortly after their end. */
  #lingering: { buffer: HeadBuffer; until: number }[] = [];
  readonly #stderrOf = new Map<string, { buffer: HeadBuffer; fallback: string }>();
  #queue: Case[];
  #isolated: Case[] = [];
  #session: DriverSession | undefined;
  #implementation: Implementation | undefined;
  #sessions = 0;
  #consecutiveFailures: { outcome: Outcome; what: string }[] = [];
  /** Set when nothing more is sent: the outcome and message every unrun case gets. */
  #stop: { outcome: Outcome; message: string } | undefined;
  #aborted: string | undefined;
  #quarantined: string | undefined;
  #harnessErrors = 0;
  #transcripts = 0;
  #wake: () => void = () => {};
  #nextId = 1n;
  #firstCaseAt: number | undefined;
  #lastRecordAt: number | undefined;
  readonly #started = performance.now();
  readonly #context: CaseContext;

  constructor(
    readonly cases: readonly Case[],
    readonly launcher: Launcher,
    readonly options: RunOptions,
    readonly roleOf: (operation: string) => string | undefined,
    readonly onRecord: RecordListener,
  ) {
    this.#queue = [...cases];
    this.#context = { timeScale: options.timeScale, samples: options.samples };
  }

  async run(): Promise<RunResult> {
    const runTimer = setTimeout(() => this.#abort(`the run limit of ${formatMs(this.options.runTimeoutMs)} was reached`), this.options.runTimeoutMs);
    const onAbort = () => this.#abort(abortReason(this.options.signal));
    if (this.options.signal?.aborted) onAbort();
    else this.options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (this.#stop === undefined && (this.#queue.length > 0 || this.#isolated.length > 0 || this.#inFlight.size > 0)) {
        const woken = new Promise<void>((resolve) => (this.#wake = resolve));
        if (this.#session === undefined || this.#session.dead) {
          await this.#openSession(woken);
          continue;
        }
        this.#fill();
        if (this.#inFlight.size === 0) continue;
        await woken;
      }
      this.#stopRemaining();
      // Every case has its record: a run limit that passes during the shutdown does not abort anything.
      this.#stop ??= { outcome: "skipped", message: "not run" };
      if (this.#session !== undefined && !this.#session.dead) {
        const warning = await this.#session.shutdown(this.options.graceMs * this.options.timeScale);
        if (warning !== undefined) this.#incidents.push({ t_ms: this.#elapsed(), kind: "warning", message: warning, cases: [] });
      }
      this.#session = undefined;
      await Promise.all(this.#dying);
    } finally {
      clearTimeout(runTimer);
      this.options.signal?.removeEventListener("abort", onAbort);
    }
    // DRV-016: a crash or framing error is charged to the cases in flight that failed, directly or sent again alone.
    const failed = (id: string) => {
      const o = this.#records.get(id)?.outcome;
      return o === "crash" || o === "framing" || o === "timeout";
    };
    const incidents = this.#incidents.map((i) => (i.kind === "crash" || i.kind === "framing" || i.kind === "timeout" ? { ...i, charged: i.cases.filter(failed) } : i));
    const unchargedFailures = incidents.filter((i) => i.charged !== undefined && i.charged.length === 0).length;
    // The stderr of failing cases, including what came just after their answers.
    const records = this.cases.map((c) => {
      const record = this.#records.get(c.id)!;
      const captured = this.#stderrOf.get(c.id);
      if (captured === undefined) return record;
      const text = captured.buffer.text.trim().length > 0 ? captured.buffer.text : captured.fallback;
      const { stderr: _old, ...rest } = record;
      return text.length > 0 ? { ...rest, stderr: capText(text, MAX_STDERR_CHARS) } : rest;
    });
    return {
      records,
      implementation: this.#implementation,
      incidents,
      unchargedFailures,
      sessions: this.#sessions,
      aborted: this.#aborted,
      quarantined: this.#quarantined,
      harnessErrors: this.#harnessErrors,
      durationMs: performance.now() - this.#started,
      casePhaseMs: this.#firstCaseAt === undefined || this.#lastRecordAt === undefined ? 0 : this.#lastRecordAt - this.#firstCaseAt,
    };
  }

  #elapsed(): number {
    return roundMs(performance.now() - this.#started);
  }

  async #openSession(woken: Promise<void>): Promise<void> {
    this.#sessions++;
    const deadline = this.options.startupTimeoutMs * this.options.timeScale;
    const opening = DriverSession.open(
      this.launcher,
      { lost: (loss) => this.#onLost(loss), stderr: (text) => this.#onStderr(text) },
      () => this.#nextId++,
      deadline,
    );
    // An abort does not wait for a slow start; the session is ended when it arrives.
    const result = await Promise.race([opening.then((s) => ({ s }), (e: unknown) => ({ e })), woken.then(() => ({ woken: true as const }))]);
    if ("woken" in result) {
      this.#dying.push(opening.then((s) => s.kill(), () => {}));
      return;
    }
    if ("s" in result) {
      if (this.#stop !== undefined) {
        this.#dying.push(result.s.kill());
        return;
      }
      this.#session = result.s;
      this.#implementation ??= result.s.implementation;
      return;
    }
    const e = result.e;
    if (!(e instanceof StartFailure)) throw e;
    const first = this.#sessions === 1;
    const message = `the implementation did not start${first ? "" : " again"} (${e.kind}): ${e.message}`;
    this.#incidents.push({ t_ms: this.#elapsed(), kind: "start", message, cases: [] });
    // DRV-017: a session that fails before its hello is answered is not started again.
    this.#halt(START_CLASS[e.kind], message);
  }

  /** Starts as many cases as the rules allow. */
  #fill(): void {
    const session = this.#session;
    while (session !== undefined && !session.dead && this.#stop === undefined) {
      if ([...this.#inFlight.values()].some((r) => r.alone)) return;
      let next: Case;
      let fromIsolated = false;
      if (this.#isolated.length > 0) {
        if (this.#inFlight.size > 0) return;
        next = this.#isolated[0]!;
        fromIsolated = true;
      } else if (this.#queue.length > 0) {
        next = this.#queue[0]!;
        if (next.exclusive ? this.#inFlight.size > 0 : this.#inFlight.size >= this.options.jobs) return;
      } else return;
      (fromIsolated ? this.#isolated : this.#queue).shift();
      // DRV-005: an undeclared operation is never sent.
      const missing = next.operations.filter((op) => !isDeclared(session.implementation, op, this.roleOf));
      if (missing.length > 0) {
        this.#record(next, { outcome: "unsupported", message: `not sent: the implementation did not declare ${missing.join(", ")} (DRV-005)`, observed: "unsupported" });
        continue;
      }
      this.#start(next, session, fromIsolated || next.exclusive);
    }
  }

  /** A call's deadline (DRV-015): the larger of the base and twice the case's budget, scaled. */
  #callDeadline(c: Case): number {
    return Math.max(this.options.caseTimeoutMs, 2 * (c.budgetMs ?? 0)) * this.options.timeScale;
  }

  #start(c: Case, session: DriverSession, alone: boolean): void {
    this.#firstCaseAt ??= performance.now();
    this.#attempts.set(c, (this.#attempts.get(c) ?? 0) + 1);
    const r: Running = { case: c, started: performance.now(), frames: [], stderr: new HeadBuffer(MAX_STDERR_CHARS), alone, timers: new Map(), settled: false };
    this.#inFlight.set(c, r);
    const sink: FrameSink = (dir, text) => this.#frame(r, dir, text);
    const deadlineMs = this.#callDeadline(c);
    const request = async (body: RequestBody, peers?: PeerHandler): Promise<CallResult> => {
      const { id, answer } = session.send(body, sink, peers);
      if (r.settled) throw new SessionLost("the case has ended");
      this.#byRequest.set(id, r);
      r.timers.set(
        id,
        setTimeout(() => this.#onTimeout(r, deadlineMs), deadlineMs),
      );
      let elapsedMs: number;
      let res;
      try {
        const a = await answer;
        elapsedMs = a.elapsedMs;
        res = a.response.result;
      } finally {
        clearTimeout(r.timers.get(id));
        r.timers.delete(id);
        this.#byRequest.delete(id);
      }
      switch (res.case) {
        case "ok":
          return { kind: "ok", outputJson: res.value.outputJson, elapsedMs };
        case "error":
          return { kind: "error", code: res.value.code, message: res.value.message, elapsedMs };
        case "unsupported":
          return { kind: "unsupported", reason: res.value.reason, elapsedMs };
        case "skipped":
          return { kind: "skipped", reason: res.value.reason, elapsedMs };
        default:
          throw new SessionLost(`unexpected result ${res.case}`);
      }
    };
    const view: CaseSession = {
      implementation: session.implementation,
      call: (operation, inputsJson, sharedJson, peers) => request({ case: "call", value: { operation, inputsJson, sharedJson } } as RequestBody, peers),
      setClock: (nowMs) => request({ case: "clock", value: { nowMs } } as RequestBody),
      note: (text) => this.#frame(r, "note", text),
    };
    let running: Promise<CaseVerdict>;
    try {
      running = c.run(view, this.#context);
    } catch (e) {
      running = Promise.reject(e);
    }
    running.then(
      (v) => {
        if (r.settled) return;
        this.#settle(r);
        this.#consecutiveFailures = [];
        this.#record(c, {
          outcome: v.outcome,
          message: v.message ?? "",
          observed: v.observed ?? v.outcome,
          durationMs: performance.now() - r.started,
          samplesMs: v.samplesMs ?? [],
          running: r,
        });
        this.#wake();
      },
      (e: unknown) => {
        if (r.settled) return;
        if (e instanceof SessionLost) return; // the loss handler charges the case
        this.#settle(r);
        this.#harnessErrors++;
        const message = `harness error (not charged to the implementation): ${e instanceof Error ? e.message : String(e)}`;
        this.#incidents.push({ t_ms: this.#elapsed(), kind: "harness", message, cases: [c.id] });
        this.#record(c, { outcome: "skipped", message, observed: "skipped", running: r });
        this.#wake();
      },
    );
  }

  #frame(r: Running, dir: Frame["dir"], text: string): void {
    if (r.frames.length >= MAX_FRAMES) return;
    const t_ms = roundMs(performance.now() - r.started);
    r.frames.push({ t_ms, dir, text: r.frames.length === MAX_FRAMES - 1 ? "(further frames left out)" : capText(text, MAX_FRAME_CHARS) });
  }

  #onStderr(text: string): void {
    for (const r of this.#inFlight.values()) r.stderr.append(text);
    // stderr and stdout are separate pipes: what a case printed can arrive just after its answer.
    const now = performance.now();
    this.#lingering = this.#lingering.filter((l) => l.until > now);
    for (const l of this.#lingering) l.buffer.append(text);
  }

  #settle(r: Running): void {
    r.settled = true;
    for (const t of r.timers.values()) clearTimeout(t);
    r.timers.clear();
    this.#inFlight.delete(r.case);
  }

  /** Ends the current session and settles everything in flight; returns what was in flight. */
  #dropSession(): Running[] {
    const session = this.#session;
    this.#session = undefined;
    const flying = [...this.#inFlight.values()];
    for (const r of flying) this.#settle(r);
    this.#byRequest.clear();
    if (session !== undefined) this.#dying.push(session.kill());
    return flying;
  }

  /** Sends cases again in the next session: cases not to blame for a failure (DRV-017). */
  #resend(flying: readonly Running[]): void {
    for (const o of [...flying].reverse()) {
      const n = (this.#interruptions.get(o.case) ?? 0) + 1;
      this.#interruptions.set(o.case, n);
      // Interrupted twice: run it alone, where nothing else can interrupt it.
      if (n >= 2 || o.alone) this.#isolated.unshift(o.case);
      else this.#queue.unshift(o.case);
    }
  }

  #onTimeout(r: Running, deadlineMs: number): void {
    if (r.settled || this.#stop !== undefined) return;
    const flying = this.#dropSession().filter((o) => o !== r);
    const scale = this.options.timeScale === 1 ? "" : ` (scaled by ${this.options.timeScale})`;
    const message = `no answer within ${formatMs(deadlineMs)}${scale}; the implementation was ended (SIGTERM, then SIGKILL) and started again`;
    this.#record(r.case, { outcome: "timeout", message, observed: "timeout", durationMs: performance.now() - r.started, running: r });
    this.#incidents.push({ t_ms: this.#elapsed(), kind: "timeout", message: `${r.case.id}: ${message}`, cases: [r.case.id, ...flying.map((o) => o.case.id)] });
    this.#resend(flying);
    this.#failure("timeout", `timeout in ${r.case.id}`);
    this.#wake();
  }

  #onLost(loss: Loss): void {
    // Only a live session reports a loss: sessions the runner ends itself are silent.
    if (this.#stop !== undefined) return;
    const named = loss.id === undefined ? undefined : this.#byRequest.get(loss.id);
    const flying = this.#dropSession();
    const stderr = loss.stderrTail.trim();
    const outcome: Outcome = loss.kind === "crash" ? "crash" : "framing";
    let note = "";
    if (named !== undefined) {
      // DRV-016: a framing error that names a waiting request is charged to it alone.
      this.#record(named.case, { outcome, message: loss.message, observed: outcome, durationMs: performance.now() - named.started, running: named, stderrTail: stderr });
      this.#resend(flying.filter((r) => r !== named));
    } else if (flying.length === 1) {
      const r = flying[0]!;
      this.#record(r.case, { outcome, message: loss.message, observed: outcome, durationMs: performance.now() - r.started, running: r, stderrTail: stderr });
    } else if (flying.length > 1) {
      // Suspects: each runs again alone, where a crash can be pinned on it.
      this.#isolated.unshift(...flying.map((r) => r.case).filter((c) => !this.#isolated.includes(c)));
      note = ` (with ${flying.length} cases in flight; each is sent again alone)`;
    }
    this.#incidents.push({
      t_ms: this.#elapsed(),
      kind: loss.kind,
      message: loss.message + note,
      cases: flying.map((r) => r.case.id),
      ...(stderr.length > 0 ? { stderr: capText(stderr, MAX_STDERR_CHARS) } : {}),
    });
    this.#failure(outcome, `${loss.kind}: ${loss.message}`);
    this.#wake();
  }

  /** Counts one more consecutive failure of the implementation, and quarantines it at the limit. */
  #failure(outcome: Outcome, what: string): void {
    this.#consecutiveFailures.push({ outcome, what });
    const n = this.options.quarantineAfter;
    if (this.#consecutiveFailures.length >= n) {
      const last = this.#consecutiveFailures[this.#consecutiveFailures.length - 1]!;
      this.#halt(last.outcome, `quarantined after ${n} consecutive failures (${this.#consecutiveFailures.slice(-n).map((f) => f.outcome).join(", ")}); the last: ${capText(last.what, 600)}`);
    }
  }

  /** Stops sending: every unrun case gets this outcome, with a note that it was not sent (DRV-016). */
  #halt(outcome: Outcome, reason: string): void {
    if (this.#stop !== undefined) return;
    this.#quarantined = reason;
    this.#stop = { outcome, message: `not sent: ${reason}` };
    this.#incidents.push({ t_ms: this.#elapsed(), kind: "quarantine", message: reason, cases: [] });
    const flying = this.#dropSession();
    for (const r of flying) this.#record(r.case, { outcome, message: `interrupted, then ${this.#stop.message}`, observed: outcome, running: r });
    this.#wake();
  }

  #abort(reason: string): void {
    if (this.#stop !== undefined) return;
    this.#aborted = reason;
    this.#stop = { outcome: "skipped", message: `not run: the run was aborted (${reason})` };
    this.#incidents.push({ t_ms: this.#elapsed(), kind: "abort", message: reason, cases: [...this.#inFlight.keys()].map((c) => c.id) });
    const flying = this.#dropSession();
    for (const r of flying) this.#record(r.case, { outcome: "skipped", message: `interrupted: the run was aborted (${reason})`, observed: "skipped", running: r });
    this.#wake();
  }

  #stopRemaining(): void {
    const stop = this.#stop ?? { outcome: "skipped" as Outcome, message: "not run" };
    for (const c of [...this.#isolated, ...this.#queue]) this.#record(c, { outcome: stop.outcome, message: stop.message, observed: stop.outcome });
    this.#isolated = [];
    this.#queue = [];
  }

  #record(
    c: Case,
    r: { outcome: Outcome; message: string; observed: string; durationMs?: number; samplesMs?: readonly number[]; running?: Running; stderrTail?: string },
  ): void {
    if (this.#records.has(c.id)) return;
    const failing = FAILING_OUTCOMES.has(r.outcome);
    const keep = failing && r.running !== undefined && r.running.frames.length > 0 && this.#transcripts < this.options.maxTranscripts;
    if (keep) this.#transcripts++;
    const attempts = this.#attempts.get(c) ?? 0;
    let message = r.message;
    if (attempts > 1) message += `${message.length > 0 ? " " : ""}(attempt ${attempts}: an earlier attempt was cut short by a failure of the session)`;
    if (failing && r.running !== undefined) {
      this.#lingering.push({ buffer: r.running.stderr, until: performance.now() + STDERR_LINGER_MS });
      this.#stderrOf.set(c.id, { buffer: r.running.stderr, fallback: r.stderrTail ?? "" });
    }
    const caseStderr = r.running?.stderr.text ?? "";
    const stderr = caseStderr.trim().length > 0 ? caseStderr : (r.stderrTail ?? "");
    const record: CaseRecord = {
      case: c,
      outcome: r.outcome,
      message: capText(message, MAX_MESSAGE_CHARS),
      observed: r.observed,
      durationMs: r.durationMs,
      samplesMs: r.samplesMs ?? [],
      attempts,
      ...(keep ? { transcript: r.running!.frames } : {}),
      ...(failing && stderr.length > 0 ? { stderr: capText(stderr, MAX_STDERR_CHARS) } : {}),
    };
    this.#records.set(c.id, record);
    if (r.running !== undefined) this.#lastRecordAt = performance.now();
    this.onRecord(record);
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (typeof r === "string") return r;
  if (r instanceof Error && r.name !== "AbortError") return r.message;
  return "aborted";
}

/** A duration for people: "10 s", "250 ms", "10 min". */
export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))} s`;
  return `${Number(ms.toFixed(3))} ms`;
}
