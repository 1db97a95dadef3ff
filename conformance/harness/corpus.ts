// Loading the cases of the test-vector corpus. The files are read when the
// harness runs, so a new vector file is a new suite without any change here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Expectation } from "../../vectors/runner/compare.js";
import type { Json } from "../../vectors/runner/reference-operations.js";
import type { Level } from "./case.js";
import { strongest, type RequirementIndex } from "./requirements.js";
import { VectorCase } from "./vector-case.js";

type JsonObject = { [key: string]: Json };

interface RawTest {
  id: string;
  requirements: string[];
  inputs: JsonObject;
  result: "valid" | "invalid" | "acceptable";
  error?: string;
  output?: Json;
  budget_ms?: number;
}

interface RawFile {
  schema: string;
  spec_version: string;
  name: string;
  test_groups: { operation: string; shared?: JsonObject; tests: RawTest[] }[];
}

/** The corpus as the harness sees it. */
export interface LoadedCorpus {
  readonly dir: string;
  readonly specVersion: string;
  /** The corpus digest stated by MANIFEST (vectors/README.md, "Integrity"), or undefined if it has none. */
  readonly manifestDigest: string | undefined;
  readonly files: readonly string[];
  readonly cases: readonly VectorCase[];
  /** Problems with the corpus that do not stop the run (for example an unknown requirement id). */
  readonly warnings: readonly string[];
}

/** The corpus digest line of MANIFEST. */
function manifestDigest(dir: string): string | undefined {
  const path = join(dir, "MANIFEST");
  if (!existsSync(path)) return undefined;
  return /^corpus_digest: ([0-9a-f]{64})$/m.exec(readFileSync(path, "utf8"))?.[1];
}

/** Reads every vector file of a corpus folder as cases, in file order (files by name, then groups, then tests). */
export function loadCorpus(dir: string, index: RequirementIndex): LoadedCorpus {
  if (!existsSync(dir)) throw new Error(`no corpus folder ${dir}`);
  const files = readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
  const warnings: string[] = [];
  const cases: VectorCase[] = [];
  const seen = new Set<string>();
  const versions = new Set<string>();
  for (const file of files) {
    let data: RawFile;
    try {
      data = JSON.parse(readFileSync(join(dir, file), "utf8")) as RawFile;
    } catch (e) {
      throw new Error(`${file}: not JSON: ${(e as Error).message}`);
    }
    if (data.schema !== "ap2p-vector-file-v1" || !Array.isArray(data.test_groups)) throw new Error(`${file}: not an ap2p-vector-file-v1 file`);
    versions.add(data.spec_version);
    const suite = file.replace(/\.json$/, "");
    for (const group of data.test_groups) {
      for (const t of group.tests) {
        if (seen.has(t.id)) throw new Error(`${file}: duplicate test id ${t.id}`);
        seen.add(t.id);
        const known = t.requirements.filter((id) => index.has(id));
        for (const id of t.requirements) if (!index.has(id)) warnings.push(`${t.id} cites ${id}, which spec/requirements.json does not hold`);
        // A case that cites no known requirement is held to the strictest level rather than excused.
        const level: Level = strongest(known.map((id) => index.get(id)!.level)) ?? "required";
        const expectation: Expectation = {
          result: t.result,
          ...(t.error === undefined ? {} : { error: t.error }),
          ...(t.output === undefined ? {} : { output: t.output }),
        };
        cases.push(
          new VectorCase({
            id: t.id,
            suite,
            requirements: t.requirements,
            level,
            operation: group.operation,
            inputs: t.inputs,
            shared: group.shared ?? {},
            expectation,
            ...(t.budget_ms === undefined ? {} : { budgetMs: t.budget_ms }),
          }),
        );
      }
    }
  }
  return { dir, specVersion: [...versions].sort().join(", "), manifestDigest: manifestDigest(dir), files, cases, warnings };
}
