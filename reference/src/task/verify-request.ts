// Provider-side verification of a task request (spec/09-tasks-and-evidence.md
// §9.3): well-formed (envelope, schema, request structure), then valid for
// this provider now (signature, addressee, time window, capability and tier).
// Checks run in the order of the §9.3 table, so every verifier reports the
// same first defect (TASK-019).
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TaskRequestSchema, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { sha256Bytes } from "../codec/hash.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { parseSignedMessageOrThrow, type SignedMessage } from "../signed/signed-message.js";
import { checkPayloadHashOrThrow } from "./payload.js";
import { checkTaskPolicy, DEFAULT_TASK_POLICY, type TaskPolicy } from "./policy.js";

/** A task request that passed every check of §9.3. */
export interface VerifiedTaskRequest extends SignedMessage<TaskRequest> {
  /** The delegator (equal to the signer's kid). */
  readonly delegator: string;
  /** The request's message hash (ENC-020): what the result and the evidence refer to. */
  readonly hash: Uint8Array;
  /** The exact bytes verified. */
  readonly bytes: Uint8Array;
  /** The input bytes, checked against input_hash: inline, or the detached bytes supplied; undefined if neither. */
  readonly input: Uint8Array | undefined;
}

/** What a provider knows when it checks a request. */
export interface TaskRequestContext {
  /** The provider's current time, milliseconds since the Unix epoch. */
  readonly now: bigint;
  /** The verifying provider's own did:key (TASK-008). */
  readonly provider: string;
  /** The capabilities of the provider's current descriptor (TIER-002). */
  readonly offered: readonly Capability[];
  /** The detached input, when the request does not carry its input inline (TASK-005). */
  readonly input?: Uint8Array;
  /** Duration and skew limits; defaults to DEFAULT_TASK_POLICY. */
  readonly policy?: TaskPolicy;
}

function fail(code: ErrorCodeName, message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

/** Well-formedness only (§9.3 steps 1–4): the signature and the time are NOT checked. Never throws on bad input. */
export function parseTaskRequest(bytes: Uint8Array): Verdict<SignedMessage<TaskRequest>> {
  return toVerdict(() => parseTaskRequestOrThrow(bytes));
}

/** As parseTaskRequest, reporting a defect by throwing Ap2pError. */
export function parseTaskRequestOrThrow(bytes: Uint8Array): SignedMessage<TaskRequest> {
  const signed = parseSignedMessageOrThrow<TaskRequest>(TaskRequestSchema, bytes);
  checkRequestStructureOrThrow(signed.message, signed.envelope.kid);
  return signed;
}

/** The request rules that need no key, clock or context (§9.3 step 4). */
export function checkRequestStructureOrThrow(r: TaskRequest, kid: string): void {
  // TASK-002: a request speaks only for its signer.
  if (r.delegator !== kid) fail("COSE_KID_MISMATCH", `delegator ${r.delegator} is not the signer ${kid}`, "delegator");
  // TASK-004
  if (r.deadline <= r.issuedAt) fail("TASK_DEADLINE_INVALID", "deadline is not after issued_at", "deadline");
  // TASK-006: an attestation is carried only in an evidence package.
  if (r.attestationFormats.length > 0 && r.requiredTier !== VerificationTier.EVIDENCE) {
    fail("TASK_ATTESTATION_REQUIRES_EVIDENCE", "attestation formats are listed but the required tier is not EVIDENCE", "attestation_formats");
  }
  // TASK-005: an inline input is its own evidence of integrity.
  if (r.input !== undefined) checkPayloadHashOrThrow(r.input, r.inputHash, "TASK_INPUT_HASH_MISMATCH", "inline input", "input");
}

/** Every check of §9.3, for the provider the request is addressed to. Never throws on bad input. */
export function verifyTaskRequest(bytes: Uint8Array, context: TaskRequestContext): Verdict<VerifiedTaskRequest> {
  const policy = checkTaskPolicy(context.policy ?? DEFAULT_TASK_POLICY);
  return toVerdict(() => {
    const signed = parseTaskRequestOrThrow(bytes);
    if (signed.message.input !== undefined && context.input !== undefined) misuse("the request carries its input inline; pass no detached input");
    checkSignatureOrThrow(signed.envelope);
    checkRequestValidityOrThrow(signed.message, context, policy);
    // ENC-020: the payload is canonical (ENC-012), so its SHA-256 is the message hash.
    const hash = sha256Bytes(signed.envelope.payload);
    return { ...signed, delegator: signed.message.delegator, hash, bytes, input: signed.message.input ?? context.input };
  });
}

/** The request rules that need the provider's identity, clock and offer (§9.3 step 6). */
export function checkRequestValidityOrThrow(r: TaskRequest, context: TaskRequestContext, policy: TaskPolicy): void {
  // TASK-008: a request addressed to another provider is not ours to run (or to bill).
  if (r.provider !== context.provider) fail("TASK_WRONG_PROVIDER", `the request is addressed to ${r.provider}`, "provider");
  // TASK-007
  const duration = r.deadline - r.issuedAt;
  if (duration > policy.maxTaskDurationMs) {
    fail("TASK_DEADLINE_TOO_FAR", `the task lasts ${duration} ms, the maximum is ${policy.maxTaskDurationMs} ms`, "deadline");
  }
  // TASK-009, TASK-010: the window [issued_at − skew, deadline + skew).
  if (context.now + policy.clockSkewMs < r.issuedAt) {
    fail("TASK_NOT_YET_VALID", `issued_at is ${r.issuedAt - context.now} ms in the future, beyond the ${policy.clockSkewMs} ms allowance`, "issued_at");
  }
  if (context.now >= r.deadline + policy.clockSkewMs) {
    fail("TASK_EXPIRED", `the deadline passed ${context.now - r.deadline} ms ago, beyond the ${policy.clockSkewMs} ms allowance`, "deadline");
  }
  // TIER-002: the capability must be one the provider offers, at a tier it lists.
  // Tier 1 asks nothing of the provider (§10.1), so it needs no listing.
  const { namespace, id, version } = r.capability!;
  const cap = context.offered.find((c) => c.namespace === namespace && c.id === id && c.version === version);
  if (cap === undefined) fail("CAPABILITY_NOT_OFFERED", `${namespace}/${id}@${version} is not offered`, "capability");
  if (r.requiredTier !== VerificationTier.REPUTATION && !cap.supportedTiers.includes(r.requiredTier)) {
    fail("TIER_NOT_SUPPORTED", `${namespace}/${id}@${version} does not list tier ${VerificationTier[r.requiredTier]}`, "required_tier");
  }
  // TASK-005: detached input, when the provider already has it.
  if (r.input === undefined && context.input !== undefined) {
    checkPayloadHashOrThrow(context.input, r.inputHash, "TASK_INPUT_HASH_MISMATCH", "detached input", "input_hash");
  }
}
