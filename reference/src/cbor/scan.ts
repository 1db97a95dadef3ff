// Strict validation of received CBOR against AP2P's profile of RFC 8949 core
// deterministic encoding (spec/03-data-model.md §3.3). It walks the bytes once,
// allocates nothing proportional to lengths it has not yet seen, and names the
// first defect in byte order with its own error code. cbor-x parses the bytes
// only after they pass.
import { Ap2pError, type ErrorCodeName } from "../errors.js";
import { compareBytes } from "./encode.js";
import type { CborLimits, MapKeyKind } from "./value.js";

/** What a validation pass allows beyond the base profile. */
export interface ScanProfile extends CborLimits {
  /** Type of map keys allowed (ENC-005 for messages, integers for COSE headers). */
  readonly mapKeys: MapKeyKind;
  /** A tag allowed on the top-level item only (18 for COSE_Sign1), if any. */
  readonly topLevelTag?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Validates bytes against the profile. Throws Ap2pError naming the first defect. */
export function scanCanonical(bytes: Uint8Array, profile: ScanProfile): void {
  if (bytes.length > profile.maxBytes) {
    fail("CBOR_TOO_LARGE", `input is ${bytes.length} bytes, the limit is ${profile.maxBytes}`, 0);
  }
  if (bytes.length === 0) fail("CBOR_MALFORMED", "input is empty", 0);
  const end = new Scanner(bytes, profile).item(0, true);
  if (end !== bytes.length) fail("CBOR_TRAILING_BYTES", `${bytes.length - end} bytes follow the top-level item`, end);
}

/**
 * Validates one item starting at pos, as an element inside a larger structure
 * the caller parses itself; returns the offset just after it.
 */
export function scanItem(bytes: Uint8Array, pos: number, profile: ScanProfile, depth = 1): number {
  return new Scanner(bytes, profile).item(pos, false, depth);
}

/** The head of an item the caller has already validated: its major type and where its content starts. */
export function readHead(bytes: Uint8Array, pos: number): { major: number; arg: number; contentStart: number } {
  const ib = bytes[pos]!;
  const ai = ib & 0x1f;
  if (ai < 24) return { major: ib >> 5, arg: ai, contentStart: pos + 1 };
  const n = 1 << (ai - 24);
  let arg = 0;
  for (let i = 1; i <= n; i++) arg = arg * 256 + bytes[pos + i]!;
  return { major: ib >> 5, arg, contentStart: pos + 1 + n };
}

function fail(code: ErrorCodeName, message: string, offset: number): never {
  throw new Ap2pError(code, `${message} (at byte ${offset})`);
}

class Scanner {
  constructor(
    private readonly b: Uint8Array,
    private readonly profile: ScanProfile,
  ) {}

