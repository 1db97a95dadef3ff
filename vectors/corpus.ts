// Reading the committed corpus, for the tests of vectors/ and for tools.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Json, JsonObject } from "./runner/reference-operations.js";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The committed corpus folder. */
export const CORPUS = join(ROOT, "vectors", "v1");

/** A test as read from a file. */
export interface FileTest {
  readonly id: string;
  readonly requirements: string[];
  readonly comment: string;
  readonly flags: string[];
  readonly inputs: JsonObject;
  readonly result: "valid" | "invalid" | "acceptable";
  readonly error?: string;
  readonly output?: Json;
  readonly budget_ms?: number;
}

/** A group as read from a file. */
export interface FileGroup {
  readonly operation: string;
  readonly comment: string;
  readonly shared: JsonObject;
  readonly tests: FileTest[];
}

/** A vector file as read. */
export interface VectorFile {
  readonly schema: string;
  readonly spec_version: string;
  readonly name: string;
  readonly description: string;
  readonly number_of_tests: number;
  readonly counts: { valid: number; invalid: number; acceptable: number };
  readonly flags: Record<string, { bug_type: string; description: string; effect: string }>;
  readonly test_groups: FileGroup[];
}

/** The names of the vector files in a corpus folder. */
export function vectorFileNames(dir: string = CORPUS): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
}

/** Every vector file of a corpus folder, parsed. */
export function readCorpus(dir: string = CORPUS): { file: string; data: VectorFile }[] {
  return vectorFileNames(dir).map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), "utf8")) as VectorFile }));
}

/** Every test with its file and group. */
export function allTests(dir: string = CORPUS): { file: string; group: FileGroup; test: FileTest }[] {
  return readCorpus(dir).flatMap(({ file, data }) => data.test_groups.flatMap((group) => group.tests.map((test) => ({ file, group, test }))));
}
