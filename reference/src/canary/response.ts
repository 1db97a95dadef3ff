// Canary responses (spec/08-canaries.md §8.4, §8.5): the provider answers a
// challenge it has checked; the verifier checks the answer against the one
// challenge it was made for, its own clock and its oracle. This module is
// stateless; replay memory lives in CanaryVerifier (§8.6).
import { create } from "@bufbuild/protobuf";
import { CanaryResponseSchema, type CanaryChallenge, type CanaryResponse } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { parseSignedMessageOrThrow, signMessage, type SignedMessage } from "../signed/signed-message.js";
import { verifyChallenge, type CapabilityKey, type IssuedChallenge } from "./challenge.js";
import { bytesEqual } from "../bytes.js";
import { judgeOutput, type CanaryContent, type CanaryOracle } from "./oracle.js";

/** Largest output a response can carry, in bytes (the schema's max_len). */
export const MAX_CANARY_OUTPUT_BYTES = 16384;

/** A signed response, as sent. */
export interface SignedCanaryResponse {
  /** The response. */
  readonly response: CanaryResponse;
  /** Its COSE_Sign1 bytes. */
  readonly bytes: Uint8Array;
}

/** A response that passed every check of §8.5. */
export interface VerifiedCanaryResponse extends SignedMessage<CanaryResponse> {
  /** The answering provider (equal to the signer's kid and to the challenge's provider). */
  readonly provider: string;
  /** The hash of the challenge answered. */
  readonly challengeHash: Uint8Array;
  /** The output the oracle accepted. */
  readonly output: CanaryContent;
  /** The exact bytes verified. */
  readonly bytes: Uint8Array;
}

/** What the verifier knows when it checks a response to one challenge. */
export interface ResponseExpectation {
  /** The challenge the verifier issued and awaits an answer to. */
  readonly challenge: IssuedChallenge;
  /** The verifier's oracle for that challenge (§8.8). */
  readonly oracle: CanaryOracle;
  /** The verifier's clock when the response arrived, milliseconds since the Unix epoch (CAN-015). */
  readonly now: bigint;
}

/** What a provider needs besides the challenge, its output and its clock. */
export interface AnswerContext {
  /** The capabilities of the provider's current descriptor (CAN-008). */
  readonly offered: readonly CapabilityKey[];
  /** A maximum window lower than the protocol's, if the provider has one (CAN-004). */
  readonly maxWindowMs?: bigint;
  /** Clock-skew allowance (CAN-009); defaults to 5,000 ms. */
  readonly clockSkewMs?: bigint;
}

