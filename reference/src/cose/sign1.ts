// COSE_Sign1 (RFC 9052 §4.2) with EdDSA over Ed25519, in AP2P's one allowed
// shape (spec/04-identity-and-signing.md §4.3):
//
//   18([ protected: bstr .cbor {1: -8, 3: content type, 4: kid}, unprotected: {},
//        payload: bstr, signature: bstr .size 64 ])
//
// The content type names the kind of message, so a signature made for one kind
// can never be accepted for another (SIG-006); kid is the signer's did:key.
import { Ap2pError, isAp2pError, misuse, toVerdict, type Verdict } from "../errors.js";
import { encodeCanonical } from "../cbor/encode.js";
import { decodeCanonicalOrThrow } from "../cbor/decode.js";
import { readHead, scanItem, type ScanProfile } from "../cbor/scan.js";
import { CborTag, type CborMap } from "../cbor/value.js";
import { parseDidKey, parseDidKeyEncoding, didFromPublicKey } from "../crypto/did-key.js";
import { checkPublicKey, publicKeyFromSecret, signEd25519, verifyEd25519 } from "../crypto/ed25519.js";

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

// The deterministic CBOR of the Sig_structure up to its second item: an array
// of four, then the text "Signature1".
const SIG_STRUCTURE_START = Uint8Array.of(0x84, 0x6a, ...utf8.encode("Signature1"));

