// A deliberately tiny driver loop for the adapters' own tests: launch a
// command over stdio, send requests, match answers by id, keep every line the
// implementation wrote. It is not the conformance harness (which classifies,
// times, restarts and reports); it only lets these tests talk to an adapter.
import { spawn, type ChildProcess } from "node:child_process";
import { create, fromJsonString, toJsonString, type MessageInitShape } from "@bufbuild/protobuf";
import { DriverRequestSchema, DriverResponseSchema, type DriverResponse } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { allTests, type FileGroup, type FileTest } from "../../../vectors/corpus.js";
import { disagreement } from "../../../vectors/runner/compare.js";
import type { Json, Outcome } from "../../../vectors/runner/reference-operations.js";

/** The body of a request, with nested messages as plain objects. */
export type RequestBody = MessageInitShape<typeof DriverRequestSchema>["body"];

/** A running implementation on stdio. */
export class MiniDriver {
  /** Every line written to standard output, in order. */
  readonly lines: string[] = [];
  /** Lines of standard output that are not a DriverResponse. */
  readonly framing: string[] = [];
  /** Everything written to standard error. */
  stderr = "";
  /** The exit of the process. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<bigint, (r: DriverResponse) => void>();
  private nextId = 1n;
  private buffer = "";

  /** Runs `sh -c command` in its own process group, in the given directory. */
  constructor(command: string, cwd?: string) {
    this.child = spawn("sh", ["-c", command], { cwd, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => this.read(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdin!.on("error", () => {});
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      let response: DriverResponse;
      try {
        response = fromJsonString(DriverResponseSchema, line);
      } catch {
        this.framing.push(line);
        continue;
      }
      const resolve = this.waiting.get(response.id);
      if (resolve === undefined) this.framing.push(line);
      else {
        this.waiting.delete(response.id);
        resolve(response);
      }
    }
  }

  /** Writes a raw line (for malformed-input tests). */
  writeLine(text: string): void {
    this.child.stdin!.write(`${text}\n`);
  }

  /** Sends a request with the next id and resolves with its answer, or rejects after timeoutMs. */
  request(body: RequestBody, timeoutMs = 10_000): Promise<DriverResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to request ${id} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`));
      }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.writeLine(toJsonString(DriverRequestSchema, create(DriverRequestSchema, { id, body })));
    });
  }

  /** Closes standard input. */
  endInput(): void {
    this.child.stdin!.end();
  }

  /** Kills the whole process group. */
  kill(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A corpus test with its group. */
export interface CorpusCase {
  readonly file: string;
  readonly group: FileGroup;
  readonly test: FileTest;
}

/** The outcome an answer stands for (spec §13.4), or the answer's kind when it is no verdict. */
export function outcomeOf(response: DriverResponse): Outcome | { readonly kind: "unsupported" | "skipped" | "other"; readonly reason: string } {
  switch (response.result.case) {
    case "ok":
      return { result: "valid", output: JSON.parse(response.result.value.outputJson || "{}") as Json };
    case "error":
      return { result: "invalid", error: response.result.value.code };
    case "unsupported":
    case "skipped":
      return { kind: response.result.case, reason: response.result.value.reason };
    default:
      return { kind: "other", reason: String(response.result.case) };
  }
}

/** What happened to each test. */
export interface CaseResult {
  readonly case: CorpusCase;
  readonly response: DriverResponse;
  /** Why the answer disagrees with the test; undefined when it agrees, or when it is no verdict. */
  readonly problem?: string;
  readonly kind: "pass" | "fail" | "unsupported" | "skipped";
}

/** Sends every case as a call, keeping up to `window` calls outstanding, and compares each answer with compare.ts. */
export async function runCases(driver: MiniDriver, cases: readonly CorpusCase[], window = 16): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const response = await driver.request({
        case: "call",
        value: { operation: c.group.operation, inputsJson: JSON.stringify(c.test.inputs), sharedJson: JSON.stringify(c.group.shared) },
      });
      const outcome = outcomeOf(response);
      if ("kind" in outcome) {
        const kind = outcome.kind === "other" ? "fail" : outcome.kind;
        results[i] = { case: c, response, kind, problem: `${outcome.kind}: ${outcome.reason}` };
      } else {
        const problem = disagreement(c.test, outcome);
        results[i] = problem === undefined ? { case: c, response, kind: "pass" } : { case: c, response, kind: "fail", problem };
      }
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  return results;
}

/** The corpus cases of the given operations (all when omitted). */
export function corpusCases(operations?: readonly string[]): CorpusCase[] {
  return allTests().filter((c) => operations === undefined || operations.includes(c.group.operation));
}

/** Opens a session: hello, then the corpus clock (DRV-001, DRV-013). */
export async function openSession(driver: MiniDriver): Promise<DriverResponse> {
  const hello = await driver.request({ case: "hello", value: { driverProtocolVersion: 1, harnessName: "mini-driver" } });
  await driver.request({ case: "clock", value: { nowMs: 1767225600000n } });
  return hello;
}
