// Requirement coverage of the corpus (vectors/coverage.ts): every MUST
// requirement of the covered prefixes has a negative vector or a reasoned
// exception, and every requirement at any level is cited by a vector or says
// how it is covered instead.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allTests, ROOT } from "./corpus.js";
import { COVERAGE_EXCEPTIONS, NEGATIVE_COVERAGE_PREFIXES, UNCITED_REQUIREMENTS } from "./coverage.js";
import { MESSAGE_FILES } from "./runner/message-types.js";

interface Requirement {
  readonly id: string;
  readonly level: string;
  readonly file: string;
}

const requirements = (JSON.parse(readFileSync(join(ROOT, "spec", "requirements.json"), "utf8")) as { requirements: Requirement[] }).requirements;
const known = new Set(requirements.map((r) => r.id));
const covered = requirements.filter((r) => r.level === "MUST" && NEGATIVE_COVERAGE_PREFIXES.includes(r.id.split("-")[0]!));
const tests = allTests().map((t) => t.test);
const negative = new Set(tests.filter((t) => t.result === "invalid").flatMap((t) => t.requirements));
const cited = new Set(tests.flatMap((t) => t.requirements));

describe(`negative coverage of MUST requirements (prefixes ${NEGATIVE_COVERAGE_PREFIXES.join(", ")})`, () => {
  it("every MUST requirement has a negative vector that cites it, unless it has an exception", () => {
    const missing = covered
      .filter((r) => !negative.has(r.id) && COVERAGE_EXCEPTIONS[r.id] === undefined && UNCITED_REQUIREMENTS[r.id] === undefined)
      .map((r) => `${r.id} (${r.file})`);
    expect(missing, `MUST requirements without a vector whose result is "invalid" and that cites them:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every exception names a MUST requirement of a covered prefix, still has no negative vector, has a reason, and a positive vector cites it", () => {
    const ids = new Set(covered.map((r) => r.id));
    const problems: string[] = [];
    for (const [id, e] of Object.entries(COVERAGE_EXCEPTIONS)) {
      if (!ids.has(id)) problems.push(`${id}: not a MUST requirement of a covered prefix; remove the exception`);
      if (negative.has(id)) problems.push(`${id}: now has a negative vector; remove the exception`);
      if (e.reason.length < 20) problems.push(`${id}: give a reason`);
      if (!cited.has(id)) problems.push(`${id}: no vector cites it; move it to UNCITED_REQUIREMENTS, saying how it is covered`);
    }
    expect(problems).toEqual([]);
  });
});

describe("citation of every requirement, at any level", () => {
  it("every requirement of spec/requirements.json is cited by a vector or has an UNCITED_REQUIREMENTS entry", () => {
    const missing = requirements.filter((r) => !cited.has(r.id) && UNCITED_REQUIREMENTS[r.id] === undefined).map((r) => `${r.id} ${r.level} (${r.file})`);
    expect(missing, `requirements no vector cites and no entry explains:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every UNCITED_REQUIREMENTS entry names a requirement that no vector cites, with a reason", () => {
    const problems: string[] = [];
    for (const [id, u] of Object.entries(UNCITED_REQUIREMENTS)) {
      if (!known.has(id)) problems.push(`${id}: not in spec/requirements.json; remove the entry`);
      if (cited.has(id)) problems.push(`${id}: a vector cites it now; the entry is stale, remove it`);
      if (u.reason.length < 20) problems.push(`${id}: give a reason`);
      if (u.kind === "driver" && !id.startsWith("DRV-")) problems.push(`${id}: only DRV requirements are of kind driver`);
      if (id.startsWith("DRV-") && (u.tests ?? []).length === 0) problems.push(`${id}: name the conformance tests that cover it`);
    }
    expect(problems).toEqual([]);
  });

  it("every test file an entry names exists, is a test, and names the requirement ID", () => {
    const problems: string[] = [];
    for (const [id, u] of Object.entries(UNCITED_REQUIREMENTS)) {
      for (const path of u.tests ?? []) {
        const full = join(ROOT, path);
        if (!/\.test\.ts$/.test(path)) problems.push(`${id}: ${path} is not a test file`);
        else if (!existsSync(full)) problems.push(`${id}: ${path} does not exist`);
        else if (!new RegExp(`\\b${id}\\b`).test(readFileSync(full, "utf8"))) problems.push(`${id}: ${path} does not mention ${id}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("vectors/README.md states the numbers as they are", () => {
    const readme = readFileSync(join(ROOT, "vectors", "README.md"), "utf8").replace(/\s+/g, " ");
    const level = (l: string) => requirements.filter((r) => r.level === l && cited.has(r.id)).length;
    const uncited = requirements.length - requirements.filter((r) => cited.has(r.id)).length;
    const kinds = Object.values(UNCITED_REQUIREMENTS).reduce<Record<string, number>>((acc, u) => ({ ...acc, [u.kind]: (acc[u.kind] ?? 0) + 1 }), {});
    const expected = [
      `vectors cite ${requirements.length - uncited} of the ${requirements.length} requirements (${level("MUST")} \`MUST\`, ${level("SHOULD")} \`SHOULD\`, ${level("MAY")} \`MAY\`). The other ${uncited}, by kind:`,
      ...Object.entries(kinds).map(([kind, n]) => `- ${kind} (${n}`),
    ];
    expect(expected.filter((phrase) => !readme.includes(phrase))).toEqual([]);
  });

  it("ENC-017 has a negative vector while a message the vectors use has a oneof", () => {
    const withOneof = MESSAGE_FILES.flatMap((f) => f.messages).filter((m) => m.oneofs.length > 0).map((m) => m.typeName);
    expect(withOneof.length).toBeGreaterThan(0);
    expect(negative.has("ENC-017")).toBe(true);
  });
});
