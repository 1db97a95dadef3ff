// Building report.json from a run: the per-case records, the verdict
// (DRV-022), the role summary (DRV-023), requirement coverage and results,
// and what the baseline says.
import { FAILING_OUTCOMES, type Level, type Outcome } from "../case.js";
import type { BaselineVerdict } from "../baseline.js";
import type { RequirementIndex } from "../requirements.js";
import { coverage } from "../requirements.js";
import type { CaseRecord, RunResult } from "../runner.js";
import { percentile, roundMs } from "../timing.js";
import { DRIVER_PROTOCOL_VERSION, HARNESS_NAME, HARNESS_VERSION, REPORT_FORMAT } from "../version.js";
import { OUTCOMES, type CaseReport, type OutcomeCounts, type Report, type RequirementResult, type RoleResult } from "./model.js";

/** Everything a report is built from. */
export interface ReportInput {
  readonly run: RunResult;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly corpus: {
    readonly dir: string;
    readonly specVersion: string;
    readonly digest: string | undefined;
    readonly verified: boolean;
    readonly problems: readonly string[];
    readonly files: readonly string[];
    readonly warnings: readonly string[];
  };
  readonly transport: "stdio" | "ws";
  readonly target: string;
  readonly requirements: RequirementIndex;
  readonly roleOf: (operation: string) => string | undefined;
  /** Every role of the protocol, for the role summary. */
  readonly allRoles: readonly string[];
  readonly options: { readonly timeScale: number; readonly jobs: number; readonly samples: number; readonly caseTimeoutMs: number; readonly runTimeoutMs: number; readonly filter: readonly string[] };
  readonly baseline?: { readonly file: string; readonly entries: number; readonly verdict: BaselineVerdict };
}

const zero = (): OutcomeCounts => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
const NOT_RUN: ReadonlySet<Outcome> = new Set<Outcome>(["unsupported", "skipped"]);

function caseReport(r: CaseRecord, baselined: boolean): CaseReport {
  const c = r.case;
  const samples = r.samplesMs.map(roundMs);
  return {
    id: c.id,
    suite: c.suite,
    operation: c.operations[0] ?? null,
    requirements: c.requirements,
    level: c.level,
    expected: c.expectation,
    outcome: r.outcome,
    message: r.message,
    observed: r.observed,
    baselined,
    duration_ms: r.durationMs === undefined ? null : roundMs(r.durationMs),
    budget_ms: c.budgetMs ?? null,
    p50_ms: samples.length === 0 ? null : percentile(samples, 50),
    p95_ms: samples.length === 0 ? null : percentile(samples, 95),
    samples_ms: samples,
    attempts: r.attempts,
    ...(r.transcript === undefined ? {} : { transcript: r.transcript }),
    ...(r.stderr === undefined ? {} : { stderr: r.stderr }),
  };
}

