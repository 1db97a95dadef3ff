// Canary challenges (spec/08-canaries.md §8.3, §8.4): the verifier issues a
// signed test task with a fresh nonce and a bounded deadline; the provider
// checks it before spending work on it. Time and randomness are passed in.
import { create } from "@bufbuild/protobuf";
import { CanaryChallengeSchema, type CanaryChallenge } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { messageHash } from "../codec/hash.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { parseSignedMessageOrThrow, signMessage, type SignedMessage } from "../signed/signed-message.js";
import type { CanaryContent } from "./oracle.js";
import { DEFAULT_CLOCK_SKEW_MS, MAX_CLOCK_SKEW_MS } from "../descriptor/policy.js";
import { DEFAULT_NONCE_BYTES, MAX_CANARY_WINDOW_MS, MAX_NONCE_BYTES, MIN_NONCE_BYTES } from "./policy.js";

/** A capability's identity triple, as in CapabilityRef and a descriptor's Capability. */
export interface CapabilityKey {
  readonly namespace: string;
  readonly id: string;
  readonly version: string;
}

/** What the verifier asks, of whom, when, and the source of the nonce. */
export interface ChallengeParams {
  /** The did:key of the provider the challenge is sent to (CAN-005). */
  readonly provider: string;
  /** The capability to run. */
  readonly capability: CapabilityKey;
  /** The canary input: fresh, and drawn from the real task distribution (CAN-023). */
  readonly input: CanaryContent;
  /** The verifier's clock, milliseconds since the Unix epoch: becomes issued_at (CAN-005). */
  readonly now: bigint;
  /** Milliseconds the provider has: deadline = now + windowMs, at most MAX_CANARY_WINDOW_MS (CAN-004). */
  readonly windowMs: bigint;
  /** A cryptographically secure random source (CAN-002). */
  readonly random: (n: number) => Uint8Array;
  /** Nonce length in bytes, 16 to 64; defaults to 16. */
  readonly nonceBytes?: number;
}

/** A signed challenge, as issued. */
export interface IssuedChallenge {
  /** The challenge. */
  readonly challenge: CanaryChallenge;
  /** Its COSE_Sign1 bytes, as sent. */
  readonly bytes: Uint8Array;
  /** Its message hash (ENC-020): what a response must carry as challenge_hash (CAN-010). */
  readonly hash: Uint8Array;
}

/** A challenge a provider has checked and may answer. */
export interface ReceivedChallenge extends SignedMessage<CanaryChallenge> {
  /** The exact bytes checked. */
  readonly bytes: Uint8Array;
  /** The challenge's message hash (ENC-020). */
  readonly hash: Uint8Array;
}

/** What a provider knows when it checks a challenge (CAN-006 to CAN-009). */
export interface ChallengeContext {
  /** The provider's current time, milliseconds since the Unix epoch. */
  readonly now: bigint;
  /** The checking provider's own did:key (CAN-007). */
  readonly provider: string;
  /** The capabilities of the provider's current descriptor (CAN-008). */
  readonly offered: readonly CapabilityKey[];
  /** A maximum window lower than the protocol's, if the provider has one (CAN-004). */
  readonly maxWindowMs?: bigint;
  /** Clock-skew allowance between the verifier's clock and the provider's (CAN-009, DESC-014); defaults to 5,000 ms. */
  readonly clockSkewMs?: bigint;
}

