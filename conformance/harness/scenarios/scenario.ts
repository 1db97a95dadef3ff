// Behavioural scenarios (spec §13.10): cases in which the harness plays the
// other peers of a conversation with a node the implementation runs for the
// session (a registry, a provider, a delegator whose peers the harness
// plays). A scenario is a script of steps; each step calls one node
// operation or moves the test clock, and states exactly what it expects. The first step that disagrees fails the case with a
// message naming the step. The harness signs what its peers send with fixed
// test keys and checks what the implementation returns with the reference
// verifiers: the harness is the reference's, so it reuses its code.
import { sha256 } from "@noble/hashes/sha2.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import type { Case, CaseContext, CaseSession, CaseVerdict, Level, PeerHandler } from "../case.js";
import { strongest, type RequirementIndex } from "../requirements.js";
import { CORPUS_CLOCK_MS } from "../session.js";

/** A JSON object as the node operations take and give them. */
export type JsonObject = { [key: string]: unknown };

/** A fixed test key from a label: the keys of the peers the harness plays. */
export function testKey(label: string): Uint8Array {
  return sha256(new TextEncoder().encode(`ap2p conformance test key: ${label}`));
}

/** The did:key of a secret key. */
export function didOf(secretKey: Uint8Array): string {
  return didFromPublicKey(publicKeyFromSecret(secretKey));
}

/** Lower-case hex, as the driver protocol carries bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Bytes from lower-case hex; undefined if it is not. */
export function unhex(text: unknown): Uint8Array | undefined {
  return typeof text === "string" && /^(?:[0-9a-f]{2})*$/.test(text) ? new Uint8Array(Buffer.from(text, "hex")) : undefined;
}

/** A step's expectation was not met. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly observed: string,
  ) {
    super(message);
  }
}

/** The implementation answered a node operation with unsupported or skipped. */
class NotRun extends Error {
  constructor(
    readonly outcome: "unsupported" | "skipped",
    message: string,
  ) {
    super(message);
  }
}

/** What a scenario's script may do: its steps, each with exact expectations. */
export class Steps {
  #step = "setup";
  #count = 0;
  /** The implementation's test clock, as the harness last set it. */
  now: bigint = CORPUS_CLOCK_MS;

  constructor(private readonly session: CaseSession) {}

