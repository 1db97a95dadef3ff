// The timing budgets of spec §13.8: each requirement that limits a time
// states its limit once ("within N ms"); the table of §13.8 gives each timed
// operation the sum of the limits of the requirements it cites; and exactly
// the vectors that test those requirements carry that budget, citing nothing
// else (so that their level is the requirements', §13.7).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allTests, ROOT } from "./corpus.js";
import { CANARY_DECISION_LIMIT_MS, CANARY_SIGNING_LIMIT_MS, DESCRIPTOR_VERDICT_LIMIT_MS } from "./generator/constants.js";

interface BudgetRow {
  readonly requirements: readonly string[];
  readonly operation: string;
  readonly budgetMs: number;
}

const spec = readFileSync(join(ROOT, "spec", "13-conformance.md"), "utf8");
const section = spec.slice(spec.indexOf("## 13.8 Timing budgets"), spec.indexOf("## 13.9"));
const rows: BudgetRow[] = [...section.matchAll(/^\| ([A-Z]+-\d{3}(?:, [A-Z]+-\d{3})*) \| [^|]+ \| `([a-z.-]+)` \| (\d+) \|$/gm)].map((m) => ({
  requirements: m[1]!.split(", "),
  operation: m[2]!,
  budgetMs: Number(m[3]),
}));
const requirements = (JSON.parse(readFileSync(join(ROOT, "spec", "requirements.json"), "utf8")) as { requirements: { id: string; level: string; text: string }[] }).requirements;
/** Each requirement's time limit, from its text. */
const limitOf = new Map(
  requirements.flatMap((r) => {
    const m = /\bwithin (\d+) ms\b/.exec(r.text);
    return m === null ? [] : [[r.id, Number(m[1])] as const];
  }),
);
const tests = allTests();
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

describe("timing budgets (spec §13.8)", () => {
  it("the requirements that limit a time, and the table that times them", () => {
    expect(Object.fromEntries(limitOf)).toEqual({ "DESC-022": DESCRIPTOR_VERDICT_LIMIT_MS, "CAN-033": CANARY_DECISION_LIMIT_MS, "CAN-034": CANARY_SIGNING_LIMIT_MS });
    for (const id of limitOf.keys()) expect(requirements.find((r) => r.id === id)!.level, id).toBe("SHOULD");
    expect(rows.map((r) => `${r.requirements.join("+")} ${r.operation} ${r.budgetMs}`)).toEqual([
      "DESC-022 descriptor.verify 50",
      "CAN-033 canary-challenge.verify 100",
      "CAN-033+CAN-034 canary-response.sign 200",
    ]);
  });

  it("each row's budget is the sum of its requirements' limits, and every limit is timed", () => {
    for (const row of rows) expect(row.budgetMs, row.operation).toBe(row.requirements.reduce((sum, id) => sum + limitOf.get(id)!, 0));
    expect([...new Set(rows.flatMap((r) => r.requirements))].sort()).toEqual([...limitOf.keys()].sort());
  });

  it("every test with a budget cites exactly a row's requirements, on the row's operation, with its budget, on a valid input", () => {
    const problems: string[] = [];
    for (const { group, test } of tests) {
      if (test.budget_ms === undefined) continue;
      const row = rows.find((r) => r.operation === group.operation && sameSet(r.requirements, test.requirements));
      if (row === undefined) problems.push(`${test.id}: cites ${test.requirements.join(", ")} on ${group.operation}, which no row of the table names`);
      else if (row.budgetMs !== test.budget_ms) problems.push(`${test.id}: budget ${test.budget_ms} ms, the table says ${row.budgetMs}`);
      if (test.result !== "valid") problems.push(`${test.id}: timed tests are valid ones, which do all of the work`);
    }
    expect(problems).toEqual([]);
  });

  it("every test citing a time limit carries a budget, and every row has tests", () => {
    const untimed = tests.filter(({ test }) => test.requirements.some((id) => limitOf.has(id)) && test.budget_ms === undefined).map(({ test }) => test.id);
    expect(untimed).toEqual([]);
    for (const row of rows) {
      expect(tests.filter(({ group, test }) => group.operation === row.operation && sameSet(row.requirements, test.requirements)).length, row.operation).toBeGreaterThan(0);
    }
  });
});
