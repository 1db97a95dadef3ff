// The requirement coverage table counts what cites each requirement.
import { describe, expect, it } from "vitest";
import { readRequirements } from "../conformance/harness/requirements.js";
import { defaultRequirementsFile, defaultVectorsDir } from "../conformance/harness/paths.js";
import { coverageRows, renderCoverage } from "./coverage-matrix.js";

const rows = coverageRows(defaultRequirementsFile(), defaultVectorsDir());
const row = (id: string) => rows.find((r) => r.requirement.id === id)!;

describe("the requirement coverage table (conformance/coverage.md)", () => {
  it("has one row per requirement, in ID order within each prefix", () => {
    expect(rows.map((r) => r.requirement.id).sort()).toEqual([...readRequirements(defaultRequirementsFile()).keys()].sort());
    const can = rows.filter((r) => r.requirement.id.startsWith("CAN-")).map((r) => Number(r.requirement.id.slice(4)));
    expect(can).toEqual([...can].sort((a, b) => a - b));
  });

  it("counts vectors, invalid vectors and the harness's other cases", () => {
    // The timed vectors of spec §13.8: two challenges and one response cite CAN-033, the response alone CAN-034.
    expect([row("CAN-033").vectors, row("CAN-033").invalidVectors, row("CAN-034").vectors]).toEqual([3, 0, 1]);
    // DLG-007 has a delegator scenario and no vector; NET-001 has wire cases.
    expect(row("DLG-007").otherCases).toBeGreaterThan(0);
    expect(row("NET-001").vectors).toBe(0);
    expect(row("NET-001").otherCases).toBeGreaterThan(0);
    // SIG-011 (signature verification) has invalid vectors.
    expect(row("SIG-011").invalidVectors).toBeGreaterThan(0);
  });

  it("names the unit test files that mention a requirement", () => {
    expect(row("ERR-002").unitTests).toContain("schemas/error-registry.test.ts");
    expect(row("NET-003").unitTests).toContain("reference/src/net/frames.test.ts");
  });

  it("renders a row per requirement with the reason no vector cites it", () => {
    const md = renderCoverage(rows);
    expect(md.split("\n").filter((l) => /^\| [A-Z]+-\d{3} \|/.test(l))).toHaveLength(rows.length);
    expect(md).toMatch(/^\| ERR-002 \| MUST \| – \| – \| – \| \[error-registry\.test\.ts\]\(\.\.\/schemas\/error-registry\.test\.ts\) \| schema \|$/m);
    // Every MUST is checked by a conformance case or, failing that, by a unit test.
    expect(rows.filter((r) => r.requirement.keyword === "MUST" && r.vectors + r.otherCases === 0 && r.unitTests.length === 0).map((r) => r.requirement.id)).toEqual([]);
  });
});
