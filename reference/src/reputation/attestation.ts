// Outcome attestations (spec/07-reputation.md §7.3–7.4): a delegator's signed
// statement of how one delegated task turned out. Issuing refuses to sign what
// a verifier would reject; verifying returns a verdict with the code of the
// first failed check, in the order of §7.4.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { Outcome, OutcomeAttestationSchema, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { TaskRequestSchema, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { CanaryChallengeSchema, type CanaryChallenge } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { messageHash } from "../codec/hash.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { didFromPublicKey, parseDidKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { parseSignedMessageOrThrow, signMessage, type SignedMessage } from "../signed/signed-message.js";
import { DEFAULT_CLOCK_SKEW_MS, MAX_CLOCK_SKEW_MS } from "../descriptor/policy.js";

export { Outcome };
export type { OutcomeAttestation };

/** The COSE content type of outcome attestations (REP-001). */
export const ATTESTATION_CONTENT_TYPE = "application/ap2p.outcome-attestation.v1+cbor";

/** True for the one positive outcome; every other defined outcome is negative evidence (REP-003). */
export function isPositiveOutcome(outcome: Outcome): boolean {
  return outcome === Outcome.SUCCESS;
}

/** What an attester states: everything in an attestation except its own identity and the time. */
export type AttestationContent = Omit<MessageInitShape<typeof OutcomeAttestationSchema>, "attester" | "issuedAt" | "$typeName">;

/** An attestation and its signed bytes. */
export interface SignedAttestation {
  readonly attestation: OutcomeAttestation;
  readonly bytes: Uint8Array;
}

/** An attestation that passed every check of §7.4. */
export interface VerifiedAttestation extends SignedMessage<OutcomeAttestation> {
  /** The exact bytes verified. */
  readonly bytes: Uint8Array;
}

/** What a verifier knows when it checks an attestation. */
export interface AttestationContext {
  /** The verifier's current time, milliseconds since the Unix epoch. */
  readonly now: bigint;
  /** Clock-skew allowance in milliseconds, at most 60,000 (DESC-014); default 5,000. */
  readonly clockSkewMs?: bigint;
}

