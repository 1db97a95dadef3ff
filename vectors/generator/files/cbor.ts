// cbor.json: the CBOR profile of AP2P messages (spec/03-data-model.md §3.1–3.3),
// one defect per input, checked with the operation cbor.decode.
import { cat, filled, hex, unhex, utf8 } from "../bytes.js";
import { enc, head, headWidth, Ordered, Raw, Tagged, type W } from "../cbor-writer.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";

type Input = Uint8Array | string;
const bytesOf = (input: Input) => (typeof input === "string" ? unhex(input) : input);

function ok(id: string, requirements: string[], comment: string, input: Input, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: { encoded: hex(bytesOf(input)) } });
}

function bad(id: string, error: string, requirements: string[], comment: string, input: Input, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { encoded: hex(bytesOf(input)) } });
}

/** n nested arrays around an empty array: depth n + 1. */
function nestedArrays(depth: number): Uint8Array {
  return cat(filled(depth - 1, 0x81), Uint8Array.of(0x80));
}

/** n nested maps {"a": {"a": ... {}}}: depth n. */
function nestedMaps(depth: number): Uint8Array {
  let v: W = new Map();
  for (let i = 1; i < depth; i++) v = { a: v };
  return enc(v);
}

const A = enc("a");

function build() {
  const wellFormed = group(
    "cbor.decode",
    "Items of the profile in their one deterministic encoding: accepted. The profile allows any single item at the top; a message is a map.",
    {},
    [
      ok("cbor/valid/uint-0-001", ["ENC-002"], "0 in the initial byte", "00"),
      ok("cbor/valid/uint-23-001", ["ENC-002"], "23, the largest argument of the initial byte", "17"),
      ok("cbor/valid/uint-24-001", ["ENC-002"], "24, the smallest one-byte argument", "1818"),
      ok("cbor/valid/uint-255-001", ["ENC-002"], "255, the largest one-byte argument", "18ff"),
      ok("cbor/valid/uint-256-001", ["ENC-002"], "256, the smallest two-byte argument", "190100"),
      ok("cbor/valid/uint-65535-001", ["ENC-002"], "65535, the largest two-byte argument", "19ffff"),
      ok("cbor/valid/uint-65536-001", ["ENC-002"], "65536, the smallest four-byte argument", "1a00010000"),
      ok("cbor/valid/uint-2p32-minus-1-001", ["ENC-002"], "2^32 − 1, the largest four-byte argument", "1affffffff"),
      ok("cbor/valid/uint-2p32-001", ["ENC-002"], "2^32, the smallest eight-byte argument", "1b0000000100000000"),
      ok("cbor/valid/uint-max-001", ["ENC-002", "ENC-016"], "2^64 − 1, the largest unsigned integer", "1bffffffffffffffff", ["IntegerRange"]),
      ok("cbor/valid/nint-minus-1-001", ["ENC-002"], "−1", "20"),
      ok("cbor/valid/nint-minus-24-001", ["ENC-002"], "−24, the last negative integer of the initial byte", "37"),
      ok("cbor/valid/nint-minus-25-001", ["ENC-002"], "−25, the first one-byte negative integer", "3818"),
      ok("cbor/valid/nint-minus-257-001", ["ENC-002"], "−257, the first two-byte negative integer", "390100"),
      ok("cbor/valid/nint-min-001", ["ENC-016"], "−2^63, the smallest integer the data model allows", "3b7fffffffffffffff", ["IntegerRange"]),
      ok("cbor/valid/bytes-empty-001", ["ENC-002"], "the empty byte string", "40"),
      ok("cbor/valid/bytes-23-001", ["ENC-002"], "a 23-byte string: length in the initial byte", cat(head(2, 23), filled(23, 0xab))),
      ok("cbor/valid/bytes-24-001", ["ENC-002"], "a 24-byte string: one-byte length", cat(head(2, 24), filled(24, 0xab))),
      ok("cbor/valid/text-empty-001", ["ENC-002"], "the empty text string", "60"),
      ok("cbor/valid/text-ascii-001", ["ENC-009"], '"a"', "6161"),
      ok("cbor/valid/text-24-001", ["ENC-002"], "a 24-byte text string: one-byte length", enc("abcdefghijklmnopqrstuvwx")),
      ok("cbor/valid/text-two-byte-utf8-001", ["ENC-009"], '"é" (U+00E9), two UTF-8 bytes', enc("é")),
      ok("cbor/valid/text-four-byte-utf8-001", ["ENC-009"], "U+1F600, four UTF-8 bytes", enc("😀")),
      ok("cbor/valid/text-max-code-point-001", ["ENC-009"], "U+10FFFF, the largest code point", "64f48fbfbf"),
      ok("cbor/valid/text-bom-001", ["ENC-009"], "a text string starting with U+FEFF: an ordinary character, kept and signed as bytes", "65efbbbf6162"),
      ok("cbor/valid/text-not-normalized-001", ["ENC-009"], '"e" + U+0301 (combining acute): valid UTF-8, no normalisation is applied', "6365cc81"),
      ok("cbor/valid/false-001", ["ENC-008"], "false", "f4"),
      ok("cbor/valid/true-001", ["ENC-008"], "true", "f5"),
      ok("cbor/valid/array-empty-001", ["ENC-003"], "the empty array", "80"),
      ok("cbor/valid/array-001", ["ENC-003"], "[1, 2]", "820102"),
      ok("cbor/valid/map-empty-001", ["ENC-004"], "the empty map", "a0"),
      ok("cbor/valid/map-001", ["ENC-004", "ENC-005"], '{"a": 1}', "a1616101"),
      ok("cbor/valid/map-sorted-001", ["ENC-004"], '{"a": 1, "b": 2}: keys in bytewise order', "a2616101616202"),
      ok("cbor/valid/map-length-first-001", ["ENC-004"], '{"b": 1, "aa": 2}: the shorter encoded key sorts first', enc(new Ordered([["b", 1], ["aa", 2]]))),
      ok("cbor/valid/map-utf8-order-001", ["ENC-004"], '{"z": 1, "é": 2}: "é" is two bytes long, so it sorts after "z"', enc(new Ordered([["z", 1], ["é", 2]]))),
      ok("cbor/valid/map-nested-001", ["ENC-004"], "a map holding an array holding a map", enc({ a: [{ b: true }], c: utf8("x") })),
      ok("cbor/valid/depth-16-arrays-001", ["ENC-010"], "arrays nested 16 deep, the limit", nestedArrays(16), ["DepthLimit"]),
      ok("cbor/valid/depth-16-maps-001", ["ENC-010"], "maps nested 16 deep, the limit", nestedMaps(16), ["DepthLimit"]),
    ],
  );

  // ENC-002: one vector per major type and argument width. Each argument is
  // the largest value that a shorter form could hold.
  const NS = "ENC-002";
  const nonShortest = group("cbor.decode", "Non-shortest heads (ENC-002): every major type with a length or value, every width.", {}, [
    bad("cbor/non-shortest/uint-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "23 in a one-byte argument", headWidth(0, 23, 1), ["NonShortestHead"]),
    bad("cbor/non-shortest/uint-1-byte-zero-001", "CBOR_NON_SHORTEST_HEAD", [NS], "0 in a one-byte argument", headWidth(0, 0, 1), ["NonShortestHead"]),
    bad("cbor/non-shortest/uint-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "255 in a two-byte argument", headWidth(0, 255, 2), ["NonShortestHead"]),
    bad("cbor/non-shortest/uint-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "65535 in a four-byte argument", headWidth(0, 65535, 4), ["NonShortestHead"]),
    bad("cbor/non-shortest/uint-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "2^32 − 1 in an eight-byte argument", headWidth(0, 0xffffffffn, 8), ["NonShortestHead"]),
    bad("cbor/non-shortest/nint-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "−24 in a one-byte argument", headWidth(1, 23, 1), ["NonShortestHead"]),
    bad("cbor/non-shortest/nint-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "−256 in a two-byte argument", headWidth(1, 255, 2), ["NonShortestHead"]),
    bad("cbor/non-shortest/nint-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "−65536 in a four-byte argument", headWidth(1, 65535, 4), ["NonShortestHead"]),
    bad("cbor/non-shortest/nint-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "−2^32 in an eight-byte argument", headWidth(1, 0xffffffffn, 8), ["NonShortestHead"]),
    bad("cbor/non-shortest/bytes-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "a one-byte string with a one-byte length", cat(headWidth(2, 1, 1), Uint8Array.of(0)), ["NonShortestHead"]),
    bad("cbor/non-shortest/bytes-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "a 24-byte string with a two-byte length", cat(headWidth(2, 24, 2), filled(24)), ["NonShortestHead"]),
    bad("cbor/non-shortest/bytes-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "an empty string with a four-byte length", headWidth(2, 0, 4), ["NonShortestHead"]),
    bad("cbor/non-shortest/bytes-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "an empty string with an eight-byte length", headWidth(2, 0, 8), ["NonShortestHead"]),
    bad("cbor/non-shortest/text-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '"a" with a one-byte length', cat(headWidth(3, 1, 1), utf8("a")), ["NonShortestHead"]),
    bad("cbor/non-shortest/text-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '"a" with a two-byte length', cat(headWidth(3, 1, 2), utf8("a")), ["NonShortestHead"]),
    bad("cbor/non-shortest/text-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '"a" with a four-byte length', cat(headWidth(3, 1, 4), utf8("a")), ["NonShortestHead"]),
    bad("cbor/non-shortest/text-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '"a" with an eight-byte length', cat(headWidth(3, 1, 8), utf8("a")), ["NonShortestHead"]),
    bad("cbor/non-shortest/array-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "the empty array with a one-byte count", headWidth(4, 0, 1), ["NonShortestHead"]),
    bad("cbor/non-shortest/array-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "[0] with a two-byte count", cat(headWidth(4, 1, 2), unhex("00")), ["NonShortestHead"]),
    bad("cbor/non-shortest/array-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "[0] with a four-byte count", cat(headWidth(4, 1, 4), unhex("00")), ["NonShortestHead"]),
    bad("cbor/non-shortest/array-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "[0] with an eight-byte count", cat(headWidth(4, 1, 8), unhex("00")), ["NonShortestHead"]),
    bad("cbor/non-shortest/map-1-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], "the empty map with a one-byte count", headWidth(5, 0, 1), ["NonShortestHead"]),
    bad("cbor/non-shortest/map-2-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '{"a": 1} with a two-byte count', cat(headWidth(5, 1, 2), A, unhex("01")), ["NonShortestHead"]),
    bad("cbor/non-shortest/map-4-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '{"a": 1} with a four-byte count', cat(headWidth(5, 1, 4), A, unhex("01")), ["NonShortestHead"]),
    bad("cbor/non-shortest/map-8-byte-001", "CBOR_NON_SHORTEST_HEAD", [NS], '{"a": 1} with an eight-byte count', cat(headWidth(5, 1, 8), A, unhex("01")), ["NonShortestHead"]),
    bad("cbor/non-shortest/nested-value-001", "CBOR_NON_SHORTEST_HEAD", [NS], '{"a": 1} with the 1 in a one-byte argument', enc({ a: new Raw(headWidth(0, 1, 1)) }), ["NonShortestHead"]),
    bad("cbor/non-shortest/map-key-length-001", "CBOR_NON_SHORTEST_HEAD", [NS, "ENC-001"], '{"a": 1} with the key\'s length in a one-byte argument', cat(unhex("a1"), headWidth(3, 1, 1), utf8("a"), unhex("01")), ["NonShortestHead"]),
    bad("cbor/non-shortest/in-array-001", "CBOR_NON_SHORTEST_HEAD", [NS], "[1, 2] with the 2 in a two-byte argument", cat(unhex("8201"), headWidth(0, 2, 2)), ["NonShortestHead"]),
  ]);

  const IL = "ENC-003";
  const indefinite = group("cbor.decode", "Indefinite-length items (ENC-003), of every kind that has one.", {}, [
    bad("cbor/indefinite/bytes-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length byte string of one chunk", "5f4101ff", ["IndefiniteLength"]),
    bad("cbor/indefinite/bytes-empty-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length byte string with no chunks", "5fff", ["IndefiniteLength"]),
    bad("cbor/indefinite/text-001", "CBOR_INDEFINITE_LENGTH", [IL], 'an indefinite-length text string of chunks "a", "b"', "7f61616162ff", ["IndefiniteLength"]),
    bad("cbor/indefinite/array-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length array [1]", "9f01ff", ["IndefiniteLength"]),
    bad("cbor/indefinite/array-empty-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length empty array", "9fff", ["IndefiniteLength"]),
    bad("cbor/indefinite/map-001", "CBOR_INDEFINITE_LENGTH", [IL], 'an indefinite-length map {"a": 1}', "bf616101ff", ["IndefiniteLength"]),
    bad("cbor/indefinite/map-empty-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length empty map", "bfff", ["IndefiniteLength"]),
    bad("cbor/indefinite/nested-001", "CBOR_INDEFINITE_LENGTH", [IL], '{"a": [_ 1]}: an indefinite-length array as a map value', enc({ a: new Raw(unhex("9f01ff")) }), ["IndefiniteLength"]),
    bad("cbor/indefinite/map-key-001", "CBOR_INDEFINITE_LENGTH", [IL], "an indefinite-length text string as a map key", cat(unhex("a1"), unhex("7f6161ff"), unhex("01")), ["IndefiniteLength"]),
  ]);

  const keys = group("cbor.decode", "Map keys: order, duplicates and types (ENC-004, ENC-005).", {}, [
    bad("cbor/map-keys/unsorted-001", "CBOR_MAP_KEYS_UNSORTED", ["ENC-004", "ENC-001"], '{"b": 1, "a": 2}', enc(new Ordered([["b", 1], ["a", 2]])), ["UnsortedKeys"]),
    bad("cbor/map-keys/unsorted-length-first-001", "CBOR_MAP_KEYS_UNSORTED", ["ENC-004"], '{"aa": 1, "b": 2}: sorted as strings, but "b" encodes shorter and must come first', enc(new Ordered([["aa", 1], ["b", 2]])), ["UnsortedKeys"]),
    bad("cbor/map-keys/unsorted-nested-001", "CBOR_MAP_KEYS_UNSORTED", ["ENC-004"], "unsorted keys in a map inside an array", enc([new Ordered([["y", 1], ["x", 2]])]), ["UnsortedKeys"]),
    bad("cbor/map-keys/unsorted-utf8-001", "CBOR_MAP_KEYS_UNSORTED", ["ENC-004"], '{"é": 1, "z": 2}: code-point order, but "z" encodes shorter', enc(new Ordered([["é", 1], ["z", 2]])), ["UnsortedKeys"]),
    bad("cbor/map-keys/duplicate-001", "CBOR_DUPLICATE_MAP_KEY", ["ENC-004"], '{"a": 1, "a": 2}', enc(new Ordered([["a", 1], ["a", 2]])), ["DuplicateKey"]),
    bad("cbor/map-keys/duplicate-same-value-001", "CBOR_DUPLICATE_MAP_KEY", ["ENC-004"], '{"a": 1, "a": 1}: a repeated entry, even with the same value', enc(new Ordered([["a", 1], ["a", 1]])), ["DuplicateKey"]),
    bad("cbor/map-keys/duplicate-nested-001", "CBOR_DUPLICATE_MAP_KEY", ["ENC-004"], "a repeated key in a nested map", enc({ m: new Ordered([["k", true], ["k", false]]) }), ["DuplicateKey"]),
    bad("cbor/map-keys/uint-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "{1: 1}: an integer key", "a10101", ["MapKeyType"]),
    bad("cbor/map-keys/nint-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "{-1: 1}: a negative integer key", "a12001", ["MapKeyType"]),
    bad("cbor/map-keys/bytes-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "{h'61': 1}: a byte-string key", "a1416101", ["MapKeyType"]),
    bad("cbor/map-keys/array-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "{[]: 1}: an array key", "a18001", ["MapKeyType"]),
    bad("cbor/map-keys/bool-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], "{true: 1}: a boolean key", "a1f501", ["MapKeyType"]),
    bad("cbor/map-keys/nested-int-key-001", "CBOR_MAP_KEY_TYPE", ["ENC-005"], '{"a": {1: 1}}: an integer key in a nested map', enc({ a: new Raw(unhex("a10101")) }), ["MapKeyType"]),
  ]);

  const floats = group("cbor.decode", "Floating-point values of every width (ENC-006).", {}, [
    bad("cbor/float/half-zero-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "half-precision 0.0", "f90000", ["Float"]),
    bad("cbor/float/half-one-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "half-precision 1.0", "f93c00", ["Float"]),
    bad("cbor/float/half-nan-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "half-precision NaN", "f97e00", ["Float"]),
    bad("cbor/float/half-infinity-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "half-precision +infinity", "f97c00", ["Float"]),
    bad("cbor/float/single-one-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "single-precision 1.0", "fa3f800000", ["Float"]),
    bad("cbor/float/single-integral-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "single-precision 100000.0, integral but a float", "fa47c35000", ["Float"]),
    bad("cbor/float/double-one-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "double-precision 1.0", "fb3ff0000000000000", ["Float"]),
    bad("cbor/float/double-nan-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "double-precision NaN", "fb7ff8000000000000", ["Float"]),
    bad("cbor/float/double-negative-zero-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], "double-precision −0.0", "fb8000000000000000", ["Float"]),
    bad("cbor/float/in-map-001", "CBOR_FLOAT_NOT_ALLOWED", ["ENC-006"], '{"a": 1.5} with a half-precision 1.5', enc({ a: new Raw(unhex("f93e00")) }), ["Float"]),
  ]);

  const tags = group("cbor.decode", "Tags (ENC-007): none is allowed inside a message, not even 18.", {}, [
    bad("cbor/tag/date-time-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], 'tag 0 (date/time string) over "2026-01-01T00:00:00Z"', enc(new Tagged(0, "2026-01-01T00:00:00Z")), ["Tag"]),
    bad("cbor/tag/epoch-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "tag 1 (epoch time) over 1767225600", enc(new Tagged(1, 1767225600)), ["Tag"]),
    bad("cbor/tag/bignum-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "tag 2 (unsigned bignum) over h'01'", enc(new Tagged(2, Uint8Array.of(1))), ["Tag"]),
    bad("cbor/tag/cose-sign1-top-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "tag 18 at the top of a message: it marks the envelope, never a message", enc(new Tagged(18, [])), ["Tag"]),
    bad("cbor/tag/embedded-cbor-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "tag 24 (embedded CBOR) over h'00'", enc(new Tagged(24, Uint8Array.of(0))), ["Tag"]),
    bad("cbor/tag/self-describe-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], "tag 55799 (self-described CBOR) over {}", enc(new Tagged(55799, new Map())), ["Tag"]),
    bad("cbor/tag/in-map-001", "CBOR_TAG_NOT_ALLOWED", ["ENC-007"], '{"a": 1(0)}: a tag as a map value', enc({ a: new Tagged(1, 0) }), ["Tag"]),
  ]);

  const simple = group("cbor.decode", "Simple values (ENC-008, ENC-012): only false and true.", {}, [
    bad("cbor/simple/null-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "null", "f6", ["SimpleValue"]),
    bad("cbor/simple/undefined-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "undefined", "f7", ["SimpleValue"]),
    bad("cbor/simple/simple-0-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "simple(0)", "e0", ["SimpleValue"]),
    bad("cbor/simple/simple-19-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "simple(19), the last unassigned value below false", "f3", ["SimpleValue"]),
    bad("cbor/simple/simple-32-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "simple(32), the first two-byte simple value", "f820", ["SimpleValue"]),
    bad("cbor/simple/simple-255-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], "simple(255)", "f8ff", ["SimpleValue"]),
    bad("cbor/simple/null-in-map-001", "CBOR_SIMPLE_NOT_ALLOWED", ["ENC-008"], '{"a": null}', enc({ a: new Raw(unhex("f6")) }), ["SimpleValue"]),
    bad("cbor/simple/two-byte-false-001", "CBOR_MALFORMED", ["ENC-012"], "false written in the two-byte form f8 14: not well-formed (RFC 8949 §3.3)", "f814", ["ReservedEncoding"]),
    bad("cbor/simple/two-byte-0-001", "CBOR_MALFORMED", ["ENC-012"], "f8 00: a two-byte simple value below 32", "f800", ["ReservedEncoding"]),
    bad("cbor/simple/two-byte-31-001", "CBOR_MALFORMED", ["ENC-012"], "f8 1f: a two-byte simple value below 32", "f81f", ["ReservedEncoding"]),
  ]);

  const U = "ENC-009";
  const utf = group("cbor.decode", "Text strings that are not valid UTF-8 (ENC-009).", {}, [
    bad("cbor/utf8/lone-continuation-001", "CBOR_INVALID_UTF8", [U], "a lone continuation byte 80", "6180", ["InvalidUtf8"]),
    bad("cbor/utf8/byte-ff-001", "CBOR_INVALID_UTF8", [U], "the byte ff, never valid in UTF-8", "61ff", ["InvalidUtf8"]),
    bad("cbor/utf8/overlong-two-byte-001", "CBOR_INVALID_UTF8", [U], 'c0 af: an overlong "/"', "62c0af", ["InvalidUtf8"]),
    bad("cbor/utf8/overlong-three-byte-001", "CBOR_INVALID_UTF8", [U], "e0 80 80: an overlong NUL", "63e08080", ["InvalidUtf8"]),
    bad("cbor/utf8/surrogate-001", "CBOR_INVALID_UTF8", [U], "ed a0 80: the surrogate U+D800 encoded", "63eda080", ["InvalidUtf8"]),
    bad("cbor/utf8/above-max-001", "CBOR_INVALID_UTF8", [U], "f4 90 80 80: above U+10FFFF", "64f4908080", ["InvalidUtf8"]),
    bad("cbor/utf8/truncated-sequence-001", "CBOR_INVALID_UTF8", [U], "e2 82: a three-byte sequence cut short inside the string", "62e282", ["InvalidUtf8"]),
    bad("cbor/utf8/in-map-key-001", "CBOR_INVALID_UTF8", [U], "a map key that is not UTF-8", "a1618001", ["InvalidUtf8"]),
    bad("cbor/utf8/in-map-value-001", "CBOR_INVALID_UTF8", [U], "a map value that is not UTF-8", enc({ a: new Raw(unhex("62c0af")) }), ["InvalidUtf8"]),
  ]);

  const depth = group("cbor.decode", "Nesting depth (ENC-010): 16 is allowed, 17 is not; the outermost container is depth 1.", {}, [
    bad("cbor/depth/arrays-17-001", "CBOR_TOO_DEEP", ["ENC-010"], "arrays nested 17 deep", nestedArrays(17), ["DepthLimit"]),
    bad("cbor/depth/maps-17-001", "CBOR_TOO_DEEP", ["ENC-010"], "maps nested 17 deep", nestedMaps(17), ["DepthLimit"]),
    bad("cbor/depth/mixed-17-001", "CBOR_TOO_DEEP", ["ENC-010"], "a map holding arrays, 17 containers deep", enc({ a: new Raw(nestedArrays(16)) }), ["DepthLimit"]),
    ok("cbor/depth/mixed-16-001", ["ENC-010"], "a map holding arrays, 16 containers deep", enc({ a: new Raw(nestedArrays(15)) }), ["DepthLimit"]),
  ]);

  const M = "ENC-012";
  const malformed = group("cbor.decode", "Input that is not exactly one well-formed item (ENC-012): truncation, reserved values, misplaced breaks, trailing bytes.", {}, [
    bad("cbor/malformed/empty-001", "CBOR_MALFORMED", [M, "ERR-001", "ERR-003"], "no bytes at all", "", ["Truncated"]),
    bad("cbor/malformed/truncated-uint-1-001", "CBOR_MALFORMED", [M], "18: a one-byte argument missing", "18", ["Truncated"]),
    bad("cbor/malformed/truncated-uint-2-001", "CBOR_MALFORMED", [M], "19 01: a two-byte argument cut short", "1901", ["Truncated"]),
    bad("cbor/malformed/truncated-uint-4-001", "CBOR_MALFORMED", [M], "1a 00 00 01: a four-byte argument cut short", "1a000001", ["Truncated"]),
    bad("cbor/malformed/truncated-uint-8-001", "CBOR_MALFORMED", [M], "1b 00: an eight-byte argument cut short", "1b00", ["Truncated"]),
    bad("cbor/malformed/truncated-bytes-001", "CBOR_MALFORMED", [M], "a two-byte string with one byte", "4200", ["Truncated"]),
    bad("cbor/malformed/truncated-text-001", "CBOR_MALFORMED", [M], "a two-byte text string with one byte", "6261", ["Truncated"]),
    bad("cbor/malformed/truncated-array-001", "CBOR_MALFORMED", [M], "an array of two items with one", "8201", ["Truncated"]),
    bad("cbor/malformed/truncated-map-value-001", "CBOR_MALFORMED", [M], '{"a": ...} with no value', "a16161", ["Truncated"]),
    bad("cbor/malformed/truncated-map-entries-001", "CBOR_MALFORMED", [M], "a map of two entries with one", "a2616101", ["Truncated"]),
    bad("cbor/malformed/truncated-map-key-001", "CBOR_MALFORMED", [M, "ERR-001", "ERR-003"], "a map whose key is cut short", "a162", ["Truncated"]),
    bad("cbor/malformed/huge-length-001", "CBOR_MALFORMED", [M, "ERR-001", "ERR-003"], "a byte string claiming 2^64 − 1 bytes, with none", "5bffffffffffffffff", ["Truncated"]),
    bad("cbor/malformed/huge-count-001", "CBOR_MALFORMED", [M, "ERR-001", "ERR-003"], "an array claiming 2^32 − 1 items, with none", "9affffffff", ["Truncated"]),
    bad("cbor/malformed/reserved-28-uint-001", "CBOR_MALFORMED", [M], "additional information 28 on an unsigned integer", "1c", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-29-nint-001", "CBOR_MALFORMED", [M], "additional information 29 on a negative integer", "3d", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-30-bytes-001", "CBOR_MALFORMED", [M], "additional information 30 on a byte string", "5e", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-28-text-001", "CBOR_MALFORMED", [M], "additional information 28 on a text string", "7c", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-29-array-001", "CBOR_MALFORMED", [M], "additional information 29 on an array", "9d", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-30-map-001", "CBOR_MALFORMED", [M], "additional information 30 on a map", "be", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-28-tag-001", "CBOR_MALFORMED", [M], "additional information 28 on a tag", "dc", ["ReservedEncoding"]),
    bad("cbor/malformed/reserved-28-simple-001", "CBOR_MALFORMED", [M], "additional information 28 in major type 7", "fc", ["ReservedEncoding"]),
    bad("cbor/malformed/indefinite-uint-001", "CBOR_MALFORMED", [M], "additional information 31 on an unsigned integer: no such item", "1f", ["ReservedEncoding"]),
    bad("cbor/malformed/indefinite-nint-001", "CBOR_MALFORMED", [M], "additional information 31 on a negative integer: no such item", "3f", ["ReservedEncoding"]),
    bad("cbor/malformed/indefinite-tag-001", "CBOR_MALFORMED", [M], "additional information 31 on a tag: no such item", "df", ["ReservedEncoding"]),
    bad("cbor/malformed/lone-break-001", "CBOR_MALFORMED", [M], "a break code on its own", "ff", ["ReservedEncoding"]),
    bad("cbor/malformed/break-in-array-001", "CBOR_MALFORMED", [M], "a break code as an item of a definite-length array", "81ff", ["ReservedEncoding"]),
    bad("cbor/malformed/break-as-map-value-001", "CBOR_MALFORMED", [M], "a break code as a map value", "a16161ff", ["ReservedEncoding"]),
    bad("cbor/trailing/two-items-001", "CBOR_TRAILING_BYTES", [M], "two items: 0 0", "0000", ["TrailingBytes"]),
    bad("cbor/trailing/map-then-map-001", "CBOR_TRAILING_BYTES", [M], "{} {}", "a0a0", ["TrailingBytes"]),
    bad("cbor/trailing/map-then-zero-001", "CBOR_TRAILING_BYTES", [M], '{"a": 1} followed by a zero byte', "a161610100", ["TrailingBytes"]),
  ]);

  const ints = group("cbor.decode", "Integers below −2^63, outside every protobuf integer type (ENC-016).", {}, [
    bad("cbor/integer/below-int64-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], "−2^63 − 1", "3b8000000000000000", ["IntegerRange"]),
    bad("cbor/integer/min-nint-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], "−2^64, the smallest CBOR integer", "3bffffffffffffffff", ["IntegerRange"]),
    bad("cbor/integer/in-map-001", "SCHEMA_INTEGER_OUT_OF_RANGE", ["ENC-016"], '{"a": −2^63 − 1}', enc({ a: -(2n ** 63n) - 1n }), ["IntegerRange"]),
  ]);

  return {
    name: "cbor",
    description:
      "The CBOR profile of AP2P messages (spec/03-data-model.md §3.1–3.3): deterministic encoding, the data model, and the decoding limits. Each invalid input has exactly one defect. Operation cbor.decode. The size-limit vectors are in limits.json.",
    groups: [wellFormed, nonShortest, indefinite, keys, floats, tags, simple, utf, depth, malformed, ints],
  };
}

export const cborFile: VectorFileModule = { name: "cbor", build };
