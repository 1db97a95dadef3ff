// Every MUST requirement of the covered prefixes has a negative vector that
// cites it, or a reasoned exception (vectors/coverage.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allTests, ROOT } from "./corpus.js";
import { COVERAGE_EXCEPTIONS, NEGATIVE_COVERAGE_PREFIXES } from "./coverage.js";
import { MESSAGE_FILES } from "./runner/message-types.js";

interface Requirement {
  readonly id: string;
  readonly level: string;
  readonly file: string;
}

const requirements = (JSON.parse(readFileSync(join(ROOT, "spec", "requirements.json"), "utf8")) as { requirements: Requirement[] }).requirements;
const covered = requirements.filter((r) => r.level === "MUST" && NEGATIVE_COVERAGE_PREFIXES.includes(r.id.split("-")[0]!));
const tests = allTests().map((t) => t.test);
const negative = new Set(tests.filter((t) => t.result === "invalid").flatMap((t) => t.requirements));
const cited = new Set(tests.flatMap((t) => t.requirements));

describe(`requirement coverage of the corpus (prefixes ${NEGATIVE_COVERAGE_PREFIXES.join(", ")})`, () => {
  it("every MUST requirement has a negative vector that cites it, unless it has an exception", () => {
    const missing = covered.filter((r) => !negative.has(r.id) && COVERAGE_EXCEPTIONS[r.id] === undefined).map((r) => `${r.id} (${r.file})`);
    expect(missing, `MUST requirements without a vector whose result is "invalid" and that cites them:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every exception names a MUST requirement of a covered prefix, still has no negative vector, and has a reason", () => {
    const ids = new Set(covered.map((r) => r.id));
    const problems: string[] = [];
    for (const [id, e] of Object.entries(COVERAGE_EXCEPTIONS)) {
      if (!ids.has(id)) problems.push(`${id}: not a MUST requirement of a covered prefix; remove the exception`);
      if (negative.has(id)) problems.push(`${id}: now has a negative vector; remove the exception`);
      if (e.reason.length < 20) problems.push(`${id}: give a reason`);
      if (e.positive && !cited.has(id)) problems.push(`${id}: the exception needs a vector that cites it`);
    }
    expect(problems).toEqual([]);
  });

  it("ENC-017 is excepted only while no message the vectors use has a oneof", () => {
    const withOneof = MESSAGE_FILES.flatMap((f) => f.messages).filter((m) => m.oneofs.length > 0).map((m) => m.typeName);
    if (COVERAGE_EXCEPTIONS["ENC-017"] !== undefined) expect(withOneof).toEqual([]);
  });
});
