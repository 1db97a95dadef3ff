// The one-pass reader against the decoding procedure stated stage by stage
// (spec/03-data-model.md §3.3): same verdict, same code, message and path,
// same decoded message, on random, corrupted and published inputs.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCanonical } from "../cbor/encode.js";
import type { CborMap, CborValue } from "../cbor/value.js";
import { isAp2pError } from "../errors.js";
import { MESSAGE_PROFILE } from "../cbor/decode.js";
import { decodeMessageInStagesOrThrow, decodeMessageOrThrow } from "./message-codec.js";
import { readerHandles } from "./message-reader.js";
import { writeMessage } from "./message-writer.js";
import { CapabilityDescriptorSchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { messageType } from "../../../vectors/runner/message-types.js";

let Kitchen: DescMessage;
let Plain: DescMessage;

beforeAll(() => {
  const bin = execFileSync("node_modules/.bin/buf", ["build", "reference/src/codec/testdata", "-o", "-#format=binpb"]);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, new Uint8Array(bin)));
  Kitchen = registry.getMessage("test.v1.Kitchen")!;
  Plain = registry.getMessage("test.v1.Plain")!;
});

type Outcome = { ok: true; message: Message } | { ok: false; code: string; message: string; path: string | undefined };

function outcome(f: () => Message): Outcome {
  try {
    return { ok: true, message: f() };
  } catch (e) {
    if (!isAp2pError(e)) throw e;
    return { ok: false, code: e.code, message: e.message, path: e.path };
  }
}

/** Both paths on the same bytes; returns the verdict code. */
function same(desc: DescMessage, bytes: Uint8Array): string {
  const reader = outcome(() => decodeMessageOrThrow(desc, bytes));
  const stages = outcome(() => decodeMessageInStagesOrThrow(desc, bytes));
  expect(reader, Buffer.from(bytes).toString("hex")).toEqual(stages);
  // What is accepted is its own canonical encoding, and the direct writer gives it back.
  if (reader.ok) expect(Buffer.from(writeMessage(desc, reader.message)!).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
  return reader.ok ? "ok" : reader.code;
}

// Values shaped like Plain: its field names (and a few others) as keys, values of every CBOR type.
const NAMES = ["i32", "s64", "u64", "u32", "flag", "text", "data", "opt", "inner", "list", "colors", "a", "b", "color", "inners", "i64", "nums", "blobs", "maybe", "next", "name", "zzz", "", "dict"];
const leaf: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, -(2 ** 32)),
  fc.constantFrom(2n ** 32n, -(2n ** 32n) - 1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), 2n ** 64n - 1n),
  fc.string({ maxLength: 6 }),
  fc.constant("\ufeffbom"),
  fc.boolean(),
  fc.uint8Array({ maxLength: 4 }),
);
const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), tie("v")), { selector: ([k]) => k, maxLength: 5 }).map((entries) => new Map(entries) as CborMap),
  ),
})).v;
const message = fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), value), { selector: ([k]) => k, maxLength: 8 }).map((entries) => new Map(entries) as CborMap);

// Corruptions: a byte overwritten, the input cut short, bytes inserted or appended.
const corruption = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer C> ? C : never;

function corrupt(bytes: Uint8Array, c: Corruption): Uint8Array {
  const at = bytes.length === 0 ? 0 : c.at % (bytes.length + (c.kind === "insert" ? 1 : 0));
  switch (c.kind) {
    case "set": {
      const out = bytes.slice();
      if (out.length > 0) out[at] = c.byte;
      return out;
    }
    case "cut":
      return bytes.subarray(0, at);
    case "insert":
      return Uint8Array.from([...bytes.subarray(0, at), ...c.bytes, ...bytes.subarray(at)]);
  }
}

