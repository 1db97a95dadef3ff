// Delegator-side verification of a task result (spec/09-tasks-and-evidence.md
// §9.10): well-formed (envelope, schema, result structure), signed by the
// provider, bound to the request that was sent, on time, with the output it
// declares and, at Tier 3, evidence that checks out (§9.6 to §9.9). Checks run
// in the order of the §9.10 table (TASK-019, EVD-021).
import { TaskRequestSchema, TaskResultSchema, TaskStatus, type TaskRequest, type TaskResult } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { Ap2pError, isAp2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { messageHash, sha256Bytes } from "../codec/hash.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { parseSignedMessageOrThrow, verifySignedMessage, type SignedMessage } from "../signed/signed-message.js";
import { NO_ATTESTATION_VERIFIERS, type AttestationRegistry } from "../evidence/attestation/verifier.js";
import { checkEvidenceOrThrow, type UnknownAttestationPolicy, type VerifiedEvidence } from "../evidence/verify.js";
import { bytesEqual } from "../bytes.js";
import { checkPayloadHashOrThrow } from "./payload.js";
import { checkTaskPolicy, DEFAULT_TASK_POLICY, type TaskPolicy } from "./policy.js";
import { checkRequestStructureOrThrow } from "./verify-request.js";

/** A result that passed every check of §9.10. */
export interface VerifiedTaskResult extends SignedMessage<TaskResult> {
  /** The provider (equal to the signer's kid and the request's provider). */
  readonly provider: string;
  /** The message hash of the request it answers. */
  readonly requestHash: Uint8Array;
  /** The exact bytes verified. */
  readonly bytes: Uint8Array;
  /** The output, checked against output_hash: inline, or the detached bytes supplied; undefined if neither. */
  readonly output: Uint8Array | undefined;
  /** The evidence package's checked content, if the result carries one. */
  readonly evidence: VerifiedEvidence | undefined;
}

/** What a delegator knows when it checks a result. */
export interface TaskResultContext {
  /** The request the delegator sent: its signed bytes, or the message. Trusted input: a request that does not verify is a caller error. */
  readonly request: Uint8Array | TaskRequest;
  /** When the result arrived, milliseconds since the Unix epoch (TASK-016). */
  readonly now: bigint;
  /** The detached output, when the result does not carry it inline (TASK-018). */
  readonly output?: Uint8Array;
  /** The attestation verifiers the delegator trusts; none by default (EVD-020). */
  readonly attestationVerifiers?: AttestationRegistry;
  /** What to do with an optional attestation of an unknown format; "ignore" by default (EVD-016). */
  readonly unknownAttestation?: UnknownAttestationPolicy;
  /** Skew limit (the duration limit is not used here); defaults to DEFAULT_TASK_POLICY. */
  readonly policy?: TaskPolicy;
}

function fail(code: ErrorCodeName, message: string, path?: string): never {
  throw new Ap2pError(code, message, path === undefined ? {} : { path });
}

/** The request and its hash, from trusted caller input. */
function requestOf(request: Uint8Array | TaskRequest): { request: TaskRequest; hash: Uint8Array } {
  if (request instanceof Uint8Array) {
    const v = verifySignedMessage<TaskRequest>(TaskRequestSchema, request);
    if (!v.ok) misuse(`the request does not verify: ${v.error.code}: ${v.error.message}`);
    try {
      checkRequestStructureOrThrow(v.value.message, v.value.envelope.kid);
    } catch (e) {
      misuse(`the request is not well-formed: ${isAp2pError(e) ? `${e.code}: ${e.message}` : String(e)}`);
    }
    return { request: v.value.message, hash: sha256Bytes(v.value.envelope.payload) };
  }
  try {
    return { request, hash: messageHash(TaskRequestSchema, request) };
  } catch (e) {
    misuse(`the request is not well-formed: ${isAp2pError(e) ? `${e.code}: ${e.message}` : String(e)}`);
  }
}

/** Well-formedness only (§9.10 steps 1–4): the signature and the request binding are NOT checked. Never throws on bad input. */
export function parseTaskResult(bytes: Uint8Array): Verdict<SignedMessage<TaskResult>> {
  return toVerdict(() => parseTaskResultOrThrow(bytes));
}

/** As parseTaskResult, reporting a defect by throwing Ap2pError. */
export function parseTaskResultOrThrow(bytes: Uint8Array): SignedMessage<TaskResult> {
  const signed = parseSignedMessageOrThrow<TaskResult>(TaskResultSchema, bytes);
  checkResultStructureOrThrow(signed.message, signed.envelope.kid);
  return signed;
}

/** The result rules that need no key, request or clock (§9.10 step 4). */
export function checkResultStructureOrThrow(r: TaskResult, kid: string): void {
  // TASK-012: a result speaks only for its signer.
  if (r.provider !== kid) fail("COSE_KID_MISMATCH", `provider ${r.provider} is not the signer ${kid}`, "provider");
  // TASK-013: an output exactly when the task completed.
  const completed = r.status === TaskStatus.COMPLETED;
  if (completed && r.outputHash.length === 0) fail("TASK_RESULT_STATUS_INCONSISTENT", "a completed result declares no output_hash", "output_hash");
  if (!completed && (r.outputHash.length > 0 || r.output !== undefined)) {
    fail("TASK_RESULT_STATUS_INCONSISTENT", `a ${TaskStatus[r.status]} result carries an output`, r.outputHash.length > 0 ? "output_hash" : "output");
  }
  // TASK-014
  if (r.output !== undefined) checkPayloadHashOrThrow(r.output, r.outputHash, "TASK_OUTPUT_HASH_MISMATCH", "inline output", "output");
}

/**
 * Every check of §9.10: is this a result the delegator may use? Never throws on bad input.
 *
 * @example
 * ```ts
 * import { verifyTaskResult } from "ap2p";
 *
 * const verdict = verifyTaskResult(resultBytes, { request: request.bytes, now });
 * if (verdict.ok) console.log(verdict.value.message.status, verdict.value.output);
 * else console.log(verdict.error.code); // e.g. "TASK_OUTPUT_HASH_MISMATCH"
 * ```
 * @see spec/09-tasks-and-evidence.md §9.4 (task results)
 * @see spec/09-tasks-and-evidence.md §9.10 (verifying a result)
 */
export function verifyTaskResult(bytes: Uint8Array, context: TaskResultContext): Verdict<VerifiedTaskResult> {
  const policy = checkTaskPolicy(context.policy ?? DEFAULT_TASK_POLICY);
  const { request, hash: requestHash } = requestOf(context.request);
  const skew = policy.clockSkewMs;
  return toVerdict(() => {
    const signed = parseTaskResultOrThrow(bytes);
    const r = signed.message;
    if (r.output !== undefined && context.output !== undefined) misuse("the result carries its output inline; pass no detached output");
    checkSignatureOrThrow(signed.envelope);
    // TASK-015: the answer to this request, from the provider it was sent to.
    if (!bytesEqual(r.requestHash, requestHash)) fail("TASK_REQUEST_HASH_MISMATCH", "the result answers another request", "request_hash");
    if (r.provider !== request.provider) fail("TASK_WRONG_PROVIDER", `the request was sent to ${request.provider}, the result is from ${r.provider}`, "provider");
    // TASK-016: on time by the delegator's clock, with the usual allowance.
    if (context.now >= request.deadline + skew) {
      fail("TASK_RESULT_LATE", `the result arrived ${context.now - request.deadline} ms after the deadline, beyond the ${skew} ms allowance`, "completed_at");
    }
    // TASK-017: completed within the task window, and not in the verifier's future.
    if (r.completedAt < request.issuedAt - skew || r.completedAt > request.deadline + skew || r.completedAt > context.now + skew) {
      fail("TASK_RESULT_TIME_INVALID", `completed_at ${r.completedAt} is outside the task window or in the future`, "completed_at");
    }
    // TASK-018: detached output, when the delegator has it.
    if (context.output !== undefined) {
      if (r.status !== TaskStatus.COMPLETED) fail("TASK_RESULT_STATUS_INCONSISTENT", "output bytes arrived for a result without output", "output_hash");
      checkPayloadHashOrThrow(context.output, r.outputHash, "TASK_OUTPUT_HASH_MISMATCH", "detached output", "output_hash");
    }
    const evidence = checkEvidenceOrThrow(r.evidence, {
      request,
      requestHash,
      provider: r.provider,
      status: r.status,
      outputHash: r.outputHash,
      completedAt: r.completedAt,
      now: context.now,
      clockSkewMs: skew,
      attestationVerifiers: context.attestationVerifiers ?? NO_ATTESTATION_VERIFIERS,
      unknownAttestation: context.unknownAttestation ?? "ignore",
    });
    return { ...signed, provider: r.provider, requestHash, bytes, output: r.output ?? context.output, evidence };
  });
}
