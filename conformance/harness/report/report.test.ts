import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyBaseline, expandBaseline, parseBaseline } from "../baseline.js";
import type { Case, Level, Outcome } from "../case.js";
import { defaultRequirementsFile } from "../paths.js";
import { readRequirements } from "../requirements.js";
import type { CaseRecord, RunResult } from "../runner.js";
import { parseXml, type XmlElement } from "../testing/xml.js";
import { renderBadge } from "./badge.js";
import { buildReport, type ReportInput } from "./build.js";
import { htmlEscape, renderHtml } from "./html.js";
import { renderJUnit, xmlEscape } from "./junit.js";
import { OUTCOMES } from "./model.js";
import { validateReport } from "./validate.js";
import { REPORT_FILES, writeReports } from "./write.js";

const NASTY = 'ends </script><script>alert(1)</script> & "quotes" \u0000\u0007 bell ]]> <!-- \uD800 lone surrogate, ok: é 漢';

function fakeCase(id: string, level: Level, requirements: string[], operation = "cbor.decode", budgetMs?: number): Case {
  return {
    id,
    suite: id.split("/")[0]!,
    requirements,
    level,
    operations: [operation],
    ...(budgetMs === undefined ? {} : { budgetMs }),
    exclusive: budgetMs !== undefined,
    expectation: "valid",
    run: async () => ({ outcome: "pass" }),
  };
}

function record(c: Case, outcome: Outcome, extra: Partial<CaseRecord> = {}): CaseRecord {
  const failing = ["fail", "slow", "timeout", "crash", "framing"].includes(outcome);
  return {
    case: c,
    outcome,
    message: failing ? `why it ${outcome}ed: ${NASTY}` : "",
    observed: outcome === "fail" ? "CBOR_MALFORMED" : outcome,
    durationMs: 1.5,
    samplesMs: [1.25],
    attempts: 1,
    ...(failing
      ? {
          transcript: [
            { t_ms: 0, dir: "sent", text: `{"id":"9","call":{}} ${NASTY}` },
            { t_ms: 1.2, dir: "received", text: NASTY },
          ],
          stderr: `stderr: ${NASTY}`,
        }
      : {}),
    ...extra,
  } as CaseRecord;
}

/** A run with every outcome at every level, a baselined failure, an incident, and hostile text everywhere. */
function syntheticInput(): ReportInput {
  const records: CaseRecord[] = [];
  for (const level of ["required", "recommended", "optional"] as Level[]) {
    const req = level === "required" ? "ENC-001" : level === "recommended" ? "SIG-014" : "DRV-011";
    for (const o of OUTCOMES) records.push(record(fakeCase(`cbor/${level}/${o}-001`, level, [req]), o));
  }
  records.push(record(fakeCase("descriptor/timed/slow-001", "required", ["DESC-009"], "descriptor.verify", 20), "slow", { samplesMs: [30, 31, 29, 40, 33] }));
  records.push(record(fakeCase("descriptor/known/fail-001", "required", ["DESC-009"], "descriptor.verify"), "fail"));
  const ids = records.map((r) => r.case.id);
  const baseline = expandBaseline(parseBaseline("descriptor/known/fail-001 CBOR_\n"), ids);
  const run: RunResult = {
    records,
    implementation: { name: `impl ${NASTY}`, version: "1.0", roles: ["codec", "verifier"], operations: [] },
    incidents: [{ t_ms: 12.5, kind: "crash", message: `exited: ${NASTY}`, cases: ["cbor/required/crash-001"], charged: ["cbor/required/crash-001"], stderr: NASTY }],
    sessions: 2,
    aborted: undefined,
    quarantined: undefined,
    harnessErrors: 0,
    unchargedFailures: 0,
    durationMs: 1234.5,
    casePhaseMs: 1000,
  };
  return {
    run,
    startedAt: new Date(Date.UTC(2026, 0, 1)),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)),
    corpus: { dir: "/corpus", specVersion: "1.0.0-draft.1", digest: "a".repeat(64), verified: true, problems: [], files: ["cbor.json"], warnings: [] },
    transport: "stdio",
    target: `impl --flag ${NASTY}`,
    requirements: readRequirements(defaultRequirementsFile()),
    roleOf: (op) => ({ "cbor.decode": "codec", "descriptor.verify": "verifier" })[op],
    allRoles: ["codec", "signer", "verifier"],
    options: { timeScale: 1, jobs: 8, samples: 5, caseTimeoutMs: 10000, runTimeoutMs: 600000, filter: [] },
    baseline: { file: "baseline.txt", entries: 1, verdict: applyBaseline(baseline, records.map((r) => ({ id: r.case.id, outcome: r.outcome, observed: r.observed }))) },
  };
}

