// Byte helpers for the generator: hex, concatenation, little-endian integers.
import { sha256 } from "@noble/hashes/sha2.js";

/** Lower-case hex, the corpus's encoding of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Bytes of a hex string (whitespace ignored, so long constants can be split). */
export function unhex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!/^(?:[0-9a-f]{2})*$/.test(clean)) throw new Error(`not lower-case hex: ${text.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(clean, "hex"));
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Concatenation. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** n as 32 little-endian bytes (RFC 8032 §5.1.2 encodes scalars and field elements so). */
export function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** The little-endian integer of bytes. */
export function leInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** A copy with one bit flipped (bit 0 is the low bit of byte 0). */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** SHA-256. */
export function sha256Of(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

/** n bytes of value fill. */
export function filled(n: number, fill = 0): Uint8Array {
  return new Uint8Array(n).fill(fill);
}
