// The harness end to end: load the corpus and the requirement index, select
// the cases, check the baseline, run, build and validate the report, write
// it, and compute the exit code. The CLI (`ap2p conformance`) is a thin layer
// over runConformance.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DriverRole, DriverRoleSchema } from "../../gen/ts/ap2p/v1/driver_pb.js";
import { verifyCorpus } from "../../reference/src/cli/vectors.js";
import { applyBaseline, expandBaseline, parseBaseline, renderBaseline, type BaselineEntry, type ExpandedBaseline } from "./baseline.js";
import { FAILING_OUTCOMES, type Case } from "./case.js";
import { loadCorpus } from "./corpus.js";
import type { VectorCase } from "./vector-case.js";
import { anyOf } from "./glob.js";
import { defaultRequirementsFile, defaultVectorsDir, packageRoot, runningFromBuild } from "./paths.js";
import { Progress, type ProgressMode } from "./progress.js";
import { protocolCases } from "./protocol-cases.js";
import { buildReport } from "./report/build.js";
import type { Report } from "./report/model.js";
import { validateReport } from "./report/validate.js";
import { writeReports, type ReportFormat } from "./report/write.js";
import { readRequirements, type RequirementIndex } from "./requirements.js";
import { readRoleTable } from "./roles.js";
import { DEFAULT_RUN_OPTIONS, runCases, type RunOptions } from "./runner.js";
import { scenarioCases } from "./scenarios/index.js";
import { DRIVER_WIRE_OPTIONS, wireCases } from "./scenarios/wire.js";
import { stdioLauncher } from "./stdio-transport.js";
import { renderSummary } from "./summary.js";
import type { Launcher } from "./transport.js";
import { checkWireTarget, wireLauncher, type WireTarget } from "./wire-target.js";
import { isLoopbackUrl, wsCommandLauncher, wsLauncher } from "./ws-transport.js";

/** A mistake in how the harness was asked to run (exit status 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Where the implementation is. `wire` is a node the harness did not start:
 * only the wire cases run, against its endpoint (spec §13.11).
 */
export type Target =
  | { readonly kind: "stdio"; readonly command: string }
  | { readonly kind: "ws"; readonly url: string }
  | { readonly kind: "ws-command"; readonly command: string }
  | ({ readonly kind: "wire" } & WireTarget);

/** Everything a run needs. */
export interface ConformanceOptions {
  readonly target: Target;
  /** The working folder of a launched implementation. */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly vectorsDir?: string;
  readonly requirementsFile?: string;
  readonly reportDir: string;
  readonly formats: readonly ReportFormat[];
  readonly baselineFile?: string;
  readonly updateBaseline?: boolean;
  /** Globs on case ids; a case runs if it matches any (all run when empty). */
  readonly filter: readonly string[];
  readonly run: Omit<RunOptions, "signal">;
  readonly signal?: AbortSignal;
  readonly progress: ProgressMode;
  /** Where progress and the summary go. */
  readonly out: (text: string) => void;
  /** Terminal width for the progress bar. */
  readonly columns?: number;
  /** The wall clock, for the report's times of day only (durations use the monotonic clock). */
  readonly now?: () => Date;
}

/** What a run produced. */
export interface ConformanceResult {
  readonly report: Report;
  readonly exitCode: 0 | 1 | 2;
  readonly written: readonly string[];
  /** Problems of report.json against its schema (a bug of the harness if any). */
  readonly schemaProblems: readonly string[];
}

/** Every role of the protocol, by short name. */
export const ALL_ROLES: readonly string[] = DriverRoleSchema.values.filter((v) => v.number !== DriverRole.UNSPECIFIED).map((v) => v.name.replace(/^DRIVER_ROLE_/, "").toLowerCase());

/** Quotes a word for sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that starts the reference implementation's driver adapter:
 * the build's CLI when the harness itself runs from the build, the sources
 * through tsx when it runs from the sources (the two never mix, so a stale
 * build cannot be tested by mistake).
 */
export function referenceCommand(transport: "stdio" | "ws"): { command: string; cwd: string } {
  const root = packageRoot();
  const node = shellQuote(process.execPath);
  if (runningFromBuild()) {
    const main = resolve(fileURLToPath(import.meta.url), "../../../reference/src/cli/main.js");
    return { command: `${node} ${shellQuote(main)} driver --transport ${transport}`, cwd: root };
  }
  const main = join(root, "reference", "src", "cli", "main.ts");
  const built = join(root, "dist", "reference", "src", "cli", "main.js");
  if (!existsSync(main) && existsSync(built)) return { command: `${node} ${shellQuote(built)} driver --transport ${transport}`, cwd: root };
  return { command: `${node} --import tsx ${shellQuote(main)} driver --transport ${transport}`, cwd: root };
}

function launcherFor(options: ConformanceOptions): Launcher {
  const launch = { graceMs: options.run.graceMs * options.run.timeScale, ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...(options.env === undefined ? {} : { env: options.env }) };
  const t = options.target;
  if (t.kind === "stdio") return stdioLauncher(t.command, launch);
  if (t.kind === "ws-command") return wsCommandLauncher(t.command, launch);
  if (t.kind === "wire") {
    const problem = checkWireTarget(t);
    if (problem !== undefined) throw new UsageError(problem);
    return wireLauncher(t);
  }
  // DRV-021: loopback only.
  if (!isLoopbackUrl(t.url)) throw new UsageError(`--ws ${t.url}: the harness connects to ws:// URLs on loopback only (127.0.0.0/8, ::1, localhost)`);
  return wsLauncher(t.url, launch);
}