function fail(code: ErrorCodeName, message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

/**
 * Signs an outcome attestation as the holder of secretKey, at time now
 * (REP-001). Throws Ap2pError with the verifier's code if the content would be
 * rejected (for example REP_SELF_ATTESTATION), so nothing invalid is signed.
 */
export function issueAttestation(secretKey: Uint8Array, content: AttestationContent, now: bigint): SignedAttestation {
  if (now <= 0n) misuse(`now: expected a positive time in milliseconds, got ${now}`);
  const attester = didFromPublicKey(publicKeyFromSecret(secretKey));
  const attestation = create(OutcomeAttestationSchema, { ...content, attester, issuedAt: now });
  checkAttestationStructureOrThrow(attestation, attester);
  return { attestation, bytes: signMessage(OutcomeAttestationSchema, attestation, secretKey) };
}

/**
 * Attests the outcome of a task request the holder of secretKey sent (REP-002):
 * provider, capability and tier are the request's, and task_hash is the
 * request's message hash (ENC-020).
 */
export function attestTask(
  secretKey: Uint8Array,
  request: TaskRequest,
  result: { readonly outcome: Outcome; readonly latencyMs?: number },
  now: bigint,
): SignedAttestation {
  const attester = didFromPublicKey(publicKeyFromSecret(secretKey));
  if (request.delegator !== attester) misuse(`attestTask: the request was sent by ${request.delegator}, not by the signer ${attester} (REP-002)`);
  if (request.capability === undefined) misuse("attestTask: the request names no capability");
  const { namespace, id, version } = request.capability;
  return issueAttestation(
    secretKey,
    {
      provider: request.provider,
      capability: { namespace, id, version },
      taskHash: messageHash(TaskRequestSchema, request),
      outcome: result.outcome,
      latencyMs: result.latencyMs ?? 0,
      tier: request.requiredTier,
    },
    now,
  );
}

/**
 * Attests a delegation that ended at a failed canary (REP-002, REP-003):
 * task_hash is the challenge's message hash, and tier the level the
 * delegation was made at (CANARY or EVIDENCE).
 */
export function attestCanaryFailure(
  secretKey: Uint8Array,
  challenge: CanaryChallenge,
  tier: VerificationTier,
  latencyMs: number,
  now: bigint,
): SignedAttestation {
  const attester = didFromPublicKey(publicKeyFromSecret(secretKey));
  if (challenge.verifier !== attester) misuse(`attestCanaryFailure: the challenge was sent by ${challenge.verifier}, not by the signer ${attester} (REP-002)`);
  if (challenge.capability === undefined) misuse("attestCanaryFailure: the challenge names no capability");
  const { namespace, id, version } = challenge.capability;
  return issueAttestation(
    secretKey,
    {
      provider: challenge.provider,
      capability: { namespace, id, version },
      taskHash: messageHash(CanaryChallengeSchema, challenge),
      outcome: Outcome.CANARY_FAILED,
      latencyMs,
      tier,
    },
    now,
  );
}

/** Well-formedness and structure only (§7.4 steps 1–4); the signature and the time are NOT checked. Never throws on bad input. */
export function parseAttestation(bytes: Uint8Array): Verdict<SignedMessage<OutcomeAttestation>> {
  return toVerdict(() => parseAttestationOrThrow(bytes));
}

/** As parseAttestation, reporting a defect by throwing Ap2pError. */
export function parseAttestationOrThrow(bytes: Uint8Array): SignedMessage<OutcomeAttestation> {
  // REP-011: envelope, header and payload as §3 and §4 define them.
  const signed = parseSignedMessageOrThrow<OutcomeAttestation>(OutcomeAttestationSchema, bytes);
  checkAttestationStructureOrThrow(signed.message, signed.envelope.kid);
  return signed;
}

/** Every check of §7.4, in order. Never throws on bad input; throws INVALID_ARGUMENT on a bad context. */
export function verifyAttestation(bytes: Uint8Array, context: AttestationContext): Verdict<VerifiedAttestation> {
  const skew = context.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  if (skew < 0n || skew > MAX_CLOCK_SKEW_MS) misuse(`clockSkewMs: expected 0..${MAX_CLOCK_SKEW_MS}, got ${skew}`);
  return toVerdict(() => {
    const signed = parseAttestationOrThrow(bytes);
    checkSignatureOrThrow(signed.envelope);
    checkAttestationTimeOrThrow(signed.message, context.now, skew);
    return { ...signed, bytes };
  });
}

/** The rules of §7.4 that need neither the signature nor a clock (steps 4a–4d). */
export function checkAttestationStructureOrThrow(a: OutcomeAttestation, kid: string): void {
  // REP-005: an attestation speaks only for its signer.
  if (a.attester !== kid) fail("COSE_KID_MISMATCH", `attester ${a.attester} is not the signer ${kid}`, "attester");
  // REP-006: nobody rates their own work.
  if (a.provider === a.attester) fail("REP_SELF_ATTESTATION", "provider and attester are the same peer", "provider");
  // REP-007: the pattern admits strings that are not keys (small-order points, non-canonical encodings).
  const provider = parseDidKey(a.provider);
  if (!provider.ok) fail(provider.error.code, `provider: ${provider.error.message}`, "provider");
  // REP-008: the outcome must be one the named tier can produce.
  if (a.outcome === Outcome.CANARY_FAILED && a.tier !== VerificationTier.CANARY && a.tier !== VerificationTier.EVIDENCE) {
    fail("REP_OUTCOME_TIER_MISMATCH", "CANARY_FAILED needs tier CANARY or EVIDENCE", "outcome");
  }
  if (a.outcome === Outcome.EVIDENCE_REJECTED && a.tier !== VerificationTier.EVIDENCE) {
    fail("REP_OUTCOME_TIER_MISMATCH", "EVIDENCE_REJECTED needs tier EVIDENCE", "outcome");
  }
}

/** The rule of §7.4 that needs the verifier's clock (step 6). */
export function checkAttestationTimeOrThrow(a: OutcomeAttestation, now: bigint, clockSkewMs: bigint): void {
  // REP-009
  if (now + clockSkewMs < a.issuedAt) {
    fail("REP_ATTESTATION_NOT_YET_VALID", `issued_at is ${a.issuedAt - now} ms in the future, beyond the ${clockSkewMs} ms allowance`, "issued_at");
  }
}
