// Deterministic encoding: RFC 8949 §4.2.1 "core deterministic encoding
// requirements", restricted to AP2P's data model (spec/03-data-model.md §3.2).
//
// cbor-x does the byte work. It is not deterministic by itself, so values are
// first normalised into a form it encodes canonically: maps become Map objects
// whose entries are inserted in bytewise order of their encoded keys, and
// integers of 2^32 or more in magnitude become bigints (cbor-x would write a
// number there as a float, and writes a bigint as the 8-byte form, which is the
// shortest form at that magnitude). Records, tag 64 on byte arrays and tag 259
// on maps are switched off.
import { Encoder, Tag } from "cbor-x";
import { misuse } from "../errors.js";
import { CborTag, MAX_INT, MIN_INT, type CborValue } from "./value.js";

// useTag259ForMaps is honoured by cbor-x 1.6 but missing from its type declarations.
const cborx = new Encoder({
  useRecords: false,
  variableMapSize: true,
  tagUint8Array: false,
  useTag259ForMaps: false,
  pack: false,
} as ConstructorParameters<typeof Encoder>[0]);

const TWO_POW_32 = 4294967296;

/** Encodes a value in deterministic CBOR. Throws INVALID_ARGUMENT on values outside the data model. */
export function encodeCanonical(value: CborValue): Uint8Array {
  // cbor-x returns a view into a shared buffer: copy before handing it out.
  return new Uint8Array(cborx.encode(normalise(value, 0)));
}

function normalise(value: CborValue, depth: number): unknown {
  if (depth > 64) misuse("value nested too deeply to encode");
  switch (typeof value) {
    case "number":
      if (!Number.isInteger(value) || Object.is(value, -0)) misuse(`expected an integer, got ${value} (no floats in signed data)`);
      if (!Number.isSafeInteger(value)) misuse(`expected a safe integer or a bigint, got ${value}`);
      // -2^32 still fits the 4-byte negative form; beyond that only the 8-byte form does.
      return value >= TWO_POW_32 || value < -TWO_POW_32 ? BigInt(value) : value;
    case "bigint":
      if (value < MIN_INT || value > MAX_INT) misuse(`integer ${value} is outside [-2^63, 2^64-1]`);
      return value >= -TWO_POW_32 && value < TWO_POW_32 ? Number(value) : value;
    case "string":
      if (!value.isWellFormed()) misuse("text string contains a lone surrogate (not valid UTF-8)");
      return value;
    case "boolean":
      return value;
    case "object":
      if (value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map((v) => normalise(v, depth + 1));
      if (value instanceof Map) return normaliseMap(value, depth);
      if (value instanceof CborTag) return new Tag(normalise(value.value, depth + 1), value.tag);
  }
  return misuse(`expected a CBOR data model value, got ${describe(value)}`);
}

function normaliseMap(map: Map<string | number, CborValue>, depth: number): Map<unknown, unknown> {
  const entries: { key: string | number; encodedKey: Uint8Array; value: unknown }[] = [];
  for (const [key, v] of map) {
    if (typeof key !== "string" && typeof key !== "number") misuse(`expected a text or integer map key, got ${describe(key)}`);
    entries.push({ key, encodedKey: encodeCanonical(key), value: normalise(v, depth + 1) });
  }
  // RFC 8949 §4.2.1: keys sorted in bytewise lexicographic order of their encodings.
  entries.sort((a, b) => compareBytes(a.encodedKey, b.encodedKey));
  for (let i = 1; i < entries.length; i++) {
    if (compareBytes(entries[i - 1]!.encodedKey, entries[i]!.encodedKey) === 0) misuse(`duplicate map key ${String(entries[i]!.key)}`);
  }
  return new Map(entries.map((e) => [normalise(e.key, depth), e.value]));
}

/** Bytewise lexicographic comparison, shorter-is-smaller on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
