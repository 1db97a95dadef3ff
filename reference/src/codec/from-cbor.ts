// Generic mapping of a decoded CBOR value back onto a protobuf message
// (spec/03-data-model.md §3.4). Input is untrusted: every mismatch between the
// value and the schema is reported as an Ap2pError with a SCHEMA_* code and
// the path of the offending field.
import { create, ScalarType, type DescEnum, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { Ap2pError } from "../errors.js";
import type { CborValue } from "../cbor/value.js";
import { integerRange, is64Bit, scalarName } from "./scalars.js";

const fieldsByName = new WeakMap<DescMessage, Map<string, DescField>>();

function fieldByName(desc: DescMessage, name: string): DescField | undefined {
  let byName = fieldsByName.get(desc);
  if (!byName) {
    byName = new Map(desc.fields.map((f) => [f.name, f]));
    fieldsByName.set(desc, byName);
  }
  return byName.get(name);
}

function fail(code: "SCHEMA_UNKNOWN_FIELD" | "SCHEMA_WRONG_TYPE" | "SCHEMA_DEFAULT_VALUE_ENCODED" | "SCHEMA_UNKNOWN_ENUM_VALUE" | "SCHEMA_ONEOF_CONFLICT" | "SCHEMA_INTEGER_OUT_OF_RANGE", message: string, path: string): never {
  throw new Ap2pError(code, path ? `${path}: ${message}` : message, { path });
}

/** Builds a message of the given type from a decoded CBOR value. Throws Ap2pError on any mismatch. */
export function messageFromCbor<T extends Message>(desc: DescMessage, value: CborValue, path = ""): T {
  if (!(value instanceof Map)) fail("SCHEMA_WRONG_TYPE", `expected a map for ${desc.typeName}`, path);
  const msg = create(desc) as unknown as Record<string, unknown>;
  for (const [key, v] of value) {
    const field = typeof key === "string" ? fieldByName(desc, key) : undefined;
    const at = path ? `${path}.${String(key)}` : String(key);
    // ENC-015: a v1 receiver rejects names it does not know rather than dropping them.
    if (!field) fail("SCHEMA_UNKNOWN_FIELD", `${desc.typeName} has no field "${String(key)}"`, at);
    const converted = fieldFromCbor(field, v, at);
    if (field.oneof) {
      const current = msg[field.oneof.localName] as { case: string | undefined };
      if (current.case !== undefined) fail("SCHEMA_ONEOF_CONFLICT", `more than one member of oneof ${field.oneof.name}`, at);
      msg[field.oneof.localName] = { case: field.localName, value: converted };
    } else {
      msg[field.localName] = converted;
    }
  }
  return msg as unknown as T;
}

function fieldFromCbor(field: DescField, v: CborValue, at: string): unknown {
  // Explicit presence (proto3 optional, messages, oneof members) may carry a default;
  // implicit presence may not, or two encodings of one message would exist (ENC-013).
  const implicit = field.presence === 2 /* IMPLICIT */ && !field.oneof;
  switch (field.fieldKind) {
    case "scalar": {
      const s = scalarFromCbor(field.scalar, v, at);
      if (implicit && isDefaultScalar(s)) fail("SCHEMA_DEFAULT_VALUE_ENCODED", `field is encoded with its default value`, at);
      return s;
    }
    case "enum": {
      const e = enumFromCbor(field.enum, v, at, true);
      if (implicit && e === 0) fail("SCHEMA_DEFAULT_VALUE_ENCODED", `field is encoded with its default value`, at);
      return e;
    }
    case "message":
      return messageFromCbor(field.message, v, at);
    case "list": {
      if (!Array.isArray(v)) fail("SCHEMA_WRONG_TYPE", "expected an array", at);
      if (v.length === 0) fail("SCHEMA_DEFAULT_VALUE_ENCODED", "empty repeated field is encoded", at);
      return v.map((item, i) => {
        const ai = `${at}[${i}]`;
        switch (field.listKind) {
          case "scalar":
            return scalarFromCbor(field.scalar, item, ai);
          case "enum":
            // ENC-014: the zero value means "unspecified" and is never a list element.
            return enumFromCbor(field.enum, item, ai, false);
          case "message":
            return messageFromCbor(field.message, item, ai);
        }
      });
    }
    case "map": {
      if (!(v instanceof Map)) fail("SCHEMA_WRONG_TYPE", "expected a map", at);
      if (v.size === 0) fail("SCHEMA_DEFAULT_VALUE_ENCODED", "empty map field is encoded", at);
      const out: Record<string, unknown> = {};
      for (const [k, x] of v) {
        if (typeof k !== "string") fail("SCHEMA_WRONG_TYPE", "expected text map keys", at);
        const ak = `${at}["${k}"]`;
        out[k] =
          field.mapKind === "scalar"
            ? scalarFromCbor(field.scalar, x, ak)
            : field.mapKind === "enum"
              ? enumFromCbor(field.enum, x, ak, false)
              : messageFromCbor(field.message, x, ak);
      }
      return out;
    }
  }
}

function isDefaultScalar(v: unknown): boolean {
  return v === 0 || v === 0n || v === "" || v === false || (v instanceof Uint8Array && v.length === 0);
}

function enumFromCbor(desc: DescEnum, v: CborValue, at: string, zeroAllowed: boolean): number {
  if (typeof v !== "number") {
    if (typeof v === "bigint") fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${v} is not a value of ${desc.typeName}`, at);
    fail("SCHEMA_WRONG_TYPE", `expected an integer (enum ${desc.typeName})`, at);
  }
  if (!desc.values.some((x) => x.number === v) || (v === 0 && !zeroAllowed)) {
    fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${v} is not an allowed value of ${desc.typeName}`, at);
  }
  return v;
}

function scalarFromCbor(t: ScalarType, v: CborValue, at: string): unknown {
  switch (t) {
    case ScalarType.STRING:
      if (typeof v !== "string") fail("SCHEMA_WRONG_TYPE", "expected a text string", at);
      return v;
    case ScalarType.BYTES:
      if (!(v instanceof Uint8Array)) fail("SCHEMA_WRONG_TYPE", "expected a byte string", at);
      return v;
    case ScalarType.BOOL:
      if (typeof v !== "boolean") fail("SCHEMA_WRONG_TYPE", "expected a boolean", at);
      return v;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fail("SCHEMA_WRONG_TYPE", "floating-point fields are not supported", at);
    default: {
      if (typeof v !== "number" && typeof v !== "bigint") fail("SCHEMA_WRONG_TYPE", `expected an integer (${scalarName(t)})`, at);
      const [lo, hi] = integerRange(t)!;
      const big = BigInt(v);
      if (big < lo || big > hi) fail("SCHEMA_INTEGER_OUT_OF_RANGE", `${big} is outside the range of ${scalarName(t)}`, at);
      return is64Bit(t) ? big : Number(big);
    }
  }
}
