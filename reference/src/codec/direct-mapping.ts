// What the one-pass reader (message-reader.ts) and the direct writer
// (message-writer.ts) share about a message type under the CBOR mapping
// (spec/03-data-model.md §3.4): whether they handle it at all, and each
// field's map key, in the bytewise order of the encoded keys (ENC-004).
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";

// protobuf-es: google.protobuf.Edition.EDITION_PROTO3.
const EDITION_PROTO3 = 999;

const handled = new WeakMap<DescMessage, boolean>();

/**
 * Whether a message type maps directly: proto3 without map, floating-point
 * or string-valued 64-bit fields, here and in every message it holds. Other
 * types take the general, stage-by-stage path.
 */
export function mapsDirectly(desc: DescMessage): boolean {
  let ok = handled.get(desc);
  if (ok === undefined) handled.set(desc, (ok = supported(desc, new Set())));
  return ok;
}

function supported(desc: DescMessage, seen: Set<DescMessage>): boolean {
  if (seen.has(desc)) return true;
  seen.add(desc);
  if (desc.file.edition !== EDITION_PROTO3) return false;
  for (const f of desc.fields) {
    if (f.fieldKind === "map") return false;
    if (f.fieldKind === "scalar" || (f.fieldKind === "list" && f.listKind === "scalar")) {
      if (f.scalar === ScalarType.DOUBLE || f.scalar === ScalarType.FLOAT || f.longAsString) return false;
    }
    const m = f.fieldKind === "message" || (f.fieldKind === "list" && f.listKind === "message") ? f.message : undefined;
    if (m !== undefined && !supported(m, seen)) return false;
  }
  return true;
}

const utf8 = new TextEncoder();

/** A field's name as an encoded CBOR text string in shortest form: its map key. */
export function fieldKey(field: DescField): Uint8Array {
  const name = utf8.encode(field.name);
  const n = name.length;
  const head = n < 24 ? [0x60 | n] : n < 0x100 ? [0x78, n] : [0x79, n >> 8, n & 0xff];
  return new Uint8Array([...head, ...name]);
}

/** Items with a key, sorted in the bytewise order of their keys (the order of a canonical map). */
export function inKeyOrder<T extends { readonly key: Uint8Array }>(items: T[]): T[] {
  return items.sort((a, b) => {
    const n = Math.min(a.key.length, b.key.length);
    for (let i = 0; i < n; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return a.key.length - b.key.length;
  });
}
