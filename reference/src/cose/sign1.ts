// COSE_Sign1 (RFC 9052 §4.2) with EdDSA over Ed25519, in AP2P's one allowed
// shape (spec/04-identity-and-signing.md §4.3):
//
//   18([ protected: bstr .cbor {1: -8, 3: content type, 4: kid}, unprotected: {},
//        payload: bstr, signature: bstr .size 64 ])
//
// The content type names the kind of message, so a signature made for one kind
// can never be accepted for another (SIG-006); kid is the signer's did:key.
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { encodeCanonical } from "../cbor/encode.js";
import { decodeCanonicalOrThrow } from "../cbor/decode.js";
import { readHead, scanItem, type ScanProfile } from "../cbor/scan.js";
import { CborTag, type CborMap } from "../cbor/value.js";
import { parseDidKey, didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret, signEd25519, verifyEd25519 } from "../crypto/ed25519.js";

/** CBOR tag of COSE_Sign1_Tagged (RFC 9052 §2). */
export const COSE_SIGN1_TAG = 18;
/** COSE algorithm identifier of EdDSA (RFC 9053 §2.2). */
export const ALG_EDDSA = -8;
/** COSE header labels AP2P uses (RFC 9052 §3.1). */
export const HEADER_ALG = 1;
export const HEADER_CONTENT_TYPE = 3;
export const HEADER_KID = 4;
/** Largest COSE_Sign1 accepted, in bytes (SIG-001). */
export const MAX_SIGN1_BYTES = 65536;

const ENVELOPE_PROFILE: ScanProfile = Object.freeze({ maxBytes: MAX_SIGN1_BYTES, maxDepth: 2, mapKeys: "int" });
// Depth 4 lets an unsupported label with a structured value (crit is an array)
// reach the label check and be reported as unsupported.
const HEADER_PROFILE: ScanProfile = Object.freeze({ maxBytes: 1024, maxDepth: 4, mapKeys: "int" });
const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** A parsed COSE_Sign1 whose structure and protected header are well-formed; the signature is not yet checked. */
export interface ParsedSign1 {
  /** The signer's did:key (the kid). */
  readonly kid: string;
  /** The signer's Ed25519 public key, decoded from the kid and checked (ID-003). */
  readonly publicKey: Uint8Array;
  /** The content type naming the message kind. */
  readonly contentType: string;
  /** The serialized protected header, as signed. */
  readonly protectedBytes: Uint8Array;
  /** The payload bytes, as signed. */
  readonly payload: Uint8Array;
  /** The 64-byte signature. */
  readonly signature: Uint8Array;
}

/** The protected header bytes AP2P writes: deterministic CBOR of {1: -8, 3: contentType, 4: kid}. */
export function encodeProtectedHeader(contentType: string, kid: string): Uint8Array {
  const header: CborMap = new Map<number, string | number | Uint8Array>([
    [HEADER_ALG, ALG_EDDSA],
    [HEADER_CONTENT_TYPE, contentType],
    [HEADER_KID, utf8.encode(kid)],
  ]);
  return encodeCanonical(header);
}

/** Sig_structure of RFC 9052 §4.4 for COSE_Sign1, with empty external_aad (SIG-008). */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCanonical(["Signature1", protectedBytes, EMPTY, payload]);
}

/** Signs a payload as a COSE_Sign1. The kid is the did:key of the secret key. */
export function signSign1(payload: Uint8Array, contentType: string, secretKey: Uint8Array): Uint8Array {
  const kid = didFromPublicKey(publicKeyFromSecret(secretKey));
  const protectedBytes = encodeProtectedHeader(contentType, kid);
  const signature = signEd25519(secretKey, sigStructure(protectedBytes, payload));
  return encodeCanonical(new CborTag(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));
}

/**
 * Checks that bytes are a well-formed AP2P COSE_Sign1 for the expected content
 * type (SIG-001 to SIG-007), without checking the signature. Never throws on bad input.
 */
export function parseSign1(bytes: Uint8Array, expectedContentType: string): Verdict<ParsedSign1> {
  return toVerdict(() => parseSign1OrThrow(bytes, expectedContentType));
}

/** Checks a COSE_Sign1 completely: well-formedness, then the Ed25519 signature (SIG-009 to SIG-011). */
export function verifySign1(bytes: Uint8Array, expectedContentType: string): Verdict<ParsedSign1> {
  return toVerdict(() => {
    const parsed = parseSign1OrThrow(bytes, expectedContentType);
    checkSignatureOrThrow(parsed);
    return parsed;
  });
}

/** Verifies the signature of an already parsed COSE_Sign1. Throws Ap2pError with a SIG_* code. */
export function checkSignatureOrThrow(parsed: ParsedSign1): void {
  const verdict = verifyEd25519(parsed.publicKey, sigStructure(parsed.protectedBytes, parsed.payload), parsed.signature);
  if (!verdict.ok) throw verdict.error;
}

function fail(code: "COSE_MALFORMED" | "COSE_TAG_MISSING" | "COSE_HEADER_UNSUPPORTED" | "COSE_PAYLOAD_DETACHED" | "COSE_ALG_UNSUPPORTED" | "COSE_CONTENT_TYPE_MISMATCH" | "COSE_KID_MISSING" | "SIG_MALFORMED", message: string): never {
  throw new Ap2pError(code, message);
}