  /** Starts the next step; failures name it. */
  step(name: string): void {
    this.#count++;
    this.#step = `step ${this.#count} (${name})`;
    this.session.note(this.#step);
  }

  /** Adds a line to the case's transcript. */
  note(text: string): void {
    this.session.note(text);
  }

  get current(): string {
    return this.#step;
  }

  /** Fails the scenario at the current step. */
  fail(message: string, observed = "output"): never {
    throw new StepFailure(message, observed);
  }

  /** Ends the scenario as skipped: what it would check cannot be observed on this implementation. */
  skip(message: string): never {
    throw new NotRun("skipped", `${this.#step}: ${message}`);
  }

  /** Fails the scenario unless the condition holds. */
  expect(condition: boolean, message: string, observed = "output"): asserts condition {
    if (!condition) this.fail(message, observed);
  }

  /** Sets the implementation's test clock (ClockSet); it must answer ok (DRV-007). */
  async clock(nowMs: bigint): Promise<void> {
    const r = await this.session.setClock(nowMs);
    if (r.kind !== "ok") this.fail(`clock ${nowMs} was answered with ${r.kind === "error" ? `error ${r.code}` : r.kind}, not ok (DRV-007)`, r.kind === "error" ? r.code : r.kind);
    this.now = nowMs;
  }

  /** Calls a node operation and returns its answer: its output, or its error code. Its PeerCalls go to `peers` (§13.10). */
  async call(operation: string, inputs: JsonObject, peers?: PeerHandler): Promise<{ readonly ok: JsonObject } | { readonly error: string; readonly message: string }> {
    const r = await this.session.call(operation, JSON.stringify(inputs), "{}", peers);
    if (r.kind === "unsupported" || r.kind === "skipped") throw new NotRun(r.kind, `${this.#step}: ${operation} was answered ${r.kind}: ${r.reason}`);
    if (r.kind === "error") return { error: r.code, message: r.message };
    let output: unknown;
    try {
      output = r.outputJson === "" ? {} : JSON.parse(r.outputJson);
    } catch {
      this.fail(`${operation} answered ok with output_json that is not JSON: ${r.outputJson.slice(0, 200)}`);
    }
    if (typeof output !== "object" || output === null || Array.isArray(output)) this.fail(`${operation} answered ok with output_json that is not a JSON object (DRV-008)`);
    return { ok: output as JsonObject };
  }

  /** Calls a node operation that must succeed; returns its output. */
  async ok(operation: string, inputs: JsonObject, why: string, peers?: PeerHandler): Promise<JsonObject> {
    const r = await this.call(operation, inputs, peers);
    if ("error" in r) this.fail(`expected ${why}; ${operation} answered error ${r.error}${r.message ? `: ${r.message}` : ""}`, r.error);
    return r.ok;
  }

  /** Calls a node operation that must fail with exactly this code. */
  async error(operation: string, inputs: JsonObject, code: string, why: string): Promise<void> {
    const r = await this.call(operation, inputs);
    if ("ok" in r) this.fail(`expected error ${code} (${why}); ${operation} answered ok with ${JSON.stringify(r.ok).slice(0, 300)}`, "valid");
    if (r.error !== code) this.fail(`expected error ${code} (${why}); ${operation} answered error ${r.error}${r.message ? `: ${r.message}` : ""}`, r.error);
  }

  /** A byte string of an output, which must be hex. */
  bytes(output: JsonObject, name: string, operation: string): Uint8Array {
    const b = unhex(output[name]);
    if (b === undefined) this.fail(`${operation} answered ok without "${name}" as lower-case hex`);
    return b;
  }

  /** A string of an output. */
  text(output: JsonObject, name: string, operation: string): string {
    const v = output[name];
    if (typeof v !== "string") this.fail(`${operation} answered ok without "${name}" as a string`);
    return v;
  }
}

/** What a scenario is. */
export interface ScenarioSpec {
  /** Stable id, "scenario/<role>/<name>-NNN". */
  readonly id: string;
  /** The requirement IDs its steps check. */
  readonly requirements: readonly string[];
  /** The node operations it calls; it is not sent unless all are declared (DRV-005). */
  readonly operations: readonly string[];
  /** What it expects, in a few words. */
  readonly expectation: string;
  /** The steps; `context` holds the run's time scale, for waits of the scenario's own (spec §13.11). */
  readonly script: (s: Steps, context: CaseContext) => Promise<void>;
}

/** A scenario as a conformance case. */
export class Scenario implements Case {
  readonly id: string;
  readonly suite: string;
  readonly requirements: readonly string[];
  readonly level: Level;
  readonly operations: readonly string[];
  // A scenario moves the test clock and resets the session's node: nothing else may be in flight (DRV-013).
  readonly exclusive = true;
  readonly expectation: string;

  constructor(
    private readonly spec: ScenarioSpec,
    index: RequirementIndex,
  ) {
    this.id = spec.id;
    this.suite = spec.id.split("/").slice(0, 2).join("-");
    this.requirements = spec.requirements;
    this.level = strongest(spec.requirements.map((id) => index.get(id)?.level).filter((l): l is Level => l !== undefined)) ?? "required";
    this.operations = spec.operations;
    this.expectation = spec.expectation;
  }

  async run(session: CaseSession, context: CaseContext = { timeScale: 1, samples: 5 }): Promise<CaseVerdict> {
    const steps = new Steps(session);
    let verdict: CaseVerdict;
    try {
      await steps.clock(CORPUS_CLOCK_MS);
      await this.spec.script(steps, context);
      verdict = { outcome: "pass" };
    } catch (e) {
      if (e instanceof StepFailure) verdict = { outcome: "fail", message: `${steps.current}: ${e.message}`, observed: e.observed };
      else if (e instanceof NotRun) verdict = { outcome: e.outcome, message: e.message };
      else throw e;
    }
    // The cases after this one expect the corpus clock (DRV-013).
    if (steps.now !== CORPUS_CLOCK_MS) await session.setClock(CORPUS_CLOCK_MS);
    return verdict;
  }
}
