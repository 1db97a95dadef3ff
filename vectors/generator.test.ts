// The generator: deterministic, matching the committed corpus, and with every
// test id written literally in its source.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hex } from "./generator/bytes.js";
import { buildCorpus } from "./generator/build.js";
import { differences } from "./generator/main.js";
import { CORPUS, ROOT } from "./corpus.js";

const corpus = buildCorpus();

describe("the vector generator", () => {
  it("is deterministic: two runs give the same bytes", () => {
    const again = buildCorpus();
    expect(again.entries.map((e) => [e.name, hex(e.bytes)])).toEqual(corpus.entries.map((e) => [e.name, hex(e.bytes)]));
  });

  it("reproduces the committed vectors/v1 byte for byte", () => {
    const diffs = differences(corpus, CORPUS);
    expect(diffs, `${diffs.join("\n")}\nrun \`npm run vectors\` and commit the result`).toEqual([]);
  });

  it("writes every test id literally in its source, never computed", () => {
    const dir = join(ROOT, "vectors", "generator", "files");
    const source = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    expect(corpus.ids.filter((id) => !source.includes(`"${id}"`))).toEqual([]);
  });
});