describe("report.json", () => {
  it("matches its JSON Schema, with every outcome at every level", () => {
    const report = buildReport(syntheticInput());
    expect(validateReport(report)).toEqual([]);
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it("the schema rejects what the harness must never write", () => {
    const report = JSON.parse(JSON.stringify(buildReport(syntheticInput()))) as Record<string, unknown>;
    expect(validateReport({ ...report, extra: 1 })!.length).toBeGreaterThan(0);
    const cases = report["cases"] as Record<string, unknown>[];
    expect(validateReport({ ...report, cases: [{ ...cases[0], outcome: "passed" }] })!.length).toBeGreaterThan(0);
    expect(validateReport({ ...report, summary: { ...(report["summary"] as object), passed: -1 } })!.length).toBeGreaterThan(0);
  });

  it("DRV-022, DRV-023: counts by level and outcome, the verdict, roles, and what the baseline excuses", () => {
    const report = buildReport(syntheticInput());
    expect(report.summary).toMatchObject({ total: 26, passed: 3, slow: 4, unsupported: 3, skipped: 3, baselined: 1 });
    // Required failures: fail, slow, timeout, crash, framing, the timed slow one (the baselined one does not count).
    expect(report.summary.required_failed).toBe(6);
    expect(report.summary.recommended_failed).toBe(5);
    expect(report.summary.optional_failed).toBe(5);
    expect(report.verdict).toEqual({ result: "fail", exit_code: 1, reasons: ["6 required cases failed"] });
    expect(report.cases.find((c) => c.id === "descriptor/known/fail-001")!.baselined).toBe(true);
    expect(report.roles).toEqual([
      { role: "codec", declared: true, required_passed: 1, required_failed: 5, required_not_run: 2, status: "failing" },
      { role: "signer", declared: false, required_passed: 0, required_failed: 0, required_not_run: 0, status: "not_declared" },
      { role: "verifier", declared: true, required_passed: 0, required_failed: 2, required_not_run: 0, status: "failing" },
    ]);
    const timed = report.cases.find((c) => c.id === "descriptor/timed/slow-001")!;
    expect([timed.p50_ms, timed.p95_ms, timed.budget_ms]).toEqual([31, 40, 20]);
    const enc = report.requirements.results.find((r) => r.id === "ENC-001")!;
    expect(enc).toMatchObject({ cases: 8, passed: 1, failed: 5, not_run: 2, status: "fail" });
    expect(report.requirements.covered).toBe(4);
    expect(report.requirements.uncovered).toHaveLength(report.requirements.total - 4);
  });

  it("a clean run passes with exit code 0; an uncharged crash, an unfinished run or a harness error does not", () => {
    const input = syntheticInput();
    const clean = { ...input, run: { ...input.run, records: input.run.records.filter((r) => !["fail", "slow", "timeout", "crash", "framing"].includes(r.outcome)) } };
    const { baseline: _b, ...noBaseline } = clean;
    expect(buildReport(noBaseline).verdict).toEqual({ result: "pass", exit_code: 0, reasons: [] });
    expect(buildReport({ ...noBaseline, run: { ...noBaseline.run, unchargedFailures: 1 } }).verdict.reasons).toEqual([
      "1 crash or framing error of the implementation could not be charged to a case (see the incidents)",
    ]);
    expect(buildReport({ ...noBaseline, run: { ...noBaseline.run, aborted: "interrupted by SIGINT" } }).verdict.exit_code).toBe(1);
    expect(buildReport({ ...noBaseline, run: { ...noBaseline.run, harnessErrors: 1 } }).verdict).toMatchObject({ result: "error", exit_code: 2 });
  });
});

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

describe("junit.xml", () => {
  it("is well-formed XML even with control characters, lone surrogates and markup in the text", () => {
    const xml = renderJUnit(buildReport(syntheticInput()));
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(all(root, "testsuite").map((s) => s.attributes["name"])).toEqual(["cbor", "descriptor"]);
    expect(all(root, "testcase")).toHaveLength(26);
    // A second opinion from a real XML parser, where there is one.
    if (existsSync("/usr/bin/python3")) {
      const out = execFileSync("/usr/bin/python3", ["-c", "import sys, xml.etree.ElementTree as E; r = E.fromstring(sys.stdin.buffer.read()); print(len(r.findall('.//testcase')))"], { input: xml });
      expect(out.toString().trim()).toBe("26");
    }
  });

  it("agrees with the exit code: only required, unbaselined failures are failures or errors", () => {
    const root = parseXml(renderJUnit(buildReport(syntheticInput())));
    const kind = (id: string) => {
      const tc = all(root, "testcase").find((t) => t.attributes["name"] === id)!;
      return tc.children.filter((c) => c.name !== "system-err").map((c) => `${c.name}${c.attributes["type"] ? `:${c.attributes["type"]}` : ""}`);
    };
    expect(kind("cbor/required/pass-001")).toEqual([]);
    expect(kind("cbor/required/fail-001")).toEqual(["failure:fail"]);
    expect(kind("cbor/required/slow-001")).toEqual(["failure:slow"]);
    expect(kind("cbor/required/timeout-001")).toEqual(["error:timeout"]);
    expect(kind("cbor/required/crash-001")).toEqual(["error:crash"]);
    expect(kind("cbor/required/framing-001")).toEqual(["error:framing"]);
    expect(kind("cbor/required/unsupported-001")).toEqual(["skipped"]);
    expect(kind("cbor/recommended/fail-001")).toEqual(["skipped"]);
    expect(kind("descriptor/known/fail-001")).toEqual(["skipped"]);
    expect(root.attributes).toMatchObject({ tests: "26", failures: "3", errors: "3", skipped: "17" });
    const failure = all(root, "failure")[0]!;
    expect(failure.text).toContain("→");
    expect(failure.attributes["message"]).toContain("</script>");
  });

  it("escapes what XML cannot hold", () => {
    expect(xmlEscape(`<a b="c">&\u0001`)).toBe("&lt;a b=&quot;c&quot;&gt;&amp;\\u0001");
    expect(parseXml(`<r a="${xmlEscape(NASTY)}">${xmlEscape(NASTY)}</r>`).text).toContain("漢");
  });
});

describe("report.html", () => {
  const html = renderHtml(buildReport(syntheticInput()));

  it("is self-contained: no external scripts, styles, images, fonts or links", () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/\b(?:href|src)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it("escapes every text from the implementation: nothing it says can become markup", () => {
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain(htmlEscape("</script><script>alert(1)</script>"));
    const scriptBody = html.slice(html.indexOf("<script>") + 8, html.indexOf("</script>"));
    expect(scriptBody).not.toContain("alert");
  });

  it("has outcome filters and an expandable transcript for each failing case only", () => {
    for (const o of OUTCOMES) expect(html).toContain(`data-toggle="${o}"`);
    const rows = html.split("\n").filter((l) => l.startsWith("<tr data-outcome="));
    expect(rows).toHaveLength(26);
    for (const row of rows) {
      const failing = /data-outcome="(fail|slow|timeout|crash|framing)"/.test(row);
      expect(row.includes("<details>"), row.slice(0, 80)).toBe(failing);
    }
  });
});

describe("badge.json and writing", () => {
  it("is a shields.io endpoint document whose colour follows the verdict", () => {
    const input = syntheticInput();
    expect(renderBadge(buildReport(input))).toEqual({ schemaVersion: 1, label: "AP2P conformance", message: "6 required failed · 3/20 passed", color: "red" });
    const passing = { ...input, run: { ...input.run, records: input.run.records.filter((r) => r.outcome === "pass") } };
    expect(renderBadge(buildReport(passing))).toEqual({ schemaVersion: 1, label: "AP2P conformance", message: "3/3 passed", color: "brightgreen" });
  });

  it("writes the formats asked for, and only those", () => {
    const dir = mkdtempSync(join(tmpdir(), "ap2p-report-"));
    const written = writeReports(buildReport(syntheticInput()), dir, ["json", "badge"]);
    expect(written).toEqual([join(dir, REPORT_FILES.json), join(dir, REPORT_FILES.badge)]);
    expect(existsSync(join(dir, REPORT_FILES.html))).toBe(false);
    expect(validateReport(JSON.parse(readFileSync(written[0]!, "utf8")))).toEqual([]);
  });
});
