// did-key.json: peer identifiers (spec/04-identity-and-signing.md §4.1):
// parsing did:key strings (ID-001 to ID-003) and encoding keys as did:key.
import { base58 } from "@scure/base";
import { cat, filled, hex, le32, unhex } from "../bytes.js";
import { mixedOrderKey, P, SMALL_ORDER_POINTS } from "../ed25519-craft.js";
import { ALICE, BOB, CAROL, VECTOR_SIGNER } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";

/** The examples of spec/04-identity-and-signing.md §4.1, as printed there. */
const SPEC_EXAMPLES = {
  rfc8032Test1: { key: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", did: "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw" },
  w3c: { key: "94966b7c08e405775f8de6cc1c4508f6eb227403e1025b2c8ad2d7477398c5b2", did: "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH" },
} as const;

/** "did:key:z" + base58btc of arbitrary bytes, bypassing every check. */
const rawDid = (bytes: Uint8Array) => `did:key:z${base58.encode(bytes)}`;
const ED = Uint8Array.of(0xed, 0x01);

function parses(id: string, requirements: string[], comment: string, did: string, key: string, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: { did }, output: { public_key: key } });
}
function rejects(id: string, error: string, requirements: string[], comment: string, did: string, flags: FlagName[] = ["DidSyntax"]): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { did } });
}
function encodes(id: string, comment: string, key: string, did: string): TestVector {
  return valid(id, { requirements: ["ID-001"], comment, inputs: { public_key: key }, output: { did } });
}
function refuses(id: string, error: string, comment: string, key: Uint8Array, flags: FlagName[]): TestVector {
  return invalid(id, error, { requirements: ["ID-001", "ID-003"], comment, flags: [...flags, "ProducerRefuses"], inputs: { public_key: hex(key) } });
}

