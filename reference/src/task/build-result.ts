// Provider side of a task (spec/09-tasks-and-evidence.md §9.4): sign the
// result of a request, with its output inline or detached and, at Tier 3, its
// evidence package.
import { create } from "@bufbuild/protobuf";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { EvidencePackage } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { TaskRequestSchema, TaskResultSchema, TaskStatus, type TaskRequest, type TaskResult } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { misuse } from "../errors.js";
import { messageHash, sha256Bytes } from "../codec/hash.js";
import { MAX_SIGN1_BYTES } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { signMessage } from "../signed/signed-message.js";
import { bytesEqual } from "../bytes.js";
import { MAX_INLINE_PAYLOAD_BYTES } from "./payload.js";

/** How a task ended, as the provider reports it. */
export interface TaskOutcome {
  /** How the task ended. */
  readonly status: TaskStatus;
  /** The output bytes; exactly when the status is COMPLETED (TASK-013). */
  readonly output?: Uint8Array;
  /** Carry the output inline; defaults to true when it fits (MAX_INLINE_PAYLOAD_BYTES). */
  readonly inline?: boolean;
  /** When the task ended, milliseconds since the Unix epoch. */
  readonly completedAt: bigint;
  /** The evidence package; required for a completed task at Tier 3 (EVD-001). */
  readonly evidence?: EvidencePackage;
  /** A short reason for a failed or declined task. */
  readonly reason?: string;
}

/** A signed result, its bytes, and the output to send alongside when it is detached. */
export interface SignedTaskResult {
  readonly result: TaskResult;
  readonly bytes: Uint8Array;
  /** The output bytes when they travel detached (TASK-018); undefined when inline or absent. */
  readonly detachedOutput: Uint8Array | undefined;
}

/** Signs the result of a request (TASK-012). Throws INVALID_ARGUMENT on an outcome a delegator would reject. */
export function buildTaskResult(secretKey: Uint8Array, request: TaskRequest, outcome: TaskOutcome): SignedTaskResult {
  const provider = didFromPublicKey(publicKeyFromSecret(secretKey));
  if (provider !== request.provider) misuse(`the request is addressed to ${request.provider}, not to this key (TASK-015)`);
  const completed = outcome.status === TaskStatus.COMPLETED;
  if (completed !== (outcome.output !== undefined)) misuse("an output is given exactly when the status is COMPLETED (TASK-013)");
  if (completed && request.requiredTier === VerificationTier.EVIDENCE && outcome.evidence === undefined) {
    misuse("the request requires an evidence package (EVD-001)");
  }
  const requestHash = messageHash(TaskRequestSchema, request);
  if (outcome.evidence !== undefined && (!bytesEqual(outcome.evidence.requestHash, requestHash) || !bytesEqual(outcome.evidence.nonce, request.nonce))) {
    misuse("the evidence package is bound to another request (EVD-002, EVD-003)");
  }
  const output = outcome.output;
  const inline = output !== undefined && (outcome.inline ?? output.length <= MAX_INLINE_PAYLOAD_BYTES);
  const result = create(TaskResultSchema, {
    requestHash,
    provider,
    status: outcome.status,
    outputHash: output === undefined ? new Uint8Array(0) : sha256Bytes(output),
    ...(inline ? { output: output.slice() } : {}),
    completedAt: outcome.completedAt,
    ...(outcome.evidence === undefined ? {} : { evidence: outcome.evidence }),
    reason: outcome.reason ?? "",
  });
  const bytes = signMessage(TaskResultSchema, result, secretKey);
  // ENC-011, SIG-001: a result a delegator cannot read is no result; detach the output or trim the evidence.
  if (bytes.length > MAX_SIGN1_BYTES) misuse(`the signed result is ${bytes.length} bytes, the limit is ${MAX_SIGN1_BYTES}`);
  return { result, bytes, detachedOutput: inline ? undefined : output };
}
