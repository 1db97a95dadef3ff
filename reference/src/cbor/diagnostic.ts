// CBOR diagnostic notation (RFC 8949 §8) for the AP2P data model, for people
// reading descriptors and test vectors. Byte strings longer than `maxBytes`
// are shortened, so the output is for display only, never for parsing.
import { CborTag, type CborValue } from "./value.js";

/** Renders a value in diagnostic notation, indented with two spaces per level. */
export function toDiagnostic(value: CborValue, options: { maxBytes?: number } = {}, indent = ""): string {
  const maxBytes = options.maxBytes ?? Infinity;
  const inner = indent + "  ";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, Math.min(value.length, maxBytes))).toString("hex");
    return value.length > maxBytes ? `h'${hex}…' / ${value.length} bytes /` : `h'${hex}'`;
  }
  if (value instanceof CborTag) return `${value.tag}(${toDiagnostic(value.value, options, indent)})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + toDiagnostic(v, options, inner)).join(",\n")}\n${indent}]`;
  }
  if (value.size === 0) return "{}";
  const entries = [...value].map(([k, v]) => `${inner}${typeof k === "string" ? JSON.stringify(k) : k}: ${toDiagnostic(v, options, inner)}`);
  return `{\n${entries.join(",\n")}\n${indent}}`;
}