/**
 * Every case of a run against a driver, in run order: the driver-protocol
 * cases, the corpus, the behavioural scenarios, then the wire cases.
 */
export function driverRunCases(corpus: readonly VectorCase[], index: RequirementIndex, roleOf: (operation: string) => string | undefined): Case[] {
  return [...protocolCases(corpus, roleOf), ...corpus, ...scenarioCases(index), ...wireCases(index, DRIVER_WIRE_OPTIONS)];
}

/** Runs the conformance suite. Throws UsageError before anything runs when the request cannot be carried out. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const vectorsDir = resolve(options.vectorsDir ?? defaultVectorsDir());
  const index = readRequirements(options.requirementsFile ?? defaultRequirementsFile());
  const roleTable = readRoleTable();
  const roleOf = (operation: string) => roleTable.get(operation);
  let corpus;
  try {
    corpus = loadCorpus(vectorsDir, index);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const verified = verifyCorpus(vectorsDir);
  const unknownOps = [...new Set(corpus.cases.map((c) => c.spec.operation))].filter((op) => !roleTable.has(op)).sort();
  const warnings = [
    ...corpus.warnings,
    ...unknownOps.map((op) => `operation ${op} has no role in spec §13.1; it is sent only to implementations that name it (DRV-005)`),
  ];

  // Against a running node only the wire cases can run; with a driver, they come after the scenarios.
  const t = options.target;
  const all: Case[] =
    t.kind === "wire"
      ? wireCases(index, { role: t.role, calls: [t.role], standIn: true })
      : driverRunCases(corpus.cases, index, roleOf);
  const selected = all.filter((c) => anyOf(options.filter)(c.id));
  if (selected.length === 0) throw new UsageError(`--filter ${options.filter.join(",")} matches no case`);

  let baseline: { file: string; entries: BaselineEntry[]; expanded: ExpandedBaseline } | undefined;
  if (options.baselineFile !== undefined) {
    const file = options.baselineFile;
    const text = existsSync(file) ? readFileSync(file, "utf8") : options.updateBaseline ? "" : undefined;
    if (text === undefined) throw new UsageError(`--baseline ${file}: no such file (use --update-baseline to create it)`);
    try {
      const entries = parseBaseline(text, file);
      baseline = { file, entries, expanded: expandBaseline(entries, all.map((c) => c.id), file) };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  } else if (options.updateBaseline) throw new UsageError("--update-baseline needs --baseline FILE");

  const launcher = launcherFor(options);
  const progress = new Progress(selected, options.progress, options.out, options.columns);
  if (options.progress !== "none") {
    options.out(`AP2P conformance: ${selected.length} cases over ${launcher.transport}: ${launcher.target}\n`);
  }
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const run = await runCases(selected, launcher, { ...options.run, ...(options.signal === undefined ? {} : { signal: options.signal }) }, roleOf, progress.onRecord);
  const finishedAt = now();
  progress.finish();

  const records = run.records.map((r) => ({ id: r.case.id, outcome: r.outcome, observed: r.observed }));
  let baselineInput;
  if (baseline !== undefined) {
    if (options.updateBaseline) {
      // Entries that cover none of the selected cases stay (a filtered run knows nothing about them).
      const selectedIds = new Set(selected.map((c) => c.id));
      const keep = baseline.entries.filter((e) => !baseline!.expanded.stale.includes(e) && ![...baseline!.expanded.byCase].some(([id, entry]) => entry === e && selectedIds.has(id)));
      const failures = records.filter((r) => FAILING_OUTCOMES.has(r.outcome));
      writeFileSync(baseline.file, renderBaseline(failures, keep));
      const entries = parseBaseline(readFileSync(baseline.file, "utf8"), baseline.file);
      baseline = { file: baseline.file, entries, expanded: expandBaseline(entries, all.map((c) => c.id), baseline.file) };
    }
    baselineInput = { file: baseline.file, entries: baseline.entries.length, verdict: applyBaseline(baseline.expanded, records) };
  }

  const report = buildReport({
    run,
    startedAt,
    finishedAt,
    corpus: {
      dir: vectorsDir,
      specVersion: corpus.specVersion,
      digest: corpus.manifestDigest,
      verified: verified.ok,
      problems: verified.problems.map((p) => `${p.file}: ${p.message}`),
      files: corpus.files,
      warnings,
    },
    transport: launcher.transport,
    target: launcher.target,
    requirements: index,
    roleOf,
    allRoles: ALL_ROLES,
    options: {
      timeScale: options.run.timeScale,
      jobs: options.run.jobs,
      samples: options.run.samples,
      caseTimeoutMs: options.run.caseTimeoutMs,
      runTimeoutMs: options.run.runTimeoutMs,
      filter: options.filter,
    },
    ...(baselineInput === undefined ? {} : { baseline: baselineInput }),
  });
  const schemaProblems = validateReport(report) ?? [];
  const written = writeReports(report, options.reportDir, options.formats);
  options.out(renderSummary(report, written));
  if (schemaProblems.length > 0) options.out(`harness bug: report.json does not match its schema:\n  ${schemaProblems.slice(0, 10).join("\n  ")}\n`);
  const exitCode = schemaProblems.length > 0 ? 2 : report.verdict.exit_code;
  return { report, exitCode, written, schemaProblems };
}

export { DEFAULT_RUN_OPTIONS };
