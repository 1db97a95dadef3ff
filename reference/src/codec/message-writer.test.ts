// The direct writer against the general encoding path (spec/03-data-model.md
// §3.2, §3.4): the same bytes for every message it writes, and the general
// path's verdict (bytes or misuse) for every message it leaves alone.
import { execFileSync } from "node:child_process";
import { clone, create, createFileRegistry, fromBinary, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, Modality, Transport, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { isAp2pError } from "../errors.js";
import { decodeMessageOrThrow } from "./message-codec.js";
import { writeMessage } from "./message-writer.js";
import { messageToCbor } from "./to-cbor.js";

let Plain: DescMessage;
let Kitchen: DescMessage;

beforeAll(() => {
  const bin = execFileSync("node_modules/.bin/buf", ["build", "reference/src/codec/testdata", "-o", "-#format=binpb"]);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, new Uint8Array(bin)));
  Plain = registry.getMessage("test.v1.Plain")!;
  Kitchen = registry.getMessage("test.v1.Kitchen")!;
});

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const general = (desc: DescMessage, m: Message) => encodeCanonical(messageToCbor(desc, m));
const outcome = (f: () => Uint8Array | undefined) => {
  try {
    const b = f();
    return b === undefined ? "undefined" : hex(b);
  } catch (e) {
    if (isAp2pError(e)) return `${e.code}: ${e.message}`;
    return `${(e as Error).name}`;
  }
};

// Values of every JavaScript type a field could be given, right or wrong.
const VALUES: unknown[] = [
  "", "a", "é", "😀", "\ud800", "x".repeat(300),
  0, 1, -1, 23, 24, 255, 256, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32), -(2 ** 32) - 1, 2 ** 53 - 1, 2 ** 53, -0, 1.5, NaN,
  0n, 1n, -1n, 2n ** 32n, -(2n ** 32n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n,
  true, false, new Uint8Array(0), new Uint8Array(30), Buffer.from([1, 2]), null, undefined, [], ["a"], {}, "12",
];

function fill(desc: DescMessage, pick: () => number, depth: number): Message {
  const m = create(desc) as unknown as Record<string, unknown>;
  for (const f of desc.fields) {
    if (pick() % 3 === 0) continue;
    const value = pick() % 4 === 0 ? VALUES[pick() % VALUES.length] : plausible(f, pick, depth);
    if (f.oneof) m[f.oneof.localName] = { case: f.localName, value };
    else m[f.localName] = value;
  }
  return m as unknown as Message;
}

// A value of the type the field's schema gives it.
function plausible(f: DescField, pick: () => number, depth: number): unknown {
  const one = (kind: "scalar" | "enum" | "message"): unknown => {
    if (kind === "message") return depth > 3 ? create(f.message!) : fill(f.message!, pick, depth + 1);
    if (kind === "enum") return f.enum!.values[pick() % f.enum!.values.length]!.number;
    switch (f.scalar) {
      case ScalarType.STRING:
        return ["", "a", "😀", "name", "x".repeat(30)][pick() % 5];
      case ScalarType.BYTES:
        return new Uint8Array(pick() % 30);
      case ScalarType.BOOL:
        return pick() % 2 === 0;
      case ScalarType.INT64:
      case ScalarType.UINT64:
      case ScalarType.SINT64:
        return [0n, 1n, 24n, 2n ** 32n, 2n ** 40n][pick() % 5];
      default:
        return [0, 1, 23, 24, 255, 256, 65536, 2 ** 31 - 1][pick() % 8];
    }
  };
  if (f.fieldKind === "list") return Array.from({ length: pick() % 4 }, () => one(f.listKind));
  return one(f.fieldKind as "scalar" | "enum" | "message");
}

describe("the direct writer writes what the general path writes (ENC-001)", () => {
  it("leaves schemas with map fields to the general path", () => {
    expect(writeMessage(Kitchen, create(Kitchen))).toBeUndefined();
  });

  it("ENC-001: random messages, with values of every type: the same bytes, or the general path's outcome", () => {
    let written = 0;
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const pick = () => stream.next().value as number;
        const m = fill(Plain, pick, 0);
        const fast = outcome(() => writeMessage(Plain, m));
        const slow = outcome(() => general(Plain, m));
        // Bytes when it writes; otherwise nothing, and the general path decides.
        if (fast !== "undefined") {
          written++;
          expect(fast).toBe(slow);
        }
        expect(outcome(() => writeMessage(Plain, m) ?? general(Plain, m))).toBe(slow);
      }),
      { numRuns: 4000 },
    );
    expect(written).toBeGreaterThan(100);
  });

  it("ENC-001: AP2P messages: a descriptor, a query, and messages read back from their bytes", () => {
    const descriptor = create(CapabilityDescriptorSchema, {
      peerId: "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw",
      seq: 2n ** 40n,
      issuedAt: 1767225600000n,
      expiresAt: 1767225660000n,
      displayName: "Bildagent 😀",
      capabilities: [
        {
          namespace: "ai.image",
          id: "generate",
          version: "1.2.0",
          intents: ["create an image"],
          inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
          constraints: { maxLatencyMs: 4000, price: { currency: "EUR", amountMicros: 2000n, unit: 1 }, availability: [{ weekdays: 31, startMinute: 0, endMinute: 1440 }] },
          supportedTiers: [VerificationTier.CANARY],
        },
      ],
      endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:7443/ap2p" }],
    });
    const query = create(QuerySchema, { namespace: "ai.image", id: "gen", idMatch: MatchMode.PREFIX, nonce: new Uint8Array(16), maxResults: 10, onDeviceOnly: true });
    for (const [desc, m] of [
      [CapabilityDescriptorSchema, descriptor],
      [QuerySchema, query],
    ] as const) {
      const bytes = writeMessage(desc, m)!;
      expect(hex(bytes)).toBe(hex(general(desc, m)));
      expect(hex(writeMessage(desc, decodeMessageOrThrow(desc, bytes))!)).toBe(hex(bytes));
      // A message of another type counts as having no field set, on both paths.
      const other = clone(desc, m) as unknown as { $typeName: string };
      other.$typeName = "ap2p.v1.Other";
      expect(hex(writeMessage(desc, other as unknown as Message)!)).toBe(hex(general(desc, other as unknown as Message)));
    }
  });
});
