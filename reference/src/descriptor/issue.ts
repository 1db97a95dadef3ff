// Publishing side of the soft-state lifecycle (spec/05-descriptors.md §5.2):
// issue, refresh with a higher seq, withdraw with a tombstone. Time is passed
// in; nothing here reads a clock.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { CapabilityDescriptorSchema, type CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { misuse } from "../errors.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { signMessage } from "../signed/signed-message.js";
import { checkStructureOrThrow } from "./verify.js";
import { DEFAULT_MAX_TTL_MS } from "./policy.js";

/** What a peer offers: everything in a descriptor except identity, time and sequence. */
export type DescriptorContent = Pick<MessageInitShape<typeof CapabilityDescriptorSchema>, "capabilities" | "endpoints" | "displayName">;

/** When a descriptor is issued and for how long it lives. */
export interface IssueTiming {
  /** Issue time, milliseconds since the Unix epoch. */
  readonly now: bigint;
  /** Time to live in milliseconds; at most maxTtlMs. */
  readonly ttlMs: bigint;
  /** Upper bound on ttlMs (defaults to the protocol default, DESC-006). */
  readonly maxTtlMs?: bigint;
}

/** A descriptor and its signed bytes. */
export interface SignedDescriptor {
  readonly descriptor: CapabilityDescriptor;
  readonly bytes: Uint8Array;
}

/**
 * Signs a new descriptor with the given seq (DESC-003: seq starts at 1).
 *
 * @example
 * ```ts
 * import { generateSecretKey, issueDescriptor } from "ap2p";
 *
 * const secretKey = generateSecretKey();
 * const { descriptor, bytes } = issueDescriptor(
 *   secretKey,
 *   { capabilities: [{ namespace: "example", id: "translate", version: "1.0.0" }] },
 *   1n,
 *   { now: 1_700_000_000_000n, ttlMs: 3_600_000n },
 * );
 * // bytes is the COSE_Sign1 to publish; descriptor.peerId is the signer's did:key
 * ```
 * @see spec/05-descriptors.md §5.3 (publishing)
 */
export function issueDescriptor(secretKey: Uint8Array, content: DescriptorContent, seq: bigint, timing: IssueTiming): SignedDescriptor {
  return sign(secretKey, { ...content, withdrawn: false }, seq, timing);
}

/** Re-issues a descriptor with seq + 1 and a new validity window (DESC-015). */
export function refreshDescriptor(secretKey: Uint8Array, previous: CapabilityDescriptor, timing: IssueTiming): SignedDescriptor {
  if (previous.withdrawn) misuse("cannot refresh a tombstone; issue a new descriptor instead");
  if (timing.now < previous.issuedAt) misuse("a refresh cannot be issued before the descriptor it replaces (DESC-019)");
  const { capabilities, endpoints, displayName } = previous;
  return sign(secretKey, { capabilities, endpoints, displayName, withdrawn: false }, previous.seq + 1n, timing);
}

/**
 * Signs a withdrawal tombstone with seq + 1 (DESC-011, DESC-016). Its TTL should
 * cover the remaining life of the withdrawn descriptor, so that the tombstone
 * outlives what it retracts.
 */
export function withdrawDescriptor(secretKey: Uint8Array, previous: CapabilityDescriptor, timing: IssueTiming): SignedDescriptor {
  if (timing.now < previous.issuedAt) misuse("a tombstone cannot be issued before the descriptor it withdraws (DESC-019)");
  return sign(secretKey, { withdrawn: true }, previous.seq + 1n, timing);
}

function sign(secretKey: Uint8Array, body: MessageInitShape<typeof CapabilityDescriptorSchema>, seq: bigint, timing: IssueTiming): SignedDescriptor {
  const maxTtl = timing.maxTtlMs ?? DEFAULT_MAX_TTL_MS;
  if (seq < 1n) misuse("seq starts at 1");
  if (timing.ttlMs <= 0n || timing.ttlMs > maxTtl) misuse(`ttlMs must be within 1..${maxTtl}`);
  if (timing.now < 0n) misuse("now must not be negative");
  const peerId = didFromPublicKey(publicKeyFromSecret(secretKey));
  const descriptor = create(CapabilityDescriptorSchema, { ...body, peerId, seq, issuedAt: timing.now, expiresAt: timing.now + timing.ttlMs });
  // Refuse to sign what a verifier would reject (throws Ap2pError with the verifier's code).
  checkStructureOrThrow(descriptor, peerId);
  return { descriptor, bytes: signMessage(CapabilityDescriptorSchema, descriptor, secretKey) };
}
