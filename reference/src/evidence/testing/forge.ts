// Test utilities, not public API: a valid end-to-end Tier 3 scenario and the
// means to break it one defect at a time (a broken chain, a wrong hash, a
// dropped receipt, a wrong nonce, an unknown attestation format, time
// disorder). Signing here bypasses the builders' own checks on purpose; the
// schema rules still apply unless a function says otherwise.
import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { CapabilitySchema, Modality, VerificationTier, type Capability } from "../../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { EvidencePackageSchema, ToolReceiptSchema, type PlatformAttestation } from "../../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskRequestSchema, TaskResultSchema, TaskStatus, type TaskRequest } from "../../../../gen/ts/ap2p/v1/task_pb.js";
import { encodeCanonical } from "../../cbor/encode.js";
import { messageHash, sha256Bytes } from "../../codec/hash.js";
import { messageToCbor } from "../../codec/to-cbor.js";
import { signSign1 } from "../../cose/sign1.js";
import { didFromPublicKey } from "../../crypto/did-key.js";
import { publicKeyFromSecret } from "../../crypto/ed25519.js";
import { contentTypeOf } from "../../signed/signed-message.js";
import { issueTestAttestation } from "../attestation/test-format.js";

const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** RFC 8032 §7.1 TEST 1, 2 and 3 secret keys: published keys, for tests only. */
export const DELEGATOR_SK = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
export const PROVIDER_SK = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
export const OTHER_SK = unhex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");
export const DELEGATOR = didFromPublicKey(publicKeyFromSecret(DELEGATOR_SK));
export const PROVIDER = didFromPublicKey(publicKeyFromSecret(PROVIDER_SK));
export const OTHER = didFromPublicKey(publicKeyFromSecret(OTHER_SK));
/** 2026-01-01T00:00:00Z. */
export const T0 = 1767225600000n;
/** The scenario's task lasts one minute. */
export const DEADLINE = T0 + 60_000n;
/** When the scenario's result completes, and when the delegator checks it. */
export const COMPLETED_AT = T0 + 5_000n;
export const ARRIVED_AT = T0 + 6_000n;
export const NONCE = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
export const MEASUREMENT = sha256Bytes(utf8("example provider runtime 1.0"));

/** The capability the scenario's provider offers. */
export const OFFERED: Capability[] = [
  create(CapabilitySchema, {
    namespace: "ai.image",
    id: "generate",
    version: "1.2.0",
    inputs: [{ name: "prompt", modality: Modality.TEXT }],
    outputs: [{ name: "image", modality: Modality.IMAGE }],
    supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE],
  }),
];

/** Signs any message of a signed kind, checking the schema rules but nothing else. */
export function signAny<D extends DescMessage>(desc: D, init: MessageInitShape<D>, secretKey: Uint8Array): Uint8Array {
  const m = create(desc, init);
  return signSign1(encodeCanonical(messageToCbor(desc, m)), contentTypeOf(desc), secretKey);
}

export type ReceiptFields = MessageInitShape<typeof ToolReceiptSchema> & { inputHash: Uint8Array; outputHash: Uint8Array; startedAt: bigint; endedAt: bigint };

/** Recomputes index and prev_hash so that the receipts form a chain from requestHash, whatever else was changed. */
export function relink(fields: readonly ReceiptFields[], requestHash: Uint8Array): ReceiptFields[] {
  let prev = requestHash;
  return fields.map((f, i) => {
    const linked = { ...f, index: i, prevHash: prev };
    prev = messageHash(ToolReceiptSchema, create(ToolReceiptSchema, linked));
    return linked;
  });
}

/** Signs each receipt's fields. */
export function signReceipts(fields: readonly ReceiptFields[], secretKey: Uint8Array = PROVIDER_SK): Uint8Array[] {
  return fields.map((f) => signAny(ToolReceiptSchema, f, secretKey));
}

/** A valid Tier 3 task: request, three chained receipts, a trace, a test attestation, and the result's fields. */
export interface Scenario {
  readonly request: TaskRequest;
  readonly requestBytes: Uint8Array;
  readonly requestHash: Uint8Array;
  readonly input: Uint8Array;
  readonly output: Uint8Array;
  /** The receipts' fields, linked. */
  readonly steps: ReceiptFields[];
  readonly trace: MessageInitShape<typeof EvidencePackageSchema>["trace"];
  readonly attestation: PlatformAttestation;
}

