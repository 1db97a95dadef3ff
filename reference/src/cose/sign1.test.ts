import { base58 } from "@scure/base";
import { describe, expect, it } from "vitest";
import { encodeCanonical } from "../cbor/encode.js";
import { CborTag, type CborMap, type CborValue } from "../cbor/value.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret, signEd25519 } from "../crypto/ed25519.js";
import { CapabilityDescriptorSchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { verifyDescriptor } from "../descriptor/verify.js";
import { parseSignedMessage, verifySignedMessage } from "../signed/signed-message.js";
import { encodeProtectedHeader, parseSign1, sigStructure, signSign1, verifySign1 } from "./sign1.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
// RFC 8032 §7.1 TEST 1.
const SK = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const KID = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw";
const CT = "application/ap2p.descriptor.v1+cbor";
const PAYLOAD = encodeCanonical(new Map([["hello", "world"]]));
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const utf8 = (s: string) => new TextEncoder().encode(s);

interface Parts {
  protectedMap?: CborMap;
  protectedBytes?: Uint8Array;
  unprotected?: CborMap;
  payload?: Uint8Array;
  signature?: Uint8Array;
  aad?: Uint8Array;
  tag?: number | null;
}

/** Builds a COSE_Sign1 with exactly the parts given, signed correctly unless a signature is supplied. */
function build(p: Parts = {}): Uint8Array {
  const protectedBytes = p.protectedBytes ?? encodeCanonical(p.protectedMap ?? new Map<number, CborValue>([[1, -8], [3, CT], [4, utf8(KID)]]));
  const payload = p.payload ?? PAYLOAD;
  const toSign = p.aad ? encodeCanonical(["Signature1", protectedBytes, p.aad, payload]) : sigStructure(protectedBytes, payload);
  const signature = p.signature ?? signEd25519(SK, toSign);
  const arr: CborValue[] = [protectedBytes, p.unprotected ?? new Map(), payload, signature];
  return encodeCanonical(p.tag === null ? arr : new CborTag(p.tag ?? 18, arr));
}
const codeOf = (bytes: Uint8Array, ct = CT) => {
  const v = verifySign1(bytes, ct);
  return v.ok ? "ok" : v.error.code;
};
const header = (entries: [number, CborValue][]) => new Map<number, CborValue>(entries);

describe("COSE_Sign1 envelope", () => {
  it("signs and verifies; the output is the fixed shape of spec §4.3", () => {
    const bytes = signSign1(PAYLOAD, CT, SK);
    expect(hex(bytes.subarray(0, 2))).toBe("d284");
    expect(hex(bytes)).toBe(hex(build()));
    const v = verifySign1(bytes, CT);
    expect(v.ok && [v.value.kid, v.value.contentType, hex(v.value.payload)]).toEqual([KID, CT, hex(PAYLOAD)]);
  });
  it("SIG-002: the protected header is the deterministic map {1: -8, 3: ct, 4: kid}", () => {
    expect(hex(encodeProtectedHeader(CT, KID))).toBe("a3" + "0127" + "0378" + "23" + hex(utf8(CT)) + "0458" + "38" + hex(utf8(KID)));
  });
  it("SIG-008: Sig_structure is [\"Signature1\", protected, h'', payload] in deterministic CBOR", () => {
    const prot = encodeProtectedHeader(CT, KID);
    expect(prot.length).toBe(100);
    expect(hex(sigStructure(prot, PAYLOAD))).toBe("84" + "6a" + hex(utf8("Signature1")) + "5864" + hex(prot) + "40" + "4d" + hex(PAYLOAD));
  });

  const cases: [string, () => Uint8Array, string][] = [
    ["SIG-001: untagged array", () => build({ tag: null }), "COSE_TAG_MISSING"],
    ["SIG-001: tag 98 (COSE_Sign) instead of 18", () => build({ tag: 98 }), "COSE_TAG_MISSING"],
    ["SIG-001: empty input", () => new Uint8Array(0), "COSE_TAG_MISSING"],
    ["SIG-001: tag 18 in a two-byte head", () => new Uint8Array([0xd8, 0x12, ...build().subarray(1)]), "CBOR_NON_SHORTEST_HEAD"],
    ["SIG-001: array of four in a two-byte head", () => new Uint8Array([0xd2, 0x98, 0x04, ...build().subarray(2)]), "CBOR_NON_SHORTEST_HEAD"],
    ["SIG-001: indefinite-length envelope array", () => new Uint8Array([0xd2, 0x9f, ...build().subarray(2), 0xff]), "CBOR_INDEFINITE_LENGTH"],
    ["SIG-001: array of three", () => encodeCanonical(new CborTag(18, [encodeProtectedHeader(CT, KID), new Map(), PAYLOAD])), "COSE_MALFORMED"],
    ["SIG-001: protected header as a map, not a bstr", () => encodeCanonical(new CborTag(18, [header([[1, -8]]), new Map(), PAYLOAD, new Uint8Array(64)])), "COSE_MALFORMED"],
    ["SIG-001: truncated", () => build().subarray(0, 40), "CBOR_MALFORMED"],
    ["SIG-001: trailing bytes", () => new Uint8Array([...build(), 0]), "CBOR_TRAILING_BYTES"],
    ["SIG-001: over 65,536 bytes", () => build({ payload: encodeCanonical(new Map([["x", "a".repeat(65536)]])) }), "CBOR_TOO_LARGE"],
    ["SIG-001: non-shortest length of the payload bstr", () => {
      const prot = encodeProtectedHeader(CT, KID);
      const sig = signEd25519(SK, sigStructure(prot, PAYLOAD));
      return new Uint8Array([0xd2, 0x84, ...encodeCanonical(prot), 0xa0, 0x58, PAYLOAD.length, ...PAYLOAD, ...encodeCanonical(sig)]);
    }, "CBOR_NON_SHORTEST_HEAD"],
    ["SIG-002: crit (label 2) in the protected header", () => build({ protectedMap: header([[1, -8], [2, [1]], [3, CT], [4, utf8(KID)]]) }), "COSE_HEADER_UNSUPPORTED"],
    ["SIG-002: an IV (label 5) in the protected header", () => build({ protectedMap: header([[1, -8], [3, CT], [4, utf8(KID)], [5, new Uint8Array(12)]]) }), "COSE_HEADER_UNSUPPORTED"],
    ["SIG-002: a text label in the protected header", () => build({ protectedBytes: encodeCanonical(new Map<string | number, CborValue>([[1, -8], [3, CT], [4, utf8(KID)], ["x", 1]])) }), "CBOR_MAP_KEY_TYPE"],
    ["SIG-002: protected header keys out of order", () => build({ protectedBytes: new Uint8Array([0xa3, 0x03, ...encodeCanonical(CT), 0x01, 0x27, 0x04, ...encodeCanonical(utf8(KID))]) }), "CBOR_MAP_KEYS_UNSORTED"],
    ["SIG-003: kid in the unprotected header", () => build({ unprotected: header([[4, utf8(KID)]]) }), "COSE_HEADER_UNSUPPORTED"],
    ["SIG-004: detached payload", () => {
      const prot = encodeProtectedHeader(CT, KID);
      return new Uint8Array([0xd2, 0x84, ...encodeCanonical(prot), 0xa0, 0xf6, ...encodeCanonical(new Uint8Array(64))]);
    }, "COSE_PAYLOAD_DETACHED"],
    ["SIG-005: alg ES256 (-7)", () => build({ protectedMap: header([[1, -7], [3, CT], [4, utf8(KID)]]) }), "COSE_ALG_UNSUPPORTED"],
    ["SIG-005: no alg", () => build({ protectedMap: header([[3, CT], [4, utf8(KID)]]) }), "COSE_ALG_UNSUPPORTED"],
    ["SIG-006: content type of another kind (cross-kind replay)", () => build({ protectedMap: header([[1, -8], [3, "application/ap2p.canary-response.v1+cbor"], [4, utf8(KID)]]) }), "COSE_CONTENT_TYPE_MISMATCH"],
    ["SIG-006: no content type", () => build({ protectedMap: header([[1, -8], [4, utf8(KID)]]) }), "COSE_CONTENT_TYPE_MISMATCH"],
    ["SIG-006: content type as an integer (CoAP form)", () => build({ protectedMap: header([[1, -8], [3, 60], [4, utf8(KID)]]) }), "COSE_CONTENT_TYPE_MISMATCH"],
    ["SIG-007: no kid", () => build({ protectedMap: header([[1, -8], [3, CT]]) }), "COSE_KID_MISSING"],
    ["SIG-007: kid as text, not bytes", () => build({ protectedMap: header([[1, -8], [3, CT], [4, KID]]) }), "COSE_MALFORMED"],
    ["SIG-007: kid of another DID method", () => build({ protectedMap: header([[1, -8], [3, CT], [4, utf8("did:web:example.com")]]) }), "DID_METHOD_UNSUPPORTED"],
    ["SIG-007: kid naming a small-order key", () => build({ protectedMap: header([[1, -8], [3, CT], [4, utf8("did:key:z" + base58.encode(unhex("ed01" + "01".padEnd(64, "0"))))]]) }), "KEY_SMALL_ORDER"],
    ["SIG-007: kid that is not UTF-8", () => build({ protectedMap: header([[1, -8], [3, CT], [4, new Uint8Array([0xff, 0xfe])]]) }), "DID_MALFORMED"],
    ["SIG-007: kid of another peer (signature by TEST 1 key)", () => build({ protectedMap: header([[1, -8], [3, CT], [4, utf8("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH")]]) }), "SIG_INVALID"],
    ["SIG-008: signed with a non-empty external_aad", () => build({ aad: new Uint8Array([1]) }), "SIG_INVALID"],
    ["SIG-008: signature over the bare payload", () => build({ signature: signEd25519(SK, PAYLOAD) }), "SIG_INVALID"],
    ["SIG-009: 63-byte signature", () => build({ signature: new Uint8Array(63) }), "SIG_MALFORMED"],
    ["SIG-009: 65-byte signature", () => build({ signature: new Uint8Array(65) }), "SIG_MALFORMED"],
    ["SIG-009: S = L (non-canonical S)", () => {
      const sig = signEd25519(SK, sigStructure(encodeProtectedHeader(CT, KID), PAYLOAD));
      const s = unhex(L.toString(16).padStart(64, "0")).reverse();
      sig.set(s, 32);
      return build({ signature: sig });
    }, "SIG_S_NOT_CANONICAL"],
    ["SIG-009: S + L of a valid signature (malleability)", () => {
      const sig = signEd25519(SK, sigStructure(encodeProtectedHeader(CT, KID), PAYLOAD));
      const s = BigInt("0x" + hex(sig.subarray(32).slice().reverse())) + L;
      sig.set(unhex(s.toString(16).padStart(64, "0")).reverse(), 32);
      return build({ signature: sig });
    }, "SIG_S_NOT_CANONICAL"],
    ["SIG-010: R is the identity (small order)", () => {
      const sig = new Uint8Array(64);
      sig[0] = 1;
      return build({ signature: sig });
    }, "SIG_R_SMALL_ORDER"],
    ["SIG-010: R with y = p (non-canonical)", () => {
      const sig = new Uint8Array(64);
      sig.set(unhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 0);
      return build({ signature: sig });
    }, "SIG_R_NOT_CANONICAL"],
    ["SIG-011: one flipped bit in the signature", () => {
      const sig = signEd25519(SK, sigStructure(encodeProtectedHeader(CT, KID), PAYLOAD));
      sig[5]! ^= 0x01;
      return build({ signature: sig });
    }, "SIG_INVALID"],
    ["SIG-011: payload changed after signing", () => {
      const b = build();
      const i = hex(b).indexOf(hex(utf8("world"))) / 2;
      b[i]! ^= 0x20;
      return b;
    }, "SIG_INVALID"],
    ["SIG-013: first failing check wins (bad alg and bad signature → alg)", () => build({ protectedMap: header([[1, -7], [3, CT], [4, utf8(KID)]]), signature: new Uint8Array(64) }), "COSE_ALG_UNSUPPORTED"],
  ];
  for (const [what, make, code] of cases) {
    it(`${what} → ${code}`, () => expect(codeOf(make())).toBe(code));
  }

  it("SIG-008: the Sig_structure written directly is its deterministic encoding, for every length of head", () => {
    const prot = encodeProtectedHeader(CT, KID);
    for (const n of [0, 1, 23, 24, 255, 256, 65535, 65536]) {
      const payload = new Uint8Array(n).fill(n & 0xff);
      expect(hex(sigStructure(prot, payload))).toBe(hex(encodeCanonical(["Signature1", prot, new Uint8Array(0), payload])));
      expect(hex(sigStructure(payload, prot))).toBe(hex(encodeCanonical(["Signature1", payload, new Uint8Array(0), prot])));
    }
  });
  it("SIG-002: a header that differs from the one AP2P writes only in the kid's head, or by a trailing byte, takes the general path", () => {
    const kid = utf8(KID);
    const prefix = encodeProtectedHeader(CT, "").subarray(0, -1);
    expect(codeOf(build({ protectedBytes: new Uint8Array([...prefix, 0x59, 0x00, kid.length, ...kid]) }))).toBe("CBOR_NON_SHORTEST_HEAD");
    expect(codeOf(build({ protectedBytes: new Uint8Array([...prefix, 0x58, kid.length, ...kid, 0x00]) }))).toBe("CBOR_TRAILING_BYTES");
    expect(codeOf(build({ protectedBytes: new Uint8Array([...prefix, 0x58, kid.length + 1, ...kid]) }))).toBe("CBOR_MALFORMED");
    expect(codeOf(build({ protectedBytes: new Uint8Array([...prefix, 0x58, kid.length, ...kid]) }))).toBe("ok");
  });

  // A kid naming a canonical encoding that is no curve point (y = 2). Verification
  // pipelines leave this key check to the signature and settle it before they
  // report anything else, so it must still come first.
  const offCurveKid = "did:key:z" + base58.encode(unhex("ed01" + "02".padEnd(64, "0")));
  const offCurve = (payload: Uint8Array, signature = new Uint8Array(64).fill(7)) =>
    build({ protectedMap: header([[1, -8], [3, CT], [4, utf8(offCurveKid)]]), payload, signature });
  const descriptorCode = (bytes: Uint8Array) => {
    const v = verifyDescriptor(bytes, { now: 1767225600000n });
    return v.ok ? "ok" : v.error.code;
  };
  it.each([
    ["an ill-formed payload", encodeCanonical(new Map([["hello", "world"]]))],
    ["a payload that is not CBOR", new Uint8Array([0xff])],
    ["an empty payload map", encodeCanonical(new Map())],
  ])("ID-003: a kid whose key is not a curve point is KEY_NOT_ON_CURVE in every pipeline, with %s", (_, payload) => {
    const bytes = offCurve(payload);
    expect(codeOf(bytes)).toBe("KEY_NOT_ON_CURVE");
    const parsed = parseSign1(bytes, CT);
    expect(!parsed.ok && parsed.error.code).toBe("KEY_NOT_ON_CURVE");
    const stages = parseSignedMessage(CapabilityDescriptorSchema, bytes);
    expect(!stages.ok && stages.error.code).toBe("KEY_NOT_ON_CURVE");
    const verified = verifySignedMessage(CapabilityDescriptorSchema, bytes);
    expect(!verified.ok && verified.error.code).toBe("KEY_NOT_ON_CURVE");
    expect(descriptorCode(bytes)).toBe("KEY_NOT_ON_CURVE");
  });
  it("SIG-015: a failed verification yields no payload to act on", () => {
    const v = verifySign1(build({ aad: new Uint8Array([1]) }), CT);
    expect(v.ok).toBe(false);
    expect("value" in v).toBe(false);
  });
  it("parseSign1 checks well-formedness only: a bad signature still parses", () => {
    expect(parseSign1(build({ aad: new Uint8Array([1]) }), CT).ok).toBe(true);
  });
  it("the kid is the did:key of the signing key", () => {
    expect(didFromPublicKey(publicKeyFromSecret(SK))).toBe(KID);
  });
});
