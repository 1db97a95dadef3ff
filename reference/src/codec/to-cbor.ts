// Generic mapping of a protobuf message onto the CBOR data model, driven by the
// message's descriptor (spec/03-data-model.md §3.4): a message is a map keyed
// by field names; a field is present exactly when protobuf says it is set.
import { isFieldSet, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { misuse } from "../errors.js";
import type { CborMap, CborValue } from "../cbor/value.js";
import { integerRange } from "./scalars.js";

/** Maps a message onto a CBOR map. Throws INVALID_ARGUMENT on values the mapping cannot carry. */
export function messageToCbor(desc: DescMessage, message: Message): CborMap {
  const out: CborMap = new Map();
  const m = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    // ENC-013: implicit-presence fields at their default, empty repeated fields and
    // unset optional, message and oneof fields are omitted; everything set is written.
    if (!isFieldSet(message as never, field)) continue;
    const raw = field.oneof ? (m[field.oneof.localName] as { value: unknown }).value : m[field.localName];
    out.set(field.name, fieldToCbor(field, raw));
  }
  return out;
}

function fieldToCbor(field: DescField, value: unknown): CborValue {
  switch (field.fieldKind) {
    case "scalar":
      return scalarToCbor(field.scalar, value, field);
    case "enum":
      return enumToCbor(value, field);
    case "message":
      return messageToCbor(field.message, value as Message);
    case "list":
      return (value as unknown[]).map((item) => {
        switch (field.listKind) {
          case "scalar":
            return scalarToCbor(field.scalar, item, field);
          case "enum":
            return enumToCbor(item, field);
          case "message":
            return messageToCbor(field.message, item as Message);
        }
      });
    case "map": {
      // ENC-005: map keys are text; the schema test forbids other map key types.
      if (field.mapKey !== ScalarType.STRING) misuse(`map field ${field.name} must have string keys`);
      const out: CborMap = new Map();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        switch (field.mapKind) {
          case "scalar":
            out.set(k, scalarToCbor(field.scalar, v, field));
            break;
          case "enum":
            out.set(k, enumToCbor(v, field));
            break;
          case "message":
            out.set(k, messageToCbor(field.message, v as Message));
            break;
        }
      }
      return out;
    }
  }
}

function enumToCbor(value: unknown, field: DescField): CborValue {
  if (typeof value !== "number" || !Number.isInteger(value)) misuse(`enum field ${field.name} holds a non-integer`);
  return value;
}

function scalarToCbor(t: ScalarType, value: unknown, field: DescField): CborValue {
  switch (t) {
    case ScalarType.STRING:
      if (typeof value !== "string") misuse(`field ${field.name} expects a string`);
      return value;
    case ScalarType.BYTES:
      if (!(value instanceof Uint8Array)) misuse(`field ${field.name} expects a Uint8Array`);
      return value;
    case ScalarType.BOOL:
      if (typeof value !== "boolean") misuse(`field ${field.name} expects a boolean`);
      return value;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return misuse(`field ${field.name} is floating point; AP2P signed data has no floats`);
    default: {
      const range = integerRange(t)!;
      if (typeof value === "string" && /^-?[0-9]+$/.test(value)) value = BigInt(value); // longAsString fields
      if (typeof value !== "bigint" && !(typeof value === "number" && Number.isSafeInteger(value))) misuse(`field ${field.name} expects an integer`);
      const big = BigInt(value);
      if (big < range[0] || big > range[1]) misuse(`field ${field.name}: ${big} is outside its type's range`);
      return value;
    }
  }
}
