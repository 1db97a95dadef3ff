import { execFileSync } from "node:child_process";
import { create, createFileRegistry, fromBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, CapabilitySchema, AvailabilityWindowSchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import type { CborMap, CborValue } from "../cbor/value.js";
import { decodeMessage, encodeMessage } from "./message-codec.js";
import { messageToCbor } from "./to-cbor.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
let Kitchen: DescMessage;
let Inner: DescMessage;

beforeAll(() => {
  // A test-only schema with every field kind, compiled by buf at test time.
  const bin = execFileSync("node_modules/.bin/buf", ["build", "reference/src/codec/testdata", "-o", "-#format=binpb"]);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, new Uint8Array(bin)));
  Kitchen = registry.getMessage("test.v1.Kitchen")!;
  Inner = registry.getMessage("test.v1.Inner")!;
});

const map = (entries: [string, CborValue][]): CborMap => new Map(entries);
const decodeCode = (desc: DescMessage, value: CborValue) => {
  const v = decodeMessage(desc, encodeCanonical(value));
  return v.ok ? "ok" : v.error.code;
};

describe("ENC-013: field presence", () => {
  it("an empty message is the empty map", () => {
    expect(hex(encodeMessage(Kitchen, create(Kitchen)))).toBe("a0");
  });
  it("implicit-presence fields at their default are omitted; set ones are written under the .proto name", () => {
    const m = create(Kitchen, { i32: 0, text: "", flag: false, data: new Uint8Array(0), u64: 5n, list: [] } as never);
    expect([...messageToCbor(Kitchen, m).keys()]).toEqual(["u64"]);
  });
  it("explicit presence: an optional field set to zero is written", () => {
    const m = create(Kitchen, { opt: 0 } as never);
    expect(hex(encodeMessage(Kitchen, m))).toBe("a1636f707400");
  });
  it("explicit presence: a set but empty nested message is written as an empty map", () => {
    const m = create(Kitchen, { inner: {} } as never);
    expect(hex(encodeMessage(Kitchen, m))).toBe("a165696e6e6572a0");
  });
  it("a oneof member set to its default is written", () => {
    const m = create(Kitchen, { choice: { case: "a", value: "" } } as never);
    expect(hex(encodeMessage(Kitchen, m))).toBe("a1616160");
  });
  const defaults: [string, CborValue][] = [
    ["i32", 0], ["s64", 0], ["u64", 0], ["flag", false], ["text", ""], ["data", new Uint8Array(0)], ["list", []], ["colors", []], ["dict", new Map()], ["color", 0],
  ];
  for (const [name, v] of defaults) {
    it(`rejects ${name} encoded with its default value`, () => {
      expect(decodeCode(Kitchen, map([[name, v]]))).toBe("SCHEMA_DEFAULT_VALUE_ENCODED");
    });
  }
  it("accepts an optional field encoded as zero, and it reads back as set", () => {
    const v = decodeMessage(Kitchen, encodeCanonical(map([["opt", 0]])));
    expect(v.ok && (v.value as unknown as { opt?: number }).opt).toBe(0);
  });
  it("round-trips every field kind", () => {
    const m = create(Kitchen, {
      i32: -7, s64: -(2n ** 62n), u64: 2n ** 64n - 1n, u32: 4294967295, flag: true, text: "héllo", data: new Uint8Array([0, 255]), opt: 3,
      inner: { name: "x" }, list: ["b", "a"], colors: [2, 1], dict: { z: { name: "1" }, a: {} }, choice: { case: "b", value: { name: "y" } }, color: 1,
    } as never);
    const bytes = encodeMessage(Kitchen, m);
    const back = decodeMessage<Message>(Kitchen, bytes);
    expect(back.ok).toBe(true);
    if (back.ok) expect(hex(encodeMessage(Kitchen, back.value))).toBe(hex(bytes));
  });
});

