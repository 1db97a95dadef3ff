// Assembling an evidence package (spec/09-tasks-and-evidence.md §9.5): the
// receipts, trace and attestation of one task, bound to its request by hash
// and nonce. The package travels inside the provider's signed TaskResult.
import { create } from "@bufbuild/protobuf";
import { EvidencePackageSchema, type EvidencePackage, type PlatformAttestation, type TraceEvent } from "../../../gen/ts/ap2p/v1/evidence_pb.js";
import { misuse } from "../errors.js";
import { checkRules } from "../codec/rules.js";
import type { SignedReceipt } from "./receipts.js";

/** What goes into an evidence package besides the binding. */
export interface EvidenceContent {
  /** The receipts, in chain order (from ReceiptChain or runToolChain). */
  readonly receipts: readonly (SignedReceipt | Uint8Array)[];
  /** The trace, in time order. */
  readonly trace?: readonly TraceEvent[];
  /** The platform attestation, if the platform can produce one. */
  readonly attestation?: PlatformAttestation;
}

/** Builds the evidence package for a request (EVD-002, EVD-003). Throws Ap2pError if it is ill-formed. */
export function buildEvidencePackage(request: { readonly hash: Uint8Array; readonly nonce: Uint8Array }, content: EvidenceContent): EvidencePackage {
  if (!(request.hash instanceof Uint8Array) || !(request.nonce instanceof Uint8Array)) misuse("request hash and nonce must be byte strings");
  const evidence = create(EvidencePackageSchema, {
    requestHash: request.hash,
    nonce: request.nonce,
    receipts: content.receipts.map((r) => ({ coseSign1: r instanceof Uint8Array ? r : r.bytes })),
    trace: [...(content.trace ?? [])],
    ...(content.attestation === undefined ? {} : { attestation: content.attestation }),
  });
  checkRules(EvidencePackageSchema, evidence);
  return evidence;
}
