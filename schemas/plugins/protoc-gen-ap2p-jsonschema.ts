// protoc-gen-ap2p-jsonschema: one JSON Schema (draft 2020-12) per message of a
// proto package, describing the message's canonical protobuf JSON mapping
// (proto3 JSON) with the AP2P field rules of options.proto applied.
//
// Each file is self-contained: every message it references is inlined under
// $defs. Run by `buf generate` (buf.gen.yaml) with the option package=ap2p.v1.
import { pathToFileURL } from "node:url";
import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { runNodeJs } from "@bufbuild/protoplugin";
import {
  commentParagraphs,
  createArtifactPlugin,
  protoFileName,
  type FieldRules,
  type GeneratorContext,
  type OutputFile,
} from "./plugin-support.js";

export const PLUGIN_NAME = "protoc-gen-ap2p-jsonschema";

/** A JSON value whose integers may be bigints (printed exactly). */
type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Standard or URL-safe base64, with or without padding (protobuf JSON accepts both). */
export const BASE64_PATTERN =
  "^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?" +
  "|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?)$";

const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const UINT32_MAX = 4294967295n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

/** The schema file name of a message. */
export function schemaFileName(message: DescMessage): string {
  return `${message.typeName}.schema.json`;
}

/** urn:ap2p:schema:v1:ap2p.v1.CapabilityDescriptor for package ap2p.v1. */
export function schemaId(message: DescMessage): string {
  const version = message.file.proto.package.split(".").pop()!;
  return `urn:ap2p:schema:${version}:${message.typeName}`;
}

export function generateJsonSchemas(ctx: GeneratorContext): OutputFile[] {
  const out: OutputFile[] = [];
  for (const type of ctx.types) {
    if (type.kind !== "message") continue;
    out.push({ name: schemaFileName(type), content: stringify(rootSchema(ctx, type)) + "\n" });
  }
  return out;
}

function rootSchema(ctx: GeneratorContext, message: DescMessage): JsonObject {
  const defs: JsonObject = {};
  const referenced = [...referencedMessages(message)].filter((m) => m !== message);
  referenced.sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
  for (const m of referenced) defs[m.typeName] = messageSchema(ctx, m, message);
  const root: JsonObject = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: schemaId(message),
    $comment:
      `GENERATED from ${protoFileName(message)} by ${PLUGIN_NAME}; do not edit. ` +
      "Regenerate with `npm run generate`.",
    ...messageSchema(ctx, message, message),
  };
  if (referenced.length > 0) root["$defs"] = defs;
  return root;
}

/** Messages reachable from `message` through its fields, itself included. */
function referencedMessages(message: DescMessage): Set<DescMessage> {
  const seen = new Set<DescMessage>();
  const stack = [message];
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    for (const f of m.fields) if (f.message !== undefined) stack.push(f.message);
  }
  return seen;
}

function messageSchema(ctx: GeneratorContext, message: DescMessage, root: DescMessage): JsonObject {
  const paragraphs = commentParagraphs(message);
  const rules = ctx.messageRules(message);
  if (rules !== undefined && rules.signedContentType !== "") {
    paragraphs.push(`Signed on its own under the COSE content type "${rules.signedContentType}".`);
  }
  const schema: JsonObject = { title: message.name };
  if (paragraphs.length > 0) schema["description"] = paragraphs.join("\n\n");
  schema["type"] = "object";

  const properties: JsonObject = {};
  const required: string[] = [];
  for (const field of message.fields) {
    const fieldRules = ctx.fieldRules(field);
    properties[field.jsonName] = fieldSchema(field, fieldRules, root);
    if (fieldRules?.required) required.push(field.jsonName);
  }
  schema["properties"] = properties;
  if (required.length > 0) schema["required"] = required;

  // proto3 JSON: at most one member of a oneof may be present.
  const dependent: JsonObject = {};
  for (const oneof of message.oneofs) {
    for (const member of oneof.fields) {
      const others: JsonObject = {};
      for (const other of oneof.fields) if (other !== member) others[other.jsonName] = false;
      dependent[member.jsonName] = { properties: others };
    }
  }
  if (Object.keys(dependent).length > 0) schema["dependentSchemas"] = dependent;
  schema["additionalProperties"] = false;
  return schema;
}

function fieldSchema(field: DescField, rules: FieldRules | undefined, root: DescMessage): JsonObject {
  const schema: JsonObject = {};
  const paragraphs = commentParagraphs(field);
  if (paragraphs.length > 0) schema["description"] = paragraphs.join("\n\n");
  const required = rules?.required === true;
  // A required field without explicit presence must hold a non-default value:
  // the canonical JSON form omits default values.
  const nonDefault = required && field.fieldKind !== "list" && field.fieldKind !== "map" &&
    field.fieldKind !== "message" && field.presence === FeatureSet_FieldPresence.IMPLICIT;

  switch (field.fieldKind) {
    case "scalar":
      return { ...schema, ...scalarSchema(field.scalar, rules, nonDefault) };
    case "enum":
      return { ...schema, ...enumSchema(field.enum, nonDefault) };
    case "message":
      return { ...schema, $ref: messageRef(field.message, root) };
    case "list": {
      const items =
        field.listKind === "scalar" ? scalarSchema(field.scalar, rules, false)
        // ENC-014: the zero value is never an element of a repeated enum.
        : field.listKind === "enum" ? enumSchema(field.enum, true)
        : { $ref: messageRef(field.message, root) };
      Object.assign(schema, { type: "array", items });
      if (required) schema["minItems"] = 1;
      if (rules !== undefined && rules.maxItems > 0) schema["maxItems"] = rules.maxItems;
      if (rules?.unique) schema["uniqueItems"] = true;
      return schema;
    }
    case "map": {
      const values =
        field.mapKind === "scalar" ? scalarSchema(field.scalar, undefined, false)
        : field.mapKind === "enum" ? enumSchema(field.enum, true)
        : { $ref: messageRef(field.message, root) };
      Object.assign(schema, { type: "object", propertyNames: mapKeySchema(field.mapKey) });
      if (required) schema["minProperties"] = 1;
      if (rules !== undefined && rules.maxItems > 0) schema["maxProperties"] = rules.maxItems;
      schema["additionalProperties"] = values;
      return schema;
    }
  }
}

