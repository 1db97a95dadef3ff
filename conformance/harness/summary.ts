// The summary printed at the end of a run.
import { FAILING_OUTCOMES, type Level } from "./case.js";
import { OUTCOMES, type Report } from "./report/model.js";

/** The summary table and verdict, as text. */
export function renderSummary(report: Report, written: readonly string[]): string {
  const s = report.summary;
  const impl = report.implementation;
  const out: string[] = [];
  out.push("");
  out.push(`AP2P conformance: ${impl.name}${impl.version ? ` ${impl.version}` : ""} over ${impl.transport}`);
  out.push(
    `corpus ${report.corpus.spec_version} (digest ${report.corpus.digest?.slice(0, 16) ?? "none"}…, ${report.corpus.verified ? "verified" : "NOT verified"}) · harness ${report.harness.version} · ${(report.run.duration_ms / 1000).toFixed(2)} s · ${report.run.cases_per_second} cases/s`,
  );
  out.push("");
  const head = ["level", ...OUTCOMES, "total"];
  const rows: string[][] = (["required", "recommended", "optional"] as Level[]).map((l) => {
    const c = s.by_level[l];
    const total = OUTCOMES.reduce((a, o) => a + c[o], 0);
    return [l, ...OUTCOMES.map((o) => (c[o] === 0 ? "·" : String(c[o]))), String(total)];
  });
  const levels: Level[] = ["required", "recommended", "optional"];
  rows.push(["total", ...OUTCOMES.map((o) => String(levels.reduce((a, l) => a + s.by_level[l][o], 0))), String(s.total)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  out.push(fmt(head));
  for (const r of rows) out.push(fmt(r));
  out.push("");
  const declared = report.roles.filter((r) => r.declared);
  // Roles none of whose required cases were selected (a filtered run) are named once, not counted.
  const empty = (r: (typeof declared)[number]) => r.required_passed + r.required_failed + r.required_not_run === 0;
  const counted = declared.filter((r) => !empty(r));
  const idle = declared.filter(empty).map((r) => r.role);
  if (declared.length > 0) {
    const parts = counted.map((r) => `${r.role} ${r.status.replace("_", " ")} (${r.required_passed} passed, ${r.required_failed} failed, ${r.required_not_run} not run)`);
    if (idle.length > 0) parts.push(`no required case of ${idle.join(", ")} in this run`);
    out.push(`roles: ${parts.join("; ")}`);
  }
  out.push(`requirements: ${report.requirements.covered}/${report.requirements.total} cited by a case of this run`);
  if (report.baseline !== null) {
    const b = report.baseline;
    out.push(`baseline: ${b.expected_failures} expected failures; ${b.unexpected_passes.length} unexpected passes, ${b.changed.length} changed, ${b.stale.length} stale entries`);
  }
  const notable = report.incidents.filter((i) => i.kind !== "abort");
  if (notable.length > 0) out.push(`incidents: ${notable.length} (${[...new Set(notable.map((i) => i.kind))].join(", ")}); see the report`);
  // DRV-022: required failures make the verdict; recommended ones are warnings, listed after them.
  for (const [level, title] of [
    ["required", "required cases that failed"],
    ["recommended", "warnings: recommended cases that failed"],
  ] as const) {
    const failing = report.cases.filter((c) => c.level === level && !c.baselined && FAILING_OUTCOMES.has(c.outcome));
    if (failing.length === 0) continue;
    out.push("");
    out.push(`${title}${failing.length > 10 ? ` (first 10 of ${failing.length})` : ""}:`);
    for (const c of failing.slice(0, 10)) out.push(`  ${c.outcome.padEnd(8)} ${c.id}: ${c.message.split("\n")[0]!.slice(0, 160)}`);
  }
  if (written.length > 0) out.push("", `reports: ${written.join(", ")}`);
  out.push("");
  const v = report.verdict;
  out.push(`verdict: ${v.result.toUpperCase()} (exit ${v.exit_code})${v.reasons.length > 0 ? ` — ${v.reasons.join("; ")}` : " — no required case failed"}`);
  return `${out.join("\n")}\n`;
}
