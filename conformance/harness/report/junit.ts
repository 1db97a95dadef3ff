// JUnit XML, for CI systems that show test results: one <testsuite> per
// vector file. It agrees with the exit code: only a required case that
// fails and that the baseline does not expect is a <failure> (fail, slow) or
// an <error> (timeout, crash, framing); recommended and optional failures
// (warnings and information, DRV-022), baselined failures, unsupported and
// skipped cases are <skipped> with a message saying which.
import { FAILING_OUTCOMES } from "../case.js";
import type { CaseReport, Report } from "./model.js";

/** Removes what XML 1.0 cannot hold, then escapes markup. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const seconds = (ms: number | null): string => ((ms ?? 0) / 1000).toFixed(3);

type Kind = "failure" | "error" | "skipped" | undefined;

function kindOf(c: CaseReport): Kind {
  if (c.outcome === "pass") return undefined;
  if (!FAILING_OUTCOMES.has(c.outcome)) return "skipped";
  if (c.baselined || c.level !== "required") return "skipped";
  return c.outcome === "fail" || c.outcome === "slow" ? "failure" : "error";
}

function skippedMessage(c: CaseReport): string {
  if (!FAILING_OUTCOMES.has(c.outcome)) return `${c.outcome}: ${c.message}`;
  if (c.baselined) return `expected failure (baseline), ${c.outcome}: ${c.message}`;
  return `${c.level === "recommended" ? "warning" : "information"} (${c.level} case), ${c.outcome}: ${c.message}`;
}

function testcase(c: CaseReport): string {
  const kind = kindOf(c);
  const head = `    <testcase classname="ap2p.${xmlEscape(c.suite)}" name="${xmlEscape(c.id)}" time="${seconds(c.duration_ms)}"`;
  const body: string[] = [];
  const detail = [
    `expected: ${c.expected}`,
    `requirements: ${c.requirements.join(", ")} (${c.level})`,
    ...(c.budget_ms === null ? [] : [`budget: ${c.budget_ms} ms, p50 ${c.p50_ms} ms, p95 ${c.p95_ms} ms`]),
    c.message,
    ...(c.transcript ?? []).map((f) => `${f.t_ms.toFixed(3).padStart(10)} ms ${f.dir === "sent" ? "→" : f.dir === "received" ? "←" : "·"} ${f.text}`),
  ].join("\n");
  if (kind === "failure" || kind === "error") body.push(`      <${kind} type="${c.outcome}" message="${xmlEscape(`${c.outcome}: ${c.message}`.slice(0, 1000))}">${xmlEscape(detail)}</${kind}>`);
  if (kind === "skipped") body.push(`      <skipped message="${xmlEscape(skippedMessage(c).slice(0, 1000))}"/>`);
  if (c.stderr !== undefined) body.push(`      <system-err>${xmlEscape(c.stderr)}</system-err>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join("\n")}\n    </testcase>`;
}

/** Renders junit.xml. */
export function renderJUnit(report: Report): string {
  const suites = new Map<string, CaseReport[]>();
  for (const c of report.cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const count = (cs: readonly CaseReport[], k: Kind) => cs.filter((c) => kindOf(c) === k).length;
  const time = (cs: readonly CaseReport[]) => seconds(cs.reduce((t, c) => t + (c.duration_ms ?? 0), 0));
  const all = report.cases;
  const name = `AP2P conformance: ${report.implementation.name} ${report.implementation.version}`.trim();
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xmlEscape(name)}" tests="${all.length}" failures="${count(all, "failure")}" errors="${count(all, "error")}" skipped="${count(all, "skipped")}" time="${seconds(report.run.duration_ms)}" timestamp="${report.run.started_at}">`,
  ];
  for (const [suite, cs] of suites) {
    lines.push(
      `  <testsuite name="${xmlEscape(suite)}" tests="${cs.length}" failures="${count(cs, "failure")}" errors="${count(cs, "error")}" skipped="${count(cs, "skipped")}" time="${time(cs)}" timestamp="${report.run.started_at}">`,
    );
    lines.push(`    <properties>`);
    lines.push(`      <property name="corpus_digest" value="${xmlEscape(report.corpus.digest ?? "")}"/>`);
    lines.push(`      <property name="transport" value="${report.implementation.transport}"/>`);
    lines.push(`      <property name="time_scale" value="${report.run.time_scale}"/>`);
    lines.push(`    </properties>`);
    for (const c of cs) lines.push(testcase(c));
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}