  /** Validates the item at pos; returns the offset just after it. */
  item(pos: number, topLevel: boolean, depth = 0): number {
    const b = this.b;
    if (pos >= b.length) fail("CBOR_MALFORMED", "truncated: expected a data item", pos);
    const start = pos;
    const ib = b[pos++]!;
    const major = ib >> 5;
    const ai = ib & 0x1f;

    if (major === 7) return this.simple(start, ai);
    if (ai === 31) {
      // RFC 8949 §3.2: indefinite length exists only for strings, arrays and maps.
      if (major >= 2 && major <= 5) fail("CBOR_INDEFINITE_LENGTH", "indefinite-length item", start);
      fail("CBOR_MALFORMED", `additional information 31 is not allowed for major type ${major}`, start);
    }
    if (ai >= 28) fail("CBOR_MALFORMED", `reserved additional information ${ai}`, start);

    // Argument, and the shortest-form rule of RFC 8949 §4.2.1.
    let arg: number; // exact for values below 2^53; larger ones only matter as "too big"
    if (ai < 24) {
      arg = ai;
    } else {
      const n = 1 << (ai - 24); // 1, 2, 4 or 8 bytes
      if (pos + n > b.length) fail("CBOR_MALFORMED", "truncated: argument runs past the end", start);
      arg = 0;
      for (let i = 0; i < n; i++) arg = arg * 256 + b[pos + i]!;
      pos += n;
      const min = ai === 24 ? 24 : ai === 25 ? 0x100 : ai === 26 ? 0x10000 : 0x100000000;
      if (arg < min) fail("CBOR_NON_SHORTEST_HEAD", `argument ${arg} is not in its shortest form`, start);
    }

    switch (major) {
      case 0:
        return pos;
      case 1:
        // -1 - 2^63 and below fit no protobuf integer type (spec/03-data-model.md §3.1).
        if (ai === 27 && b[start + 1]! >= 0x80) fail("SCHEMA_INTEGER_OUT_OF_RANGE", "negative integer below -2^63", start);
        return pos;
      case 2:
        if (arg > b.length - pos) fail("CBOR_MALFORMED", "truncated: byte string runs past the end", start);
        return pos + arg;
      case 3: {
        if (arg > b.length - pos) fail("CBOR_MALFORMED", "truncated: text string runs past the end", start);
        try {
          utf8.decode(b.subarray(pos, pos + arg));
        } catch {
          fail("CBOR_INVALID_UTF8", "text string is not valid UTF-8", start);
        }
        return pos + arg;
      }
      case 4: {
        this.enter(depth, start);
        if (arg > b.length - pos) fail("CBOR_MALFORMED", "truncated: array has more items than bytes left", start);
        for (let i = 0; i < arg; i++) pos = this.item(pos, false, depth + 1);
        return pos;
      }
      case 5:
        this.enter(depth, start);
        return this.map(pos, arg, depth + 1, start);
      case 6:
        if (!topLevel || this.profile.topLevelTag === undefined || arg !== this.profile.topLevelTag) {
          fail("CBOR_TAG_NOT_ALLOWED", `tag ${arg} is not allowed here`, start);
        }
        return this.item(pos, false, depth);
    }
    throw new Error("unreachable");
  }

  private enter(depth: number, at: number): void {
    if (depth + 1 > this.profile.maxDepth) {
      fail("CBOR_TOO_DEEP", `containers nested deeper than ${this.profile.maxDepth}`, at);
    }
  }

  private map(pos: number, count: number, depth: number, start: number): number {
    const b = this.b;
    if (count > (b.length - pos) / 2) fail("CBOR_MALFORMED", "truncated: map has more entries than bytes left", start);
    let prevKey: Uint8Array | undefined;
    for (let i = 0; i < count; i++) {
      const keyStart = pos;
      if (keyStart >= b.length) fail("CBOR_MALFORMED", "truncated: expected a map key", keyStart);
      const keyMajor = b[keyStart]! >> 5;
      const ok = this.profile.mapKeys === "text" ? keyMajor === 3 : keyMajor === 0 || keyMajor === 1;
      if (!ok) fail("CBOR_MAP_KEY_TYPE", `map key of major type ${keyMajor}; this profile allows ${this.profile.mapKeys} keys only`, keyStart);
      pos = this.item(pos, false, depth);
      const key = b.subarray(keyStart, pos);
      if (prevKey !== undefined) {
        const order = compareBytes(prevKey, key);
        if (order === 0) fail("CBOR_DUPLICATE_MAP_KEY", "duplicate map key", keyStart);
        if (order > 0) fail("CBOR_MAP_KEYS_UNSORTED", "map keys are not in bytewise lexicographic order", keyStart);
      }
      prevKey = key;
      pos = this.item(pos, false, depth);
    }
    return pos;
  }

  private simple(start: number, ai: number): number {
    // RFC 8949 §3.3: 20 false, 21 true, 22 null, 23 undefined, 25-27 floats, 31 break.
    if (ai === 20 || ai === 21) return start + 1;
    if (ai >= 25 && ai <= 27) fail("CBOR_FLOAT_NOT_ALLOWED", "floating-point value", start);
    if (ai === 31) fail("CBOR_MALFORMED", "break code outside an indefinite-length item", start);
    if (ai >= 28) fail("CBOR_MALFORMED", `reserved additional information ${ai}`, start);
    if (ai === 24) {
      if (start + 1 >= this.b.length) fail("CBOR_MALFORMED", "truncated: simple value", start);
      // RFC 8949 §3.3: a one-byte simple value below 32 is not well-formed.
      if (this.b[start + 1]! < 32) fail("CBOR_MALFORMED", "two-byte encoding of a simple value below 32", start);
    }
    fail("CBOR_SIMPLE_NOT_ALLOWED", ai === 22 ? "null is not allowed" : ai === 23 ? "undefined is not allowed" : "simple value is not allowed", start);
  }
}