function build() {
  const alice = ALICE.did;
  const tail = alice.slice("did:key:z".length);
  const mixedKey = mixedOrderKey(ALICE.craft, SMALL_ORDER_POINTS[4]!.hex);

  const parse = group("did-key.parse", "Parsing a peer identifier: valid did:key strings give their 32-byte Ed25519 key.", {}, [
    parses("did-key/parse/rfc8032-test1-001", ["ID-001"], "the RFC 8032 §7.1 TEST 1 key, the example of §4.1", SPEC_EXAMPLES.rfc8032Test1.did, SPEC_EXAMPLES.rfc8032Test1.key),
    parses("did-key/parse/w3c-example-001", ["ID-001"], "the Ed25519 example of the W3C did:key method", SPEC_EXAMPLES.w3c.did, SPEC_EXAMPLES.w3c.key),
    parses("did-key/parse/rfc8032-test2-001", ["ID-001"], "the RFC 8032 §7.1 TEST 2 key", BOB.did, hex(BOB.publicKey)),
    parses("did-key/parse/rfc8032-test3-001", ["ID-001"], "the RFC 8032 §7.1 TEST 3 key", CAROL.did, hex(CAROL.publicKey)),
    parses("did-key/parse/vector-signing-key-001", ["ID-001"], "the corpus's vector-signing key (vectors/README.md)", VECTOR_SIGNER.did, hex(VECTOR_SIGNER.publicKey)),
    parses("did-key/parse/mixed-order-key-001", ["ID-003"], "a mixed-order key [a]B + T8: canonical, on the curve, not of small order, so it passes ID-003", rawDid(cat(ED, mixedKey)), hex(mixedKey), ["MixedOrderKey"]),

    rejects("did-key/method/did-web-001", "DID_METHOD_UNSUPPORTED", ["ID-002"], "did:web, another DID method", "did:web:example.com"),
    rejects("did-key/method/did-peer-001", "DID_METHOD_UNSUPPORTED", ["ID-002"], "did:peer with a key-like identifier", `did:peer:0z${tail}`),
    rejects("did-key/method/did-keys-001", "DID_METHOD_UNSUPPORTED", ["ID-002"], 'did:keys, a method whose name merely starts with "key"', `did:keys:z${tail}`),
    rejects("did-key/key-type/p256-001", "DID_KEY_TYPE_UNSUPPORTED", ["ID-002"], "multicodec p256-pub (80 24) with a 33-byte compressed key", rawDid(cat(unhex("8024"), Uint8Array.of(0x02), filled(32, 0x11)))),
    rejects("did-key/key-type/secp256k1-001", "DID_KEY_TYPE_UNSUPPORTED", ["ID-002"], "multicodec secp256k1-pub (e7 01) with a 33-byte compressed key", rawDid(cat(unhex("e701"), Uint8Array.of(0x03), filled(32, 0x22)))),
    rejects("did-key/key-type/x25519-001", "DID_KEY_TYPE_UNSUPPORTED", ["ID-002"], "multicodec x25519-pub (ec 01) with 32 bytes: a key-agreement key, not a signing key", rawDid(cat(unhex("ec01"), ALICE.publicKey))),
    rejects("did-key/length/31-001", "DID_KEY_LENGTH", ["ID-002"], "ed25519-pub with a 31-byte key", rawDid(cat(ED, ALICE.publicKey.subarray(0, 31)))),
    rejects("did-key/length/33-001", "DID_KEY_LENGTH", ["ID-002"], "ed25519-pub with a 33-byte key", rawDid(cat(ED, ALICE.publicKey, Uint8Array.of(0)))),
    rejects("did-key/length/0-001", "DID_KEY_LENGTH", ["ID-002"], "ed25519-pub with no key bytes", rawDid(ED)),
    rejects("did-key/malformed/no-multibase-prefix-001", "DID_MALFORMED", ["ID-002"], 'base58btc without the multibase prefix "z"', `did:key:${tail}`),
    rejects("did-key/malformed/multibase-hex-001", "DID_MALFORMED", ["ID-002"], 'multibase base16 ("f") instead of base58btc', `did:key:f${hex(cat(ED, ALICE.publicKey))}`),
    rejects("did-key/malformed/upper-case-scheme-001", "DID_MALFORMED", ["ID-002"], '"DID:key:" (the scheme is lower case)', `DID:key:z${tail}`),
    rejects("did-key/malformed/upper-case-method-001", "DID_MALFORMED", ["ID-002"], '"did:KEY:" (method names are lower case)', `did:KEY:z${tail}`),
    rejects("did-key/malformed/fragment-001", "DID_MALFORMED", ["ID-002"], "a DID URL with a fragment (the verification method), not a peer id", `${alice}#z${tail}`),
    rejects("did-key/malformed/query-001", "DID_MALFORMED", ["ID-002"], "a DID URL with a query", `${alice}?service=ap2p`),
    rejects("did-key/malformed/path-001", "DID_MALFORMED", ["ID-002"], "a DID URL with a path", `${alice}/ap2p`),
    rejects("did-key/malformed/base58-zero-001", "DID_MALFORMED", ["ID-002"], '"0", outside the base58btc alphabet', `did:key:z${tail.slice(0, 10)}0${tail.slice(11)}`),
    rejects("did-key/malformed/base58-capital-o-001", "DID_MALFORMED", ["ID-002"], '"O", outside the base58btc alphabet', `did:key:z${tail.slice(0, 10)}O${tail.slice(11)}`),
    rejects("did-key/malformed/base58-capital-i-001", "DID_MALFORMED", ["ID-002"], '"I", outside the base58btc alphabet', `did:key:z${tail.slice(0, 10)}I${tail.slice(11)}`),
    rejects("did-key/malformed/base58-small-l-001", "DID_MALFORMED", ["ID-002"], '"l", outside the base58btc alphabet', `did:key:z${tail.slice(0, 10)}l${tail.slice(11)}`),
    rejects("did-key/malformed/too-long-001", "DID_MALFORMED", ["ID-002"], "129 characters, over the 128-character limit", `${alice}${"1".repeat(129 - alice.length)}`),
    rejects("did-key/malformed/empty-001", "DID_MALFORMED", ["ID-002"], "the empty string", ""),
    rejects("did-key/malformed/no-identifier-001", "DID_MALFORMED", ["ID-002"], '"did:key:" with nothing after it', "did:key:"),
    rejects("did-key/malformed/empty-base58-001", "DID_MALFORMED", ["ID-002"], '"did:key:z": no multicodec', "did:key:z"),
    rejects("did-key/malformed/truncated-varint-001", "DID_MALFORMED", ["ID-002"], "the single byte ed: a multicodec varint that never ends", rawDid(Uint8Array.of(0xed))),
    rejects("did-key/malformed/leading-space-001", "DID_MALFORMED", ["ID-002"], "a leading space", ` ${alice}`),
    rejects("did-key/malformed/trailing-newline-001", "DID_MALFORMED", ["ID-002"], "a trailing line feed", `${alice}\n`),
    rejects("did-key/malformed/non-ascii-001", "DID_MALFORMED", ["ID-002"], 'a Cyrillic "М" (U+041C) in place of the Latin "M" of "z6Mk"', `did:key:z6\u041ck${tail.slice(3)}`),
    rejects("did-key/malformed/non-minimal-varint-001", "DID_MALFORMED", ["ID-002"], "the multicodec 0xed as the non-minimal varint ed 81 00: a second spelling of the same key", rawDid(cat(unhex("ed8100"), ALICE.publicKey))),
    rejects("did-key/key/small-order-identity-001", "KEY_SMALL_ORDER", ["ID-002", "ID-003"], "a did:key of the identity point", rawDid(cat(ED, unhex(SMALL_ORDER_POINTS[0]!.hex))), ["SmallOrderKey"]),
    rejects("did-key/key/small-order-8-001", "KEY_SMALL_ORDER", ["ID-002", "ID-003"], "a did:key of a point of order 8", rawDid(cat(ED, unhex(SMALL_ORDER_POINTS[4]!.hex))), ["SmallOrderKey"]),
    rejects("did-key/key/non-canonical-001", "KEY_NOT_CANONICAL", ["ID-002", "ID-003"], "a did:key of a non-canonical encoding (y = p + 3): a second peer id for one point", rawDid(cat(ED, le32(P + 3n))), ["NonCanonicalKey"]),
    rejects("did-key/key/not-on-curve-001", "KEY_NOT_ON_CURVE", ["ID-002", "ID-003"], "a did:key of y = 2, which is not on the curve", rawDid(cat(ED, le32(2n))), ["KeyNotOnCurve"]),
  ]);

  const encode = group("did-key.encode", "Encoding a public key as its peer identifier (ID-001); keys ID-003 rejects have none.", {}, [
    encodes("did-key/encode/rfc8032-test1-001", "the RFC 8032 §7.1 TEST 1 key, as printed in §4.1", SPEC_EXAMPLES.rfc8032Test1.key, SPEC_EXAMPLES.rfc8032Test1.did),
    encodes("did-key/encode/w3c-example-001", "the W3C did:key method's Ed25519 example", SPEC_EXAMPLES.w3c.key, SPEC_EXAMPLES.w3c.did),
    encodes("did-key/encode/rfc8032-test2-001", "the RFC 8032 §7.1 TEST 2 key", hex(BOB.publicKey), BOB.did),
    encodes("did-key/encode/vector-signing-key-001", "the vector-signing key", hex(VECTOR_SIGNER.publicKey), VECTOR_SIGNER.did),
    refuses("did-key/encode/small-order-001", "KEY_SMALL_ORDER", "a point of order 2 has no peer id", unhex(SMALL_ORDER_POINTS[1]!.hex), ["SmallOrderKey"]),
    refuses("did-key/encode/non-canonical-001", "KEY_NOT_CANONICAL", "y = p + 3 is not a canonical encoding", le32(P + 3n), ["NonCanonicalKey"]),
    refuses("did-key/encode/not-on-curve-001", "KEY_NOT_ON_CURVE", "y = 2 is not on the curve", le32(2n), ["KeyNotOnCurve"]),
  ]);

  if (ALICE.did !== SPEC_EXAMPLES.rfc8032Test1.did) throw new Error("the reference's did:key of RFC 8032 TEST 1 differs from spec §4.1");

  return {
    name: "did-key",
    description: "Peer identifiers (spec/04-identity-and-signing.md §4.1): did:key strings for Ed25519 keys, parsed (did-key.parse) and produced (did-key.encode).",
    groups: [parse, encode],
  };
}

export const didKeyFile: VectorFileModule = { name: "did-key", build };
