// The shape of a vector file (vectors/schema/vector-file.schema.json) and the
// helpers every file module uses to state its vectors. A vector states its
// expected result declaratively — "this input has defect X, so the code is Y"
// — and never by running the reference verifier; only produce-side outputs
// (bytes a signer or encoder must produce) are computed, by the caller.
import { FLAGS, type FlagInfo, type FlagName } from "./flags.js";
import { SPEC_VERSION } from "./constants.js";

/** A JSON value as written to a vector file. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** The expected outcome of a test. */
export type Result = "valid" | "invalid" | "acceptable";

/** One test: inputs, the expected result, and for invalid ones the error code. */
export interface TestVector {
  /** Stable hierarchical id, written literally in the generator source. */
  readonly id: string;
  /** Requirement IDs of spec/requirements.json the test exercises. */
  readonly requirements: readonly string[];
  readonly comment: string;
  readonly flags?: readonly FlagName[];
  readonly inputs: JsonObject;
  readonly result: Result;
  /** The registry code (string form) an implementation must report, for invalid tests. */
  readonly error?: string;
  /** The exact output, for produce operations and valid decodes. */
  readonly output?: Json;
  /** Timing budget in milliseconds, where the spec sets one. */
  readonly budget_ms?: number;
}

/** Tests that share an operation and its shared inputs. */
export interface TestGroup {
  readonly operation: string;
  readonly comment: string;
  readonly shared: JsonObject;
  readonly tests: readonly TestVector[];
}

/** What a file module returns. */
export interface VectorFileContent {
  /** The file name without .json; every test id starts with it and a slash. */
  readonly name: string;
  readonly description: string;
  readonly groups: readonly TestGroup[];
}

/** A generator module: one per vector file, registered in files/index.ts. */
export interface VectorFileModule {
  readonly name: string;
  build(): VectorFileContent;
}

/** The sentence every file's description ends with, stating the encodings once. */
export const ENCODING_NOTE =
  "Byte strings are lower-case hex; integers of 64-bit types are decimal strings; JSON forms of messages follow the proto3 JSON mapping (bytes in base64). vectors/README.md defines the operations and results.";

// ---------------------------------------------------------------------------
// Builders. Each takes the id as a literal string so that ids never depend on
// the position of a test in a list.

interface Common {
  readonly requirements: readonly string[];
  readonly comment: string;
  readonly inputs: JsonObject;
  readonly flags?: readonly FlagName[];
}

/** A test whose input must be accepted (and, for produce operations, whose output must be reproduced exactly). */
export function valid(id: string, t: Common & { readonly output?: Json }): TestVector {
  return { id, ...t, result: "valid" };
}

/** A test whose input must be rejected with the given code. */
export function invalid(id: string, error: string, t: Common): TestVector {
  return { id, ...t, result: "invalid", error };
}

/** A test that conforming implementations may accept or reject; its flags say why. */
export function acceptable(id: string, t: Common & { readonly flags: readonly FlagName[] }): TestVector {
  return { id, ...t, result: "acceptable" };
}

/**
 * A timed copy of a test (spec §13.8): it cites only the requirements that
 * set the budget, so that its level is theirs, and carries the budget. The
 * untimed original keeps the requirements its answer tests.
 */
export function withBudget(test: TestVector, requirements: readonly string[], budgetMs: number): TestVector {
  return { ...test, requirements: [...requirements], budget_ms: budgetMs };
}

/** A group of tests of one operation. */
export function group(operation: string, comment: string, shared: JsonObject, tests: readonly TestVector[]): TestGroup {
  return { operation, comment, shared, tests };
}

// ---------------------------------------------------------------------------
// Rendering

/** The file as written: header, flag glossary of the flags used, groups; key order fixed. */
export function renderFile(content: VectorFileContent): string {
  const counts = { valid: 0, invalid: 0, acceptable: 0 };
  const used = new Set<FlagName>();
  const ids = new Set<string>();
  for (const g of content.groups) {
    for (const t of g.tests) {
      counts[t.result]++;
      for (const f of t.flags ?? []) used.add(f);
      if (!t.id.startsWith(`${content.name}/`)) throw new Error(`${t.id}: ids of ${content.name}.json start with "${content.name}/"`);
      if (ids.has(t.id)) throw new Error(`${t.id}: duplicate id`);
      ids.add(t.id);
      if ((t.result === "invalid") !== (t.error !== undefined)) throw new Error(`${t.id}: an error code goes with result "invalid" only`);
    }
  }
  const flags: Record<string, FlagInfo> = {};
  for (const name of [...used].sort()) flags[name] = FLAGS[name];
  const file = {
    schema: "ap2p-vector-file-v1",
    spec_version: SPEC_VERSION,
    name: content.name,
    description: `${content.description} ${ENCODING_NOTE}`,
    number_of_tests: counts.valid + counts.invalid + counts.acceptable,
    counts,
    flags,
    test_groups: content.groups.map((g) => ({
      operation: g.operation,
      comment: g.comment,
      shared: g.shared,
      tests: g.tests.map((t) => {
        const out: Record<string, unknown> = {
          id: t.id,
          requirements: [...t.requirements],
          comment: t.comment,
          flags: [...(t.flags ?? [])],
          inputs: t.inputs,
          result: t.result,
        };
        if (t.error !== undefined) out["error"] = t.error;
        if (t.output !== undefined) out["output"] = t.output;
        if (t.budget_ms !== undefined) out["budget_ms"] = t.budget_ms;
        return out;
      }),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
