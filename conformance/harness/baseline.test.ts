import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyBaseline, BaselineError, expandBaseline, MAX_GLOB_MATCHES, parseBaseline, renderBaseline } from "./baseline.js";
import { loadCorpus } from "./corpus.js";
import { anyOf, globMatcher } from "./glob.js";
import { defaultRequirementsFile, defaultVectorsDir, packageRoot } from "./paths.js";
import { readRequirements } from "./requirements.js";

const IDS = ["descriptor/expiry/expired-001", "descriptor/expiry/expired-002", "descriptor/seq/rollback-001", "cbor/valid/uint-0-001", "cbor/invalid/float-001"];

describe("globs on case ids", () => {
  it("* spans slashes, ? is one character, everything else is literal", () => {
    expect(globMatcher("descriptor/*")("descriptor/expiry/expired-001")).toBe(true);
    expect(globMatcher("*/expired-00?")("descriptor/expiry/expired-002")).toBe(true);
    expect(globMatcher("cbor/valid/uint-0-001")("cbor/valid/uint-0-0012")).toBe(false);
    expect(globMatcher("a.b")("axb")).toBe(false);
    expect(IDS.filter(anyOf(["cbor/*", "*rollback*"]))).toEqual(["descriptor/seq/rollback-001", "cbor/valid/uint-0-001", "cbor/invalid/float-001"]);
    expect(IDS.filter(anyOf([]))).toEqual(IDS);
  });
});

describe("baselines", () => {
  it("parses ids, globs, prefixes and comments; refuses lines with more than two fields", () => {
    const entries = parseBaseline("# known failures\n\ndescriptor/expiry/expired-001  DESC_   # expiry first\ncbor/*\n");
    expect(entries).toEqual([
      { line: 3, pattern: "descriptor/expiry/expired-001", prefix: "DESC_" },
      { line: 4, pattern: "cbor/*" },
    ]);
    expect(() => parseBaseline("a b c\n", "b.txt")).toThrow(/b\.txt:1/);
  });

  it("a baselined failure is expected; a baselined pass is an unexpected pass that fails the run", () => {
    const b = expandBaseline(parseBaseline("descriptor/expiry/expired-001\ndescriptor/expiry/expired-002\n"), IDS);
    const v = applyBaseline(b, [
      { id: "descriptor/expiry/expired-001", outcome: "fail", observed: "valid" },
      { id: "descriptor/expiry/expired-002", outcome: "pass", observed: "pass" },
    ]);
    expect([...v.expected]).toEqual(["descriptor/expiry/expired-001"]);
    expect(v.unexpectedPasses.map((u) => u.cases)).toEqual([["descriptor/expiry/expired-002"]]);
  });

  it("a failure that does not start with the entry's prefix has changed", () => {
    const b = expandBaseline(parseBaseline("descriptor/expiry/expired-001 DESC_\ndescriptor/seq/rollback-001 timeout\n"), IDS);
    const v = applyBaseline(b, [
      { id: "descriptor/expiry/expired-001", outcome: "fail", observed: "SIG_INVALID" },
      { id: "descriptor/seq/rollback-001", outcome: "timeout", observed: "timeout" },
    ]);
    expect(v.changed).toEqual([{ entry: b.entries[0], case: "descriptor/expiry/expired-001", observed: "SIG_INVALID" }]);
    expect([...v.expected]).toEqual(["descriptor/seq/rollback-001"]);
  });

  it("an entry that matches no case of the corpus is stale", () => {
    const b = expandBaseline(parseBaseline("descriptor/expiry/gone-001\nnothing/*\ncbor/*\n"), IDS);
    expect(b.stale.map((e) => e.pattern)).toEqual(["descriptor/expiry/gone-001", "nothing/*"]);
    expect(applyBaseline(b, []).stale).toHaveLength(2);
  });

  it("a glob tolerates passes among its cases, but not when every case it covers passes", () => {
    const b = expandBaseline(parseBaseline("cbor/*\ndescriptor/expiry/*\n"), IDS);
    const v = applyBaseline(b, [
      { id: "cbor/valid/uint-0-001", outcome: "pass", observed: "pass" },
      { id: "cbor/invalid/float-001", outcome: "fail", observed: "valid" },
      { id: "descriptor/expiry/expired-001", outcome: "pass", observed: "pass" },
      { id: "descriptor/expiry/expired-002", outcome: "unsupported", observed: "unsupported" },
    ]);
    expect([...v.expected]).toEqual(["cbor/invalid/float-001"]);
    expect(v.unexpectedPasses.map((u) => u.entry.pattern)).toEqual(["descriptor/expiry/*"]);
  });

  it("an exact entry wins over a glob for the same case", () => {
    const b = expandBaseline(parseBaseline("cbor/*\ncbor/invalid/float-001 CBOR_FLOAT\n"), IDS);
    expect(b.byCase.get("cbor/invalid/float-001")!.prefix).toBe("CBOR_FLOAT");
    expect(b.byCase.get("cbor/valid/uint-0-001")!.pattern).toBe("cbor/*");
  });

  it(`a glob that matches more than ${MAX_GLOB_MATCHES} cases is refused`, () => {
    const many = Array.from({ length: MAX_GLOB_MATCHES + 1 }, (_, i) => `x/case-${i}`);
    expect(() => expandBaseline(parseBaseline("x/*\n"), many, "b.txt")).toThrow(BaselineError);
    expect(() => expandBaseline(parseBaseline("x/*\n"), many, "b.txt")).toThrow(/b\.txt:1: "x\/\*" matches 1001 cases/);
    expect(() => expandBaseline(parseBaseline("x/case-1*\n"), many)).not.toThrow();
  });

  it("renders a baseline that round-trips, keeping the entries it is told to keep", () => {
    const text = renderBaseline([{ id: "cbor/invalid/float-001", observed: "valid" }], [{ line: 9, pattern: "descriptor/*" }]);
    expect(text.startsWith("# ")).toBe(true);
    expect(parseBaseline(text).map((e) => [e.pattern, e.prefix])).toEqual([
      ["cbor/invalid/float-001", "valid"],
      ["descriptor/*", undefined],
    ]);
  });
});

describe("the example baseline of conformance/README.md", () => {
  it("parses, and every entry matches a case of the corpus", () => {
    const readme = readFileSync(join(packageRoot(), "conformance", "README.md"), "utf8");
    const block = /```\n(# ap2p-conformance baseline[^`]*)```/.exec(readme);
    expect(block).not.toBeNull();
    const entries = parseBaseline(block![1]!, "conformance/README.md");
    expect(entries.length).toBeGreaterThan(0);
    const ids = loadCorpus(defaultVectorsDir(), readRequirements(defaultRequirementsFile())).cases.map((c) => c.id);
    expect(expandBaseline(entries, ids).stale).toEqual([]);
  });
});