describe("the one-pass reader gives the verdicts of the stage-by-stage procedure (ENC-012, ENC-019)", () => {
  it("handles proto3 schemas without map fields, and leaves the rest to the stages", () => {
    expect(readerHandles(Plain, MESSAGE_PROFILE)).toBe(true);
    expect(readerHandles(Kitchen, MESSAGE_PROFILE)).toBe(false);
    expect(readerHandles(CapabilityDescriptorSchema, MESSAGE_PROFILE)).toBe(true);
    expect(readerHandles(CapabilityDescriptorSchema, { ...MESSAGE_PROFILE, mapKeys: "int" })).toBe(false);
  });

  it("ENC-019: random values shaped like a message, and corruptions of them", () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(message, fc.array(corruption, { maxLength: 2 }), (m, corruptions) => {
        let bytes = encodeCanonical(m);
        codes.add(same(Plain, bytes));
        for (const c of corruptions) {
          bytes = corrupt(bytes, c);
          codes.add(same(Plain, bytes));
        }
      }),
      { numRuns: 3000 },
    );
    // The run reaches acceptance and the mapping and profile defects alike.
    for (const code of ["ok", "SCHEMA_UNKNOWN_FIELD", "SCHEMA_WRONG_TYPE", "SCHEMA_DEFAULT_VALUE_ENCODED", "SCHEMA_INTEGER_OUT_OF_RANGE", "CBOR_MALFORMED", "CBOR_TRAILING_BYTES"]) {
      expect(codes).toContain(code);
    }
  });

  it("ENC-010: nesting at and beyond the limit, through messages, lists and unchecked values", () => {
    const codes = new Set<string>();
    for (let depth = 1; depth <= 18; depth++) {
      // next.next...next.inners[0].name: messages inside messages, a list of messages at the bottom.
      let viaMessages: CborValue = new Map<string, CborValue>([["inners", [new Map([["name", "x"]])]]]);
      for (let i = 0; i < depth; i++) viaMessages = new Map([["next", viaMessages]]);
      // An unknown field holding nested arrays: checked by the profile only.
      let viaArrays: CborValue = [1];
      for (let i = 0; i < depth; i++) viaArrays = [viaArrays];
      // A wrong type deep down, then more nesting after it.
      let wrongThenDeep: CborValue = new Map<string, CborValue>([["a", 1], ["zzz", viaArrays]]);
      for (let i = 0; i < 3; i++) wrongThenDeep = new Map([["next", wrongThenDeep]]);
      for (const m of [viaMessages, new Map([["zzz", viaArrays]]), new Map([["list", viaArrays]]), wrongThenDeep]) codes.add(same(Plain, encodeCanonical(m)));
    }
    expect(codes).toEqual(new Set(["ok", "CBOR_TOO_DEEP", "SCHEMA_UNKNOWN_FIELD", "SCHEMA_WRONG_TYPE"]));
  });

  it("ENC-019: the published message vectors and corruptions of them", () => {
    const file = JSON.parse(readFileSync("vectors/v1/message.json", "utf8")) as {
      test_groups: { operation: string; shared?: { type?: string }; tests: { inputs: { encoded?: string } }[] }[];
    };
    const inputs: [DescMessage, Uint8Array][] = [];
    for (const group of file.test_groups) {
      if (group.operation !== "message.decode") continue;
      const desc = messageType(group.shared?.type ?? "");
      expect(desc, group.shared?.type).toBeDefined();
      if (desc === undefined) continue;
      for (const t of group.tests) if (t.inputs.encoded !== undefined) inputs.push([desc, Uint8Array.from(Buffer.from(t.inputs.encoded, "hex"))]);
    }
    expect(inputs.length).toBeGreaterThan(80);
    for (const [desc, bytes] of inputs) same(desc, bytes);
    fc.assert(
      fc.property(fc.nat(inputs.length - 1), fc.array(corruption, { minLength: 1, maxLength: 3 }), (i, corruptions) => {
        const [desc, original] = inputs[i]!;
        let bytes = original;
        for (const c of corruptions) bytes = corrupt(bytes, c);
        same(desc, bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