function fail(code: ErrorCodeName, message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

function checkMaxWindow(maxWindowMs: bigint | undefined): bigint {
  const max = maxWindowMs ?? MAX_CANARY_WINDOW_MS;
  if (typeof max !== "bigint" || max < 1n || max > MAX_CANARY_WINDOW_MS) misuse(`maxWindowMs must be within 1..${MAX_CANARY_WINDOW_MS}`);
  return max;
}

/**
 * Signs a new challenge for one provider (CAN-001 to CAN-005).
 *
 * @example
 * ```ts
 * import { randomBytes } from "node:crypto";
 * import { issueChallenge, REVERSE_TEST_CAPABILITY } from "ap2p";
 *
 * const random = (n: number) => new Uint8Array(randomBytes(n));
 * const input = REVERSE_TEST_CAPABILITY.sampleInput(random);
 * const challenge = issueChallenge(verifierSecretKey, {
 *   provider: providerDid,
 *   capability: REVERSE_TEST_CAPABILITY.capability,
 *   input: { bytes: input, mediaType: REVERSE_TEST_CAPABILITY.inputMediaType },
 *   now,
 *   windowMs: 5_000n,
 *   random,
 * });
 * // send challenge.bytes; keep challenge and REVERSE_TEST_CAPABILITY.oracle(input) for verifyCanaryResponse
 * ```
 * @see spec/08-canaries.md §8.3 (issuing a challenge)
 */
export function issueChallenge(secretKey: Uint8Array, params: ChallengeParams): IssuedChallenge {
  const { provider, capability, input, now, windowMs, random } = params;
  const nonceBytes = params.nonceBytes ?? DEFAULT_NONCE_BYTES;
  if (!Number.isSafeInteger(nonceBytes) || nonceBytes < MIN_NONCE_BYTES || nonceBytes > MAX_NONCE_BYTES) {
    misuse(`nonceBytes must be within ${MIN_NONCE_BYTES}..${MAX_NONCE_BYTES}`);
  }
  if (typeof now !== "bigint" || now < 1n) misuse("now must be a positive bigint (milliseconds since the Unix epoch)");
  if (typeof windowMs !== "bigint" || windowMs < 1n || windowMs > MAX_CANARY_WINDOW_MS) misuse(`windowMs must be within 1..${MAX_CANARY_WINDOW_MS} (CAN-004)`);
  if (typeof random !== "function") misuse("random must be a function");
  const nonce = random(nonceBytes);
  if (!(nonce instanceof Uint8Array) || nonce.length !== nonceBytes) misuse(`random(${nonceBytes}) must return ${nonceBytes} bytes`);
  const verifier = didFromPublicKey(publicKeyFromSecret(secretKey));
  const challenge = create(CanaryChallengeSchema, {
    verifier,
    provider,
    nonce: nonce.slice(),
    capability: { namespace: capability.namespace, id: capability.id, version: capability.version },
    input: input.bytes.slice(),
    inputMediaType: input.mediaType,
    issuedAt: now,
    deadline: now + windowMs,
  });
  // Refuse to sign what a provider would reject; schema defects throw Ap2pError
  // with the provider's code from signMessage.
  checkChallengeStructureOrThrow(challenge, verifier);
  const bytes = signMessage(CanaryChallengeSchema, challenge, secretKey);
  return { challenge, bytes, hash: messageHash(CanaryChallengeSchema, challenge) };
}

/** The challenge rules that need no key, clock or context (§8.7 step 4). */
export function checkChallengeStructureOrThrow(c: CanaryChallenge, kid: string): void {
  // CAN-001: a challenge speaks only for its signer.
  if (c.verifier !== kid) fail("COSE_KID_MISMATCH", `verifier ${c.verifier} is not the signer ${kid}`, "verifier");
  // CAN-003
  if (c.deadline <= c.issuedAt) fail("CANARY_DEADLINE_INVALID", "deadline is not after issued_at", "deadline");
}

/** Well-formedness only: envelope, payload and structure. The signature is NOT checked. Never throws on bad input. */
export function parseChallenge(bytes: Uint8Array): Verdict<SignedMessage<CanaryChallenge>> {
  return toVerdict(() => parseChallengeOrThrow(bytes));
}

/** As parseChallenge, reporting a defect by throwing Ap2pError. */
export function parseChallengeOrThrow(bytes: Uint8Array): SignedMessage<CanaryChallenge> {
  const signed = parseSignedMessageOrThrow<CanaryChallenge>(CanaryChallengeSchema, bytes);
  checkChallengeStructureOrThrow(signed.message, signed.envelope.kid);
  return signed;
}

/** Every provider-side check of a challenge (§8.4), in the order of §8.7. Never throws on bad input. */
export function verifyChallenge(bytes: Uint8Array, context: ChallengeContext): Verdict<ReceivedChallenge> {
  const maxWindow = checkMaxWindow(context.maxWindowMs);
  const skew = context.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  if (typeof skew !== "bigint" || skew < 0n || skew > MAX_CLOCK_SKEW_MS) misuse(`clockSkewMs must be within 0..${MAX_CLOCK_SKEW_MS}`);
  if (typeof context.now !== "bigint") misuse("now must be a bigint");
  if (!Array.isArray(context.offered)) misuse("offered must be an array of capabilities");
  return toVerdict(() => verifyChallengeOrThrow(bytes, context, maxWindow, skew));
}

function verifyChallengeOrThrow(bytes: Uint8Array, context: ChallengeContext, maxWindow: bigint, skew: bigint): ReceivedChallenge {
  // CAN-006: steps 1-5 of §4.5 before anything in the payload is acted on.
  const signed = parseChallengeOrThrow(bytes);
  checkSignatureOrThrow(signed.envelope);
  const c = signed.message;
  // CAN-004: the window bounds how long either side must remember the challenge.
  const window = c.deadline - c.issuedAt;
  if (window > maxWindow) fail("CANARY_DEADLINE_TOO_FAR", `window of ${window} ms exceeds the maximum ${maxWindow} ms`, "deadline");
  // CAN-007: a challenge for another peer is not this provider's to answer;
  // answering it would only do that peer's canary for it.
  if (c.provider !== context.provider) fail("CANARY_WRONG_PROVIDER", `challenge is addressed to ${c.provider}, not to ${context.provider}`, "provider");
  // CAN-008
  const cap = c.capability!;
  if (!context.offered.some((o) => o.namespace === cap.namespace && o.id === cap.id && o.version === cap.version)) {
    fail("CAPABILITY_NOT_OFFERED", `${cap.namespace}/${cap.id}@${cap.version} is not offered`, "capability");
  }
  // CAN-009: an answer after the deadline is worthless to the verifier. The
  // deadline is on the verifier's clock, so the provider allows for skew.
  if (context.now > c.deadline + skew) {
    fail("CANARY_EXPIRED", `deadline passed ${context.now - c.deadline} ms ago, beyond the ${skew} ms allowance`, "deadline");
  }
  return { ...signed, bytes, hash: messageHash(CanaryChallengeSchema, c) };
}