function messageRef(message: DescMessage, root: DescMessage): string {
  if (message.file.proto.package === "google.protobuf") {
    // Well-known types have their own JSON forms (Timestamp as an RFC 3339
    // string, and so on); describing them as objects would be wrong.
    throw new Error(`${message.typeName} has a special JSON mapping that ${PLUGIN_NAME} does not support yet`);
  }
  return message === root ? "#" : `#/$defs/${message.typeName}`;
}

function enumSchema(enumDesc: DescEnum, nonZero: boolean): JsonObject {
  const names = enumDesc.values.filter((v) => !(nonZero && v.number === 0)).map((v) => v.name);
  return { type: "string", enum: names };
}

/** Map keys are always JSON strings; integer and bool keys are written in decimal / as "true", "false". */
function mapKeySchema(key: ScalarType): JsonObject {
  switch (key) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "string", enum: ["true", "false"] };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", pattern: "^[0-9]+$" };
    default:
      return { type: "string", pattern: "^-?[0-9]+$" };
  }
}

function scalarSchema(scalar: ScalarType, rules: FieldRules | undefined, nonDefault: boolean): JsonObject {
  switch (scalar) {
    case ScalarType.STRING: {
      const s: JsonObject = { type: "string" };
      const min = Math.max(rules?.minLen ?? 0, nonDefault ? 1 : 0);
      if (min > 0) s["minLength"] = min;
      if (rules !== undefined && rules.maxLen > 0) s["maxLength"] = rules.maxLen;
      if (rules !== undefined && rules.pattern !== "") s["pattern"] = rules.pattern;
      return s;
    }
    case ScalarType.BYTES: {
      const s: JsonObject = { type: "string", contentEncoding: "base64", pattern: BASE64_PATTERN };
      const min = Math.max(rules?.minLen ?? 0, nonDefault ? 1 : 0);
      // Bounds on the text: n bytes take at least ceil(4n/3) characters
      // unpadded and at most 4*ceil(n/3) padded. The exact byte count is
      // checked after decoding.
      if (min > 0) s["minLength"] = Math.ceil((4 * min) / 3);
      if (rules !== undefined && rules.maxLen > 0) s["maxLength"] = 4 * Math.ceil(rules.maxLen / 3);
      return s;
    }
    case ScalarType.BOOL:
      return nonDefault ? { type: "boolean", const: true } : { type: "boolean" };
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return {
        anyOf: [{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity"] }],
      };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return integerSchema(INT32_MIN, INT32_MAX, rules, nonDefault);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return integerSchema(0n, UINT32_MAX, rules, nonDefault);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // proto3 JSON writes 64-bit integers as decimal strings and accepts numbers too.
      return {
        anyOf: [
          integerSchema(INT64_MIN, INT64_MAX, rules, nonDefault),
          { type: "string", pattern: nonDefault ? "^-?[0-9]*[1-9][0-9]*$" : "^-?[0-9]+$" },
        ],
      };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return {
        anyOf: [
          integerSchema(0n, UINT64_MAX, rules, nonDefault),
          { type: "string", pattern: nonDefault ? "^[0-9]*[1-9][0-9]*$" : "^[0-9]+$" },
        ],
      };
  }
}

function integerSchema(typeMin: bigint, typeMax: bigint, rules: FieldRules | undefined, nonDefault: boolean): JsonObject {
  let min = typeMin;
  let max = typeMax;
  if (rules !== undefined && rules.minValue > 0n && rules.minValue > min) min = rules.minValue;
  if (rules !== undefined && rules.maxValue > 0n && rules.maxValue < max) max = rules.maxValue;
  if (nonDefault && min === 0n) min = 1n;
  const s: JsonObject = { type: "integer", minimum: jsonInt(min), maximum: jsonInt(max) };
  if (nonDefault && min < 0n && max > 0n) s["not"] = { const: 0 };
  return s;
}

/** Safe integers as numbers, larger ones as bigints (printed digit for digit). */
function jsonInt(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** JSON.stringify(value, null, 2), except that bigints print as exact integers. */
export function stringify(value: Json, indent = ""): string {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "bigint") return value.toString();
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return "{}";
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(value[k]!, inner)}`).join(",\n")}\n${indent}}`;
}

export const plugin = createArtifactPlugin({ name: PLUGIN_NAME, version: "1.0.0", generate: generateJsonSchemas });

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runNodeJs(plugin);
}
