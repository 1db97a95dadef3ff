// The worked example of spec/09-tasks-and-evidence.md §9.12: a Tier 3 task
// from the RFC 8032 §7.1 TEST 1 key to the TEST 2 key at
// 2026-01-01T00:00:00Z, run as two tool steps, with a test-format attestation.
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TaskStatus } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { sha256Bytes } from "../codec/hash.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { buildTaskResult, type SignedTaskResult } from "../task/build-result.js";
import { issueTaskRequest, type SignedTaskRequest } from "../task/issue-request.js";
import { issueTestAttestation, TEST_ATTESTATION_FORMAT } from "./attestation/test-format.js";
import { buildEvidencePackage } from "./package.js";
import { ReceiptChain, type SignedReceipt } from "./receipts.js";

const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** RFC 8032 §7.1 TEST 1 and TEST 2 secret keys: published keys, for examples and vectors only. */
export const EXAMPLE_DELEGATOR_SECRET_KEY = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
export const EXAMPLE_PROVIDER_SECRET_KEY = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
/** 2026-01-01T00:00:00Z in milliseconds. */
export const EXAMPLE_TIME = 1767225600000n;

/** The example's messages: the request, the two receipts and the result. */
export interface ExampleTask {
  readonly request: SignedTaskRequest;
  readonly receipts: readonly SignedReceipt[];
  readonly result: SignedTaskResult;
  readonly input: Uint8Array;
  readonly output: Uint8Array;
}

/** Builds the example. The nonce is the bytes 00 to 1f, so that the example is reproducible. */
export function exampleTask(): ExampleTask {
  const t = EXAMPLE_TIME;
  const input = utf8("a red bicycle leaning on a wall");
  const request = issueTaskRequest(
    EXAMPLE_DELEGATOR_SECRET_KEY,
    {
      provider: didFromPublicKey(publicKeyFromSecret(EXAMPLE_PROVIDER_SECRET_KEY)),
      capability: { namespace: "ai.image", id: "generate", version: "1.2.0" },
      input,
      requiredTier: VerificationTier.EVIDENCE,
      attestationFormats: [TEST_ATTESTATION_FORMAT],
    },
    { now: t, timeoutMs: 60_000n, random: (n) => new Uint8Array(n).map((_, i) => i) },
  );
  const prompt = utf8("a red bicycle leaning on a wall, watercolour");
  const output = new Uint8Array([0x89, ...utf8("PNG example image")]);
  const chain = new ReceiptChain(EXAMPLE_PROVIDER_SECRET_KEY, { requestHash: request.hash, inputHash: request.request.inputHash });
  chain.append({ tool: "ap2p.tool/prompt-expand@1", inputHash: sha256Bytes(input), outputHash: sha256Bytes(prompt), startedAt: t + 1_000n, endedAt: t + 1_200n });
  chain.append({ tool: "ap2p.tool/image-diffusion@1", inputHash: sha256Bytes(prompt), outputHash: sha256Bytes(output), startedAt: t + 1_200n, endedAt: t + 4_000n });
  const attestation = issueTestAttestation({
    nonce: request.request.nonce,
    provider: request.request.provider,
    requestHash: request.hash,
    measurement: sha256Bytes(utf8("example provider runtime 1.0")),
    issuedAt: t + 4_100n,
  });
  const evidence = buildEvidencePackage({ hash: request.hash, nonce: request.request.nonce }, { receipts: chain.receipts, attestation });
  const result = buildTaskResult(EXAMPLE_PROVIDER_SECRET_KEY, request.request, { status: TaskStatus.COMPLETED, output, completedAt: t + 4_200n, evidence });
  return { request, receipts: chain.receipts, result, input, output };
}
