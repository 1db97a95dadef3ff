// The timing budgets of spec §13.8 have one statement in the spec (the table)
// and are carried by exactly the vectors that test them: every test citing a
// budget requirement carries its budget, cites nothing else (so that its level
// is the requirement's, §13.7), and calls the operation the table names.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allTests, ROOT } from "./corpus.js";
import { CANARY_PROVIDER_BUDGET_MS, DESCRIPTOR_VERDICT_BUDGET_MS } from "./generator/constants.js";

interface BudgetRow {
  readonly requirement: string;
  readonly operation: string;
  readonly budgetMs: number;
}

const spec = readFileSync(join(ROOT, "spec", "13-conformance.md"), "utf8");
const section = spec.slice(spec.indexOf("## 13.8 Timing budgets"), spec.indexOf("## 13.9"));
const rows: BudgetRow[] = [...section.matchAll(/^\| ([A-Z]+-\d{3}) \| [^|]+ \| `([a-z.-]+)` \| (\d+) \|$/gm)].map((m) => ({
  requirement: m[1]!,
  operation: m[2]!,
  budgetMs: Number(m[3]),
}));
const requirements = (JSON.parse(readFileSync(join(ROOT, "spec", "requirements.json"), "utf8")) as { requirements: { id: string; level: string; text: string }[] }).requirements;
const budgetRequirements = new Set(rows.map((r) => r.requirement));
const tests = allTests();

describe("timing budgets (spec §13.8)", () => {
  it("the spec's table lists them", () => {
    expect(rows.map((r) => `${r.requirement} ${r.operation} ${r.budgetMs}`)).toEqual([
      "DESC-022 descriptor.verify 50",
      "CAN-033 canary-challenge.verify 100",
      "CAN-033 canary-response.sign 100",
    ]);
  });

  it("the generator's constants and the requirements' texts state the table's numbers", () => {
    const budgetOf = (requirement: string) => new Set(rows.filter((r) => r.requirement === requirement).map((r) => r.budgetMs));
    expect(budgetOf("DESC-022")).toEqual(new Set([DESCRIPTOR_VERDICT_BUDGET_MS]));
    expect(budgetOf("CAN-033")).toEqual(new Set([CANARY_PROVIDER_BUDGET_MS]));
    for (const id of budgetRequirements) {
      const r = requirements.find((q) => q.id === id);
      expect(r, id).toBeDefined();
      for (const ms of budgetOf(id)) expect(r!.text, id).toContain(`within ${ms} ms`);
    }
  });

  it("every test with a budget cites one budget requirement only, on the operation the table names, with its budget", () => {
    const problems: string[] = [];
    for (const { group, test } of tests) {
      if (test.budget_ms === undefined) continue;
      const row = rows.find((r) => test.requirements.length === 1 && r.requirement === test.requirements[0] && r.operation === group.operation);
      if (row === undefined) problems.push(`${test.id}: cites ${test.requirements.join(", ")} on ${group.operation}, which no row of the table names`);
      else if (row.budgetMs !== test.budget_ms) problems.push(`${test.id}: budget ${test.budget_ms} ms, the table says ${row.budgetMs}`);
      if (test.result !== "valid") problems.push(`${test.id}: timed tests are valid ones, which do all of the work`);
    }
    expect(problems).toEqual([]);
  });

  it("every test citing a budget requirement carries the budget, and every row has tests", () => {
    const untimed = tests.filter(({ test }) => test.requirements.some((id) => budgetRequirements.has(id)) && test.budget_ms === undefined).map(({ test }) => test.id);
    expect(untimed).toEqual([]);
    for (const row of rows) {
      expect(tests.filter(({ group, test }) => group.operation === row.operation && test.requirements.includes(row.requirement)).length, `${row.requirement} on ${row.operation}`).toBeGreaterThan(0);
    }
  });
});
