import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  extractFromDocuments,
  extractFromMarkdown,
  extractRequirements,
  findKeywords,
  formatProblem,
  keywordLevel,
  maskNonNormative,
  renderRequirementsJson,
  strongestLevel,
  type Requirement,
} from "./requirements.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SPEC = join(ROOT, "spec");

const kinds = (md: string) => extractFromMarkdown(md, "t.md").problems.map((p) => p.kind);
const only = (md: string): Requirement => {
  const { requirements, problems } = extractFromMarkdown(md, "t.md");
  expect(problems).toEqual([]);
  expect(requirements).toHaveLength(1);
  return requirements[0]!;
};

describe("the specification (spec/)", () => {
  const { requirements, problems } = extractRequirements(SPEC);

  it("has well-formed, unique requirement IDs and no BCP 14 keyword outside a requirement", () => {
    const listed = problems.map((p) => formatProblem(p, SPEC)).join("\n");
    expect(problems, `problems in spec/:\n${listed}`).toEqual([]);
  });

  it("matches the committed spec/requirements.json", () => {
    const committed = readFileSync(join(SPEC, "requirements.json"), "utf8");
    expect(committed, "spec/requirements.json is out of date; run npm run generate").toBe(renderRequirementsJson(requirements));
  });

  it("has every MUST requirement named in at least one test", () => {
    const tests = testFiles(ROOT).map((f) => readFileSync(f, "utf8"));
    const uncovered = requirements
      .filter((r) => r.level === "MUST")
      .filter((r) => {
        const token = new RegExp(`(?<![A-Za-z0-9_])${r.id}(?![A-Za-z0-9_])`);
        return !tests.some((t) => token.test(t));
      })
      .map((r) => `${r.id} (${r.file}, ${r.section})`);
    expect(uncovered, `MUST requirements that no *.test.ts names:\n${uncovered.join("\n")}`).toEqual([]);
  });
});

/** Every *.test.ts under root except this file and its fixtures, skipping node_modules, build output and dot folders. */
function testFiles(root: string): string[] {
  const self = fileURLToPath(import.meta.url);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
        if (relative(root, path).split("\\").join("/") === "scripts/fixtures") continue;
        walk(path);
      } else if (entry.isFile() && entry.name.endsWith(".test.ts") && path !== self) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}

describe("keywords and levels (RFC 2119, RFC 8174)", () => {
  it("maps every keyword to its level", () => {
    for (const k of ["MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT"]) expect(keywordLevel(k)).toBe("MUST");
    for (const k of ["SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED"]) expect(keywordLevel(k)).toBe("SHOULD");
    for (const k of ["MAY", "OPTIONAL"]) expect(keywordLevel(k)).toBe("MAY");
    expect(() => keywordLevel("must")).toThrow(/expected a BCP 14 keyword/);
  });

  it("takes the strongest keyword as the level", () => {
    expect(strongestLevel(["MAY", "SHOULD"])).toBe("SHOULD");
    expect(strongestLevel(["MAY", "MUST NOT", "SHOULD"])).toBe("MUST");
    expect(strongestLevel(["OPTIONAL"])).toBe("MAY");
    expect(strongestLevel([])).toBeUndefined();
  });

  it("finds two-word keywords as one, and only whole upper-case words", () => {
    const found = (s: string) => findKeywords(s).map((k) => k.keyword);
    expect(found("X MUST NOT Y; Z is NOT RECOMMENDED; W SHALL\nNOT V")).toEqual(["MUST NOT", "NOT RECOMMENDED", "SHALL NOT"]);
    expect(found("MUSTARD, SCHEMA_REQUIRED_FIELD_MISSING, MAYBE, must, May, Optional")).toEqual([]);
    expect(found("MUST NOTICE")).toEqual(["MUST"]);
  });

  it("masks code spans, quotations and comments, keeping offsets and line breaks", () => {
    const s = 'a `MUST` b "SHOULD" c \u201cMAY\u201d d <!-- MUST --> e ``x ` MUST`` f\nMUST';
    const m = maskNonNormative(s);
    expect(m).toHaveLength(s.length);
    expect(m.split("\n")).toHaveLength(2);
    expect(findKeywords(m).map((k) => k.keyword)).toEqual(["MUST"]);
    expect(findKeywords(m)[0]!.index).toBe(s.lastIndexOf("MUST"));
  });
});

