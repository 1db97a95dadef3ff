// Running the harness from tests: quiet, into a fresh report folder, with
// short deadlines unless a test asks otherwise.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RUN_OPTIONS, runConformance, type ConformanceOptions, type ConformanceResult, type Target } from "../harness.js";
import type { RunOptions } from "../runner.js";
import { tempDir } from "../../../reference/src/testing/temp-dir.js";

/** The fixture driver (testing/fixture-driver.mjs) as a command line with the given switches. */
export function fixture(...switches: string[]): string {
  const path = join(dirname(fileURLToPath(import.meta.url)), "fixture-driver.mjs");
  return [JSON.stringify(process.execPath), JSON.stringify(path), ...switches.map((s) => JSON.stringify(s))].join(" ");
}

/** A fresh folder for reports. */
export function reportDir(): string {
  return tempDir("ap2p-conformance-");
}

/** Valid tests without an output: a canned ok passes them. */
export const CANNED_OK_FILTER = ["cbor/valid/*"];

/** Runs the harness and captures what it prints. */
export async function runHarness(
  target: Target,
  options: Partial<Omit<ConformanceOptions, "run" | "target">> & { run?: Partial<RunOptions> } = {},
): Promise<ConformanceResult & { output: string; dir: string }> {
  let output = "";
  const dir = options.reportDir ?? reportDir();
  const result = await runConformance({
    formats: ["json", "junit", "html", "badge"],
    filter: [],
    progress: "none",
    ...options,
    target,
    reportDir: dir,
    out: (t) => (output += t),
    run: { ...DEFAULT_RUN_OPTIONS, caseTimeoutMs: 2000, startupTimeoutMs: 5000, graceMs: 500, runTimeoutMs: 60_000, ...options.run },
  });
  return { ...result, output, dir };
}
