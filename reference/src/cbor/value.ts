// The CBOR data model AP2P uses (spec/03-data-model.md §3.1): integers, byte
// strings, text strings, arrays, maps, false and true, and one tag (18,
// COSE_Sign1) at the top of a signature. No floats, no null, no undefined.

/** A CBOR tag applied to a value. AP2P uses only tag 18 (COSE_Sign1_Tagged). */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

/**
 * A map. Keys are text strings in AP2P messages and small integers in COSE
 * headers. Decoded integers wider than 32 bits are bigints; narrower ones are numbers.
 */
export type CborMap = Map<string | number, CborValue>;

/** One value of AP2P's CBOR data model. */
export type CborValue = number | bigint | string | boolean | Uint8Array | CborValue[] | CborMap | CborTag;

/** Bounds on untrusted input, checked before anything is allocated for it. */
export interface CborLimits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of arrays and maps; the top-level container is depth 1. */
  readonly maxDepth: number;
}

/** Which map keys a profile allows: text in messages (ENC-005), integers in COSE headers (SIG-002). */
export type MapKeyKind = "text" | "int";

/** Default limits for AP2P messages (ENC-010, ENC-011). */
export const DEFAULT_LIMITS: CborLimits = Object.freeze({ maxBytes: 65536, maxDepth: 16 });

/** Range of integers AP2P can carry: the union of int64 and uint64. */
export const MIN_INT = -(2n ** 63n);
export const MAX_INT = 2n ** 64n - 1n;
