// The AP2P reference implementation: public API. Everything exported here is
// documented in spec/ and covered by tests; anything not exported is internal.

// Errors and verdicts (spec/11-errors.md)
export { Ap2pError, ErrorCode, accept, isAp2pError, isErrorCodeName, reject, toVerdict } from "./errors.js";
export type { ErrorCodeName, Verdict } from "./errors.js";

// Canonical CBOR (spec/03-data-model.md)
export { encodeCanonical, compareBytes } from "./cbor/encode.js";
export { decodeCanonical, MESSAGE_PROFILE } from "./cbor/decode.js";
export { toDiagnostic } from "./cbor/diagnostic.js";
export { CborTag, DEFAULT_LIMITS } from "./cbor/value.js";
export type { CborLimits, CborMap, CborValue } from "./cbor/value.js";
export type { ScanProfile } from "./cbor/scan.js";
export { encodeMessage, decodeMessage } from "./codec/message-codec.js";
export { messageToCbor } from "./codec/to-cbor.js";
export { messageFromCbor } from "./codec/from-cbor.js";
export { checkRules } from "./codec/rules.js";
export { HASH_LENGTH, messageHash, sha256Bytes } from "./codec/hash.js";

// Identity and signing (spec/04-identity-and-signing.md)
export { checkPublicKey, ed25519Backends, generateSecretKey, publicKeyFromSecret, signEd25519, verifyEd25519 } from "./crypto/ed25519.js";
export type { Ed25519Backend, Ed25519Options } from "./crypto/ed25519.js";
export { didFromPublicKey, parseDidKey } from "./crypto/did-key.js";
export { ALG_EDDSA, COSE_SIGN1_TAG, encodeProtectedHeader, parseSign1, sigStructure, signSign1, verifySign1 } from "./cose/sign1.js";
export type { ParsedSign1 } from "./cose/sign1.js";
export { contentTypeOf, parseSignedMessage, signMessage, verifySignedMessage } from "./signed/signed-message.js";
export type { SignedMessage } from "./signed/signed-message.js";

// Capability descriptors (spec/05-descriptors.md)
export { issueDescriptor, refreshDescriptor, withdrawDescriptor } from "./descriptor/issue.js";
export type { DescriptorContent, IssueTiming, SignedDescriptor } from "./descriptor/issue.js";
export { parseDescriptor, verifyDescriptor } from "./descriptor/verify.js";
export type { VerifiedDescriptor, VerifyContext } from "./descriptor/verify.js";
export { DescriptorStore } from "./descriptor/store.js";
export type { StoreChange } from "./descriptor/store.js";
export { DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_TTL_MS, DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS } from "./descriptor/policy.js";
export type { DescriptorPolicy } from "./descriptor/policy.js";