/** The shortest head of a byte string of n bytes (RFC 8949 §4.2.1). */
function byteStringHead(n: number): number[] {
  if (n < 24) return [0x40 | n];
  if (n < 0x100) return [0x58, n];
  if (n < 0x10000) return [0x59, n >>> 8, n & 0xff];
  if (n < 0x100000000) return [0x5a, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const hi = Math.floor(n / 0x100000000);
  return [0x5b, 0, 0, (hi >>> 8) & 0xff, hi & 0xff, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/**
 * Sig_structure of RFC 9052 §4.4 for COSE_Sign1, with empty external_aad
 * (SIG-008): the deterministic CBOR of ["Signature1", protected, h'', payload],
 * written directly, since it is built on every signature and verification.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return sigStructureInto(undefined, protectedBytes, payload);
}

// The buffer checkSignatureOrThrow builds Sig_structures in; grown as needed.
const sigScratch = { buffer: new Uint8Array(4096) };

/** The Sig_structure, in scratch.buffer (grown if needed) when scratch is given, else in a new array. */
function sigStructureInto(scratch: { buffer: Uint8Array } | undefined, protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) misuse("sigStructure: expected two Uint8Arrays");
  const protectedHead = byteStringHead(protectedBytes.length);
  const payloadHead = byteStringHead(payload.length);
  const length = SIG_STRUCTURE_START.length + protectedHead.length + protectedBytes.length + 1 + payloadHead.length + payload.length;
  let out: Uint8Array;
  if (scratch === undefined) {
    out = new Uint8Array(length);
  } else {
    if (scratch.buffer.length < length) scratch.buffer = new Uint8Array(Math.max(length, 2 * scratch.buffer.length));
    out = scratch.buffer.subarray(0, length);
  }
  let pos = 0;
  out.set(SIG_STRUCTURE_START, pos);
  pos += SIG_STRUCTURE_START.length;
  out.set(protectedHead, pos);
  pos += protectedHead.length;
  out.set(protectedBytes, pos);
  pos += protectedBytes.length;
  out[pos++] = 0x40; // external_aad: the empty byte string
  out.set(payloadHead, pos);
  pos += payloadHead.length;
  out.set(payload, pos);
  return out;
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
  return toVerdict(() =>
    parseAndVerifySign1OrThrow(bytes, expectedContentType, (parsed) => {
      checkSignatureOrThrow(parsed);
      return parsed;
    }),
  );
}

/**
 * Parses a COSE_Sign1 as parseSign1OrThrow does and hands it to verify, which
 * runs the checks that follow, the signature (checkSignatureOrThrow) among
 * them. The result, and any error verify throws, are exactly those of
 * parseSign1OrThrow followed by verify; only the cost differs. Of the signer's
 * key checks (ID-003), the one that is expensive, that the key is a curve
 * point, is left to the signature, which settles it for free when it
 * verifies; before an error from verify is reported, and before a result is
 * returned, the check is settled, so that KEY_NOT_ON_CURVE still comes first.
 */
export function parseAndVerifySign1OrThrow<T>(bytes: Uint8Array, expectedContentType: string, verify: (parsed: ParsedSign1) => T): T {
  const parsed = parseSign1With(bytes, expectedContentType, parseDidKeyEncoding);
  let result: T;
  try {
    result = verify(parsed);
  } catch (e) {
    // A caller's misuse or a bug is not a verdict about the input: let it through as it is.
    if (isAp2pError(e) && e.code !== "INVALID_ARGUMENT") settleKeyOrThrow(parsed.publicKey);
    throw e;
  }
  // Cheap when the signature verified: that settled the check.
  settleKeyOrThrow(parsed.publicKey);
  return result;
}

function settleKeyOrThrow(publicKey: Uint8Array): void {
  const key = checkPublicKey(publicKey);
  if (!key.ok) throw key.error;
}

/** Verifies the signature of an already parsed COSE_Sign1. Throws Ap2pError with a SIG_* code. */
export function checkSignatureOrThrow(parsed: ParsedSign1): void {
  // The Sig_structure is only read, synchronously, by the verification: it is
  // built in a reused buffer rather than a new one per signature.
  const verdict = verifyEd25519(parsed.publicKey, sigStructureInto(sigScratch, parsed.protectedBytes, parsed.payload), parsed.signature);
  if (!verdict.ok) throw verdict.error;
}

function fail(code: "COSE_MALFORMED" | "COSE_TAG_MISSING" | "COSE_HEADER_UNSUPPORTED" | "COSE_PAYLOAD_DETACHED" | "COSE_ALG_UNSUPPORTED" | "COSE_CONTENT_TYPE_MISMATCH" | "COSE_KID_MISSING" | "SIG_MALFORMED", message: string): never {
  throw new Ap2pError(code, message);
}

/**
 * Reads the envelope item at at.pos, of the given major type and in the
 * strict profile; sets at.contentStart to where its content starts and
 * at.pos to its end.
 */
function envelopeItem(bytes: Uint8Array, at: { pos: number; contentStart: number }, what: string, major: number): void {
  const start = at.pos;
  if (start >= bytes.length) fail("COSE_MALFORMED", `truncated before the ${what}`);
  if (bytes[start]! >> 5 !== major) fail("COSE_MALFORMED", `the ${what} has the wrong type`);
  // The common cases without the general scanner: a byte string whose head
  // is in shortest form and whose content is there, and the empty map.
  if (major === 2) {
    const contentStart = byteStringContent(bytes, start);
    if (contentStart >= 0) {
      at.contentStart = contentStart;
      at.pos = contentStart + readHead(bytes, start).arg;
      return;
    }
  } else if (bytes[start] === 0xa0) {
    at.contentStart = at.pos = start + 1;
    return;
  }
  at.pos = scanItem(bytes, start, ENVELOPE_PROFILE);
  at.contentStart = readHead(bytes, start).contentStart;
}

/**
 * Where the content of the byte string at pos starts, if its head is in
 * shortest form (ENC-002) and its content lies within bytes; otherwise -1, and
 * the general scanner reports what is wrong.
 */
function byteStringContent(bytes: Uint8Array, pos: number): number {
  const ai = bytes[pos]! & 0x1f;
  let n: number;
  let contentStart: number;
  if (ai < 24) {
    n = ai;
    contentStart = pos + 1;
  } else if (ai === 24) {
    n = bytes[pos + 1] ?? 0;
    contentStart = pos + 2;
    if (n < 24) return -1;
  } else if (ai === 25) {
    n = ((bytes[pos + 1] ?? 0) << 8) | (bytes[pos + 2] ?? 0);
    contentStart = pos + 3;
    if (n < 0x100) return -1;
  } else {
    return -1;
  }
  return contentStart + n <= bytes.length ? contentStart : -1;
}

/** As parseSign1, reporting a defect by throwing Ap2pError. */
export function parseSign1OrThrow(bytes: Uint8Array, expectedContentType: string): ParsedSign1 {
  return parseSign1With(bytes, expectedContentType, parseDidKey);
}

function parseSign1With(bytes: Uint8Array, expectedContentType: string, parseKid: (kid: string) => Verdict<Uint8Array>): ParsedSign1 {
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
  const at = { pos: 2, contentStart: 0 };
  envelopeItem(bytes, at, "protected header", 2);
  const protectedStart = at.contentStart;
  const protectedEnd = at.pos;
  // SIG-003: everything is in the protected header; the unprotected header is empty.
  const uStart = at.pos;
  envelopeItem(bytes, at, "unprotected header", 5);
  if (bytes[uStart] !== 0xa0) fail("COSE_HEADER_UNSUPPORTED", "the unprotected header must be empty");
  // SIG-004: the payload is attached.
  if (bytes[at.pos] === 0xf6) fail("COSE_PAYLOAD_DETACHED", "the payload is detached (nil)");
  envelopeItem(bytes, at, "payload", 2);
  const payloadStart = at.contentStart;
  const payloadEnd = at.pos;
  envelopeItem(bytes, at, "signature", 2);
  const signatureStart = at.contentStart;
  const pos = at.pos;
  if (pos !== bytes.length) throw new Ap2pError("CBOR_TRAILING_BYTES", `${bytes.length - pos} bytes follow the COSE_Sign1`);
  if (pos - signatureStart !== 64) fail("SIG_MALFORMED", `signature is ${pos - signatureStart} bytes, Ed25519 signatures are 64`);

  // Views into one copy of the envelope: the caller may reuse its buffer,
  // and one copy costs less than three.
  const copy = bytes.slice(protectedStart, pos);
  const view = (start: number, end: number) => copy.subarray(start - protectedStart, end - protectedStart);
  const protectedBytes = view(protectedStart, protectedEnd);
  const { kid, contentType } = parseProtectedHeader(protectedBytes, expectedContentType);
  const key = parseKid(kid);
  if (!key.ok) throw key.error;
  return { kid, publicKey: key.value, contentType, protectedBytes, payload: view(payloadStart, payloadEnd), signature: view(signatureStart, pos) };
}

// SIG-002: exactly alg, content type and kid, in deterministic CBOR. Checked in
// a fixed order so every verifier reports the same first defect (SIG-013).
function parseProtectedHeader(protectedBytes: Uint8Array, expectedContentType: string): { kid: string; contentType: string } {
  const expectedKid = kidOfExpectedHeader(protectedBytes, expectedContentType);
  if (expectedKid !== undefined) return { kid: expectedKid, contentType: expectedContentType };
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

// The header every AP2P signer writes for a content type, up to the kid's
// byte string: {1: -8, 3: content type, 4: ...} in deterministic CBOR.
const headerPrefixes = new Map<string, Uint8Array>();

function headerPrefix(contentType: string): Uint8Array {
  let prefix = headerPrefixes.get(contentType);
  if (prefix === undefined) {
    const probe = encodeProtectedHeader(contentType, "");
    // The probe ends with the kid's empty byte string (0x40); keep what comes before it.
    prefix = probe.subarray(0, probe.length - 1);
    if (headerPrefixes.size < 256) headerPrefixes.set(contentType, prefix);
  }
  return prefix;
}

/**
 * The kid of a protected header that is exactly encodeProtectedHeader(contentType, kid),
 * or undefined for any other bytes, which then take the general path. Such a
 * header passes every check of parseProtectedHeader, so both paths agree; the
 * kid's bytes must still be UTF-8.
 */
function kidOfExpectedHeader(protectedBytes: Uint8Array, contentType: string): string | undefined {
  if (protectedBytes.length > HEADER_PROFILE.maxBytes || !contentType.isWellFormed()) return undefined;
  const prefix = headerPrefix(contentType);
  if (protectedBytes.length <= prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (protectedBytes[i] !== prefix[i]) return undefined;
  // The kid: a byte string whose head is in shortest form and which ends the header.
  let pos = prefix.length;
  const ib = protectedBytes[pos++]!;
  if (ib >> 5 !== 2) return undefined;
  let n = ib & 0x1f;
  if (n === 24) {
    n = protectedBytes[pos++] ?? 0;
    if (n < 24) return undefined;
  } else if (n === 25) {
    n = ((protectedBytes[pos] ?? 0) << 8) | (protectedBytes[pos + 1] ?? 0);
    pos += 2;
    if (n < 0x100) return undefined;
  } else if (n > 23) {
    return undefined;
  }
  if (pos + n !== protectedBytes.length) return undefined;
  try {
    return utf8Decoder.decode(protectedBytes.subarray(pos));
  } catch {
    throw new Ap2pError("DID_MALFORMED", "kid is not UTF-8 text");
  }
}
