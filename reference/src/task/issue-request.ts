// Delegator side of a task (spec/09-tasks-and-evidence.md §9.2): sign a
// request for one provider, with a fresh nonce and a bounded deadline. Time
// and randomness are passed in; nothing here reads a clock or a global RNG.
import { create } from "@bufbuild/protobuf";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TaskRequestSchema, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { misuse } from "../errors.js";
import { messageHash, sha256Bytes } from "../codec/hash.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { signMessage } from "../signed/signed-message.js";
import { MAX_INLINE_PAYLOAD_BYTES } from "./payload.js";
import { DEFAULT_MAX_TASK_DURATION_MS } from "./policy.js";
import { checkRequestStructureOrThrow } from "./verify-request.js";

/** Length of the nonces this implementation draws, in bytes (TASK-003 asks for at least 16). */
export const TASK_NONCE_BYTES = 32;

/** What the delegator asks for. */
export interface TaskRequestContent {
  /** The provider's did:key (TASK-008). */
  readonly provider: string;
  /** The capability to run. */
  readonly capability: { readonly namespace: string; readonly id: string; readonly version: string };
  /** The input bytes; only their hash is signed when the input is detached. */
  readonly input: Uint8Array;
  /** Carry the input inline; defaults to true when it fits (MAX_INLINE_PAYLOAD_BYTES). */
  readonly inline?: boolean;
  /** The tier the delegator applies to the result. */
  readonly requiredTier: VerificationTier;
  /** Attestation formats the delegator accepts; non-empty requires an attestation (EVD-017). */
  readonly attestationFormats?: readonly string[];
}

/** When the request is issued, how long the provider has, and the source of the nonce. */
export interface TaskRequestTiming {
  /** Issue time, milliseconds since the Unix epoch. */
  readonly now: bigint;
  /** Time the provider has, in milliseconds: deadline = now + timeoutMs. */
  readonly timeoutMs: bigint;
  /** Upper bound on timeoutMs (defaults to the protocol default, TASK-007). */
  readonly maxTaskDurationMs?: bigint;
  /** A cryptographically secure source of random bytes (TASK-003). */
  readonly random: (n: number) => Uint8Array;
}

/** A signed task request, its bytes and its message hash. */
export interface SignedTaskRequest {
  readonly request: TaskRequest;
  readonly bytes: Uint8Array;
  /** The message hash (ENC-020) that the result and the evidence must name. */
  readonly hash: Uint8Array;
}

/**
 * Signs a task request (TASK-001) with a fresh nonce (TASK-003).
 *
 * @example
 * ```ts
 * import { randomBytes } from "node:crypto";
 * import { issueTaskRequest, VerificationTier } from "ap2p";
 *
 * const request = issueTaskRequest(
 *   delegatorSecretKey,
 *   {
 *     provider: providerDid,
 *     capability: { namespace: "example", id: "translate", version: "1.0.0" },
 *     input: new TextEncoder().encode("bonjour"),
 *     requiredTier: VerificationTier.REPUTATION,
 *   },
 *   { now, timeoutMs: 30_000n, random: (n) => new Uint8Array(randomBytes(n)) },
 * );
 * // send request.bytes; request.hash is what the result must name
 * ```
 * @see spec/09-tasks-and-evidence.md §9.2 (task requests)
 */
export function issueTaskRequest(secretKey: Uint8Array, content: TaskRequestContent, timing: TaskRequestTiming): SignedTaskRequest {
  const maxDuration = timing.maxTaskDurationMs ?? DEFAULT_MAX_TASK_DURATION_MS;
  if (timing.now < 0n) misuse("now must not be negative");
  if (timing.timeoutMs <= 0n || timing.timeoutMs > maxDuration) misuse(`timeoutMs must be within 1..${maxDuration}`);
  if (!(content.input instanceof Uint8Array)) misuse("input must be a Uint8Array");
  const inline = content.inline ?? content.input.length <= MAX_INLINE_PAYLOAD_BYTES;
  if (inline && content.input.length > MAX_INLINE_PAYLOAD_BYTES) misuse(`an inline input is at most ${MAX_INLINE_PAYLOAD_BYTES} bytes; detach it`);
  if (typeof timing.random !== "function") misuse("random must be a function");
  const nonce: unknown = timing.random(TASK_NONCE_BYTES);
  if (!(nonce instanceof Uint8Array) || nonce.length !== TASK_NONCE_BYTES) misuse(`random(${TASK_NONCE_BYTES}) must return ${TASK_NONCE_BYTES} bytes`);

  const delegator = didFromPublicKey(publicKeyFromSecret(secretKey));
  const request = create(TaskRequestSchema, {
    delegator,
    provider: content.provider,
    nonce: new Uint8Array(nonce),
    capability: { ...content.capability },
    inputHash: sha256Bytes(content.input),
    ...(inline ? { input: content.input.slice() } : {}),
    requiredTier: content.requiredTier,
    attestationFormats: [...(content.attestationFormats ?? [])],
    issuedAt: timing.now,
    deadline: timing.now + timing.timeoutMs,
  });
  // Refuse to sign what a provider would reject (throws Ap2pError with the verifier's code).
  checkRequestStructureOrThrow(request, delegator);
  return { request, bytes: signMessage(TaskRequestSchema, request, secretKey), hash: messageHash(TaskRequestSchema, request) };
}
