// The schema examples, read by the reference implementation: valid JSON
// examples must also be well-formed under the CBOR mapping and the descriptor
// rules, and the SignedObject examples must carry signatures that verify.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromJson, fromJsonString, type DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, CapabilitySchema, ConstraintsSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { SignedObjectSchema } from "../gen/ts/ap2p/v1/signing_pb.js";
import { decodeMessage, encodeMessage } from "../reference/src/codec/message-codec.js";
import { checkStructureOrThrow } from "../reference/src/descriptor/verify.js";
import { verifySignedMessage } from "../reference/src/signed/signed-message.js";

const dir = (name: string) => join("schemas", "examples", name);
const examples = (name: string) =>
  readdirSync(dir(name))
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(dir(name), f), "utf8")) as unknown }));

describe("schema examples under the reference implementation", () => {
  const kinds: [string, DescMessage][] = [
    ["CapabilityDescriptor", CapabilityDescriptorSchema],
    ["Capability", CapabilitySchema],
    ["Constraints", ConstraintsSchema],
  ];
  for (const [name, schema] of kinds) {
    for (const { file, json } of examples(name)) {
      it(`ENC-013/ENC-018: ${name}/${file} encodes canonically and decodes back to the same bytes`, () => {
        const message = fromJson(schema, json as never);
        const bytes = encodeMessage(schema, message);
        const back = decodeMessage(schema, bytes);
        expect(back.ok).toBe(true);
        if (back.ok) expect(Buffer.from(encodeMessage(schema, back.value)).equals(Buffer.from(bytes))).toBe(true);
      });
    }
  }
  for (const { file, json } of examples("CapabilityDescriptor")) {
    it(`DESC-010/DESC-011: CapabilityDescriptor/${file} satisfies the descriptor's structural rules`, () => {
      const d = fromJson(CapabilityDescriptorSchema, json as never);
      expect(() => checkStructureOrThrow(d, d.peerId)).not.toThrow();
    });
  }
  for (const { file } of examples("SignedObject")) {
    it(`SIG-011: SignedObject/${file} carries a descriptor whose signature verifies`, () => {
      const signed = fromJsonString(SignedObjectSchema, readFileSync(join(dir("SignedObject"), file), "utf8"));
      const v = verifySignedMessage(CapabilityDescriptorSchema, signed.coseSign1);
      expect(v.ok ? "ok" : v.error.code).toBe("ok");
    });
  }
});
