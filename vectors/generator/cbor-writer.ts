// A small CBOR writer for building test inputs, written apart from the
// reference encoder so that inputs are not the reference's own output. It
// writes deterministic CBOR (RFC 8949 §4.2.1) by default, and has explicit
// escape hatches for the defects the vectors need: Raw bytes spliced in,
// maps in a given key order, heads of a chosen width, tags.
import { cat } from "./bytes.js";

/** Bytes written exactly as given. */
export class Raw {
  constructor(readonly bytes: Uint8Array) {}
}

/** A map whose entries are written in the given order, duplicates included. */
export class Ordered {
  constructor(readonly entries: readonly (readonly [W, W])[]) {}
}

/** A tagged item. */
export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: W,
  ) {}
}

/** A value the writer can encode. A plain object is a map with text keys. */
export type W =
  | number
  | bigint
  | string
  | boolean
  | Uint8Array
  | Raw
  | Ordered
  | Tagged
  | readonly W[]
  | Map<W, W>
  | { readonly [key: string]: W | undefined };

/** The head of an item in its shortest form (RFC 8949 §3, §4.2.1). */
export function head(major: number, arg: bigint | number): Uint8Array {
  const n = BigInt(arg);
  if (n < 24n) return Uint8Array.of((major << 5) | Number(n));
  if (n < 0x100n) return headWidth(major, n, 1);
  if (n < 0x10000n) return headWidth(major, n, 2);
  if (n < 0x100000000n) return headWidth(major, n, 4);
  return headWidth(major, n, 8);
}

/** The head of an item with its argument in exactly `width` bytes (1, 2, 4 or 8), shortest or not. */
export function headWidth(major: number, arg: bigint | number, width: 1 | 2 | 4 | 8): Uint8Array {
  const ai = { 1: 24, 2: 25, 4: 26, 8: 27 }[width];
  const out = new Uint8Array(1 + width);
  out[0] = (major << 5) | ai;
  let n = BigInt(arg);
  for (let i = width; i >= 1; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  if (n !== 0n) throw new Error(`${arg} does not fit in ${width} bytes`);
  return out;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function mapBytes(entries: [Uint8Array, Uint8Array][], sort: boolean): Uint8Array {
  if (sort) entries.sort((x, y) => compare(x[0], y[0]));
  return cat(head(5, entries.length), ...entries.flat());
}

/** The CBOR encoding of a value. Plain objects skip undefined properties. */
export function enc(value: W): Uint8Array {
  if (typeof value === "number" || typeof value === "bigint") {
    const n = BigInt(value);
    if (typeof value === "number" && !Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
    return n >= 0n ? head(0, n) : head(1, -1n - n);
  }
  if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    return cat(head(3, bytes.length), bytes);
  }
  if (typeof value === "boolean") return Uint8Array.of(value ? 0xf5 : 0xf4);
  if (value instanceof Uint8Array) return cat(head(2, value.length), value);
  if (value instanceof Raw) return value.bytes;
  if (value instanceof Tagged) return cat(head(6, value.tag), enc(value.value));
  if (value instanceof Ordered) return cat(head(5, value.entries.length), ...value.entries.flatMap(([k, v]) => [enc(k), enc(v)]));
  if (Array.isArray(value)) return cat(head(4, value.length), ...value.map(enc));
  if (value instanceof Map) return mapBytes([...value].map(([k, v]) => [enc(k), enc(v)]), true);
  const entries: [Uint8Array, Uint8Array][] = [];
  for (const [k, v] of Object.entries(value)) if (v !== undefined) entries.push([enc(k), enc(v)]);
  return mapBytes(entries, true);
}
