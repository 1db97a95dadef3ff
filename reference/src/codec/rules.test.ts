// checkRules against the rules read straight off the schema (ENC-018): the
// checker works out what each field needs once, per field; the oracle below
// walks the descriptors with protobuf-es reflection on every call, as spec §3.5
// states the rules. Both must throw the same first error, code, message and
// path, on messages corrupted at random.
import { clone, create, getOption, hasOption, isFieldSet, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, Modality, Transport, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { rules as rulesExt } from "../../../gen/ts/ap2p/v1/options_pb.js";
import { Ap2pError, isAp2pError } from "../errors.js";
import { checkRules } from "./rules.js";

// The oracle: every field, in declaration order, with reflection.
function oracle(desc: DescMessage, message: Message, path = ""): void {
  const m = message as unknown as Record<string, unknown>;
  const fail = (code: ConstructorParameters<typeof Ap2pError>[0], text: string, at: string): never => {
    throw new Ap2pError(code, `${at}: ${text}`, { path: at });
  };
  for (const field of desc.fields) {
    const at = path ? `${path}.${field.name}` : field.name;
    const set = isFieldSet(message as never, field);
    const rules = hasOption(field, rulesExt) ? getOption(field, rulesExt) : undefined;
    if (rules?.required && !set) fail("SCHEMA_REQUIRED_FIELD_MISSING", "required field is missing", at);
    if (!set) continue;
    const value = field.oneof ? (m[field.oneof.localName] as { value: unknown }).value : m[field.localName];
    const scalar = (v: unknown, ai: string) => {
      if (rules === undefined) return;
      if (field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES) {
        const len = typeof v === "string" ? [...v].length : (v as Uint8Array).length;
        if ((rules.minLen && len < rules.minLen) || (rules.maxLen && len > rules.maxLen)) fail("SCHEMA_LENGTH_OUT_OF_RANGE", `length ${len} is outside ${rules.minLen || 0}..${rules.maxLen || "∞"}`, ai);
        if (rules.pattern && typeof v === "string" && !new RegExp(rules.pattern, "u").test(v)) {
          fail("SCHEMA_PATTERN_MISMATCH", `${JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v)} does not match ${rules.pattern}`, ai);
        }
      } else if (typeof v === "number" || typeof v === "bigint") {
        const b = BigInt(v);
        if ((rules.maxValue && b > rules.maxValue) || (rules.minValue && b < rules.minValue)) fail("SCHEMA_INTEGER_OUT_OF_RANGE", `${b} is outside ${rules.minValue}..${rules.maxValue || "∞"}`, ai);
      }
    };
    const enumValue = (v: number, ai: string, zeroAllowed: boolean) => {
      if (!field.enum!.values.some((x) => x.number === v) || (v === 0 && !zeroAllowed)) fail("SCHEMA_UNKNOWN_ENUM_VALUE", `${v} is not an allowed value of ${field.enum!.typeName}`, ai);
    };
    if (field.fieldKind === "scalar") scalar(value, at);
    else if (field.fieldKind === "enum") enumValue(value as number, at, true);
    else if (field.fieldKind === "message") oracle(field.message, value as Message, at);
    else if (field.fieldKind === "list") {
      const items = value as unknown[];
      if (rules?.maxItems && items.length > rules.maxItems) fail("SCHEMA_TOO_MANY_ITEMS", `${items.length} items, at most ${rules.maxItems} allowed`, at);
      items.forEach((item, i) => {
        if (field.listKind === "message") oracle(field.message, item as Message, `${at}[${i}]`);
        else if (field.listKind === "enum") enumValue(item as number, `${at}[${i}]`, false);
        else scalar(item, `${at}[${i}]`);
      });
      if (rules?.unique && field.listKind !== "message") {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          const key = item instanceof Uint8Array ? Buffer.from(item).toString("hex") : String(item);
          if (seen.has(key)) fail("SCHEMA_DUPLICATE_ITEM", "duplicate element", `${at}[${i}]`);
          seen.add(key);
        });
      }
    }
  }
}

const outcome = (f: () => void) => {
  try {
    f();
    return "ok";
  } catch (e) {
    if (!isAp2pError(e)) throw e;
    return { code: e.code, message: e.message, path: e.path };
  }
};

const DESCRIPTOR = create(CapabilityDescriptorSchema, {
  peerId: "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw",
  seq: 1n,
  issuedAt: 1767225600000n,
  expiresAt: 1767225660000n,
  displayName: "Image agent",
  capabilities: [
    {
      namespace: "ai.image",
      id: "generate",
      version: "1.2.0",
      intents: ["create an image from a prompt"],
      tags: ["image", "diffusion"],
      inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
      outputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
      constraints: { maxLatencyMs: 4000, onDevice: true, regions: ["DE"], price: { currency: "EUR", amountMicros: 2000n, unit: 1 }, availability: [{ weekdays: 31, startMinute: 480, endMinute: 1080 }] },
      supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY],
    },
  ],
  endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:7443/ap2p" }],
});
const QUERY = create(QuerySchema, { namespace: "ai.image", id: "gen", idMatch: MatchMode.PREFIX, intent: "draw a cat", requiredTags: ["image"], allowedRegions: ["DE", "FR"], nonce: new Uint8Array(16), maxResults: 10 });

