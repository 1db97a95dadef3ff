// The harness against every deliberately broken implementation of
// conformance/adapters/broken: each run classifies the misbehaviour as the
// list states, finishes within its limit, and writes its reports. Filters and
// short deadlines keep each run to a few seconds.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BROKEN_IMPLEMENTATIONS, type BrokenImplementation, type TestFacts } from "../adapters/broken/index.js";
import { BANNER, GARBAGE } from "../adapters/broken/common.js";
import { FAILING_OUTCOMES } from "./case.js";
import { loadCorpus } from "./corpus.js";
import { defaultRequirementsFile, defaultVectorsDir } from "./paths.js";
import type { Report } from "./report/model.js";
import { readRequirements } from "./requirements.js";
import type { RunOptions } from "./runner.js";
import { runHarness } from "./testing/run.js";
import type { VectorCase } from "./vector-case.js";

interface Plan {
  readonly command?: (b: BrokenImplementation) => string;
  readonly filter: readonly string[];
  readonly run?: Partial<RunOptions>;
  /**
   * The wall-clock limit this run must finish within, in ms. Generous on
   * purpose: the point is that the harness never hangs, and a loaded CI
   * machine runs the whole test suite in parallel with these runs.
   */
  readonly within: number;
}

/** How each one is run: enough cases to show the misbehaviour, few enough to stay fast. */
const PLANS: Readonly<Record<string, Plan>> = {
  "skips-signature-check": { filter: ["ed25519/*"], within: 60_000 },
  "accepts-expired": { filter: ["descriptor/expiry/*"], within: 60_000 },
  "wrong-error-code": { filter: ["cbor/*"], within: 60_000 },
  // Delayed past every canary budget (100 and 200 ms, spec §13.8); the untimed tests of a delayed operation pass.
  "late-canary": { command: (b) => b.commandWith({ "delay-ms": 250 }), filter: ["canary/budget/*", "canary/challenge/valid/*"], run: { caseTimeoutMs: 2000 }, within: 60_000 },
  "prints-banner": { filter: ["cbor/valid/*"], within: 40_000 },
  "emits-garbage": { command: (b) => b.commandWith({ "calls-before-failure": 4 }), filter: ["cbor/valid/uint-*"], within: 80_000 },
  hangs: { command: (b) => b.commandWith({ "calls-before-failure": 4 }), filter: ["cbor/valid/uint-*"], run: { caseTimeoutMs: 300, graceMs: 200 }, within: 80_000 },
  "crashes-mid-run": { command: (b) => b.commandWith({ "calls-before-failure": 4 }), filter: ["cbor/valid/uint-*"], within: 80_000 },
  "reuses-handshake-nonce": { filter: ["scenario/wire/*"], within: 60_000 },
  "answers-out-of-order": { filter: ["cbor/*", "ed25519/*", "driver/*"], run: { jobs: 8 }, within: 60_000 },
};

const index = readRequirements(defaultRequirementsFile());
const facts = (c: VectorCase): TestFacts => ({
  id: c.id,
  operation: c.spec.operation,
  result: c.spec.expectation.result,
  ...(c.spec.expectation.error === undefined ? {} : { error: c.spec.expectation.error }),
  ...(c.budgetMs === undefined ? {} : { budget_ms: c.budgetMs }),
});

/** Where the report shows an outcome: on a case, or for a failure charged to none, on the session. */
function shows(report: Report, outcome: string): boolean {
  return report.cases.some((c) => c.outcome === outcome) || report.incidents.some((i) => i.kind === outcome && i.charged?.length === 0);
}

