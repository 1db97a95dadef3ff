// vectors/README.md describes the corpus as it is: the table of files and
// counts, one section per operation, the flag list.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAGS } from "./generator/flags.js";
import { readCorpus, ROOT } from "./corpus.js";

const readme = readFileSync(join(ROOT, "vectors", "README.md"), "utf8");
const corpus = readCorpus();

describe("vectors/README.md", () => {
  it("has a row per vector file with its counts and operations", () => {
    const problems: string[] = [];
    for (const { file, data } of corpus) {
      const ops = [...new Set(data.test_groups.map((g) => g.operation))].map((o) => `\`${o}\``).join(", ");
      const row = `| [\`${file}\`](v1/${file}) | ${data.number_of_tests} | ${data.counts.valid} | ${data.counts.invalid} | ${data.counts.acceptable} | ${ops} |`;
      if (!readme.includes(row)) problems.push(row);
    }
    expect(problems, `rows missing or out of date in the Files table; they should read:\n${problems.join("\n")}`).toEqual([]);
  });

  it("documents every operation the corpus uses", () => {
    const ops = [...new Set(corpus.flatMap(({ data }) => data.test_groups.map((g) => g.operation)))];
    expect(ops.filter((op) => !new RegExp(`^### \`${op.replace(".", "\\.")}\``, "m").test(readme))).toEqual([]);
  });

  it("lists every flag of the glossary", () => {
    expect(Object.keys(FLAGS).filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
  });
});
