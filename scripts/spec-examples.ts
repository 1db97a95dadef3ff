// Worked examples for the specification, computed by the reference
// implementation so that the bytes printed in spec/ are always the bytes the
// code produces (spliced at <!-- BEGIN GENERATED: example/NAME --> markers).
import { getOption, hasOption, toJsonString, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { file_ap2p_v1_canary } from "../gen/ts/ap2p/v1/canary_pb.js";
import { file_ap2p_v1_connectivity, HandshakeTranscriptSchema } from "../gen/ts/ap2p/v1/connectivity_pb.js";
import { file_ap2p_v1_delegation } from "../gen/ts/ap2p/v1/delegation_pb.js";
import { file_ap2p_v1_descriptor } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { file_ap2p_v1_discovery } from "../gen/ts/ap2p/v1/discovery_pb.js";
import { file_ap2p_v1_evidence } from "../gen/ts/ap2p/v1/evidence_pb.js";
import { message_rules } from "../gen/ts/ap2p/v1/options_pb.js";
import { file_ap2p_v1_reputation } from "../gen/ts/ap2p/v1/reputation_pb.js";
import { file_ap2p_v1_signing } from "../gen/ts/ap2p/v1/signing_pb.js";
import { file_ap2p_v1_task } from "../gen/ts/ap2p/v1/task_pb.js";
import { file_ap2p_v1_vectors } from "../gen/ts/ap2p/v1/vectors_pb.js";
import { CapabilityDescriptorSchema } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { exampleDescriptor } from "../reference/src/descriptor/example.js";
import { RiskPolicySchema } from "../gen/ts/ap2p/v1/delegation_pb.js";
import { DEFAULT_RISK_POLICY } from "../reference/src/delegation/policy.js";
import { exampleHandshake } from "../reference/src/net/example.js";

/** Hex in lines of 32 bytes, for reading and copying. */
function hexBlock(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return (hex.match(/.{1,64}/g) ?? []).join("\n");
}

const FILES: readonly DescFile[] = [
  file_ap2p_v1_signing,
  file_ap2p_v1_descriptor,
  file_ap2p_v1_discovery,
  file_ap2p_v1_reputation,
  file_ap2p_v1_canary,
  file_ap2p_v1_task,
  file_ap2p_v1_evidence,
  file_ap2p_v1_delegation,
  file_ap2p_v1_vectors,
  file_ap2p_v1_connectivity,
];

/** The registry of signed message kinds (spec/04 §4.4), read from the schema's signed_content_type options. */
function contentTypeTable(): string {
  const rows = FILES.flatMap((f) => [...nestedTypes(f)])
    .filter((t): t is DescMessage => t.kind === "message" && hasOption(t, message_rules))
    .map((m) => `| \`${m.typeName}\` | \`${getOption(m, message_rules).signedContentType}\` | ${m.file.name}.proto |`);
  return ["| message | content type | schema |", "|---|---|---|", ...rows].join("\n");
}

/** The examples by name. */
export function specExamples(): (name: string) => string | undefined {
  const { descriptor, payload, bytes } = exampleDescriptor();
  const handshake = exampleHandshake();
  const examples: Record<string, string> = {
    "example/content-types": contentTypeTable(),
    "example/descriptor-json": ["```json", toJsonString(CapabilityDescriptorSchema, descriptor, { prettySpaces: 2 }), "```"].join("\n"),
    "example/default-risk-policy": ["```json", toJsonString(RiskPolicySchema, DEFAULT_RISK_POLICY, { prettySpaces: 2 }), "```"].join("\n"),
    "example/handshake-transcript-json": ["```json", toJsonString(HandshakeTranscriptSchema, handshake.transcript, { prettySpaces: 2 }), "```"].join("\n"),
    "example/handshake-proof-hex": [
      `Payload (${handshake.payload.length} bytes):`,
      "",
      "```",
      hexBlock(handshake.payload),
      "```",
      "",
      `COSE_Sign1 (${handshake.bytes.length} bytes):`,
      "",
      "```",
      hexBlock(handshake.bytes),
      "```",
    ].join("\n"),
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
