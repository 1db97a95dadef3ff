// The test-only attestation format "ap2p-test-v1" (spec/09-tasks-and-evidence.md
// §9.9). Its root key is derived from a published seed, so anyone can sign
// with it: it exists so that test vectors can carry valid and invalid
// attestations, and it proves nothing about any platform. A production
// verifier never registers it (EVD-020).
import { create } from "@bufbuild/protobuf";
import { PlatformAttestationSchema, TestAttestationClaimsSchema, type PlatformAttestation, type TestAttestationClaims } from "../../../../gen/ts/ap2p/v1/evidence_pb.js";
import { Ap2pError, isAp2pError, toVerdict, type ErrorCodeName } from "../../errors.js";
import { sha256Bytes } from "../../codec/hash.js";
import { checkSignatureOrThrow } from "../../cose/sign1.js";
import { didFromPublicKey } from "../../crypto/did-key.js";
import { publicKeyFromSecret } from "../../crypto/ed25519.js";
import { parseSignedMessageOrThrow, signMessage } from "../../signed/signed-message.js";
import { bytesEqual } from "../../bytes.js";
import type { AttestationVerifier } from "./verifier.js";

/** The format identifier. */
export const TEST_ATTESTATION_FORMAT = "ap2p-test-v1";
/** The published seed text; the root's secret key is its SHA-256. TEST ONLY. */
export const TEST_ATTESTATION_ROOT_SEED = "ap2p-test-v1 attestation root (test only, never trust)";
/** The test root's secret key: SHA-256 of the seed text. Public on purpose; TEST ONLY. */
export const TEST_ATTESTATION_ROOT_SECRET_KEY: Uint8Array = sha256Bytes(new TextEncoder().encode(TEST_ATTESTATION_ROOT_SEED));
/** The test root's did:key, the only kid the test-format verifier accepts. TEST ONLY. */
export const TEST_ATTESTATION_ROOT_DID: string = didFromPublicKey(publicKeyFromSecret(TEST_ATTESTATION_ROOT_SECRET_KEY));

/** Signs test-format evidence with the test root and wraps it as a PlatformAttestation. */
export function issueTestAttestation(claims: {
  readonly nonce: Uint8Array;
  readonly provider: string;
  readonly requestHash: Uint8Array;
  readonly measurement: Uint8Array;
  readonly issuedAt: bigint;
}): PlatformAttestation {
  const message = create(TestAttestationClaimsSchema, { ...claims });
  return create(PlatformAttestationSchema, {
    format: TEST_ATTESTATION_FORMAT,
    evidence: signMessage(TestAttestationClaimsSchema, message, TEST_ATTESTATION_ROOT_SECRET_KEY),
  });
}

function fail(code: ErrorCodeName, message: string, cause?: unknown): never {
  throw new Ap2pError(code, message, cause === undefined ? {} : { cause });
}

/** The verifier of "ap2p-test-v1" evidence (EVD-019). Register it in tests and vectors only. */
export const testAttestationVerifier: AttestationVerifier = Object.freeze({
  format: TEST_ATTESTATION_FORMAT,
  verify(evidence: Uint8Array, context: Parameters<AttestationVerifier["verify"]>[1]) {
    return toVerdict(() => {
      let claims: TestAttestationClaims;
      try {
        const signed = parseSignedMessageOrThrow<TestAttestationClaims>(TestAttestationClaimsSchema, evidence);
        // The format's one trust root: evidence signed by any other key is not evidence.
        if (signed.envelope.kid !== TEST_ATTESTATION_ROOT_DID) fail("EVD_ATTESTATION_INVALID", `signed by ${signed.envelope.kid}, not the test attestation root`);
        checkSignatureOrThrow(signed.envelope);
        claims = signed.message;
      } catch (e) {
        if (isAp2pError(e) && e.code !== "EVD_ATTESTATION_INVALID" && e.code !== "INVALID_ARGUMENT") {
          fail("EVD_ATTESTATION_INVALID", `test attestation evidence rejected: ${e.code}: ${e.message}`, e);
        }
        throw e;
      }
      // EVD-015, EVD-018: the challenge slot. Skipping this check accepts replayed quotes.
      if (!bytesEqual(claims.nonce, context.nonce)) fail("EVD_ATTESTATION_NONCE_MISMATCH", "the attestation was made for another nonce");
      if (claims.provider !== context.provider) fail("EVD_ATTESTATION_PROVIDER_MISMATCH", `the attestation was made for ${claims.provider}`);
      if (!bytesEqual(claims.requestHash, context.requestHash)) fail("EVD_ATTESTATION_REQUEST_MISMATCH", "the attestation was made for another request");
      if (claims.issuedAt < context.notBefore || claims.issuedAt > context.notAfter) {
        fail("EVD_ATTESTATION_TIME_INVALID", `issued_at ${claims.issuedAt} is outside ${context.notBefore}..${context.notAfter}`);
      }
      return { format: TEST_ATTESTATION_FORMAT, measurement: claims.measurement, issuedAt: claims.issuedAt };
    });
  },
});
