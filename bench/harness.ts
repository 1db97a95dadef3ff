// Benchmark 4: the conformance harness against the reference implementation,
// the whole corpus, over stdio and over WebSocket. Cases per second include
// starting the driver sessions, as a user of `ap2p conformance` sees it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RUN_OPTIONS, referenceCommand, runConformance } from "../conformance/harness/harness.js";
import { fmt, line, round } from "./lib.js";

export interface HarnessResult {
  readonly transport: "stdio" | "ws";
  readonly cases: number;
  readonly seconds: number;
  readonly casesPerSecond: number;
  readonly harnessCasesPerSecond: number;
  readonly exitCode: number;
}

export async function benchHarness(): Promise<HarnessResult[]> {
  line(`4. Conformance harness against the reference (whole corpus, jobs ${DEFAULT_RUN_OPTIONS.jobs})`);
  const out: HarnessResult[] = [];
  for (const transport of ["stdio", "ws"] as const) {
    const dir = mkdtempSync(join(tmpdir(), "ap2p-bench-"));
    try {
      const ref = referenceCommand(transport);
      const t0 = process.hrtime.bigint();
      const result = await runConformance({
        target: transport === "stdio" ? { kind: "stdio", command: ref.command } : { kind: "ws-command", command: ref.command },
        cwd: ref.cwd,
        reportDir: dir,
        formats: ["json"],
        filter: [],
        run: DEFAULT_RUN_OPTIONS,
        progress: "none",
        out: () => undefined,
      });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cases = result.report.summary.total;
      const r: HarnessResult = {
        transport,
        cases,
        seconds: round(seconds, 2),
        casesPerSecond: round(cases / seconds),
        harnessCasesPerSecond: round(result.report.run.cases_per_second),
        exitCode: result.exitCode,
      };
      line(`    ${transport.padEnd(6)} ${fmt(cases)} cases in ${r.seconds} s = ${fmt(r.casesPerSecond)} cases/s wall clock (${fmt(r.harnessCasesPerSecond)} cases/s as the report counts, session starts left out; exit ${r.exitCode})`);
      out.push(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