/** Builds report.json. */
export function buildReport(input: ReportInput): Report {
  const { run } = input;
  const expected = input.baseline?.verdict.expected ?? new Set<string>();
  const cases = run.records.map((r) => caseReport(r, expected.has(r.case.id)));

  const byLevel: Record<Level, OutcomeCounts> = { required: zero(), recommended: zero(), optional: zero() };
  const totals = zero();
  for (const c of cases) {
    byLevel[c.level][c.outcome]++;
    totals[c.outcome]++;
  }
  const failingAt = (level: Level) => cases.filter((c) => c.level === level && FAILING_OUTCOMES.has(c.outcome) && !c.baselined).length;

  // Requirements: coverage by the cases of this run, and how each requirement's cases went.
  const cov = coverage(input.requirements, cases);
  const perReq = new Map<string, { cases: number; passed: number; failed: number; not_run: number }>();
  for (const c of cases) {
    for (const id of c.requirements) {
      const t = perReq.get(id) ?? { cases: 0, passed: 0, failed: 0, not_run: 0 };
      t.cases++;
      if (c.outcome === "pass") t.passed++;
      else if (FAILING_OUTCOMES.has(c.outcome)) t.failed++;
      else t.not_run++;
      perReq.set(id, t);
    }
  }
  const results: RequirementResult[] = [...input.requirements.values()].map((req) => {
    const t = perReq.get(req.id) ?? { cases: 0, passed: 0, failed: 0, not_run: 0 };
    const status = t.cases === 0 ? "uncovered" : t.failed > 0 ? "fail" : t.passed === 0 ? "not_run" : "pass";
    return { id: req.id, level: req.level, ...t, status };
  });

  // DRV-023: per role, the required cases of its operations.
  const declaredRoles = new Set(run.implementation?.roles ?? []);
  const roles: RoleResult[] = input.allRoles.map((role) => {
    const mine = cases.filter((c) => c.level === "required" && c.operation !== null && input.roleOf(c.operation) === role);
    const required_passed = mine.filter((c) => c.outcome === "pass").length;
    const required_failed = mine.filter((c) => FAILING_OUTCOMES.has(c.outcome)).length;
    const required_not_run = mine.filter((c) => NOT_RUN.has(c.outcome)).length;
    const declared = declaredRoles.has(role);
    const status: RoleResult["status"] =
      required_failed > 0 ? "failing" : !declared && required_passed === 0 ? "not_declared" : required_not_run > 0 || required_passed === 0 ? "incomplete" : "conforming";
    return { role, declared, required_passed, required_failed, required_not_run, status };
  });

  // DRV-022, and what this harness adds: a baseline that does not hold, an incomplete run or a fault of the harness also fail.
  const reasons: string[] = [];
  const requiredFailed = failingAt("required");
  if (requiredFailed > 0) reasons.push(`${requiredFailed} required case${requiredFailed === 1 ? "" : "s"} failed`);
  const b = input.baseline?.verdict;
  if (b !== undefined) {
    if (b.unexpectedPasses.length > 0) reasons.push(`baseline: ${b.unexpectedPasses.length} entr${b.unexpectedPasses.length === 1 ? "y passes" : "ies pass"} now (remove ${b.unexpectedPasses.length === 1 ? "it" : "them"}, or run with --update-baseline)`);
    if (b.changed.length > 0) reasons.push(`baseline: ${b.changed.length} case${b.changed.length === 1 ? "" : "s"} failed differently from the expected prefix`);
    if (b.stale.length > 0) reasons.push(`baseline: ${b.stale.length} entr${b.stale.length === 1 ? "y matches" : "ies match"} no case of the corpus`);
  }
  if (run.unchargedFailures > 0) {
    reasons.push(`${run.unchargedFailures} crash${run.unchargedFailures === 1 ? " or framing error" : "es or framing errors"} of the implementation could not be charged to a case (see the incidents)`);
  }
  if (run.aborted !== undefined) reasons.push(`the run did not finish: ${run.aborted}`);
  if (run.harnessErrors > 0) reasons.push(`${run.harnessErrors} error${run.harnessErrors === 1 ? "" : "s"} of the harness itself (a bug to report)`);
  const exit_code: 0 | 1 | 2 = run.harnessErrors > 0 ? 2 : reasons.length > 0 ? 1 : 0;
  const verdict = { result: exit_code === 0 ? ("pass" as const) : exit_code === 1 ? ("fail" as const) : ("error" as const), exit_code, reasons };

  const impl = run.implementation;
  const durationMs = roundMs(run.durationMs);
  const ran = cases.filter((c) => c.duration_ms !== null && c.outcome !== "unsupported").length;
  return {
    format: REPORT_FORMAT,
    harness: { name: HARNESS_NAME, version: HARNESS_VERSION, driver_protocol_version: DRIVER_PROTOCOL_VERSION },
    corpus: {
      dir: input.corpus.dir,
      spec_version: input.corpus.specVersion,
      digest: input.corpus.digest ?? null,
      verified: input.corpus.verified,
      problems: input.corpus.problems,
      files: input.corpus.files,
      warnings: input.corpus.warnings,
    },
    implementation: {
      name: impl?.name ?? "(did not say hello)",
      version: impl?.version ?? "",
      transport: input.transport,
      target: input.target,
      roles: impl?.roles ?? [],
      operations: impl?.operations ?? [],
    },
    run: {
      started_at: input.startedAt.toISOString(),
      finished_at: input.finishedAt.toISOString(),
      duration_ms: durationMs,
      sessions: run.sessions,
      time_scale: input.options.timeScale,
      jobs: input.options.jobs,
      samples: input.options.samples,
      case_timeout_ms: input.options.caseTimeoutMs,
      run_timeout_ms: input.options.runTimeoutMs,
      filter: input.options.filter,
      aborted: run.aborted ?? null,
      quarantined: run.quarantined ?? null,
      harness_errors: run.harnessErrors,
      cases_per_second: run.casePhaseMs > 0 ? Math.round((ran / run.casePhaseMs) * 1000 * 10) / 10 : 0,
    },
    verdict,
    summary: {
      total: cases.length,
      passed: totals.pass,
      failed: totals.fail,
      slow: totals.slow,
      timeout: totals.timeout,
      crashed: totals.crash,
      framing: totals.framing,
      unsupported: totals.unsupported,
      skipped: totals.skipped,
      required_failed: requiredFailed,
      recommended_failed: failingAt("recommended"),
      optional_failed: failingAt("optional"),
      baselined: expected.size,
      uncharged_failures: run.unchargedFailures,
      by_level: byLevel,
    },
    roles,
    requirements: { total: cov.total, covered: cov.covered, uncovered: cov.uncovered, unknown: cov.unknown, results },
    baseline:
      input.baseline === undefined
        ? null
        : {
            file: input.baseline.file,
            entries: input.baseline.entries,
            expected_failures: expected.size,
            unexpected_passes: input.baseline.verdict.unexpectedPasses.map((u) => ({ line: u.entry.line, pattern: u.entry.pattern, cases: u.cases })),
            changed: input.baseline.verdict.changed.map((c) => ({ line: c.entry.line, pattern: c.entry.pattern, prefix: c.entry.prefix ?? "", case: c.case, observed: c.observed })),
            stale: input.baseline.verdict.stale.map((e) => ({ line: e.line, pattern: e.pattern })),
          },
    incidents: run.incidents,
    cases,
  };
}
