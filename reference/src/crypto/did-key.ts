// did:key identifiers for Ed25519 public keys (W3C did:key method; AP2P
// requirements ID-001 and ID-002). An AP2P peer id is
//
//   "did:key:" + "z" + base58btc(0xed 0x01 || 32-byte public key)
//
// where "z" is the multibase prefix of base58btc (Bitcoin alphabet) and
// 0xed 0x01 is the unsigned-varint form of the multicodec ed25519-pub (0xed).
// Only this form is accepted: one method, one key type, one encoding, and no
// path, query or fragment, so each key has exactly one peer id.
import { base58 } from "@scure/base";
import { accept, misuse, reject, type Verdict } from "../errors.js";
import { checkPublicKey, checkPublicKeyEncoding } from "./ed25519.js";

const DID_KEY_PREFIX = "did:key:z";
// unsigned-varint(0xed): 0xed = 0b1_1101101 -> 0xed (low 7 bits, continuation bit set), 0x01.
const ED25519_PUB_CODEC = 0xed;
const ED25519_PUB_PREFIX = Uint8Array.of(0xed, 0x01);

/** The longest string parseDidKey looks at; an Ed25519 did:key is 56 characters. */
export const MAX_DID_LENGTH = 128;

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === "Uint8Array");
}

function encode(publicKey: Uint8Array): string {
  const bytes = new Uint8Array(ED25519_PUB_PREFIX.length + publicKey.length);
  bytes.set(ED25519_PUB_PREFIX, 0);
  bytes.set(publicKey, ED25519_PUB_PREFIX.length);
  return DID_KEY_PREFIX + base58.encode(bytes);
}

/**
 * The did:key of an Ed25519 public key (ID-001). Throws INVALID_ARGUMENT if
 * the key is not one AP2P accepts (checkPublicKey), since its did:key would
 * be refused by every peer.
 */
export function didFromPublicKey(publicKey: Uint8Array): string {
  if (!isBytes(publicKey)) misuse("didFromPublicKey: publicKey must be a Uint8Array");
  const key = checkPublicKey(publicKey);
  if (!key.ok) misuse(`didFromPublicKey: not an acceptable Ed25519 public key (${key.error.code}): ${key.error.message}`);
  return encode(key.value);
}

// Multiformats unsigned-varint: 7 bits per byte, least significant group
// first, high bit set on every byte but the last, at most 9 bytes. Read
// leniently (a non-minimal encoding is read for its value); the round-trip
// check in parseDidKey rejects non-minimal forms. Undefined if truncated or
// longer than 9 bytes.
function readVarint(bytes: Uint8Array): { value: number; length: number } | undefined {
  let value = 0;
  for (let i = 0; i < bytes.length && i < 9; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}

/**
 * Parses an AP2P peer id: a did:key holding an Ed25519 public key (ID-001,
 * ID-002, ID-003). On success the verdict holds the 32-byte key.
 *
 * Rejections, in the order checked:
 * - DID_MALFORMED: not a string, empty, longer than MAX_DID_LENGTH, not
 *   printable ASCII, not "did:<method>:...", a path, query or fragment, not
 *   "did:key:z" + base58btc, a truncated multicodec varint, or an identifier
 *   that is not the one encoding of its key (the round trip fails);
 * - DID_METHOD_UNSUPPORTED: a well-formed DID of another method;
 * - DID_KEY_TYPE_UNSUPPORTED: a multicodec other than ed25519-pub (0xed);
 * - DID_KEY_LENGTH: an ed25519-pub key that is not 32 bytes;
 * - KEY_NOT_CANONICAL, KEY_SMALL_ORDER, KEY_NOT_ON_CURVE: from checkPublicKey.
 */
export function parseDidKey(did: string): Verdict<Uint8Array> {
  return parseDidKeyWith(did, checkPublicKey);
}

/**
 * As parseDidKey, but leaves the one expensive key check, that the key is a
 * curve point, to the signature verification that follows
 * (checkPublicKeyEncoding): for verification pipelines, which must settle it
 * with checkPublicKey before they report any defect found in between.
 */
export function parseDidKeyEncoding(did: string): Verdict<Uint8Array> {
  return parseDidKeyWith(did, checkPublicKeyEncoding);
}

// Peer ids that passed every check up to the key's own, with their key:
// verifiers see the same signers again and again.
const DID_CACHE_SIZE = 4096;
const parsedDids = new Map<string, Uint8Array>();

function parseDidKeyWith(did: string, check: (key: Uint8Array) => Verdict<Uint8Array>): Verdict<Uint8Array> {
  if (typeof did === "string") {
    const known = parsedDids.get(did);
    if (known !== undefined) return check(known);
  }
  const key = parseDidKeyBytes(did);
  if (!key.ok) return key;
  if (parsedDids.size >= DID_CACHE_SIZE) parsedDids.delete(parsedDids.keys().next().value!);
  parsedDids.set(did, key.value);
  return check(key.value);
}

/** The did:key rules before the key's own (ID-001, ID-002): the 32 bytes it names. */
function parseDidKeyBytes(did: string): Verdict<Uint8Array> {
  // Peer ids arrive inside untrusted messages, so a non-string is a verdict, not misuse.
  if (typeof did !== "string") return reject("DID_MALFORMED", "a DID must be a string");
  if (did.length === 0) return reject("DID_MALFORMED", "empty DID");
  if (did.length > MAX_DID_LENGTH) {
    return reject("DID_MALFORMED", `DID longer than ${MAX_DID_LENGTH} characters`);
  }
  // Printable ASCII without space: no Unicode look-alikes, no whitespace.
  if (!/^[\x21-\x7e]+$/.test(did)) return reject("DID_MALFORMED", "DID contains characters outside printable ASCII");
  // W3C DID Core §3.1: did = "did:" method-name ":" method-specific-id,
  // method-name = 1*( %x61-7A / DIGIT ).
  const syntax = /^did:([a-z0-9]+):(.+)$/.exec(did);
  if (syntax === null) return reject("DID_MALFORMED", "not a DID (did:<method>:<id>)");
  if (syntax[1] !== "key") return reject("DID_METHOD_UNSUPPORTED", `DID method "${syntax[1]}" is not supported; AP2P uses did:key`);
  const id = syntax[2]!;
  if (/[/?#]/.test(id)) return reject("DID_MALFORMED", "a did:key peer id has no path, query or fragment");
  // Multibase: "z" is base58btc, the only encoding the did:key method uses for keys.
  if (id[0] !== "z") return reject("DID_MALFORMED", 'did:key identifier must be multibase base58btc ("z")');
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(id.slice(1));
  } catch (cause) {
    return reject("DID_MALFORMED", "did:key identifier is not valid base58btc", { cause });
  }
  const codec = readVarint(bytes);
  if (codec === undefined) return reject("DID_MALFORMED", "did:key identifier does not start with a multicodec varint");
  if (codec.value !== ED25519_PUB_CODEC) {
    return reject("DID_KEY_TYPE_UNSUPPORTED", `did:key multicodec 0x${codec.value.toString(16)} is not ed25519-pub (0xed)`);
  }
  const key = bytes.subarray(codec.length);
  if (key.length !== 32) return reject("DID_KEY_LENGTH", `did:key Ed25519 key must be 32 bytes, got ${key.length}`);
  // One key, one peer id: re-encoding must give the input back, which rules
  // out non-minimal varints and any other alternative spelling.
  if (encode(key) !== did) return reject("DID_MALFORMED", "did:key identifier is not the canonical encoding of its key");
  return accept(key.slice());
}
