// Benchmark 4: the conformance harness against the reference implementation,
// over stdio and over WebSocket, twice each: the whole corpus, and its
// artifact cases alone (the vector files, one operation call per sample),
// which the target is about. The scenarios and wire cases are left out of
// the second run because some of them wait out deliberate timeouts
// (idle-timeout, handshake-timeout), which set the length of a whole run.
// Cases per second are given on the wall clock, session starts included, as a
// user of `ap2p conformance` sees it, and as the report counts them.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RUN_OPTIONS, referenceCommand, runConformance } from "../conformance/harness/harness.js";
import { defaultVectorsDir } from "../conformance/harness/paths.js";
import { fmt, line, round } from "./lib.js";

export interface HarnessResult {
  readonly transport: "stdio" | "ws";
  /** "corpus": every case; "artifacts": the cases of the vector files only. */
  readonly selection: "corpus" | "artifacts";
  readonly cases: number;
  readonly seconds: number;
  readonly casesPerSecond: number;
  readonly harnessCasesPerSecond: number;
  readonly exitCode: number;
}

/** One glob per vector file: its cases' ids start with the file's name. */
function artifactFilter(): string[] {
  return readdirSync(defaultVectorsDir())
    .filter((f) => f.endsWith(".json"))
    .map((f) => `${f.slice(0, -".json".length)}/*`)
    .sort();
}

export async function benchHarness(): Promise<HarnessResult[]> {
  line(`4. Conformance harness against the reference (jobs ${DEFAULT_RUN_OPTIONS.jobs})`);
  const out: HarnessResult[] = [];
  for (const transport of ["stdio", "ws"] as const) {
    for (const selection of ["corpus", "artifacts"] as const) {
      const dir = mkdtempSync(join(tmpdir(), "ap2p-bench-"));
      try {
        const ref = referenceCommand(transport);
        const t0 = process.hrtime.bigint();
        const result = await runConformance({
          target: transport === "stdio" ? { kind: "stdio", command: ref.command } : { kind: "ws-command", command: ref.command },
          cwd: ref.cwd,
          reportDir: dir,
          formats: ["json"],
          filter: selection === "corpus" ? [] : artifactFilter(),
          run: DEFAULT_RUN_OPTIONS,
          progress: "none",
          out: () => undefined,
        });
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const cases = result.report.summary.total;
        const r: HarnessResult = {
          transport,
          selection,
          cases,
          seconds: round(seconds, 2),
          casesPerSecond: round(cases / seconds),
          harnessCasesPerSecond: round(result.report.run.cases_per_second),
          exitCode: result.exitCode,
        };
        line(
          `    ${transport.padEnd(6)} ${selection.padEnd(9)} ${fmt(cases)} cases in ${r.seconds} s = ${fmt(r.casesPerSecond)} cases/s wall clock (${fmt(r.harnessCasesPerSecond)} cases/s as the report counts, session starts left out; exit ${r.exitCode})`,
        );
        out.push(r);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return out;
}
