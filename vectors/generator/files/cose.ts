// cose.json: the COSE_Sign1 envelope (spec/04-identity-and-signing.md §4.3):
// its shape, the protected header, the Sig_structure and the signature, with
// operations cose.verify and cose.sign.
import { base58 } from "@scure/base";
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { signSign1 } from "../../../reference/src/cose/sign1.js";
import { cat, hex, le32, utf8 } from "../bytes.js";
import { enc, headWidth, Ordered, Raw, Tagged, type W } from "../cbor-writer.js";
import { L, mixedOrderR, P, scalarOf, signWithR, SMALL_ORDER_POINTS, withS } from "../ed25519-craft.js";
import {
  ALICE,
  assemble,
  BOB,
  DESCRIPTOR_CT,
  honestParts,
  MANIFEST_CT,
  partsWithHeader,
  protectedHeader,
  sigStructure,
  type Sign1Parts,
} from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { acceptable, group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";
import { descriptorBody } from "./descriptor-bodies.js";

function ok(id: string, requirements: string[], comment: string, cose: Uint8Array, output: { kid: string; payload: Uint8Array }, extra: { expected_kid?: string } = {}, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: { cose: hex(cose), ...extra }, output: { kid: output.kid, payload: hex(output.payload) } });
}
function bad(id: string, error: string, requirements: string[], comment: string, cose: Uint8Array, flags: FlagName[] = [], extra: { expected_kid?: string } = {}): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { cose: hex(cose), ...extra } });
}

/** A protected header map with entries replaced; a value of undefined drops the label. */
function header(entries: [W, W | undefined][], base: [W, W][] = [[1, -8], [3, DESCRIPTOR_CT], [4, utf8(ALICE.did)]]): Uint8Array {
  const m = new Map<W, W>(base);
  for (const [k, v] of entries) {
    if (v === undefined) m.delete(k);
    else m.set(k, v);
  }
  return enc(m);
}

