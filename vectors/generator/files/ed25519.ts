// ed25519.json: AP2P's one Ed25519 rule (spec/04-identity-and-signing.md §4.1,
// §4.2): RFC 8032 known answers, malleability, small-order and non-canonical
// keys and R, mixed-order signatures, and the signing side.
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { cat, flipBit, hex, le32, unhex, utf8 } from "../bytes.js";
import {
  baseTimes,
  challenge,
  L,
  mixedOrderKey,
  mixedOrderR,
  P,
  scalarOf,
  SIGN_BIT,
  signWithR,
  SMALL_ORDER_POINTS,
  withS,
} from "../ed25519-craft.js";
import { ALICE, DAVE, ERIN, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { acceptable, group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";

/** RFC 8032 §7.1 TEST 1–3: public key, message and signature, as published. */
const RFC8032 = {
  test1: {
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  test2: {
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  test3: {
    secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    public: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
} as const;

/** The message of the crafted cases. */
const M = utf8("AP2P test vector");

type V = { pk: Uint8Array; msg: Uint8Array; sig: Uint8Array };
const inputs = ({ pk, msg, sig }: V) => ({ public_key: hex(pk), message: hex(msg), signature: hex(sig) });

function ok(id: string, requirements: string[], comment: string, v: V, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: inputs(v) });
}
function bad(id: string, error: string, requirements: string[], comment: string, v: V, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: inputs(v) });
}
function either(id: string, requirements: string[], comment: string, v: V, flags: FlagName[]): TestVector {
  return acceptable(id, { requirements, comment, flags, inputs: inputs(v) });
}

function build() {
  const t1 = { pk: unhex(RFC8032.test1.public), msg: unhex(RFC8032.test1.message), sig: unhex(RFC8032.test1.signature) };
  const t2 = { pk: unhex(RFC8032.test2.public), msg: unhex(RFC8032.test2.message), sig: unhex(RFC8032.test2.signature) };
  const t3 = { pk: unhex(RFC8032.test3.public), msg: unhex(RFC8032.test3.message), sig: unhex(RFC8032.test3.signature) };
  const alice = ALICE.craft;
  // The honest signature the crafted cases start from (produce side: the reference signer).
  const good = signEd25519(ALICE.seed, M);
  const honest = { pk: ALICE.publicKey, msg: M, sig: good };
  const identityR = unhex(SMALL_ORDER_POINTS[0]!.hex);
  const zeroSig = cat(identityR, le32(0n));

  const known = group("ed25519.verify", "RFC 8032 §7.1 known answers, and single changes to them.", {}, [
    ok("ed25519/rfc8032/test1-001", ["SIG-011"], "RFC 8032 §7.1 TEST 1: the empty message", t1, ["Rfc8032"]),
    ok("ed25519/rfc8032/test2-001", ["SIG-011"], "RFC 8032 §7.1 TEST 2: a one-byte message", t2, ["Rfc8032"]),
    ok("ed25519/rfc8032/test3-001", ["SIG-011"], "RFC 8032 §7.1 TEST 3: a two-byte message", t3, ["Rfc8032"]),
    bad("ed25519/rfc8032/test1-r-bit-flipped-001", "SIG_INVALID", ["SIG-011"], "TEST 1 with the lowest bit of R flipped (R stays a canonical encoding)", { ...t1, sig: flipBit(t1.sig, 0) }, ["WrongSignature"]),
    bad("ed25519/rfc8032/test1-s-bit-flipped-001", "SIG_INVALID", ["SIG-011"], "TEST 1 with the lowest bit of S flipped (S stays below L)", { ...t1, sig: flipBit(t1.sig, 256) }, ["WrongSignature"]),
    bad("ed25519/rfc8032/test2-other-message-001", "SIG_INVALID", ["SIG-011"], "TEST 2's signature over another one-byte message (0x73)", { ...t2, msg: unhex("73") }, ["WrongSignature"]),
    bad("ed25519/rfc8032/test3-longer-message-001", "SIG_INVALID", ["SIG-011"], "TEST 3's signature with a byte appended to the message", { ...t3, msg: unhex("af8200") }, ["WrongSignature"]),
    bad("ed25519/rfc8032/test1-other-key-001", "SIG_INVALID", ["SIG-011"], "TEST 1's signature checked under TEST 2's key", { ...t1, pk: t2.pk }, ["WrongSignature"]),
    ok("ed25519/honest/alice-001", ["SIG-011", "SIG-012"], "The TEST 1 key's signature over the message of the crafted cases, the starting point of the cases below", honest),
  ]);

  const malleable = group("ed25519.verify", "S must be below L (SIG-009): the malleability of RFC 8032 §5.1.7 step 1.", {}, [
    bad("ed25519/s/s-plus-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S + L of the honest signature: passes a verifier that reduces S modulo L", { ...honest, sig: withS(good, scalarOf(good) + L) }, ["SignatureMalleability"]),
    bad("ed25519/s/s-plus-l-test1-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S + L of RFC 8032 TEST 1", { ...t1, sig: withS(t1.sig, scalarOf(t1.sig) + L) }, ["SignatureMalleability", "Rfc8032"]),
    bad("ed25519/s/s-equals-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S = L exactly", { ...honest, sig: withS(good, L) }, ["SignatureMalleability"]),
    bad("ed25519/s/s-max-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S = 2^256 − 1", { ...honest, sig: withS(good, 2n ** 256n - 1n) }, ["SignatureMalleability"]),
    bad("ed25519/s/s-high-bit-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S with bit 255 set on top of the honest S: one of the bits a verifier that checks only the top three bits sees", { ...honest, sig: withS(good, scalarOf(good) + 2n ** 255n) }, ["SignatureMalleability"]),
    bad("ed25519/s/s-l-minus-1-001", "SIG_INVALID", ["SIG-009", "SIG-011"], "S = L − 1: canonical, but not the signature", { ...honest, sig: withS(good, L - 1n) }, ["WrongSignature"]),
  ]);

  // Small-order keys. With R = identity and S = 0 the key and R are both of
  // small order; the key is checked first (§4.1: when the identifier is
  // parsed). With R = [7]B and S = 7 the key is the only defect, and the
  // cofactored equation holds for every message: a universal forgery.
  const so = (i: number) => unhex(SMALL_ORDER_POINTS[i]!.hex);
  const rb7 = cat(baseTimes(7n), le32(7n));
  const KO = "the key is checked before the signature (§4.1, §4.5 step 2)";
  const smallKeys = group(
    "ed25519.verify",
    "Small-order public keys (ID-003): each with R = identity and S = 0, and each with R = [7]B and S = 7, which satisfies the cofactored equation for every message.",
    {},
    [
      bad("ed25519/small-order-key/identity-001", "KEY_SMALL_ORDER", ["ID-003"], `A = the identity (order 1), R = identity, S = 0: ${KO}`, { pk: so(0), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-2-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 2, R = identity, S = 0: ${KO}`, { pk: so(1), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-4-a-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 4 (first), R = identity, S = 0: ${KO}`, { pk: so(2), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-4-b-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 4 (second), R = identity, S = 0: ${KO}`, { pk: so(3), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-8-a-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 8 (first), R = identity, S = 0: ${KO}`, { pk: so(4), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-8-b-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 8 (second), R = identity, S = 0: ${KO}`, { pk: so(5), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-8-c-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 8 (third), R = identity, S = 0: ${KO}`, { pk: so(6), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/order-8-d-001", "KEY_SMALL_ORDER", ["ID-003"], `A of order 8 (fourth), R = identity, S = 0: ${KO}`, { pk: so(7), msg: M, sig: zeroSig }, ["SmallOrderKey", "DefectOrder"]),
      bad("ed25519/small-order-key/identity-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A = the identity, R = [7]B, S = 7: satisfies even the cofactorless equation", { pk: so(0), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-2-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 2, R = [7]B, S = 7", { pk: so(1), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-4-a-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 4 (first), R = [7]B, S = 7", { pk: so(2), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-4-b-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 4 (second), R = [7]B, S = 7", { pk: so(3), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-8-a-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 8 (first), R = [7]B, S = 7", { pk: so(4), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-8-b-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 8 (second), R = [7]B, S = 7", { pk: so(5), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-8-c-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 8 (third), R = [7]B, S = 7", { pk: so(6), msg: M, sig: rb7 }, ["SmallOrderKey"]),
      bad("ed25519/small-order-key/order-8-d-r-b-001", "KEY_SMALL_ORDER", ["ID-003"], "A of order 8 (fourth), R = [7]B, S = 7", { pk: so(7), msg: M, sig: rb7 }, ["SmallOrderKey"]),
    ],
  );

  const nonCanonicalKeys = group("ed25519.verify", "Public keys whose encoding is not canonical (ID-003), each with the honest signature.", {}, [
    bad("ed25519/non-canonical-key/y-p-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p (≡ 0: also a point of order 4; the encoding is checked first)", { ...honest, pk: le32(P) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/y-p-sign-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p with the sign bit set (also of order 4; the encoding is checked first)", { ...honest, pk: le32(P | SIGN_BIT) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/y-p-plus-1-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p + 1 (≡ 1: also the identity; the encoding is checked first)", { ...honest, pk: le32(P + 1n) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/y-p-plus-1-sign-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p + 1 with the sign bit set (also the identity; the encoding is checked first)", { ...honest, pk: le32((P + 1n) | SIGN_BIT) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/y-p-plus-2-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p + 2 (≡ 2, which is not on the curve): the encoding is checked before the point", { ...honest, pk: le32(P + 2n) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/y-p-plus-3-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p + 3 (≡ 3: a point of large order)", { ...honest, pk: le32(P + 3n) }, ["NonCanonicalKey"]),
    bad("ed25519/non-canonical-key/y-p-plus-3-sign-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = p + 3 with the sign bit set", { ...honest, pk: le32((P + 3n) | SIGN_BIT) }, ["NonCanonicalKey"]),
    bad("ed25519/non-canonical-key/y-max-001", "KEY_NOT_CANONICAL", ["ID-003"], "y = 2^255 − 1 = p + 18 (≡ 18: a point of large order)", { ...honest, pk: le32(2n ** 255n - 1n) }, ["NonCanonicalKey"]),
    bad("ed25519/non-canonical-key/x-zero-sign-y-1-001", "KEY_NOT_CANONICAL", ["ID-003"], "x = 0 with the sign bit set (y = 1): a second spelling of the identity; the encoding is checked first", { ...honest, pk: le32(1n | SIGN_BIT) }, ["NonCanonicalKey", "DefectOrder"]),
    bad("ed25519/non-canonical-key/x-zero-sign-y-p-minus-1-001", "KEY_NOT_CANONICAL", ["ID-003"], "x = 0 with the sign bit set (y = p − 1): a second spelling of the point of order 2; the encoding is checked first", { ...honest, pk: le32((P - 1n) | SIGN_BIT) }, ["NonCanonicalKey", "DefectOrder"]),
  ]);

  const offCurve = group("ed25519.verify", "Canonical key encodings that decode to no curve point (ID-003).", {}, [
    bad("ed25519/key-not-on-curve/y-2-001", "KEY_NOT_ON_CURVE", ["ID-003"], "y = 2: (y² − 1)/(d·y² + 1) has no square root", { ...honest, pk: le32(2n) }, ["KeyNotOnCurve"]),
    bad("ed25519/key-not-on-curve/y-7-sign-001", "KEY_NOT_ON_CURVE", ["ID-003"], "y = 7 with the sign bit set: no curve point", { ...honest, pk: le32(7n | SIGN_BIT) }, ["KeyNotOnCurve"]),
  ]);

  const lengths = group("ed25519.verify", "Signatures that are not 64 bytes (SIG-009).", {}, [
    bad("ed25519/length/empty-001", "SIG_MALFORMED", ["SIG-009"], "an empty signature", { ...honest, sig: new Uint8Array(0) }),
    bad("ed25519/length/63-001", "SIG_MALFORMED", ["SIG-009"], "the honest signature without its last byte", { ...honest, sig: good.subarray(0, 63) }),
    bad("ed25519/length/65-001", "SIG_MALFORMED", ["SIG-009"], "the honest signature with a zero byte appended", { ...honest, sig: cat(good, new Uint8Array(1)) }),
    bad("ed25519/length/32-001", "SIG_MALFORMED", ["SIG-009"], "R alone", { ...honest, sig: good.subarray(0, 32) }),
  ]);

  // R = non-canonical bytes with S = k·a over exactly those bytes (nonce r = 0).
  // Where the bytes reduce to the identity, a verifier that reduces y modulo p
  // finds [S]B = R + [k]A and accepts.
  const nonCanonicalR = (y: bigint) => ({ ...honest, sig: signWithR(alice, le32(y), 0n, M) });
  const rEncoding = group("ed25519.verify", "R whose encoding is not canonical (SIG-010), with S = r + k·a computed over the exact R bytes.", {}, [
    bad("ed25519/non-canonical-r/y-p-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R with y = p (≡ 0: also of order 4; the encoding is checked first)", nonCanonicalR(P), ["NonCanonicalR", "DefectOrder"]),
    bad("ed25519/non-canonical-r/y-p-plus-1-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R with y = p + 1 (≡ 1, the identity; the encoding is checked first) and S = k·a: a verifier that reduces y modulo p accepts it", nonCanonicalR(P + 1n), ["NonCanonicalR", "DefectOrder"]),
    bad("ed25519/non-canonical-r/y-p-plus-3-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R with y = p + 3 (≡ 3, large order)", nonCanonicalR(P + 3n), ["NonCanonicalR"]),
    bad("ed25519/non-canonical-r/y-max-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R with y = 2^255 − 1", nonCanonicalR(2n ** 255n - 1n), ["NonCanonicalR"]),
    bad("ed25519/non-canonical-r/x-zero-sign-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R = the identity spelled with the sign bit set, and S = k·a; the encoding is checked first", nonCanonicalR(1n | SIGN_BIT), ["NonCanonicalR", "DefectOrder"]),
    bad("ed25519/non-canonical-r/honest-s-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R with y = p + 3 and the honest S", { ...honest, sig: cat(le32(P + 3n), good.subarray(32)) }, ["NonCanonicalR"]),
    bad("ed25519/r-not-on-curve/y-2-001", "SIG_INVALID", ["SIG-011"], "R with y = 2, canonical but no curve point: fails the equation", { ...honest, sig: cat(le32(2n), good.subarray(32)) }, ["WrongSignature"]),
  ]);

  // R = T (small order) with S = k·a, i.e. nonce r = 0.
  const smallR = (i: number) => ({ ...honest, sig: signWithR(alice, unhex(SMALL_ORDER_POINTS[i]!.hex), 0n, M) });
  const rSmall = group("ed25519.verify", "R of small order (SIG-010), each with S = k·a so that only the small-order check can reject it.", {}, [
    bad("ed25519/small-order-r/identity-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R = the identity, S = k·a: satisfies even the cofactorless equation", smallR(0), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-2-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 2", smallR(1), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-4-a-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 4 (first)", smallR(2), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-4-b-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 4 (second)", smallR(3), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-8-a-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 8 (first)", smallR(4), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-8-b-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 8 (second)", smallR(5), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-8-c-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 8 (third)", smallR(6), ["SmallOrderR"]),
    bad("ed25519/small-order-r/order-8-d-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 8 (fourth)", smallR(7), ["SmallOrderR"]),
  ]);

  // Mixed-order R = [r]B + T, signed honestly by the key holder over those R bytes.
  const R_NONCE = 0x5eedn;
  const mixedR = (i: number) => {
    const R = mixedOrderR(R_NONCE, SMALL_ORDER_POINTS[i]!.hex);
    return { ...honest, sig: signWithR(alice, R, R_NONCE, M) };
  };
  // A mixed-order key A' = [a]B + T8, and the first nonces r = 1, 2, ... for
  // which 8 divides k and for which it does not.
  const A2 = mixedOrderKey(alice, SMALL_ORDER_POINTS[4]!.hex);
  const nonceWhere = (divisible: boolean): bigint => {
    for (let r = 1n; ; r++) if ((challenge(baseTimes(r), A2, M) % 8n === 0n) === divisible) return r;
  };
  const mixedKeySig = (r: bigint) => ({ pk: A2, msg: M, sig: signWithR(alice, baseTimes(r), r, M, A2) });
  const mixed = group(
    "ed25519.verify",
    "Mixed-order signatures, which satisfy the cofactored equation but not the cofactorless one: either verdict conforms (SIG-011), rejection is recommended (SIG-014). The AP2P reference and libsodium reject them.",
    {},
    [
      either("ed25519/mixed-order-r/order-2-001", ["SIG-011", "SIG-014"], "R = [r]B + T with T of order 2", mixedR(1), ["MixedOrderR"]),
      either("ed25519/mixed-order-r/order-4-001", ["SIG-011", "SIG-014"], "R = [r]B + T with T of order 4", mixedR(2), ["MixedOrderR"]),
      either("ed25519/mixed-order-r/order-8-001", ["SIG-011", "SIG-014"], "R = [r]B + T with T of order 8", mixedR(4), ["MixedOrderR"]),
      either("ed25519/mixed-order-key/k-not-divisible-001", ["SIG-011", "SIG-014", "ID-003"], "A = [a]B + T8 and an honest-looking signature with 8 ∤ k: only the cofactored equation holds", mixedKeySig(nonceWhere(false)), ["MixedOrderKey"]),
      ok("ed25519/mixed-order-key/k-divisible-001", ["SIG-011", "ID-003"], "A = [a]B + T8 and a signature with 8 | k: [k]T8 vanishes, so the cofactorless equation holds and the signature MUST be accepted", mixedKeySig(nonceWhere(true)), ["MixedOrderKey"]),
    ],
  );

  // Honest signatures by further keys over messages of several lengths (the
  // signatures are produce-side output of the reference signer).
  const messages: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["one-byte", unhex("00")],
    ["64-byte", new Uint8Array(64).fill(0x61)],
    ["text", utf8("An AP2P peer is its Ed25519 key.")],
  ];
  const more = group("ed25519.verify", "Honest signatures by the derived keys over messages of several lengths.", {}, [
    ok("ed25519/honest/derived-empty-001", ["SIG-011", "SIG-012"], "the empty message", sigBy(DAVE, messages[0]![1])),
    ok("ed25519/honest/derived-one-byte-001", ["SIG-011", "SIG-012"], "a one-byte message", sigBy(DAVE, messages[1]![1])),
    ok("ed25519/honest/derived-64-byte-001", ["SIG-011", "SIG-012"], "a 64-byte message", sigBy(ERIN, messages[2]![1])),
    ok("ed25519/honest/derived-text-001", ["SIG-011", "SIG-012"], "a text message", sigBy(ERIN, messages[3]![1])),
    bad("ed25519/honest/derived-swapped-key-001", "SIG_INVALID", ["SIG-011"], "dave's signature over the text message checked under erin's key", { ...sigBy(DAVE, messages[3]![1]), pk: sigBy(ERIN, messages[3]![1]).pk }, ["WrongSignature"]),
  ]);

  // The signing side: RFC 8032's published signatures, and the derived keys.
  const signRfc = (id: string, v: { readonly secret: string; readonly public: string; readonly message: string; readonly signature: string }, comment: string) =>
    valid(id, {
      requirements: ["SIG-012"],
      comment,
      flags: ["Rfc8032"],
      inputs: { secret_key: v.secret, message: v.message },
      output: { public_key: v.public, signature: v.signature },
    });
  const signDerived = (id: string, signer: Peer, msg: Uint8Array, comment: string) => {
    const s = sigBy(signer, msg);
    return valid(id, { requirements: ["SIG-012"], comment, inputs: { secret_key: hex(signer.seed), message: hex(msg) }, output: { public_key: hex(s.pk), signature: hex(s.sig) } });
  };
  const signing = group("ed25519.sign", "Pure Ed25519 signing (RFC 8032 §5.1.6): deterministic, so the output is exact.", {}, [
    signRfc("ed25519/sign/rfc8032-test1-001", RFC8032.test1, "RFC 8032 §7.1 TEST 1"),
    signRfc("ed25519/sign/rfc8032-test2-001", RFC8032.test2, "RFC 8032 §7.1 TEST 2"),
    signRfc("ed25519/sign/rfc8032-test3-001", RFC8032.test3, "RFC 8032 §7.1 TEST 3"),
    signDerived("ed25519/sign/derived-empty-001", DAVE, messages[0]![1], "a derived key, the empty message"),
    signDerived("ed25519/sign/derived-text-001", DAVE, messages[3]![1], "a derived key, a text message"),
    signDerived("ed25519/sign/derived-64-byte-001", ERIN, messages[2]![1], "another derived key, a 64-byte message"),
  ]);

  // Self-check: the reference signer reproduces RFC 8032's signatures.
  for (const v of [RFC8032.test1, RFC8032.test2, RFC8032.test3]) {
    if (hex(signEd25519(unhex(v.secret), unhex(v.message))) !== v.signature) throw new Error("the reference signer does not reproduce RFC 8032 §7.1");
  }

  return {
    name: "ed25519",
    description:
      "AP2P's Ed25519 rule (spec/04-identity-and-signing.md §4.1–4.2): strict RFC 8032 decoding, no small-order keys or R, the cofactorless equation. Operations ed25519.verify and ed25519.sign. Mixed-order cases are acceptable either way (flags MixedOrderR, MixedOrderKey).",
    groups: [known, malleable, smallKeys, nonCanonicalKeys, offCurve, lengths, rEncoding, rSmall, mixed, more, signing],
  };
}

/** An honest signature by a derived key (produce side: the reference signer). */
function sigBy(signer: Peer, msg: Uint8Array): V {
  return { pk: signer.publicKey, msg, sig: signEd25519(signer.seed, msg) };
}

export const ed25519File: VectorFileModule = { name: "ed25519", build };
