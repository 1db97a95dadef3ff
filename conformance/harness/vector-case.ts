// A vector test as a conformance case: one OperationCall with the test's
// inputs and its group's shared inputs, compared with the test's expectation
// by the corpus's own rule (vectors/runner/compare.ts). A test with a timing
// budget is measured over several samples; a right answer whose p95 exceeds
// the scaled budget is "slow".
import { disagreement, type Expectation } from "../../vectors/runner/compare.js";
import type { Json } from "../../vectors/runner/reference-operations.js";
import { isErrorCodeName } from "../../reference/src/errors.js";
import type { CallResult, Case, CaseContext, CaseSession, CaseVerdict, Level } from "./case.js";
import { percentile } from "./timing.js";

/** The parts of a vector test a case needs. */
export interface VectorCaseSpec {
  readonly id: string;
  readonly suite: string;
  readonly requirements: readonly string[];
  readonly level: Level;
  readonly operation: string;
  readonly inputs: { readonly [key: string]: Json };
  readonly shared: { readonly [key: string]: Json };
  readonly expectation: Expectation;
  readonly budgetMs?: number;
}

/** The implementation's answer as an outcome compare.ts understands, or a reason it is not one. */
function toOutcome(r: Extract<CallResult, { kind: "ok" | "error" }>): { result: "valid"; output: Json } | { result: "invalid"; error: string } | { bad: string } {
  if (r.kind === "error") return { result: "invalid", error: r.code };
  let output: unknown;
  try {
    output = JSON.parse(r.outputJson === "" ? "{}" : r.outputJson);
  } catch {
    return { bad: `output_json is not JSON: ${JSON.stringify(r.outputJson.slice(0, 200))}` };
  }
  if (typeof output !== "object" || output === null || Array.isArray(output)) return { bad: `output_json is not a JSON object: ${r.outputJson.slice(0, 200)}` };
  return { result: "valid", output: output as Json };
}

/** Describes an expectation in a few words. */
export function describeExpectation(e: Expectation): string {
  if (e.result === "invalid") return `invalid ${e.error ?? ""}`.trim();
  if (e.result === "acceptable") return "valid or invalid (acceptable)";
  return e.output === undefined ? "valid" : "valid with output";
}

/** A vector test, run through the driver. */
export class VectorCase implements Case {
  readonly id: string;
  readonly suite: string;
  readonly requirements: readonly string[];
  readonly level: Level;
  readonly operations: readonly string[];
  readonly budgetMs?: number;
  readonly exclusive: boolean;
  readonly expectation: string;
  readonly spec: VectorCaseSpec;
  readonly #inputsJson: string;
  readonly #sharedJson: string;

  constructor(spec: VectorCaseSpec) {
    this.spec = spec;
    this.id = spec.id;
    this.suite = spec.suite;
    this.requirements = spec.requirements;
    this.level = spec.level;
    this.operations = [spec.operation];
    if (spec.budgetMs !== undefined) this.budgetMs = spec.budgetMs;
    this.exclusive = spec.budgetMs !== undefined;
    this.expectation = describeExpectation(spec.expectation);
    this.#inputsJson = JSON.stringify(spec.inputs);
    this.#sharedJson = JSON.stringify(spec.shared);
  }

  async run(session: CaseSession, context: CaseContext): Promise<CaseVerdict> {
    const timed = this.budgetMs !== undefined;
    // DRV-025: one checked but untimed call first (warm-up), then at least 5 timed samples.
    const calls = timed ? 1 + Math.max(5, context.samples) : 1;
    const times: number[] = [];
    let note: string | undefined;
    for (let i = 0; i < calls; i++) {
      const r = await session.call(this.spec.operation, this.#inputsJson, this.#sharedJson);
      if (!timed || i > 0) times.push(r.elapsedMs);
      if (r.kind === "unsupported") return { outcome: "unsupported", message: `the implementation answered unsupported: ${r.reason || "(no reason)"}` };
      if (r.kind === "skipped") return { outcome: "skipped", message: `the implementation skipped it: ${r.reason || "(no reason)"}` };
      const sample = timed ? (i === 0 ? " (warm-up call)" : ` (sample ${i} of ${calls - 1})`) : "";
      const got = toOutcome(r);
      if ("bad" in got) return { outcome: "fail", message: got.bad + sample, observed: "output", samplesMs: times };
      const why = this.#disagreement(got);
      if (why !== undefined) {
        const observed = got.result === "invalid" ? got.error : this.spec.expectation.result === "valid" ? "output" : "valid";
        const detail = r.kind === "error" && r.message.length > 0 ? ` (the implementation says: ${r.message.slice(0, 500)})` : "";
        return { outcome: "fail", message: why + detail + sample, observed, samplesMs: times };
      }
      if (this.spec.expectation.result === "acceptable") note = `acceptable: the implementation answered ${got.result === "invalid" ? `invalid ${got.error}` : "valid"}`;
    }
    if (timed) {
      const limit = this.budgetMs! * context.timeScale;
      const p95 = percentile(times, 95);
      if (p95 > limit) {
        return {
          outcome: "slow",
          message: `right answers, but p95 ${p95.toFixed(3)} ms over ${times.length} samples exceeds the budget of ${this.budgetMs} ms${context.timeScale === 1 ? "" : ` × time scale ${context.timeScale}`}`,
          observed: "slow",
          samplesMs: times,
        };
      }
    }
    return note === undefined ? { outcome: "pass", samplesMs: times } : { outcome: "pass", message: note, samplesMs: times };
  }

  /**
   * The corpus rule (vectors/runner/compare.ts), plus DRV-008: an error code
   * outside the registry, or INVALID_ARGUMENT, fails whatever the test's
   * result, unless the test expects exactly that code.
   */
  #disagreement(got: { result: "valid"; output: Json } | { result: "invalid"; error: string }): string | undefined {
    const expected = this.spec.expectation;
    if (got.result === "invalid" && !(expected.result === "invalid" && expected.error === got.error)) {
      if (!isErrorCodeName(got.error)) return `expected ${describeExpectation(expected)}, got invalid ${got.error}, which is not a code of the error registry (DRV-008)`;
      if (got.error === "INVALID_ARGUMENT") return `expected ${describeExpectation(expected)}, got invalid INVALID_ARGUMENT, which no input may be rejected with (ERR-003, DRV-008)`;
    }
    return disagreement(expected, got);
  }
}
