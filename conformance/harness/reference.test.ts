// The suite against the reference implementation, and the suite against the
// specification: the reference passes every required case over stdio and
// over WebSocket, and every MUST requirement is cited by a case, proven by
// the harness's own tests, or listed with its reason in uncovered.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "./corpus.js";
import { referenceCommand } from "./harness.js";
import { defaultRequirementsFile, defaultVectorsDir, packageRoot } from "./paths.js";
import { protocolCases } from "./protocol-cases.js";
import { readRequirements } from "./requirements.js";
import { readRoleTable } from "./roles.js";
import { scenarioCases } from "./scenarios/index.js";
import { wireCases } from "./scenarios/wire.js";
import { runHarness } from "./testing/run.js";
import { UNCOVERED } from "./uncovered.js";

const index = readRequirements(defaultRequirementsFile());
const roles = readRoleTable();
const corpus = loadCorpus(defaultVectorsDir(), index);
const cases = [...protocolCases(corpus.cases, (op) => roles.get(op)), ...corpus.cases, ...scenarioCases(index), ...wireCases(index)];
const cited = new Set(cases.flatMap((c) => c.requirements));
const mustIds = [...index.values()].filter((r) => r.level === "required").map((r) => r.id);

/** Requirements whose subject is the harness: its own tests prove them, not cases. */
const bindsHarness = (id: string) => /^The harness MUST/.test(index.get(id)!.text);

/** The titles of the harness's tests. */
function testTitles(): string {
  const dir = join(packageRoot(), "conformance", "harness");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".test.ts"));
  return files.map((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/\bit\(\s*(["'`])((?:(?!\1).)*)\1/g)].map((m) => m[2]).join("\n")).join("\n");
}

describe("spec coverage", () => {
  it("every MUST requirement is cited by a case, proven by a harness test, or listed in uncovered.ts with a reason", () => {
    const titles = testTitles();
    const missing = mustIds
      .filter((id) => !cited.has(id))
      .filter((id) => (bindsHarness(id) ? !new RegExp(`\\b${id}\\b`).test(titles) : UNCOVERED[id] === undefined))
      .map((id) => `${id}${bindsHarness(id) ? " (binds the harness: name it in a test title of conformance/harness)" : " (cite it from a case, or add it to uncovered.ts with a reason)"}: ${index.get(id)!.text.slice(0, 100)}`);
    expect(missing).toEqual([]);
  });

  it("uncovered.ts lists only MUST requirements that no case cites (an entry that becomes covered is stale)", () => {
    const stale = Object.keys(UNCOVERED).filter((id) => cited.has(id)).map((id) => `${id} is cited by ${cases.find((c) => c.requirements.includes(id))!.id}: remove it from uncovered.ts`);
    const unknown = Object.keys(UNCOVERED).filter((id) => index.get(id)?.level !== "required").map((id) => `${id} is not a MUST requirement of spec/requirements.json`);
    const harness = Object.keys(UNCOVERED).filter((id) => index.has(id) && bindsHarness(id)).map((id) => `${id} binds the harness: prove it in a test instead`);
    expect([...stale, ...unknown, ...harness]).toEqual([]);
    for (const [id, u] of Object.entries(UNCOVERED)) expect(u.reason.length, id).toBeGreaterThan(40);
  });

  it("DRV-024: every requirement a case cites is in spec/requirements.json", () => {
    expect([...cited].filter((id) => !index.has(id))).toEqual([]);
    expect(corpus.warnings).toEqual([]);
  });
});

describe("the reference implementation", () => {
  it("passes every required case over stdio", async () => {
    const ref = referenceCommand("stdio");
    const r = await runHarness({ kind: "stdio", command: ref.command }, { cwd: ref.cwd, run: { caseTimeoutMs: 10_000, startupTimeoutMs: 20_000 } });
    const failing = r.report.cases.filter((c) => c.outcome !== "pass").map((c) => `${c.id}: ${c.outcome} ${c.message}`);
    expect(failing).toEqual([]);
    expect(r.report.cases).toHaveLength(cases.length);
    expect(r.report.incidents).toEqual([]);
    expect(r.report.corpus.verified).toBe(true);
    expect(r.exitCode).toBe(0);
  }, 60_000);

  it("passes every required case over WebSocket", async () => {
    const ref = referenceCommand("ws");
    const r = await runHarness({ kind: "ws-command", command: ref.command }, { cwd: ref.cwd, run: { caseTimeoutMs: 10_000, startupTimeoutMs: 20_000 } });
    expect(r.report.cases.filter((c) => c.outcome !== "pass").map((c) => `${c.id}: ${c.outcome} ${c.message}`)).toEqual([]);
    expect(r.report.incidents).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 60_000);
});
