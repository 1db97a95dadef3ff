// Verification of an evidence package against the request it answers and the
// result that carries it (spec/09-tasks-and-evidence.md §9.10, steps 7a–7h).
// The package arrives inside the provider's signed result, so by the time it
// is checked the provider has vouched for all of it; what is checked here is
// that it is bound to this request, that the receipts are each signed and
// form one unbroken, time-ordered pipeline from the request's input to the
// result's output, and that any attestation verifies.
import { ToolReceiptSchema, type EvidencePackage, type ToolReceipt, type TraceEvent } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TaskStatus, type TaskRequest } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { Ap2pError, isAp2pError, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { sha256Bytes } from "../codec/hash.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { parseSignedMessageOrThrow } from "../signed/signed-message.js";
import { bytesEqual } from "../bytes.js";
import type { AttestationAppraisal, AttestationRegistry } from "./attestation/verifier.js";

/** What to do with an attestation of a format the verifier does not know, when the request did not require one (EVD-016). */
export type UnknownAttestationPolicy = "reject" | "ignore";

/** Everything evidence is checked against: the request, the result's claims, the verifier's clock and trust. */
export interface EvidenceCheckContext {
  /** The request the result answers. */
  readonly request: TaskRequest;
  /** Its message hash. */
  readonly requestHash: Uint8Array;
  /** The result's provider (already checked against the signer and the request). */
  readonly provider: string;
  /** The result's status. */
  readonly status: TaskStatus;
  /** The result's output_hash (empty unless completed). */
  readonly outputHash: Uint8Array;
  /** The result's completed_at: the end of the evidence window (EVD-012). */
  readonly completedAt: bigint;
  /** The verifier's current time. */
  readonly now: bigint;
  /** The clock-skew allowance. */
  readonly clockSkewMs: bigint;
  /** The attestation verifiers the delegator trusts, by format. */
  readonly attestationVerifiers: AttestationRegistry;
  /** What to do with an optional attestation of an unknown format. */
  readonly unknownAttestation: UnknownAttestationPolicy;
}

/** What an evidence package that passed every check says. */
export interface VerifiedEvidence {
  /** The decoded receipts, in chain order. */
  readonly receipts: readonly ToolReceipt[];
  /** The trace. */
  readonly trace: readonly TraceEvent[];
  /**
   * The attestation: its format and, when a registered verifier accepted
   * it, the appraisal. An appraisal is absent only for an optional
   * attestation of an unknown format that policy ignored.
   */
  readonly attestation?: { readonly format: string; readonly appraisal?: AttestationAppraisal };
}

function fail(code: ErrorCodeName, message: string, path: string): never {
  throw new Ap2pError(code, `${path}: ${message}`, { path });
}

/** Runs fn and re-labels an Ap2pError it throws with the path of the object it was checking. */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isAp2pError(e) || e.code === "INVALID_ARGUMENT") throw e;
    throw new Ap2pError(e.code, `${path}: ${e.message}`, { path: e.path === undefined ? path : `${path}.${e.path}`, cause: e });
  }
}

/** Checks a result's evidence (or its absence) against the context. Never throws on bad input. */
export function verifyEvidencePackage(evidence: EvidencePackage | undefined, context: EvidenceCheckContext): Verdict<VerifiedEvidence | undefined> {
  return toVerdict(() => checkEvidenceOrThrow(evidence, context));
}