describe("ENC-014: enums", () => {
  it("are encoded as their numbers", () => {
    expect(hex(encodeMessage(Kitchen, create(Kitchen, { color: 2 } as never)))).toBe("a165636f6c6f7202");
  });
  it("rejects an undefined enum number", () => expect(decodeCode(Kitchen, map([["color", 9]]))).toBe("SCHEMA_UNKNOWN_ENUM_VALUE"));
  it("rejects the zero value inside a repeated enum", () => expect(decodeCode(Kitchen, map([["colors", [1, 0]]]))).toBe("SCHEMA_UNKNOWN_ENUM_VALUE"));
  it("rejects a negative enum number", () => expect(decodeCode(Kitchen, map([["color", -1]]))).toBe("SCHEMA_UNKNOWN_ENUM_VALUE"));
});

describe("ENC-015: unknown fields", () => {
  it("rejects a key that names no field", () => expect(decodeCode(Kitchen, map([["zzz", 1]]))).toBe("SCHEMA_UNKNOWN_FIELD"));
  it("rejects the JSON name of a field (field names are the .proto names)", () => {
    expect(decodeCode(CapabilityDescriptorSchema, map([["peerId", "x"]]))).toBe("SCHEMA_UNKNOWN_FIELD");
  });
  it("rejects unknown fields in nested messages and reports the path", () => {
    const v = decodeMessage(Kitchen, encodeCanonical(map([["inner", map([["nope", 1]])]])));
    expect(!v.ok && [v.error.code, v.error.path]).toEqual(["SCHEMA_UNKNOWN_FIELD", "inner.nope"]);
  });
});

describe("ENC-016: value types and integer ranges", () => {
  const cases: [string, CborValue, string][] = [
    ["i32", "1", "SCHEMA_WRONG_TYPE"], ["text", 1, "SCHEMA_WRONG_TYPE"], ["data", "00", "SCHEMA_WRONG_TYPE"], ["flag", 1, "SCHEMA_WRONG_TYPE"],
    ["list", "a", "SCHEMA_WRONG_TYPE"], ["list", [1], "SCHEMA_WRONG_TYPE"], ["inner", [], "SCHEMA_WRONG_TYPE"], ["dict", [], "SCHEMA_WRONG_TYPE"],
    ["color", "COLOR_RED", "SCHEMA_WRONG_TYPE"],
    ["i32", 2 ** 31, "SCHEMA_INTEGER_OUT_OF_RANGE"], ["i32", -(2 ** 31) - 1, "SCHEMA_INTEGER_OUT_OF_RANGE"], ["u32", -1, "SCHEMA_INTEGER_OUT_OF_RANGE"],
    ["u32", 2 ** 32, "SCHEMA_INTEGER_OUT_OF_RANGE"], ["u64", -1, "SCHEMA_INTEGER_OUT_OF_RANGE"], ["s64", 2n ** 63n, "SCHEMA_INTEGER_OUT_OF_RANGE"],
  ];
  for (const [field, v, code] of cases) {
    it(`${field} = ${typeof v === "object" ? JSON.stringify(v) : String(v)} → ${code}`, () => expect(decodeCode(Kitchen, map([[field, v]]))).toBe(code));
  }
  it("accepts the ends of each range", () => {
    expect(decodeCode(Kitchen, map([["i32", -(2 ** 31)]]))).toBe("ok");
    expect(decodeCode(Kitchen, map([["u32", 2 ** 32 - 1]]))).toBe("ok");
    expect(decodeCode(Kitchen, map([["u64", 2n ** 64n - 1n]]))).toBe("ok");
    expect(decodeCode(Kitchen, map([["s64", -(2n ** 63n)]]))).toBe("ok");
  });
});

describe("ENC-017: oneof", () => {
  it("rejects two members of one oneof", () => {
    expect(decodeCode(Kitchen, map([["a", "x"], ["b", map([])]]))).toBe("SCHEMA_ONEOF_CONFLICT");
  });
  it("accepts one member", () => expect(decodeCode(Kitchen, map([["b", map([["name", "n"]])]]))).toBe("ok"));
});