describe("the harness against the broken implementations", () => {
  it("has a plan for every broken implementation", () => {
    expect(Object.keys(PLANS).sort()).toEqual(BROKEN_IMPLEMENTATIONS.map((b) => b.name).sort());
  });

  for (const b of BROKEN_IMPLEMENTATIONS) {
    const plan = PLANS[b.name];
    if (plan === undefined) continue;
    it(`${b.name}: classified as ${b.outcome}, verdict ${b.verdict}, within its limit, reports written`, async () => {
      const t0 = performance.now();
      const r = await runHarness(
        { kind: "stdio", command: plan.command?.(b) ?? b.command },
        { filter: plan.filter, run: { caseTimeoutMs: 5000, runTimeoutMs: plan.within, ...plan.run } },
      );
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeLessThan(plan.within);
      expect(r.report.run.aborted).toBeNull();
      for (const f of ["report.json", "junit.xml", "report.html", "badge.json"]) expect(existsSync(join(r.dir, f))).toBe(true);
      expect(r.schemaProblems).toEqual([]);

      expect(shows(r.report, b.outcome)).toBe(true);
      // Failing cases are listed under their level: required ones as failures, recommended ones as warnings (DRV-022).
      const listed = (title: string) => r.output.includes(`\n${title}`);
      const failingAt = (level: string) => r.report.cases.some((c) => c.level === level && !c.baselined && FAILING_OUTCOMES.has(c.outcome));
      expect(listed("required cases that failed")).toBe(failingAt("required"));
      expect(listed("warnings: recommended cases that failed")).toBe(failingAt("recommended"));
      // The roles line counts the roles this (filtered) run has required cases of, and only names the others.
      const rolesLine = r.output.split("\n").find((l) => l.startsWith("roles: ")) ?? "";
      const declared = r.report.roles.filter((x) => x.declared);
      const idle = declared.filter((x) => x.required_passed + x.required_failed + x.required_not_run === 0);
      for (const x of declared) expect(rolesLine.includes(`${x.role} ${x.status.replace("_", " ")} (`), x.role).toBe(!idle.includes(x));
      expect(rolesLine.includes(`no required case of ${idle.map((x) => x.role).join(", ")} in this run`)).toBe(idle.length > 0);
      expect(r.report.verdict.result).toBe(b.verdict);
      expect(r.exitCode).toBe(b.verdict === "pass" ? 0 : 1);

      // Where the class follows from the test alone, every case gets exactly that class.
      if (b.perTest !== undefined) {
        const corpus = loadCorpus(defaultVectorsDir(), index);
        const byId = new Map(corpus.cases.map((c) => [c.id, c]));
        const wrong = r.report.cases
          .filter((c) => byId.has(c.id))
          .map((c) => ({ c, want: b.perTest!(facts(byId.get(c.id)!)) }))
          .filter(({ c, want }) => c.outcome !== want)
          .map(({ c, want }) => `${c.id}: expected ${want}, got ${c.outcome} (${c.message})`);
        expect(wrong).toEqual([]);
      }
    }, plan.within + 10_000);
  }

  it("reuses-handshake-nonce: exactly scenario/wire/replay-001 fails, because the node accepted the replayed handshake", async () => {
    const r = await runHarness({ kind: "stdio", command: BROKEN_IMPLEMENTATIONS.find((b) => b.name === "reuses-handshake-nonce")!.command }, { filter: ["scenario/wire/*"] });
    const failing = r.report.cases.filter((c) => c.outcome !== "pass");
    expect(failing.map((c) => [c.id, c.outcome, c.observed])).toEqual([["scenario/wire/replay-001", "fail", "valid"]]);
    expect(failing[0]!.message).toMatch(/expected NET_TRANSCRIPT_MISMATCH .*the node answered a request with a RESPONSE frame/);
    expect(r.report.incidents).toEqual([]);
  }, 70_000);

  it("the reports quote what the broken implementations printed", async () => {
    const banner = await runHarness({ kind: "stdio", command: BROKEN_IMPLEMENTATIONS.find((b) => b.name === "prints-banner")!.command }, { filter: ["cbor/valid/uint-0-001"] });
    expect(banner.report.cases[0]!.message).toContain(JSON.stringify(BANNER));
    const garbage = await runHarness(
      { kind: "stdio", command: BROKEN_IMPLEMENTATIONS.find((b) => b.name === "emits-garbage")!.commandWith({ "calls-before-failure": 1 }) },
      { filter: ["cbor/valid/uint-0-001", "cbor/valid/uint-23-001"], run: { jobs: 1 } },
    );
    const framed = garbage.report.cases.find((c) => c.outcome === "framing")!;
    expect(framed.message).toContain(JSON.stringify(GARBAGE));
  });
});
