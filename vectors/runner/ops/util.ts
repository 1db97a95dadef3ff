// Helpers shared by the operation modules of vectors/runner/ops/: reading a
// test's inputs (hex, decimal strings, strings, objects, lists) and turning
// reference verdicts into outcomes. A malformed vector (not hex, not a
// decimal string) is a bug in the corpus, not a verdict, so the readers throw
// plain errors.
import { toVerdict, type Verdict } from "../../../reference/src/errors.js";
import type { Json, JsonObject, Outcome } from "../reference-operations.js";

/** The value of an input, which must be present. */
export function field(obj: JsonObject, name: string): Json {
  const v = obj[name];
  if (v === undefined) throw new Error(`vector input "${name}" is missing`);
  return v;
}

/** A byte input: lower-case hex. */
export function bytes(obj: JsonObject, name: string): Uint8Array {
  const v = field(obj, name);
  if (typeof v !== "string" || !/^(?:[0-9a-f]{2})*$/.test(v)) throw new Error(`vector input "${name}" is not lower-case hex`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

/** A string input. */
export function text(obj: JsonObject, name: string): string {
  const v = field(obj, name);
  if (typeof v !== "string") throw new Error(`vector input "${name}" is not a string`);
  return v;
}

/** A 64-bit integer input: a decimal string. */
export function integer(obj: JsonObject, name: string): bigint {
  const v = field(obj, name);
  if (typeof v !== "string" || !/^(?:0|[1-9][0-9]*)$/.test(v)) throw new Error(`vector input "${name}" is not a decimal string`);
  return BigInt(v);
}

/** A small integer input: a JSON number. */
export function count(obj: JsonObject, name: string): number {
  const v = field(obj, name);
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new Error(`vector input "${name}" is not an integer`);
  return v;
}

/** An object input. */
export function object(obj: JsonObject, name: string): JsonObject {
  const v = field(obj, name);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`vector input "${name}" is not an object`);
  return v;
}

/** A list input. */
export function list(obj: JsonObject, name: string): Json[] {
  const v = field(obj, name);
  if (!Array.isArray(v)) throw new Error(`vector input "${name}" is not a list`);
  return v;
}

/** A list of objects. */
export function objects(obj: JsonObject, name: string): JsonObject[] {
  return list(obj, name).map((item, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw new Error(`vector input "${name}[${i}]" is not an object`);
    return item;
  });
}

/** A list of strings. */
export function strings(obj: JsonObject, name: string): string[] {
  return list(obj, name).map((item, i) => {
    if (typeof item !== "string") throw new Error(`vector input "${name}[${i}]" is not a string`);
    return item;
  });
}

/** Lower-case hex of bytes. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The outcome of a verdict, with the output made from its value when it is valid. */
export function outcome<T>(verdict: Verdict<T>, output?: (value: T) => Json): Outcome {
  if (!verdict.ok) return { result: "invalid", error: verdict.error.code, message: verdict.error.message };
  return output === undefined ? { result: "valid" } : { result: "valid", output: output(verdict.value) };
}

/** Runs a produce step that reports refusal by throwing Ap2pError. */
export function produce(fn: () => Json): Outcome {
  return outcome(toVerdict(fn), (v) => v);
}