describe("ENC-018: schema rules from (ap2p.v1.rules)", () => {
  const cap = (over: [string, CborValue][] = []): CborMap => {
    const base = new Map<string, CborValue>([["id", "generate"], ["namespace", "ai.image"], ["version", "1.0.0"]]);
    for (const [k, v] of over) base.set(k, v);
    return base;
  };
  const cases: [string, CborMap, string][] = [
    ["required field missing", new Map([["id", "x"], ["version", "1.0.0"]]), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["pattern: upper-case namespace", cap([["namespace", "AI.image"]]), "SCHEMA_PATTERN_MISMATCH"],
    ["pattern: version with a leading zero", cap([["version", "01.0.0"]]), "SCHEMA_PATTERN_MISMATCH"],
    ["pattern: element of a repeated field", cap([["tags", ["ok", "Not Ok"]]]), "SCHEMA_PATTERN_MISMATCH"],
    ["max_len in code points", cap([["id", "a".repeat(65)]]), "SCHEMA_LENGTH_OUT_OF_RANGE"],
    ["max_items", cap([["tags", Array.from({ length: 33 }, (_, i) => `t${i}`)]]), "SCHEMA_TOO_MANY_ITEMS"],
    ["unique", cap([["tags", ["a", "a"]]]), "SCHEMA_DUPLICATE_ITEM"],
    ["unique enum list", cap([["supported_tiers", [2, 2]]]), "SCHEMA_DUPLICATE_ITEM"],
  ];
  for (const [what, value, code] of cases) {
    it(`${what} → ${code}`, () => expect(decodeCode(CapabilitySchema, value)).toBe(code));
  }
  it("max_len counts code points, not bytes or UTF-16 units", () => {
    expect(decodeCode(CapabilitySchema, cap([["intents", ["😀".repeat(256)]]]))).toBe("ok");
    expect(decodeCode(CapabilitySchema, cap([["intents", ["😀".repeat(257)]]]))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
  });
  it("max_value and required on integers", () => {
    expect(decodeCode(AvailabilityWindowSchema, new Map([["weekdays", 128], ["end_minute", 10]]))).toBe("SCHEMA_INTEGER_OUT_OF_RANGE");
    expect(decodeCode(AvailabilityWindowSchema, new Map([["end_minute", 10]]))).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
    expect(decodeCode(AvailabilityWindowSchema, new Map([["weekdays", 127], ["end_minute", 1440]]))).toBe("ok");
  });
  it("a sender refuses to encode a message that breaks a rule", () => {
    expect(() => encodeMessage(CapabilitySchema, create(CapabilitySchema, { id: "x", version: "1.0.0" }))).toThrow(/required/);
  });
});

describe("spec/03-data-model.md §3.8 example", () => {
  it("encodes the AvailabilityWindow example exactly as the spec shows", () => {
    const w = create(AvailabilityWindowSchema, { weekdays: 31, startMinute: 480, endMinute: 1080 });
    expect(hex(encodeMessage(AvailabilityWindowSchema, w))).toBe("a368" + "7765656b64617973" + "181f" + "6a" + "656e645f6d696e757465" + "190438" + "6c" + "73746172745f6d696e757465" + "1901e0");
    const w0 = create(AvailabilityWindowSchema, { weekdays: 31, startMinute: 0, endMinute: 1080 });
    expect([...messageToCbor(AvailabilityWindowSchema, w0).keys()]).toEqual(["weekdays", "end_minute"]);
  });
});

describe("ENC-020: message hashes", () => {
  it("is SHA-256 of the canonical encoding, independent of how the message was built", async () => {
    const { messageHash } = await import("./hash.js");
    const { createHash } = await import("node:crypto");
    const w = create(AvailabilityWindowSchema, { weekdays: 31, startMinute: 480, endMinute: 1080 });
    const expected = createHash("sha256").update(encodeMessage(AvailabilityWindowSchema, w)).digest("hex");
    expect(hex(messageHash(AvailabilityWindowSchema, w))).toBe(expected);
    const again = create(AvailabilityWindowSchema, { endMinute: 1080, startMinute: 480, weekdays: 31 });
    expect(hex(messageHash(AvailabilityWindowSchema, again))).toBe(expected);
  });
});
