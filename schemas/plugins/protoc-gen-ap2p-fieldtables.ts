// protoc-gen-ap2p-fieldtables: one markdown field table per message and enum
// of a proto package, for splicing into the specification
// (scripts/splice-generated.ts). Run by `buf generate` (buf.gen.yaml) with the
// option package=ap2p.v1.
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

export const PLUGIN_NAME = "protoc-gen-ap2p-fieldtables";

/** The first line of every table file; the splicer drops it. */
export function generatedBanner(desc: DescMessage | DescEnum): string {
  return `<!-- GENERATED from ${protoFileName(desc)} by ${PLUGIN_NAME}; do not edit -->`;
}

export function generateFieldTables(ctx: GeneratorContext): OutputFile[] {
  return ctx.types.map((type) => ({
    name: `${type.typeName}.md`,
    content: [generatedBanner(type), "", ...(type.kind === "message" ? messageTable(ctx, type) : enumTable(type))]
      .join("\n") + "\n",
  }));
}

function messageTable(ctx: GeneratorContext, message: DescMessage): string[] {
  const lines: string[] = [];
  const rules = ctx.messageRules(message);
  if (rules !== undefined && rules.signedContentType !== "") {
    lines.push(`Signed on its own under the COSE content type ${code(rules.signedContentType, false)}.`, "");
  }
  if (message.fields.length === 0) {
    lines.push("This message has no fields.");
    return lines;
  }
  lines.push("| Field | Number | Type | CBOR | Presence | Rules | Description |");
  lines.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const field of message.fields) {
    const fieldRules = ctx.fieldRules(field);
    lines.push(
      row([
        code(field.name),
        String(field.number),
        code(protoType(field)),
        cborType(field),
        presence(field),
        rulesText(field, fieldRules),
        cell(commentParagraphs(field).join(" ")),
      ]),
    );
  }
  return lines;
}

function enumTable(enumDesc: DescEnum): string[] {
  const lines = ["| Name | Number | Description |", "| --- | --- | --- |"];
  for (const value of enumDesc.values) {
    lines.push(row([code(value.name), String(value.number), cell(commentParagraphs(value).join(" "))]));
  }
  return lines;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** Table cell text: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
}

/** An inline code span that survives backticks (and, in a table cell, pipes) in the text. */
function code(text: string, inTable = true): string {
  const t = inTable ? text.replace(/\|/g, "\\|") : text;
  const runs = t.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = fence.length > 1 || t.startsWith("`") || t.endsWith("`") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

const SCALAR_NAMES: Record<ScalarType, string> = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "fixed64",
  [ScalarType.FIXED32]: "fixed32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "sfixed32",
  [ScalarType.SFIXED64]: "sfixed64",
  [ScalarType.SINT32]: "sint32",
  [ScalarType.SINT64]: "sint64",
};

/** The field's type as written in the .proto, without the repeated label. */
function protoType(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return SCALAR_NAMES[field.scalar];
    case "enum":
      return field.enum.typeName;
    case "message":
      return field.message.typeName;
    case "list":
      return field.listKind === "scalar" ? SCALAR_NAMES[field.scalar]
        : field.listKind === "enum" ? field.enum.typeName
        : field.message.typeName;
    case "map": {
      const value = field.mapKind === "scalar" ? SCALAR_NAMES[field.scalar]
        : field.mapKind === "enum" ? field.enum.typeName
        : field.message.typeName;
      return `map<${SCALAR_NAMES[field.mapKey]}, ${value}>`;
    }
  }
}

/** How a value of the type is written in CBOR (RFC 8949 major types). */
function scalarCbor(s: ScalarType): string {
  switch (s) {
    case ScalarType.UINT32:
    case ScalarType.UINT64:
    case ScalarType.FIXED32:
    case ScalarType.FIXED64:
      return "uint";
    case ScalarType.INT32:
    case ScalarType.INT64:
    case ScalarType.SINT32:
    case ScalarType.SINT64:
    case ScalarType.SFIXED32:
    case ScalarType.SFIXED64:
      return "nint/uint";
    case ScalarType.BOOL:
      return "bool";
    case ScalarType.STRING:
      return "text";
    case ScalarType.BYTES:
      return "bytes";
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return "float";
  }
}

function enumCbor(e: DescEnum): string {
  return e.values.some((v) => v.number < 0) ? "nint/uint (enum)" : "uint (enum)";
}

function cborType(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return scalarCbor(field.scalar);
    case "enum":
      return enumCbor(field.enum);
    case "message":
      return "map";
    case "list":
      return "array of " + (field.listKind === "scalar" ? scalarCbor(field.scalar)
        : field.listKind === "enum" ? enumCbor(field.enum)
        : "map");
    case "map":
      return `map of ${scalarCbor(field.mapKey)} → ` + (field.mapKind === "scalar" ? scalarCbor(field.scalar)
        : field.mapKind === "enum" ? enumCbor(field.enum)
        : "map");
  }
}

function presence(field: DescField): string {
  if (field.fieldKind === "list") return "repeated";
  if (field.fieldKind === "map") return "map";
  if (field.oneof !== undefined) return `explicit (oneof ${code(field.oneof.name)})`;
  switch (field.presence) {
    case FeatureSet_FieldPresence.IMPLICIT:
      return "implicit";
    case FeatureSet_FieldPresence.LEGACY_REQUIRED:
      return "required (proto2)";
    default:
      return "explicit";
  }
}

function range(min: bigint, max: bigint, unit: string): string {
  const u = unit === "" ? "" : ` ${unit}`;
  if (min > 0n && max > 0n) return min === max ? `exactly ${min}${u}` : `${min} to ${max}${u}`;
  if (min > 0n) return `≥ ${min}${u}`;
  return `≤ ${max}${u}`;
}

function rulesText(field: DescField, rules: FieldRules | undefined): string {
  if (rules === undefined) return "";
  const parts: string[] = [];
  const repeated = field.fieldKind === "list";
  const each = repeated ? "each " : "";
  if (rules.required) parts.push(repeated ? "required (non-empty)" : "required");
  if (rules.maxItems > 0) parts.push(`≤ ${rules.maxItems} ${field.fieldKind === "map" ? "entries" : "items"}`);
  if (rules.unique) parts.push("unique items");
  if (rules.minLen > 0 || rules.maxLen > 0) {
    const scalar = field.fieldKind === "list" || field.fieldKind === "scalar" ? field.scalar : undefined;
    const unit = scalar === ScalarType.BYTES ? "bytes" : "code points";
    parts.push(`${each}length ${range(BigInt(rules.minLen), BigInt(rules.maxLen), unit)}`);
  }
  if (rules.minValue > 0n || rules.maxValue > 0n) parts.push(`${each}value ${range(rules.minValue, rules.maxValue, "")}`);
  if (rules.pattern !== "") parts.push(`${each}matches ${code(rules.pattern)}`);
  return parts.join("; ");
}

export const plugin = createArtifactPlugin({ name: PLUGIN_NAME, version: "1.0.0", generate: generateFieldTables });

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runNodeJs(plugin);
}
