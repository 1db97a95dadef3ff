// Worked examples for the specification, computed by the reference
// implementation so that the bytes printed in spec/ are always the bytes the
// code produces (spliced at <!-- BEGIN GENERATED: example/NAME --> markers).
import { toJsonString } from "@bufbuild/protobuf";
import { CapabilityDescriptorSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { exampleDescriptor } from "../reference/src/descriptor/example.js";

/** Hex in lines of 32 bytes, for reading and copying. */
function hexBlock(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return (hex.match(/.{1,64}/g) ?? []).join("\n");
}

/** The examples by name. */
export function specExamples(): (name: string) => string | undefined {
  const { descriptor, payload, bytes } = exampleDescriptor();
  const examples: Record<string, string> = {
    "example/descriptor-json": ["```json", toJsonString(CapabilityDescriptorSchema, descriptor, { prettySpaces: 2 }), "```"].join("\n"),
    "example/descriptor-hex": [
      `Payload (${payload.length} bytes):`,
      "",
      "```",
      hexBlock(payload),
      "```",
      "",
      `COSE_Sign1 (${bytes.length} bytes):`,
      "",
      "```",
      hexBlock(bytes),
      "```",
    ].join("\n"),
  };
  return (name) => examples[name];
}
