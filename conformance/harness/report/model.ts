// The report of a run, as report.json holds it (conformance/report/report.schema.json).
// The JUnit, HTML and badge reports are rendered from this one object.
import type { Level, Outcome } from "../case.js";
import type { Frame, Incident } from "../runner.js";

/** The outcomes in the order reports list them. */
export const OUTCOMES: readonly Outcome[] = ["pass", "fail", "slow", "timeout", "crash", "framing", "unsupported", "skipped"];

/** Counts per outcome. */
export type OutcomeCounts = Record<Outcome, number>;

/** One case in the report. */
export interface CaseReport {
  readonly id: string;
  readonly suite: string;
  readonly operation: string | null;
  readonly requirements: readonly string[];
  readonly level: Level;
  readonly expected: string;
  readonly outcome: Outcome;
  readonly message: string;
  readonly observed: string;
  /** True when the baseline expects this failure (it does not count against the verdict). */
  readonly baselined: boolean;
  readonly duration_ms: number | null;
  readonly budget_ms: number | null;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly samples_ms: readonly number[];
  readonly attempts: number;
  readonly transcript?: readonly Frame[];
  readonly stderr?: string;
}

/** Per requirement: how its cases went. */
export interface RequirementResult {
  readonly id: string;
  readonly level: Level;
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly not_run: number;
  /** pass: every case ran and passed; fail: a case failed; not_run: no case ran; uncovered: no case cites it. */
  readonly status: "pass" | "fail" | "not_run" | "uncovered";
}

/** Per declared role: its required cases (DRV-023). */
export interface RoleResult {
  readonly role: string;
  readonly declared: boolean;
  readonly required_passed: number;
  readonly required_failed: number;
  readonly required_not_run: number;
  /** conforming: every required case passed; failing: one failed; incomplete: none failed but some were unsupported or skipped; not_declared: the implementation does not play the role. */
  readonly status: "conforming" | "failing" | "incomplete" | "not_declared";
}

/** report.json. */
export interface Report {
  readonly format: string;
  readonly harness: { readonly name: string; readonly version: string; readonly driver_protocol_version: number };
  readonly corpus: {
    readonly dir: string;
    readonly spec_version: string;
    /** The corpus digest stated by MANIFEST. */
    readonly digest: string | null;
    /** True when MANIFEST.cose verifies under the pinned key and every file matches it. */
    readonly verified: boolean;
    readonly problems: readonly string[];
    readonly files: readonly string[];
    readonly warnings: readonly string[];
  };
  readonly implementation: {
    readonly name: string;
    readonly version: string;
    readonly transport: "stdio" | "ws";
    readonly target: string;
    readonly roles: readonly string[];
    readonly operations: readonly string[];
  };
  readonly run: {
    readonly started_at: string;
    readonly finished_at: string;
    readonly duration_ms: number;
    readonly sessions: number;
    readonly time_scale: number;
    readonly jobs: number;
    readonly samples: number;
    readonly case_timeout_ms: number;
    readonly run_timeout_ms: number;
    readonly filter: readonly string[];
    readonly aborted: string | null;
    readonly quarantined: string | null;
    readonly harness_errors: number;
    /** Cases run per second, from the start of the first case to the end of the last (session starts mostly left out). */
    readonly cases_per_second: number;
  };
  readonly verdict: { readonly result: "pass" | "fail" | "error"; readonly exit_code: 0 | 1 | 2; readonly reasons: readonly string[] };
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly slow: number;
    readonly timeout: number;
    readonly crashed: number;
    readonly framing: number;
    readonly unsupported: number;
    readonly skipped: number;
    readonly required_failed: number;
    readonly recommended_failed: number;
    readonly optional_failed: number;
    readonly baselined: number;
    /** Crashes and framing errors charged to no case (DRV-016); they fail the run. */
    readonly uncharged_failures: number;
    readonly by_level: Record<Level, OutcomeCounts>;
  };
  readonly roles: readonly RoleResult[];
  readonly requirements: {
    readonly total: number;
    readonly covered: number;
    readonly uncovered: readonly string[];
    readonly unknown: readonly string[];
    readonly results: readonly RequirementResult[];
  };
  readonly baseline: null | {
    readonly file: string;
    readonly entries: number;
    readonly expected_failures: number;
    readonly unexpected_passes: readonly { readonly line: number; readonly pattern: string; readonly cases: readonly string[] }[];
    readonly changed: readonly { readonly line: number; readonly pattern: string; readonly prefix: string; readonly case: string; readonly observed: string }[];
    readonly stale: readonly { readonly line: number; readonly pattern: string }[];
  };
  readonly incidents: readonly Incident[];
  readonly cases: readonly CaseReport[];
}