function fail(code: ErrorCodeName, message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

/**
 * The provider side: checks the challenge (CAN-006 to CAN-009) and, if it may
 * be answered, signs the response (CAN-010) with responded_at = now. Never
 * throws on bad challenge bytes; the output is the caller's own and throws
 * INVALID_ARGUMENT if it cannot be sent.
 */
export function answerCanary(
  secretKey: Uint8Array,
  challengeBytes: Uint8Array,
  output: CanaryContent,
  now: bigint,
  context: AnswerContext,
): Verdict<SignedCanaryResponse> {
  if (!(output?.bytes instanceof Uint8Array) || output.bytes.length > MAX_CANARY_OUTPUT_BYTES) {
    misuse(`output.bytes must be a Uint8Array of at most ${MAX_CANARY_OUTPUT_BYTES} bytes`);
  }
  if (typeof output.mediaType !== "string" || output.mediaType === "" || [...output.mediaType].length > 127) {
    misuse("output.mediaType must be a non-empty string of at most 127 characters");
  }
  if (typeof now !== "bigint" || now < 1n) misuse("now must be a positive bigint (milliseconds since the Unix epoch)");
  const responder = didFromPublicKey(publicKeyFromSecret(secretKey));
  const checked = verifyChallenge(challengeBytes, { ...context, now, provider: responder });
  if (!checked.ok) return checked;
  const response = create(CanaryResponseSchema, {
    challengeHash: checked.value.hash,
    responder,
    output: output.bytes.slice(),
    outputMediaType: output.mediaType,
    respondedAt: now,
  });
  return { ok: true, value: { response, bytes: signMessage(CanaryResponseSchema, response, secretKey) } };
}

/** Well-formedness only: envelope, payload, responder = kid (CAN-012). The signature is NOT checked. Never throws on bad input. */
export function parseCanaryResponse(bytes: Uint8Array): Verdict<SignedMessage<CanaryResponse>> {
  return toVerdict(() => parseCanaryResponseOrThrow(bytes));
}

/** As parseCanaryResponse, reporting a defect by throwing Ap2pError. */
export function parseCanaryResponseOrThrow(bytes: Uint8Array): SignedMessage<CanaryResponse> {
  const signed = parseSignedMessageOrThrow<CanaryResponse>(CanaryResponseSchema, bytes);
  // CAN-012: a response speaks only for its signer.
  if (signed.message.responder !== signed.envelope.kid) {
    fail("COSE_KID_MISMATCH", `responder ${signed.message.responder} is not the signer ${signed.envelope.kid}`, "responder");
  }
  return signed;
}

/** Steps 1 to 5 of §8.7: well-formed, then the signature. */
export function authenticateCanaryResponseOrThrow(bytes: Uint8Array): SignedMessage<CanaryResponse> {
  const signed = parseCanaryResponseOrThrow(bytes);
  checkSignatureOrThrow(signed.envelope);
  return signed;
}

/** CAN-013, CAN-014: the response answers exactly this challenge, and comes from the peer it was sent to. */
export function checkBindingOrThrow(r: CanaryResponse, challengeHash: Uint8Array, challenge: CanaryChallenge): void {
  if (!bytesEqual(r.challengeHash, challengeHash)) fail("CANARY_CHALLENGE_HASH_MISMATCH", "challenge_hash is not the hash of the challenge awaited", "challenge_hash");
  if (r.responder !== challenge.provider) {
    fail("CANARY_WRONG_PROVIDER", `response from ${r.responder}, but the challenge was sent to ${challenge.provider}`, "responder");
  }
}

/** CAN-015, CAN-016, CAN-017: on time by the verifier's clock alone, and an output the oracle accepts. */
export function checkTimeAndOutputOrThrow(r: CanaryResponse, challenge: CanaryChallenge, oracle: CanaryOracle, now: bigint): CanaryContent {
  // CAN-015, CAN-016: the verifier set the deadline on its own clock and reads
  // the arrival on the same clock, so no skew allowance enters; responded_at
  // is the provider's unverifiable claim and is not consulted.
  if (now > challenge.deadline) fail("CANARY_RESPONSE_LATE", `received ${now - challenge.deadline} ms after the deadline`, "deadline");
  const output: CanaryContent = { bytes: r.output, mediaType: r.outputMediaType };
  // CAN-017
  if (!judgeOutput(oracle, output)) fail("CANARY_WRONG_OUTPUT", `the verifier's oracle rejects the ${r.output.length}-byte ${r.outputMediaType} output`, "output");
  return output;
}

/**
 * The verifier side, without replay memory: every check of §8.7 except 6c.
 * Use CanaryVerifier to also reject a second answer to the same challenge
 * (CAN-019). Never throws on bad input.
 *
 * @example
 * ```ts
 * import { verifyCanaryResponse } from "ap2p";
 *
 * const verdict = verifyCanaryResponse(responseBytes, { challenge, oracle, now });
 * if (!verdict.ok) console.log(verdict.error.code); // e.g. "CANARY_WRONG_OUTPUT" or "CANARY_RESPONSE_LATE"
 * ```
 * @see spec/08-canaries.md §8.5 (verifying a response)
 * @see spec/08-canaries.md §8.7 (verification procedures)
 */
export function verifyCanaryResponse(bytes: Uint8Array, expectation: ResponseExpectation): Verdict<VerifiedCanaryResponse> {
  const { challenge, oracle, now } = expectation;
  if (typeof now !== "bigint") misuse("now must be a bigint");
  if (!(challenge?.hash instanceof Uint8Array) || challenge.challenge === undefined) misuse("challenge must be an IssuedChallenge");
  return toVerdict(() => {
    const signed = authenticateCanaryResponseOrThrow(bytes);
    checkBindingOrThrow(signed.message, challenge.hash, challenge.challenge);
    const output = checkTimeAndOutputOrThrow(signed.message, challenge.challenge, oracle, now);
    return { ...signed, provider: signed.message.responder, challengeHash: challenge.hash, output, bytes };
  });
}