/** As parseSign1, reporting a defect by throwing Ap2pError. */
export function parseSign1OrThrow(bytes: Uint8Array, expectedContentType: string): ParsedSign1 {
  if (!(bytes instanceof Uint8Array)) throw new Ap2pError("INVALID_ARGUMENT", "expected a Uint8Array");
  if (bytes.length > MAX_SIGN1_BYTES) {
    throw new Ap2pError("CBOR_TOO_LARGE", `COSE_Sign1 is ${bytes.length} bytes, the limit is ${MAX_SIGN1_BYTES}`);
  }
  // SIG-001: COSE_Sign1_Tagged, an array of exactly four items, both heads in
  // their shortest definite form (ENC-002, ENC-003: the envelope is deterministic too).
  if (bytes.length === 0 || bytes[0]! >> 5 !== 6) fail("COSE_TAG_MISSING", "not tagged as COSE_Sign1 (tag 18)");
  if (bytes[0] !== 0xd2) {
    if (bytes[0] === 0xd8 && bytes[1] === 18) throw new Ap2pError("CBOR_NON_SHORTEST_HEAD", "tag 18 is not in its shortest form (at byte 0)");
    fail("COSE_TAG_MISSING", "tagged with a tag other than 18 (COSE_Sign1)");
  }
  if (bytes.length < 2) fail("COSE_MALFORMED", "COSE_Sign1 must be an array of four items");
  if (bytes[1] !== 0x84) {
    if (bytes[1] === 0x9f) throw new Ap2pError("CBOR_INDEFINITE_LENGTH", "indefinite-length array (at byte 1)");
    if (bytes[1] === 0x98 && bytes[2] === 4) throw new Ap2pError("CBOR_NON_SHORTEST_HEAD", "array length 4 is not in its shortest form (at byte 1)");
    fail("COSE_MALFORMED", "COSE_Sign1 must be an array of four items");
  }
  let pos = 2;
  const item = (what: string, major: number): [number, number] => {
    if (pos >= bytes.length) fail("COSE_MALFORMED", `truncated before the ${what}`);
    if (bytes[pos]! >> 5 !== major) fail("COSE_MALFORMED", `the ${what} has the wrong type`);
    const start = pos;
    pos = scanItem(bytes, pos, ENVELOPE_PROFILE);
    return [start, pos];
  };
  const content = ([start, end]: [number, number]) => bytes.subarray(readHead(bytes, start).contentStart, end);

  const protectedBytes = content(item("protected header", 2));
  // SIG-003: everything is in the protected header; the unprotected header is empty.
  const [uStart] = item("unprotected header", 5);
  if (bytes[uStart] !== 0xa0) fail("COSE_HEADER_UNSUPPORTED", "the unprotected header must be empty");
  // SIG-004: the payload is attached.
  if (bytes[pos] === 0xf6) fail("COSE_PAYLOAD_DETACHED", "the payload is detached (nil)");
  const payload = content(item("payload", 2));
  const signature = content(item("signature", 2));
  if (pos !== bytes.length) throw new Ap2pError("CBOR_TRAILING_BYTES", `${bytes.length - pos} bytes follow the COSE_Sign1`);
  if (signature.length !== 64) fail("SIG_MALFORMED", `signature is ${signature.length} bytes, Ed25519 signatures are 64`);

  const { kid, contentType } = parseProtectedHeader(protectedBytes, expectedContentType);
  const key = parseDidKey(kid);
  if (!key.ok) throw key.error;
  return { kid, publicKey: key.value, contentType, protectedBytes: protectedBytes.slice(), payload: payload.slice(), signature: signature.slice() };
}

// SIG-002: exactly alg, content type and kid, in deterministic CBOR. Checked in
// a fixed order so every verifier reports the same first defect (SIG-013).
function parseProtectedHeader(protectedBytes: Uint8Array, expectedContentType: string): { kid: string; contentType: string } {
  const header = decodeCanonicalOrThrow(protectedBytes, HEADER_PROFILE);
  if (!(header instanceof Map)) fail("COSE_MALFORMED", "the protected header is not a map");
  for (const label of header.keys()) {
    if (label !== HEADER_ALG && label !== HEADER_CONTENT_TYPE && label !== HEADER_KID) {
      fail("COSE_HEADER_UNSUPPORTED", `protected header label ${String(label)} is not supported`);
    }
  }
  const alg = header.get(HEADER_ALG);
  if (alg !== ALG_EDDSA) fail("COSE_ALG_UNSUPPORTED", alg === undefined ? "no alg in the protected header" : `alg ${String(alg)} is not EdDSA (-8)`);
  const contentType = header.get(HEADER_CONTENT_TYPE);
  if (contentType !== expectedContentType) {
    fail("COSE_CONTENT_TYPE_MISMATCH", contentType === undefined ? "no content type in the protected header" : `content type ${JSON.stringify(String(contentType))} is not ${JSON.stringify(expectedContentType)}`);
  }
  const kidBytes = header.get(HEADER_KID);
  if (kidBytes === undefined) fail("COSE_KID_MISSING", "no kid in the protected header");
  if (!(kidBytes instanceof Uint8Array)) fail("COSE_MALFORMED", "kid must be a byte string");
  let kid: string;
  try {
    kid = utf8Decoder.decode(kidBytes);
  } catch {
    throw new Ap2pError("DID_MALFORMED", "kid is not UTF-8 text");
  }
  return { kid, contentType };
}