function build() {
  const payload = enc(descriptorBody(ALICE));
  const parts = honestParts(ALICE, DESCRIPTOR_CT, payload);
  const cose = assemble(parts);
  const aliceOut = { kid: ALICE.did, payload };
  const signed = (protectedBytes: Uint8Array, p: Uint8Array = payload) => assemble(partsWithHeader(ALICE, protectedBytes, p));
  const withSignature = (signature: Uint8Array, base: Sign1Parts = parts) => assemble({ ...base, signature });
  const M = sigStructure(parts.protectedBytes, payload);

  const validGroup = group("cose.verify", "Well-formed COSE_Sign1 envelopes with valid signatures.", { content_type: DESCRIPTOR_CT }, [
    ok("cose/valid/descriptor-001", ["SIG-001", "SIG-002", "SIG-008", "SIG-011"], "a descriptor payload signed by the RFC 8032 TEST 1 key", cose, aliceOut),
    ok("cose/valid/other-signer-001", ["SIG-001", "SIG-007"], "another signer (RFC 8032 TEST 2) over its own descriptor payload", assemble(honestParts(BOB, DESCRIPTOR_CT, enc(descriptorBody(BOB)))), { kid: BOB.did, payload: enc(descriptorBody(BOB)) }),
    ok("cose/valid/expected-kid-001", ["SIG-007"], "the verifier expects this signer, and the kid names it", cose, aliceOut, { expected_kid: ALICE.did }),
  ]);

  const E = ["SIG-001"];
  const envelope = group("cose.verify", "The envelope (SIG-001, SIG-003, SIG-004): tag 18 over an array of four items of the right types.", { content_type: DESCRIPTOR_CT }, [
    bad("cose/envelope/untagged-001", "COSE_TAG_MISSING", E, "the four-item array without tag 18", assemble(parts, { tag: null }), ["EnvelopeShape"]),
    bad("cose/envelope/tag-17-001", "COSE_TAG_MISSING", E, "tag 17 (COSE_Mac0) instead of 18", assemble(parts, { tag: 17 }), ["EnvelopeShape"]),
    bad("cose/envelope/tag-98-001", "COSE_TAG_MISSING", E, "tag 98 (COSE_Sign) instead of 18", assemble(parts, { tag: 98 }), ["EnvelopeShape"]),
    bad("cose/envelope/unsigned-payload-001", "COSE_TAG_MISSING", [...E, "ARCH-001"], "the bare payload, with no envelope at all", payload, ["Unsigned"]),
    bad("cose/envelope/tag-twice-001", "COSE_MALFORMED", E, "tag 18 over tag 18 over the array", enc(new Tagged(18, new Tagged(18, [parts.protectedBytes, new Map(), payload, parts.signature]))), ["EnvelopeShape"]),
    bad("cose/envelope/three-items-001", "COSE_MALFORMED", E, "an array of three items (no signature)", assemble(parts, { items: [parts.protectedBytes, new Map(), payload] }), ["EnvelopeShape"]),
    bad("cose/envelope/five-items-001", "COSE_MALFORMED", E, "an array of five items", assemble(parts, { items: [parts.protectedBytes, new Map(), payload, parts.signature, new Uint8Array(0)] }), ["EnvelopeShape"]),
    bad("cose/envelope/map-001", "COSE_MALFORMED", E, "tag 18 over a map instead of an array", enc(new Tagged(18, new Map<W, W>([[1, parts.protectedBytes]]))), ["EnvelopeShape"]),
    bad("cose/envelope/protected-not-bstr-001", "COSE_MALFORMED", ["SIG-001", "SIG-002"], "the protected header as a map, not a byte string", assemble(parts, { items: [new Raw(parts.protectedBytes), new Map(), payload, parts.signature] }), ["EnvelopeShape"]),
    bad("cose/envelope/unprotected-kid-001", "COSE_HEADER_UNSUPPORTED", ["SIG-003"], "the kid repeated in the unprotected header, outside the signature", assemble(parts, { unprotected: new Map<W, W>([[4, utf8(ALICE.did)]]) }), ["HeaderParameter"]),
    bad("cose/envelope/unprotected-alg-001", "COSE_HEADER_UNSUPPORTED", ["SIG-003"], "alg in the unprotected header", assemble(parts, { unprotected: new Map<W, W>([[1, -8]]) }), ["HeaderParameter"]),
    bad("cose/envelope/unprotected-bstr-001", "COSE_MALFORMED", E, "the unprotected header as an empty byte string instead of a map", assemble(parts, { unprotected: new Uint8Array(0) }), ["EnvelopeShape"]),
    bad("cose/envelope/payload-nil-001", "COSE_PAYLOAD_DETACHED", ["SIG-004"], "a detached payload (nil), signed over the real payload", assemble(parts, { payloadItem: new Raw(Uint8Array.of(0xf6)) }), ["EnvelopeShape"]),
    bad("cose/envelope/payload-text-001", "COSE_MALFORMED", E, "the payload as a text string", assemble(parts, { payloadItem: "payload" }), ["EnvelopeShape"]),
    bad("cose/envelope/signature-text-001", "COSE_MALFORMED", E, "the signature as a text string", assemble(parts, { signatureItem: "signature" }), ["EnvelopeShape"]),
    bad("cose/envelope/signature-63-001", "SIG_MALFORMED", ["SIG-009"], "a 63-byte signature", withSignature(parts.signature.subarray(0, 63)), ["EnvelopeShape"]),
    bad("cose/envelope/signature-65-001", "SIG_MALFORMED", ["SIG-009"], "a 65-byte signature", withSignature(cat(parts.signature, Uint8Array.of(0))), ["EnvelopeShape"]),
    bad("cose/envelope/signature-empty-001", "SIG_MALFORMED", ["SIG-009"], "an empty signature", withSignature(new Uint8Array(0)), ["EnvelopeShape"]),
    bad("cose/envelope/trailing-byte-001", "CBOR_TRAILING_BYTES", ["SIG-001", "ENC-012"], "a zero byte after the envelope", cat(cose, Uint8Array.of(0)), ["TrailingBytes"]),
    bad("cose/envelope/truncated-001", "CBOR_MALFORMED", ["SIG-001", "ENC-012"], "the envelope without its last byte", cose.subarray(0, cose.length - 1), ["Truncated"]),
    bad("cose/envelope/protected-length-non-shortest-001", "CBOR_NON_SHORTEST_HEAD", ["SIG-001", "ENC-002"], "the protected header's byte-string length written in two bytes", assemble(parts, { items: [new Raw(cat(headWidth(2, parts.protectedBytes.length, 2), parts.protectedBytes)), new Map(), payload, parts.signature] }), ["NonShortestHead"]),
    bad("cose/envelope/unprotected-indefinite-001", "CBOR_INDEFINITE_LENGTH", ["SIG-001", "ENC-003"], "the unprotected header as an indefinite-length empty map", assemble(parts, { unprotected: new Raw(Uint8Array.of(0xbf, 0xff)) }), ["IndefiniteLength"]),
  ]);

  const H = ["SIG-002"];
  const headers = group("cose.verify", "The protected header (SIG-002, SIG-005 to SIG-007): exactly alg, content type and kid, deterministically encoded. Each header is signed, so only the header is wrong.", { content_type: DESCRIPTOR_CT }, [
    bad("cose/header/crit-001", "COSE_HEADER_UNSUPPORTED", H, "crit (label 2) naming the content type", signed(header([[2, [3]]])), ["HeaderParameter"]),
    bad("cose/header/iv-001", "COSE_HEADER_UNSUPPORTED", H, "an IV (label 5), which AP2P does not define", signed(header([[5, new Uint8Array(12)]])), ["HeaderParameter"]),
    bad("cose/header/content-type-twice-label-16-001", "COSE_HEADER_UNSUPPORTED", H, "typ (label 16) beside the content type", signed(header([[16, "application/ap2p"]])), ["HeaderParameter"]),
    bad("cose/header/text-label-001", "CBOR_MAP_KEY_TYPE", H, 'a text label "ct" (COSE header labels are integers here)', signed(header([["ct", DESCRIPTOR_CT]])), ["MapKeyType"]),
    bad("cose/header/unsorted-001", "CBOR_MAP_KEYS_UNSORTED", ["SIG-002", "ENC-004"], "labels in the order 3, 1, 4", signed(enc(new Ordered([[3, DESCRIPTOR_CT], [1, -8], [4, utf8(ALICE.did)]]))), ["UnsortedKeys"]),
    bad("cose/header/duplicate-label-001", "CBOR_DUPLICATE_MAP_KEY", ["SIG-002", "ENC-004"], "alg twice", signed(enc(new Ordered([[1, -8], [1, -8], [3, DESCRIPTOR_CT], [4, utf8(ALICE.did)]]))), ["DuplicateKey"]),
    bad("cose/header/alg-non-shortest-001", "CBOR_NON_SHORTEST_HEAD", ["SIG-002", "ENC-002"], "alg −8 written as 38 07", signed(enc(new Ordered([[1, new Raw(headWidth(1, 7, 1))], [3, DESCRIPTOR_CT], [4, utf8(ALICE.did)]]))), ["NonShortestHead"]),
    bad("cose/header/trailing-bytes-001", "CBOR_TRAILING_BYTES", ["SIG-002", "ENC-012"], "a zero byte after the header map inside the byte string", signed(cat(parts.protectedBytes, Uint8Array.of(0))), ["TrailingBytes"]),
    bad("cose/header/array-001", "COSE_MALFORMED", H, "the protected header holds an array, not a map", signed(enc([-8, DESCRIPTOR_CT, utf8(ALICE.did)])), ["EnvelopeShape"]),
    bad("cose/header/alg-missing-001", "COSE_ALG_UNSUPPORTED", ["SIG-005"], "no alg", signed(header([[1, undefined]])), ["WrongAlgorithm"]),
    bad("cose/header/alg-es256-001", "COSE_ALG_UNSUPPORTED", ["SIG-005"], "alg −7 (ES256)", signed(header([[1, -7]])), ["WrongAlgorithm"]),
    bad("cose/header/alg-ed25519-fully-specified-001", "COSE_ALG_UNSUPPORTED", ["SIG-005"], "alg −19 (the fully specified Ed25519 identifier): AP2P version 1 uses −8 only", signed(header([[1, -19]])), ["WrongAlgorithm"]),
    bad("cose/header/alg-text-001", "COSE_ALG_UNSUPPORTED", ["SIG-005"], 'alg as the text "EdDSA"', signed(header([[1, "EdDSA"]])), ["WrongAlgorithm"]),
    bad("cose/header/content-type-missing-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006"], "no content type", signed(header([[3, undefined]])), ["HeaderParameter"]),
    bad("cose/header/content-type-other-kind-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006", "DESC-001"], "the content type of another signed kind (the vector manifest) over a descriptor payload", signed(header([[3, MANIFEST_CT]])), ["CrossKindReplay"]),
    bad("cose/header/content-type-integer-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006"], "a CoAP content format number (60, application/cbor) instead of the text", signed(header([[3, 60]])), ["HeaderParameter"]),
    bad("cose/header/content-type-case-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006"], "the content type with a capital A: compared byte for byte", signed(header([[3, `A${DESCRIPTOR_CT.slice(1)}`]])), ["HeaderParameter"]),
    bad("cose/header/content-type-generic-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006"], '"application/cbor", which names no kind', signed(header([[3, "application/cbor"]])), ["HeaderParameter"]),
    bad("cose/header/kid-missing-001", "COSE_KID_MISSING", ["SIG-007"], "no kid", signed(header([[4, undefined]])), ["HeaderParameter"]),
    bad("cose/header/kid-text-001", "COSE_MALFORMED", ["SIG-002", "SIG-007"], "the kid as a text string instead of a byte string", signed(header([[4, ALICE.did]])), ["EnvelopeShape"]),
    bad("cose/header/kid-not-did-001", "DID_MALFORMED", ["SIG-007", "ID-002"], 'the kid "alice"', signed(header([[4, utf8("alice")]])), ["DidSyntax"]),
    bad("cose/header/kid-did-web-001", "DID_METHOD_UNSUPPORTED", ["SIG-007", "ID-002"], "the kid did:web:example.com", signed(header([[4, utf8("did:web:example.com")]])), ["DidSyntax"]),
    bad("cose/header/kid-fragment-001", "DID_MALFORMED", ["SIG-007", "ID-002"], "the kid as a DID URL with a fragment", signed(header([[4, utf8(`${ALICE.did}#${ALICE.did.slice(8)}`)]])), ["DidSyntax"]),
    bad("cose/header/kid-not-utf8-001", "DID_MALFORMED", ["SIG-007", "ID-002"], "kid bytes that are not UTF-8", signed(header([[4, Uint8Array.of(0xff, 0xfe)]])), ["DidSyntax"]),
    bad("cose/header/kid-small-order-001", "KEY_SMALL_ORDER", ["SIG-007", "ID-003", "SEC-003", "SIG-013"], "the kid names the identity point, and the signature is R = identity, S = 0, which a permissive verifier accepts for any message: the kid is checked with the header, before the signature", withSignature(cat(le32(1n), le32(0n)), { protectedBytes: header([[4, utf8(`did:key:z${base58Key(SMALL_ORDER_POINTS[0]!.hex)}`)]]), payload, signature: new Uint8Array(0) }), ["SmallOrderKey", "DefectOrder"]),
    bad("cose/header/expected-kid-001", "COSE_KID_MISMATCH", ["SIG-007"], "a valid signature by the TEST 1 key where the verifier expects the TEST 2 key", cose, ["KidConfusion"], { expected_kid: BOB.did }),
  ]);

  // Sig_structure variants, all signed by the right key (SIG-008).
  const sigOver = (m: Uint8Array) => withSignature(signEd25519(ALICE.seed, m));
  const nonCanonicalSig = enc(new Raw(cat(headWidth(4, 4, 1), enc("Signature1"), enc(parts.protectedBytes), enc(new Uint8Array(0)), enc(payload))));
  const R_NONCE = 0x5eedn;
  const S = ["SIG-011"];
  const signature = group("cose.verify", "The signature (SIG-008 to SIG-011, SIG-014) over the Sig_structure.", { content_type: DESCRIPTOR_CT }, [
    bad("cose/signature/payload-altered-001", "SIG_INVALID", S, "one byte of the payload changed after signing (seq 1 → 2)", assemble({ ...parts, payload: enc(descriptorBody(ALICE, { seq: 2n })) }), ["WrongSignature"]),
    bad("cose/signature/kid-of-other-key-001", "SIG_INVALID", ["SIG-007", "SIG-011"], "signed by the TEST 2 key, with the TEST 1 key as kid", assemble({ ...parts, signature: signEd25519(BOB.seed, M) }), ["KidConfusion"]),
    bad("cose/signature/kid-swapped-001", "SIG_INVALID", ["SIG-007", "SIG-011"], "signed by the TEST 1 key over its own header, then the kid replaced by the TEST 2 key", assemble({ ...parts, protectedBytes: protectedHeader(DESCRIPTOR_CT, BOB.did) }), ["KidConfusion"]),
    bad("cose/signature/context-signature-001", "SIG_INVALID", ["SIG-008"], 'signed over a Sig_structure with the context "Signature" (COSE_Sign) instead of "Signature1"', sigOver(sigStructure(parts.protectedBytes, payload, new Uint8Array(0), "Signature")), ["SigStructure"]),
    bad("cose/signature/external-aad-001", "SIG_INVALID", ["SIG-008"], 'signed with external_aad "ap2p" instead of the empty string', sigOver(sigStructure(parts.protectedBytes, payload, utf8("ap2p"))), ["SigStructure"]),
    bad("cose/signature/payload-only-001", "SIG_INVALID", ["SIG-008"], "signed over the payload alone", sigOver(payload), ["SigStructure"]),
    bad("cose/signature/empty-protected-001", "SIG_INVALID", ["SIG-008"], "signed over a Sig_structure whose protected field is empty, so the signature would not bind the header", sigOver(sigStructure(new Uint8Array(0), payload)), ["SigStructure"]),
    bad("cose/signature/non-deterministic-sig-structure-001", "SIG_INVALID", ["SIG-008"], "signed over the Sig_structure with its array count in a one-byte argument", sigOver(nonCanonicalSig), ["SigStructure"]),
    bad("cose/signature/s-plus-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S + L of the valid signature", withSignature(withS(parts.signature, scalarOf(parts.signature) + L)), ["SignatureMalleability"]),
    bad("cose/signature/s-equals-l-001", "SIG_S_NOT_CANONICAL", ["SIG-009"], "S = L", withSignature(withS(parts.signature, L)), ["SignatureMalleability"]),
    bad("cose/signature/r-non-canonical-001", "SIG_R_NOT_CANONICAL", ["SIG-010"], "R = the identity spelled y = p + 1, with S = k·a over those bytes", withSignature(signWithR(ALICE.craft, le32(P + 1n), 0n, M)), ["NonCanonicalR"]),
    bad("cose/signature/r-small-order-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R = the identity, with S = k·a: satisfies even the cofactorless equation", withSignature(signWithR(ALICE.craft, le32(1n), 0n, M)), ["SmallOrderR"]),
    bad("cose/signature/r-small-order-8-001", "SIG_R_SMALL_ORDER", ["SIG-010"], "R of order 8, with S = k·a", withSignature(signWithR(ALICE.craft, hexBytes(SMALL_ORDER_POINTS[4]!.hex), 0n, M)), ["SmallOrderR"]),
    acceptable("cose/signature/mixed-order-r-001", { requirements: ["SIG-011", "SIG-014"], comment: "R = [r]B + T8, signed by the key holder: only the cofactored equation holds", flags: ["MixedOrderR"], inputs: { cose: hex(withSignature(signWithR(ALICE.craft, mixedOrderR(R_NONCE, SMALL_ORDER_POINTS[4]!.hex), R_NONCE, M))) } }),
  ]);

  // A vector manifest payload, to show one signature per kind.
  const manifestPayload = enc({ spec_version: "1.0.0-draft.1", files: [{ name: "cbor.json", sha256: new Uint8Array(32).fill(0x11) }], corpus_digest: new Uint8Array(32).fill(0x22) });
  const manifestCose = assemble(honestParts(ALICE, MANIFEST_CT, manifestPayload));
  const crossKind = group("cose.verify", "Domain separation by content type (SIG-006): the verifier expects a vector manifest.", { content_type: MANIFEST_CT }, [
    ok("cose/cross-kind/manifest-001", ["SIG-006"], "a vector-manifest payload signed under its own content type", manifestCose, { kid: ALICE.did, payload: manifestPayload }),
    bad("cose/cross-kind/descriptor-as-manifest-001", "COSE_CONTENT_TYPE_MISMATCH", ["SIG-006"], "a valid descriptor signature presented as a vector manifest", cose, ["CrossKindReplay"]),
  ]);

  // The signing side (produce): outputs come from the reference signer.
  const signing = (id: string, comment: string, ct: string, secret: Uint8Array, p: Uint8Array, requirements: string[]) =>
    valid(id, { requirements, comment, inputs: { secret_key: hex(secret), payload: hex(p) }, output: { cose: hex(signSign1(p, ct, secret)) } });
  const sign = group("cose.sign", "Signing a payload under the descriptor content type: the exact COSE_Sign1 bytes (SIG-001 to SIG-008, SIG-012).", { content_type: DESCRIPTOR_CT }, [
    signing("cose/sign/descriptor-001", "the TEST 1 key over a minimal descriptor", DESCRIPTOR_CT, ALICE.seed, payload, ["SIG-001", "SIG-002", "SIG-008", "SIG-012"]),
    signing("cose/sign/descriptor-other-signer-001", "the TEST 2 key over its own minimal descriptor", DESCRIPTOR_CT, BOB.seed, enc(descriptorBody(BOB)), ["SIG-007", "SIG-012"]),
  ]);
  const signManifest = group("cose.sign", "Signing under the vector-manifest content type.", { content_type: MANIFEST_CT }, [
    signing("cose/sign/manifest-001", "the TEST 1 key over a vector-manifest payload", MANIFEST_CT, ALICE.seed, manifestPayload, ["SIG-006", "SIG-012"]),
  ]);

  // Self-check: the crafted honest envelope is what the reference signer writes.
  if (hex(signSign1(payload, DESCRIPTOR_CT, ALICE.seed)) !== hex(cose)) throw new Error("the generator's COSE_Sign1 assembly differs from the reference signer");

  return {
    name: "cose",
    description: "The COSE_Sign1 envelope (spec/04-identity-and-signing.md §4.3–4.5): shape, protected header, Sig_structure and signature. Operations cose.verify (the payload is opaque to it) and cose.sign. Size limits are in limits.json.",
    groups: [validGroup, envelope, headers, signature, crossKind, sign, signManifest],
  };
}

function hexBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, "hex"));
}

/** base58btc of ed 01 ‖ key, for did:key strings of keys the encoder refuses. */
function base58Key(keyHex: string): string {
  return base58.encode(cat(Uint8Array.of(0xed, 0x01), hexBytes(keyHex)));
}

export const coseFile: VectorFileModule = { name: "cose", build };
