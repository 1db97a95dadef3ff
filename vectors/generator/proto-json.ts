// The proto3 JSON form (spec/03-data-model.md §3.6) of a message written in
// the generator as its CBOR data model (snake_case keys, enum numbers, bigint
// for 64-bit integers). Written here from the message descriptors alone, not
// with the reference codec, so that the decode outputs in the corpus are a
// second opinion on the reference's JSON mapping.
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Json, JsonObject } from "./model.js";

/** A message body in the CBOR data model, as the generator writes it. */
export type Body = { readonly [field: string]: BodyValue | undefined };
export type BodyValue = string | number | bigint | boolean | Uint8Array | Body | readonly BodyValue[];

const SIXTY_FOUR = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

function scalarJson(t: ScalarType, v: BodyValue, at: string): Json {
  if (t === ScalarType.BYTES) {
    if (!(v instanceof Uint8Array)) throw new Error(`${at}: expected bytes`);
    return Buffer.from(v).toString("base64");
  }
  if (t === ScalarType.STRING || t === ScalarType.BOOL) {
    if (typeof v !== (t === ScalarType.STRING ? "string" : "boolean")) throw new Error(`${at}: wrong type`);
    return v as string | boolean;
  }
  if (typeof v !== "number" && typeof v !== "bigint") throw new Error(`${at}: expected an integer`);
  return SIXTY_FOUR.has(t) ? BigInt(v).toString() : Number(v);
}

function valueJson(field: DescField, v: BodyValue, at: string): Json {
  switch (field.fieldKind) {
    case "scalar":
      return scalarJson(field.scalar, v, at);
    case "enum": {
      const value = field.enum.values.find((e) => e.number === v);
      if (!value) throw new Error(`${at}: ${String(v)} is not a value of ${field.enum.typeName}`);
      return value.name;
    }
    case "message":
      return bodyToJson(field.message, v as Body, at);
    case "list": {
      if (!Array.isArray(v)) throw new Error(`${at}: expected a list`);
      return (v as readonly BodyValue[]).map((item, i) => {
        const ai = `${at}[${i}]`;
        if (field.listKind === "message") return bodyToJson(field.message, item as Body, ai);
        if (field.listKind === "enum") {
          const value = field.enum.values.find((e) => e.number === item);
          if (!value) throw new Error(`${ai}: ${String(item)} is not a value of ${field.enum.typeName}`);
          return value.name;
        }
        return scalarJson(field.scalar, item, ai);
      });
    }
    case "map":
      throw new Error(`${at}: map fields are not used by the core messages`);
  }
}

/** The proto3 JSON form of a body: lowerCamelCase names, 64-bit integers as strings, bytes as base64, enums by name; fields in field-number order. */
export function bodyToJson(desc: DescMessage, body: Body, path = desc.typeName): JsonObject {
  const out: JsonObject = {};
  const names = new Set(Object.keys(body).filter((k) => body[k] !== undefined));
  for (const field of desc.fields) {
    const v = body[field.name];
    if (v === undefined) continue;
    names.delete(field.name);
    out[field.jsonName] = valueJson(field, v, `${path}.${field.name}`);
  }
  if (names.size > 0) throw new Error(`${path}: no field ${[...names].join(", ")}`);
  return out;
}