export interface ScenarioOptions {
  readonly tier?: VerificationTier;
  readonly attestationFormats?: string[];
  readonly inlineInput?: boolean;
}

/** Builds the scenario. Outputs of the three tools are fixed byte strings. */
export function scenario(options: ScenarioOptions = {}): Scenario {
  const input = utf8("a red bicycle leaning on a wall");
  const requestInit: MessageInitShape<typeof TaskRequestSchema> = {
    delegator: DELEGATOR,
    provider: PROVIDER,
    nonce: NONCE,
    capability: { namespace: "ai.image", id: "generate", version: "1.2.0" },
    inputHash: sha256Bytes(input),
    ...(options.inlineInput === false ? {} : { input }),
    requiredTier: options.tier ?? VerificationTier.EVIDENCE,
    attestationFormats: options.attestationFormats ?? ["ap2p-test-v1"],
    issuedAt: T0,
    deadline: DEADLINE,
  };
  const request = create(TaskRequestSchema, requestInit);
  const requestBytes = signAny(TaskRequestSchema, requestInit, DELEGATOR_SK);
  const requestHash = messageHash(TaskRequestSchema, request);
  const products = [utf8("a red bicycle leaning on a wall, watercolour"), utf8("\x89PNG raw latent 1"), utf8("\x89PNG final image")];
  const tools = ["ap2p.tool/prompt-expand@1", "ap2p.tool/image-diffusion@1", "ap2p.tool/png-encode@1"];
  let inHash = sha256Bytes(input);
  const unlinked: ReceiptFields[] = tools.map((tool, i) => {
    const f: ReceiptFields = {
      executor: PROVIDER,
      tool,
      inputHash: inHash,
      outputHash: sha256Bytes(products[i]!),
      startedAt: T0 + 1_000n + BigInt(i) * 1_000n,
      endedAt: T0 + 1_500n + BigInt(i) * 1_000n,
    };
    inHash = f.outputHash;
    return f;
  });
  return {
    request,
    requestBytes,
    requestHash,
    input,
    output: products[2]!,
    steps: relink(unlinked, requestHash),
    trace: [
      { at: T0 + 1_200n, kind: "model.call", text: "diffusion model, 20 steps", detailHash: sha256Bytes(utf8("model call detail")) },
      { at: T0 + 2_200n, kind: "model.call" },
    ],
    attestation: issueTestAttestation({ nonce: NONCE, provider: PROVIDER, requestHash, measurement: MEASUREMENT, issuedAt: T0 + 4_000n }),
  };
}

/** What to change when sealing a scenario's result. */
export interface SealOptions {
  /** Replaces the receipts (default: the scenario's steps, signed by the provider). */
  readonly receipts?: Uint8Array[];
  /** Overrides fields of the evidence package; `null` leaves the package out. */
  readonly evidence?: Partial<MessageInitShape<typeof EvidencePackageSchema>> | null;
  /** Overrides fields of the result. */
  readonly result?: Partial<MessageInitShape<typeof TaskResultSchema>>;
  /** Signs the result with another key. */
  readonly secretKey?: Uint8Array;
}

/** Signs the scenario's result, with the changes asked for. */
export function seal(s: Scenario, options: SealOptions = {}): Uint8Array {
  const evidence =
    options.evidence === null
      ? undefined
      : {
          requestHash: s.requestHash,
          nonce: s.request.nonce,
          receipts: (options.receipts ?? signReceipts(s.steps)).map((coseSign1) => ({ coseSign1 })),
          trace: s.trace,
          attestation: s.attestation,
          ...options.evidence,
        };
  const init = {
    requestHash: s.requestHash,
    provider: PROVIDER,
    status: TaskStatus.COMPLETED,
    outputHash: sha256Bytes(s.output),
    output: s.output,
    completedAt: COMPLETED_AT,
    ...(evidence === undefined ? {} : { evidence }),
    ...options.result,
  } as MessageInitShape<typeof TaskResultSchema>;
  return signAny(TaskResultSchema, init, options.secretKey ?? PROVIDER_SK);
}