/** As verifyEvidencePackage, reporting the first defect by throwing Ap2pError. */
export function checkEvidenceOrThrow(evidence: EvidencePackage | undefined, c: EvidenceCheckContext): VerifiedEvidence | undefined {
  const completed = c.status === TaskStatus.COMPLETED;
  // EVD-001 (and TIER-004): a completed task at Tier 3 comes with evidence.
  if (evidence === undefined) {
    if (completed && c.request.requiredTier === VerificationTier.EVIDENCE) fail("EVD_EVIDENCE_MISSING", "the request requires an evidence package", "evidence");
    return undefined;
  }
  // EVD-013: whatever is present is checked, required or not.
  // EVD-002, EVD-003: bound to this request and its challenge.
  if (!bytesEqual(evidence.requestHash, c.requestHash)) fail("EVD_REQUEST_HASH_MISMATCH", "the evidence is for another request", "evidence.request_hash");
  if (!bytesEqual(evidence.nonce, c.request.nonce)) fail("EVD_NONCE_MISMATCH", "the evidence carries another nonce", "evidence.nonce");
  // EVD-004
  if (completed && evidence.receipts.length === 0) fail("EVD_RECEIPTS_MISSING", "a completed task's evidence holds no receipt", "evidence.receipts");

  const windowStart = c.request.issuedAt - c.clockSkewMs;
  const receipts: ToolReceipt[] = [];
  let prevHash = c.requestHash;
  let product = c.request.inputHash;
  let prevEnd: bigint | undefined;
  evidence.receipts.forEach((so, i) => {
    const path = `evidence.receipts[${i}]`;
    const signed = at(path, () => parseSignedMessageOrThrow<ToolReceipt>(ToolReceiptSchema, so.coseSign1));
    const r = signed.message;
    // EVD-005: a receipt speaks only for its signer.
    if (r.executor !== signed.envelope.kid) fail("COSE_KID_MISMATCH", `executor ${r.executor} is not the signer ${signed.envelope.kid}`, `${path}.executor`);
    // EVD-006: in this revision the provider answers for every step itself.
    if (r.executor !== c.provider) fail("EVD_EXECUTOR_MISMATCH", `executor ${r.executor} is not the provider ${c.provider}`, `${path}.executor`);
    // EVD-007: positions 0, 1, 2, ... with no gap, repetition or reordering.
    if (r.index !== i) fail("EVD_RECEIPT_INDEX_MISMATCH", `index ${r.index} at position ${i}`, `${path}.index`);
    // EVD-008: the hash chain, over payloads (ENC-020).
    if (!bytesEqual(r.prevHash, prevHash)) {
      fail("EVD_CHAIN_BROKEN", i === 0 ? "prev_hash is not the request hash" : "prev_hash is not the hash of the previous receipt", `${path}.prev_hash`);
    }
    // EVD-009: data flows from the request's input through every step.
    if (!bytesEqual(r.inputHash, product)) {
      fail("EVD_INPUT_HASH_MISMATCH", i === 0 ? "input_hash is not the request's input_hash" : "input_hash is not the previous receipt's output_hash", `${path}.input_hash`);
    }
    // EVD-011: each step ends after it starts and starts after the previous one ends.
    if (r.endedAt < r.startedAt) fail("EVD_TIME_DISORDER", "ended_at is before started_at", `${path}.ended_at`);
    if (prevEnd !== undefined && r.startedAt < prevEnd) fail("EVD_TIME_DISORDER", "started_at is before the previous receipt's ended_at", `${path}.started_at`);
    // EVD-012: within [issued_at − skew, completed_at].
    if (r.startedAt < windowStart) fail("EVD_TIME_OUTSIDE_WINDOW", "started_at is before the request was issued", `${path}.started_at`);
    if (r.endedAt > c.completedAt) fail("EVD_TIME_OUTSIDE_WINDOW", "ended_at is after the result's completed_at", `${path}.ended_at`);
    at(path, () => checkSignatureOrThrow(signed.envelope));
    receipts.push(r);
    // ENC-020: the payload is canonical (ENC-012), so its SHA-256 is the receipt's message hash.
    prevHash = sha256Bytes(signed.envelope.payload);
    product = r.outputHash;
    prevEnd = r.endedAt;
  });
  // EVD-010: the last step's product is the task's output.
  if (completed && !bytesEqual(product, c.outputHash)) {
    fail("EVD_OUTPUT_HASH_MISMATCH", "the last receipt's output_hash is not the result's output_hash", `evidence.receipts[${receipts.length - 1}].output_hash`);
  }

  let prevAt: bigint | undefined;
  evidence.trace.forEach((e, i) => {
    const path = `evidence.trace[${i}].at`;
    // EVD-011, EVD-012
    if (prevAt !== undefined && e.at < prevAt) fail("EVD_TIME_DISORDER", "trace events are out of time order", path);
    if (e.at < windowStart || e.at > c.completedAt) fail("EVD_TIME_OUTSIDE_WINDOW", "trace event outside the task window", path);
    prevAt = e.at;
  });

  const attestation = checkAttestationOrThrow(evidence, c, completed);
  return attestation === undefined ? { receipts, trace: evidence.trace } : { receipts, trace: evidence.trace, attestation };
}

/** EVD-016 to EVD-018: the attestation, by format. */
function checkAttestationOrThrow(evidence: EvidencePackage, c: EvidenceCheckContext, completed: boolean): VerifiedEvidence["attestation"] {
  const formats = c.request.attestationFormats;
  const required = completed && formats.length > 0;
  const a = evidence.attestation;
  const path = "evidence.attestation";
  if (a === undefined) {
    // EVD-017
    if (required) fail("EVD_ATTESTATION_MISSING", `the request requires an attestation in one of: ${formats.join(", ")}`, path);
    return undefined;
  }
  // EVD-017: when the delegator said which formats it accepts, no other will do.
  if (formats.length > 0 && !formats.includes(a.format)) fail("EVD_ATTESTATION_FORMAT_NOT_ACCEPTED", `format ${a.format} is not one the request lists`, `${path}.format`);
  const verifier = c.attestationVerifiers.get(a.format);
  if (verifier === undefined) {
    // EVD-016: unknown formats fail when attestation counts; otherwise policy decides.
    if (required || c.unknownAttestation === "reject") fail("EVD_ATTESTATION_FORMAT_UNKNOWN", `no verifier for format ${a.format}`, `${path}.format`);
    return { format: a.format };
  }
  // EVD-018: an attestation that fails is never ignored, required or not.
  const verdict = verifier.verify(a.evidence, {
    nonce: c.request.nonce,
    provider: c.provider,
    requestHash: c.requestHash,
    notBefore: c.request.issuedAt - c.clockSkewMs,
    notAfter: c.request.deadline + c.clockSkewMs,
    now: c.now,
  });
  if (!verdict.ok) {
    // A format verifier speaks in EVD-018's codes; anything else it reports is invalid evidence.
    const code = verdict.error.code.startsWith("EVD_ATTESTATION_") ? verdict.error.code : "EVD_ATTESTATION_INVALID";
    throw new Ap2pError(code, `${path}: ${verdict.error.message}`, { path: `${path}.evidence`, cause: verdict.error });
  }
  return { format: a.format, appraisal: verdict.value };
}
