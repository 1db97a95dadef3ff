// Platform attestation verifiers, keyed by format (spec/09-tasks-and-evidence.md
// §9.8). Each format (Android key attestation, Apple App Attest, TPM quotes,
// EAT, the test format) has its own evidence and its own trust roots; AP2P
// fixes only what every format must be bound to (EVD-015) and which codes a
// verifier reports (EVD-018).
import { create } from "@bufbuild/protobuf";
import { AttestationBindingSchema } from "../../../../gen/ts/ap2p/v1/evidence_pb.js";
import { misuse, type Verdict } from "../../errors.js";
import { messageHash } from "../../codec/hash.js";

/** What an attestation must be bound to and when it may have been made. */
export interface AttestationContext {
  /** The request's nonce: the freshness challenge. */
  readonly nonce: Uint8Array;
  /** The result's provider: whose execution the attestation vouches for. */
  readonly provider: string;
  /** The request's message hash. */
  readonly requestHash: Uint8Array;
  /** Earliest acceptable attestation time: the request's issued_at minus the skew allowance. */
  readonly notBefore: bigint;
  /** Latest acceptable attestation time: the request's deadline plus the skew allowance. */
  readonly notAfter: bigint;
  /** The verifier's current time. */
  readonly now: bigint;
}

/** What a format verifier learned from evidence that verified. */
export interface AttestationAppraisal {
  /** The format that was verified. */
  readonly format: string;
  /** The attested measurement, if the format has one; comparing it with reference values is the delegator's policy. */
  readonly measurement?: Uint8Array;
  /** When the attestation was made, if the format says. */
  readonly issuedAt?: bigint;
}

/**
 * A verifier for one attestation format. verify() never throws on bad
 * evidence: it returns a verdict whose codes are those of EVD-018.
 */
export interface AttestationVerifier {
  /** The format identifier it verifies (PlatformAttestation.format). */
  readonly format: string;
  /** Checks evidence against its trust roots and the binding in context. */
  verify(evidence: Uint8Array, context: AttestationContext): Verdict<AttestationAppraisal>;
}

/** The verifiers a delegator trusts, by format. */
export type AttestationRegistry = ReadonlyMap<string, AttestationVerifier>;

/** Builds a registry from verifiers; two verifiers for one format are a caller error. */
export function attestationRegistry(verifiers: readonly AttestationVerifier[]): AttestationRegistry {
  const registry = new Map<string, AttestationVerifier>();
  for (const v of verifiers) {
    if (registry.has(v.format)) misuse(`two attestation verifiers for format ${v.format}`);
    registry.set(v.format, v);
  }
  return registry;
}

/** A registry with no verifiers: the default, so that no format (least of all the test format) is trusted unasked (EVD-020). */
export const NO_ATTESTATION_VERIFIERS: AttestationRegistry = new Map();

/**
 * The challenge a provider places in a format's single challenge slot
 * (EVD-015): the message hash of AttestationBinding {nonce, provider,
 * request_hash}. 32 bytes fit every slot in use (Android attestationChallenge,
 * App Attest clientDataHash, TPM qualifyingData, SEV-SNP and TDX report data,
 * EAT nonce).
 */
export function attestationChallenge(binding: { readonly nonce: Uint8Array; readonly provider: string; readonly requestHash: Uint8Array }): Uint8Array {
  return messageHash(AttestationBindingSchema, create(AttestationBindingSchema, binding));
}