// Values a field can be given: edges of lengths in code points and bytes, patterns, integer bounds, enum values.
const STRINGS = ["", "a", "A", "ai.image", "1.2.0", "did:key:z6Mk", "😀", "😀😀", "😀😀😀", "EUR", "😀".repeat(32), "😀".repeat(33), "x".repeat(64), "x".repeat(65), "x".repeat(129), "x".repeat(257), "x".repeat(1025), "é".repeat(40)];
const NUMBERS = [0, 1, -1, 7, 31, 127, 128, 1439, 1440, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1];
const BIGINTS = [0n, 1n, -1n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 64n - 1n];

/** Assigns the field at a random place in the message a random value of its JS type, guided by the stream of choices. */
function corrupt(desc: DescMessage, message: Message, pick: () => number): void {
  const m = message as unknown as Record<string, unknown>;
  const field = desc.fields[pick() % desc.fields.length]!;
  const set = (v: unknown) => {
    if (field.oneof) m[field.oneof.localName] = v === undefined ? { case: undefined } : { case: field.localName, value: v };
    else m[field.localName] = v;
  };
  const scalarValue = (f: DescField): unknown => {
    switch (f.scalar) {
      case ScalarType.STRING:
        return STRINGS[pick() % STRINGS.length];
      case ScalarType.BYTES:
        return new Uint8Array([0, 15, 16, 17, 32, 64, 65][pick() % 7]!);
      case ScalarType.BOOL:
        return pick() % 2 === 0;
      case ScalarType.INT64:
      case ScalarType.UINT64:
      case ScalarType.SINT64:
      case ScalarType.FIXED64:
      case ScalarType.SFIXED64:
        return BIGINTS[pick() % BIGINTS.length];
      default:
        return NUMBERS[pick() % NUMBERS.length];
    }
  };
  const enumValue = (f: DescField) => [...f.enum!.values.map((v) => v.number), 99][pick() % (f.enum!.values.length + 1)]!;
  const current = field.oneof ? (m[field.oneof.localName] as { value: unknown }).value : m[field.localName];
  switch (field.fieldKind) {
    case "scalar":
      return set(field.proto.proto3Optional && pick() % 4 === 0 ? undefined : scalarValue(field));
    case "enum":
      return set(enumValue(field));
    case "message":
      if (current !== undefined && pick() % 3 !== 0) return corrupt(field.message, current as Message, pick);
      return set(pick() % 2 === 0 ? undefined : create(field.message));
    case "list": {
      const items = (current as unknown[]).slice();
      const choice = pick() % 5;
      if (choice === 0) items.length = 0;
      else if (choice === 1 && items.length > 0) items.push(items[0]);
      else if (choice === 2) for (let i = 0, n = pick() % 40; i < n; i++) items.push(field.listKind === "message" ? create(field.message) : field.listKind === "enum" ? enumValue(field) : scalarValue(field));
      else if (choice === 3 && items.length > 0 && field.listKind === "message") return corrupt(field.message, items[pick() % items.length] as Message, pick);
      else items.push(field.listKind === "message" ? create(field.message) : field.listKind === "enum" ? enumValue(field) : scalarValue(field));
      return set(items);
    }
    default:
      return;
  }
}

describe("ENC-018: checkRules gives the verdicts of the rules read off the schema", () => {
  it("ENC-018: the valid messages pass both", () => {
    expect(outcome(() => checkRules(CapabilityDescriptorSchema, DESCRIPTOR))).toBe("ok");
    expect(outcome(() => oracle(CapabilityDescriptorSchema, DESCRIPTOR))).toBe("ok");
    expect(outcome(() => checkRules(QuerySchema, QUERY))).toBe("ok");
  });

  it("ENC-018: messages corrupted at random get the same first error, code, message and path", () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 4 }), fc.infiniteStream(fc.nat()), (descriptor, times, stream) => {
        const desc = descriptor ? CapabilityDescriptorSchema : QuerySchema;
        const message = clone(desc, descriptor ? DESCRIPTOR : QUERY) as Message;
        const pick = () => stream.next().value as number;
        for (let i = 0; i < times; i++) corrupt(desc, message, pick);
        const got = outcome(() => checkRules(desc, message));
        expect(got).toEqual(outcome(() => oracle(desc, message)));
        codes.add(typeof got === "string" ? got : got.code);
      }),
      { numRuns: 3000 },
    );
    for (const code of ["ok", "SCHEMA_REQUIRED_FIELD_MISSING", "SCHEMA_LENGTH_OUT_OF_RANGE", "SCHEMA_PATTERN_MISMATCH", "SCHEMA_TOO_MANY_ITEMS", "SCHEMA_DUPLICATE_ITEM", "SCHEMA_UNKNOWN_ENUM_VALUE"]) {
      expect(codes).toContain(code);
    }
  });
});