describe("extractFromMarkdown", () => {
  it("reads a list-item requirement with its level, section and text", () => {
    const r = only("# 5. Descriptors\n\n## 5.5 Valid descriptors\n\n- **DESC-007** A verifier MUST reject it\n  with `DESC_NOT_YET_VALID`.\n");
    expect(r).toEqual({ id: "DESC-007", level: "MUST", file: "t.md", section: "5.5 Valid descriptors", text: "A verifier MUST reject it with `DESC_NOT_YET_VALID`.", line: 5 });
  });

  it("reads a paragraph requirement and detects SHOULD and MAY levels", () => {
    const { requirements, problems } = extractFromMarkdown("**SEC-001** A registry SHOULD cap X; it MAY also do Y.\n\n**SEC-002** Z is OPTIONAL.\n", "t.md");
    expect(problems).toEqual([]);
    expect(requirements.map((r) => [r.id, r.level])).toEqual([
      ["SEC-001", "SHOULD"],
      ["SEC-002", "MAY"],
    ]);
  });

  it("takes the strongest keyword of a block as its level", () => {
    expect(only("- **ARCH-001** A peer MAY do X, but MUST NOT do Y.").level).toBe("MUST");
    expect(only("- **ARCH-001** X is NOT RECOMMENDED; Y is OPTIONAL.").level).toBe("SHOULD");
  });

  it("reports a malformed ID, and not the keywords of its block", () => {
    for (const bad of ["DESC-07", "DESC-0007", "desc-007", "DESC_007", "DESCRIPT-001", "DESC 007", "DESC-007:"]) {
      const { requirements, problems } = extractFromMarkdown(`Intro.\n\n- **${bad}** A verifier MUST reject it.\n`, "t.md");
      expect(requirements, bad).toEqual([]);
      expect(problems, bad).toEqual([expect.objectContaining({ kind: "malformed-id", file: "t.md", line: 3 })]);
    }
  });

  it("does not take ordinary bold text for an ID", () => {
    expect(kinds("**Note 1** This is prose.\n\n**Tier-1** reputation.\n\n**RFC 8949** is CBOR.\n")).toEqual([]);
  });

  it("reports a duplicate ID within a document and across documents", () => {
    const one = extractFromMarkdown("- **ENC-001** X MUST be Y.\n- **ENC-001** Z MUST be W.\n", "a.md");
    expect(one.problems).toEqual([{ kind: "duplicate-id", file: "a.md", line: 2, message: expect.stringContaining("a.md:1") }]);
    expect(one.requirements.map((r) => r.text)).toEqual(["X MUST be Y."]);

    const two = extractFromDocuments([
      { file: "a.md", text: "# A\n\n- **ENC-001** X MUST be Y.\n" },
      { file: "b.md", text: "# B\n\nProse.\n\n- **ENC-001** Z MUST be W.\n" },
    ]);
    expect(two.problems).toEqual([{ kind: "duplicate-id", file: "b.md", line: 5, message: "duplicate requirement ID ENC-001 (first defined at a.md:3)" }]);
  });

  it("reports an untagged keyword with its line", () => {
    const { problems } = extractFromMarkdown("# T\n\nA peer\nMUST sign it, and SHOULD\nrefresh it.\n", "t.md");
    expect(problems.map((p) => [p.kind, p.line, p.message.split(" ")[0]])).toEqual([
      ["untagged-keyword", 4, "MUST"],
      ["untagged-keyword", 4, "SHOULD"],
    ]);
  });

  it("reports keywords in headings, tables and untagged list items", () => {
    expect(kinds("## Peers MUST sign\n")).toEqual(["untagged-keyword"]);
    expect(kinds("| rule | meaning |\n|---|---|\n| x | it MUST hold |\n")).toEqual(["untagged-keyword"]);
    expect(kinds("- a peer MAY do this\n")).toEqual(["untagged-keyword"]);
    expect(kinds("ARCH-001 A peer MUST sign it (the ID is not bold).\n")).toEqual(["untagged-keyword"]);
  });

  it("ignores keywords in code spans, quotations, comments, fenced code and spliced blocks", () => {
    const md = [
      'The key words "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",',
      '"RECOMMENDED", "NOT RECOMMENDED", "MAY", and "OPTIONAL" in this document are to be interpreted',
      "as described in BCP 14.",
      "",
      "A requirement of level `MUST` is required; \u201cSHOULD\u201d is recommended.",
      "",
      "<!-- a note: peers MUST -->",
      "",
      "```",
      "peers MUST sign",
      "```",
      "",
      "<!-- BEGIN GENERATED: ap2p.v1.Thing -->",
      "| `x` | it MUST equal the kid |",
      "<!-- END GENERATED -->",
      "",
      "<!-- BEGIN EXAMPLE: thing-json -->",
      "peers MUST sign",
      "<!-- END EXAMPLE -->",
      "",
    ].join("\n");
    expect(extractFromMarkdown(md)).toEqual({ requirements: [], problems: [] });
  });

  it("reports a requirement with no keyword", () => {
    const { requirements, problems } = extractFromMarkdown("- **ARCH-009** Peers sign everything.\n", "t.md");
    expect(requirements).toEqual([]);
    expect(problems).toEqual([{ kind: "no-keyword", file: "t.md", line: 1, message: "requirement ARCH-009 has no BCP 14 keyword" }]);
  });

  it("gives a list item's nested content to its requirement, unless the content has its own ID", () => {
    const md = [
      "- **SEC-001** A verifier MUST check, in order:",
      "  1. the size, which MUST come first;",
      "  2. the signature.",
      "",
      "  A check that fails SHOULD be reported.",
      "  - **SEC-002** Nested, but its own: it MAY be skipped.",
      "",
      "After the list, peers MUST be free prose again.",
      "",
    ].join("\n");
    const { requirements, problems } = extractFromMarkdown(md, "t.md");
    expect(requirements.map((r) => [r.id, r.level])).toEqual([
      ["SEC-001", "MUST"],
      ["SEC-002", "MAY"],
    ]);
    expect(requirements[0]!.text).toBe(
      "A verifier MUST check, in order: 1. the size, which MUST come first; 2. the signature. A check that fails SHOULD be reported.",
    );
    expect(problems.map((p) => [p.kind, p.line])).toEqual([["untagged-keyword", 8]]);
  });

  it("gives the list after a requirement paragraph ending in a colon to that requirement", () => {
    const md = "**SEC-003** A verifier SHOULD check:\n\n- the size, which MUST come first;\n- the signature.\n\nPeers MAY then relax.\n";
    const { requirements, problems } = extractFromMarkdown(md, "t.md");
    expect(requirements).toEqual([expect.objectContaining({ id: "SEC-003", level: "MUST", text: "A verifier SHOULD check: - the size, which MUST come first; - the signature." })]);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([["untagged-keyword", 6]]);
  });

  it("does not give a list to a requirement paragraph without a colon", () => {
    expect(kinds("**SEC-003** A verifier SHOULD check it.\n\n- the size MUST come first.\n")).toEqual(["untagged-keyword"]);
  });

  it("takes a setext heading as the section", () => {
    expect(only("Security\n========\n\n- **SEC-001** Peers MUST sign.\n").section).toBe("Security");
  });
});

describe("renderRequirementsJson", () => {
  it("sorts by ID, drops line numbers, indents by two spaces and ends with a newline", () => {
    const { requirements } = extractFromMarkdown("# S\n\n- **SEC-002** B MUST hold.\n- **ARCH-001** A SHOULD hold.\n", "x.md");
    const text = renderRequirementsJson(requirements);
    expect(text.endsWith("}\n")).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["$comment", "count", "requirements"]);
    expect(parsed.count).toBe(2);
    expect(parsed.requirements).toEqual([
      { id: "ARCH-001", level: "SHOULD", file: "x.md", section: "S", text: "A SHOULD hold." },
      { id: "SEC-002", level: "MUST", file: "x.md", section: "S", text: "B MUST hold." },
    ]);
    expect(text).toContain('\n  "count": 2,\n');
  });
});
