import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAp2pError, type Verdict } from "../errors.js";
import {
  ED25519_KEY_CACHE_SIZE,
  SMALL_ORDER_ENCODINGS,
  checkPublicKey,
  checkPublicKeyEncoding,
  ed25519Backends,
  generateSecretKey,
  publicKeyFromSecret,
  signEd25519,
  verifyEd25519,
  type Ed25519Backend,
} from "./ed25519.js";

// ---------------------------------------------------------------------------
// Helpers

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const SIGN_BIT = 1n << 255n;

const hex = ed.etc.bytesToHex;
const unhex = ed.etc.hexToBytes;
const cat = ed.etc.concatBytes;
const utf8 = (s: string) => new TextEncoder().encode(s);

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function leInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

// RFC 8032 §5.1.7: k = SHA-512(R || A || M) mod L.
const challenge = (R: Uint8Array, A: Uint8Array, M: Uint8Array) => leInt(sha512(cat(R, A, M))) % L;

const BACKENDS: readonly Ed25519Backend[] = ed25519Backends().node ? ["noble", "node"] : ["noble"];

const code = (v: Verdict<unknown>) => (v.ok ? "OK" : v.error.code);

/** The verdict code, after checking that every available backend gives the same one. */
function verdict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  const codes = BACKENDS.map((backend) => code(verifyEd25519(publicKey, message, signature, { backend })));
  expect(new Set(codes).size, `backends disagree: ${BACKENDS.join("/")} = ${codes.join("/")}`).toBe(1);
  return codes[0]!;
}

// An honest key (RFC 8032 §7.1 TEST 1) with its secret scalar, for crafting
// signatures that are wrong in exactly one way.
const SEED = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const { scalar: a, pointBytes: A } = ed.utils.getExtendedPublicKey(SEED);
const M = utf8("AP2P crafted signature case");
const GOOD = ed.sign(M, SEED);
const GOOD_S = GOOD.subarray(32);

// A signature over M with the given R bytes and nonce r (R = [r]B + torsion,
// or R any encoding of a point of discrete log r): S = r + k·a mod L.
function signWithR(R: Uint8Array, r: bigint, pk = A, msg = M): Uint8Array {
  return cat(R, le32((r + challenge(R, pk, msg) * a) % L));
}

// A generator of the torsion subgroup E[8], derived without any hard-coded
// point: for a curve point Q of order 8L, [L]Q has order 8. About half of all
// points qualify; try y = 2, 3, ... until one decodes and does.
function torsionGenerator(): ed.Point {
  for (let y = 2n; ; y++) {
    let Q: ed.Point;
    try {
      Q = ed.Point.fromBytes(le32(y), false);
    } catch {
      continue; // y has no x on the curve
    }
    const T = Q.multiply(L - 1n, false).add(Q); // [L]Q
    if (!T.multiply(4n, false).is0()) return T;
  }
}
const T8 = torsionGenerator();

// ---------------------------------------------------------------------------

const RFC8032_VECTORS = [
  {
    name: "TEST 1",
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    name: "TEST 2",
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    name: "TEST 3",
    secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    public: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature:
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac" +
      "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
  {
    name: "TEST 1024",
    secret: "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
    public: "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
    message:
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98" +
      "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8" +
      "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d" +
      "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc" +
      "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe" +
      "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e" +
      "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef" +
      "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7" +
      "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1" +
      "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2" +
      "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24" +
      "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270" +
      "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc" +
      "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07" +
      "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba" +
      "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a" +
      "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e" +
      "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7" +
      "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c" +
      "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8" +
      "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df" +
      "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08" +
      "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649" +
      "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4" +
      "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3" +
      "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e" +
      "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f" +
      "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5" +
      "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1" +
      "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d" +
      "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c" +
      "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
    signature:
      "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350" +
      "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03",
  },
  {
    name: "TEST SHA(abc)",
    secret: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    public: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    message:
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    signature:
      "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589" +
      "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
  },
] as const;

describe("RFC 8032 §7.1 known answers (Ed25519)", () => {
  it("the vectors have the message lengths RFC 8032 §7.1 states (0, 1, 2, 1023, 64)", () => {
    expect(RFC8032_VECTORS.map((v) => v.message.length / 2)).toEqual([0, 1, 2, 1023, 64]);
  });

  for (const v of RFC8032_VECTORS) {
    describe(`RFC 8032 §7.1 ${v.name}`, () => {
      const secret = unhex(v.secret);
      const publicKey = unhex(v.public);
      const message = unhex(v.message);
      const signature = unhex(v.signature);

      it.each(BACKENDS)("SIG-012: public key and signature bytes are exact (%s)", (backend) => {
        expect(hex(publicKeyFromSecret(secret, { backend }))).toBe(v.public);
        expect(hex(signEd25519(secret, message, { backend }))).toBe(v.signature);
      });

      it("verifies on every backend", () => {
        expect(verdict(publicKey, message, signature)).toBe("OK");
        expect(checkPublicKey(publicKey)).toEqual({ ok: true, value: publicKey });
      });

      it("SIG-011: a flipped bit in R, S or the message is SIG_INVALID on every backend", () => {
        expect(verdict(publicKey, message, flipBit(signature, 0))).toBe("SIG_INVALID");
        expect(verdict(publicKey, message, flipBit(signature, 256))).toBe("SIG_INVALID");
        const otherMessage = message.length === 0 ? Uint8Array.of(0) : flipBit(message, 8 * message.length - 1);
        expect(verdict(publicKey, otherMessage, signature)).toBe("SIG_INVALID");
        expect(verdict(flipBit(publicKey, 9), message, signature)).not.toBe("OK");
      });
    });
  }
});

describe("small-order points (RFC 8032 §5.1; curve cofactor 8)", () => {
  it("the hard-coded table is exactly E[8], derived independently from [L]Q for a point Q of order 8L", () => {
    // T8 has order 8 and E[8] is cyclic, so its multiples are all of E[8].
    expect(T8.multiply(8n, false).is0()).toBe(true);
    expect(T8.multiply(4n, false).is0()).toBe(false);
    const derived = new Set<string>();
    let point = ed.Point.ZERO;
    for (let i = 0; i < 8; i++, point = point.add(T8)) derived.add(point.toHex());
    expect(derived.size).toBe(8);
    expect(new Set(SMALL_ORDER_ENCODINGS)).toEqual(derived);
  });

  it("each table entry is a canonical encoding of a point P with [8]P = 0", () => {
    for (const enc of SMALL_ORDER_ENCODINGS) {
      const point = ed.Point.fromHex(enc, false);
      expect(point.multiply(8n, false).is0()).toBe(true);
      expect(point.toHex()).toBe(enc);
    }
  });

  it("ID-003: the non-canonical encodings of small-order points are KEY_NOT_CANONICAL", () => {
    // y = p and y = p + 1 alias y = 0 (order 4) and y = 1 (identity); x = 0
    // with the sign bit set is y = 1 or y = p - 1 with bit 255 set.
    for (const y of [P, P | SIGN_BIT, P + 1n, 1n | SIGN_BIT, (P - 1n) | SIGN_BIT]) {
      expect(code(checkPublicKey(le32(y)))).toBe("KEY_NOT_CANONICAL");
    }
  });
});

describe("SIG-009: S < L and 64-byte signatures (RFC 8032 §5.1.7 step 1)", () => {
  it("accepts the honest signature the crafted cases start from", () => {
    expect(verdict(A, M, GOOD)).toBe("OK");
  });

  it.each([
    ["S = L", L],
    ["S = L + 1", L + 1n],
    ["S = 2^256 - 1", 2n ** 256n - 1n],
    ["S + L (the malleated twin of a valid S)", leInt(GOOD_S) + L],
  ])("SIG-009: rejects %s as SIG_S_NOT_CANONICAL", (_, S) => {
    expect(verdict(A, M, cat(GOOD.subarray(0, 32), le32(S)))).toBe("SIG_S_NOT_CANONICAL");
  });

  it.each([0, 1, 32, 63, 65, 128])("SIG-009: rejects a %i-byte signature as SIG_MALFORMED", (n) => {
    const sig = new Uint8Array(n);
    sig.set(GOOD.subarray(0, Math.min(n, 64)));
    expect(verdict(A, M, sig)).toBe("SIG_MALFORMED");
  });
});

describe("ID-003: public keys must be canonical, not small order, on the curve", () => {
  const R_IDENTITY_S_ZERO = cat(le32(1n), le32(0n));

  it.each(SMALL_ORDER_ENCODINGS.map((enc, i) => [i, enc]))(
    "ID-003: small-order A #%i (%s) with R = identity, S = 0 (or R = [7]B, S = 7) is KEY_SMALL_ORDER",
    (_, enc) => {
      // With A = identity, [0]B = R + [k]A holds for every message: a key
      // under which anything verifies, which OpenSSL alone would accept.
      expect(verdict(unhex(enc), M, R_IDENTITY_S_ZERO)).toBe("KEY_SMALL_ORDER");
      // Likewise R = [r]B, S = r whenever the order of A divides k.
      expect(verdict(unhex(enc), M, cat(ed.Point.BASE.multiply(7n).toBytes(), le32(7n)))).toBe("KEY_SMALL_ORDER");
      expect(code(checkPublicKey(unhex(enc)))).toBe("KEY_SMALL_ORDER");
    },
  );

  it.each([
    ["y = p", P],
    ["y = p + 1", P + 1n],
    ["y = p + 3 (a point of large order)", P + 3n],
    ["x = 0 with the sign bit set (y = 1)", 1n | SIGN_BIT],
    ["x = 0 with the sign bit set (y = p - 1)", (P - 1n) | SIGN_BIT],
  ])("ID-003: non-canonical A, %s, is KEY_NOT_CANONICAL", (_, y) => {
    expect(verdict(le32(y), M, R_IDENTITY_S_ZERO)).toBe("KEY_NOT_CANONICAL");
    expect(verdict(le32(y), M, GOOD)).toBe("KEY_NOT_CANONICAL");
  });

  it("ID-003: A with y = 2, which has no x on the curve, is KEY_NOT_ON_CURVE", () => {
    expect(() => ed.Point.fromBytes(le32(2n), false)).toThrow();
    expect(verdict(le32(2n), M, GOOD)).toBe("KEY_NOT_ON_CURVE");
    expect(code(checkPublicKey(le32(2n)))).toBe("KEY_NOT_ON_CURVE");
  });

  it.each([0, 31, 33, 64])("ID-003: a %i-byte public key is KEY_NOT_CANONICAL", (n) => {
    const pk = new Uint8Array(n);
    pk.set(A.subarray(0, Math.min(n, 32)));
    expect(verdict(pk, M, GOOD)).toBe("KEY_NOT_CANONICAL");
  });

  it("ID-003: key checks come before signature checks", () => {
    expect(verdict(le32(1n), M, new Uint8Array(3))).toBe("KEY_SMALL_ORDER");
  });

  it("checkPublicKey returns a copy of an acceptable key", () => {
    const result = checkPublicKey(A);
    expect(result.ok && hex(result.value)).toBe(hex(A));
    expect(result.ok && result.value).not.toBe(A);
  });
});

// The node backend settles check 3 (A is a curve point) through the signature
// it verifies and decodes A only before it reports a rejection; these cases
// give it keys no earlier call has decoded.
describe("ID-003: KEY_NOT_ON_CURVE comes before every signature defect, however check 3 is settled", () => {
  // Canonical encodings with no curve point (y^2 - 1) / (d y^2 + 1) non-square; y = 2 is used above.
  const offCurve: Uint8Array[] = [];
  for (let y = 3n; offCurve.length < 12; y++) {
    try {
      ed.Point.fromBytes(le32(y), false);
    } catch {
      offCurve.push(le32(y));
    }
  }
  const defects: [string, Uint8Array][] = [
    ["a signature that would otherwise be SIG_INVALID", GOOD],
    ["a 3-byte signature (SIG_MALFORMED)", new Uint8Array(3)],
    ["S = L (SIG_S_NOT_CANONICAL)", cat(GOOD.subarray(0, 32), le32(L))],
    ["R with y = p (SIG_R_NOT_CANONICAL)", cat(le32(P), GOOD_S)],
    ["R = identity (SIG_R_SMALL_ORDER)", cat(le32(1n), GOOD_S)],
  ];
  it.each(defects.map(([name, sig], i) => [name, i, sig] as const))("ID-003: an off-curve key with %s is KEY_NOT_ON_CURVE on every backend", (_, i, sig) => {
    for (const [j, backend] of BACKENDS.entries()) {
      // A fresh key per backend, so that no earlier call has settled it.
      const key = offCurve[2 * i + j]!;
      expect(code(checkPublicKeyEncoding(key))).toBe("OK");
      expect(code(verifyEd25519(key, M, sig, { backend }))).toBe("KEY_NOT_ON_CURVE");
      expect(code(verifyEd25519(key, M, sig, { backend }))).toBe("KEY_NOT_ON_CURVE");
      expect(code(checkPublicKey(key))).toBe("KEY_NOT_ON_CURVE");
    }
  });

  it("checkPublicKeyEncoding runs checks 1 and 2 only, and returns a copy", () => {
    expect(code(checkPublicKeyEncoding(le32(P)))).toBe("KEY_NOT_CANONICAL");
    expect(code(checkPublicKeyEncoding(le32(1n)))).toBe("KEY_SMALL_ORDER");
    expect(code(checkPublicKeyEncoding(new Uint8Array(31)))).toBe("KEY_NOT_CANONICAL");
    const result = checkPublicKeyEncoding(A);
    expect(result.ok && hex(result.value)).toBe(hex(A));
    expect(result.ok && result.value).not.toBe(A);
  });

  it("ID-003 / SIG-009 / SIG-010: the byte-wise range checks agree with integer arithmetic near every boundary", () => {
    // y near 0, 1, p - 1, p and 2^255, with and without the sign bit; S near L and 2^256.
    const near = (c: bigint) => fc.bigInt({ min: c - 40n, max: c + 40n });
    const y = fc.oneof(near(0n), near(1n), near(P - 1n), near(P), near(2n ** 255n - 1n), fc.bigInt({ min: 0n, max: 2n ** 255n - 1n }));
    const smallOrder = new Set(SMALL_ORDER_ENCODINGS);
    fc.assert(
      fc.property(y.filter((v) => v >= 0n && v < 2n ** 255n), fc.boolean(), (v, sign) => {
        const bytes = le32(v | (sign ? SIGN_BIT : 0n));
        const expected =
          v >= P || (sign && (v === 1n || v === P - 1n)) ? "KEY_NOT_CANONICAL" : smallOrder.has(hex(bytes)) ? "KEY_SMALL_ORDER" : "OK";
        expect(code(checkPublicKeyEncoding(bytes))).toBe(expected);
      }),
      { numRuns: 400 },
    );
    const s = fc.oneof(near(0n), near(L), near(2n ** 256n - 1n), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }));
    fc.assert(
      fc.property(s.filter((v) => v >= 0n && v < 2n ** 256n), (v) => {
        const got = code(verifyEd25519(A, M, cat(GOOD.subarray(0, 32), le32(v)), { backend: "noble" }));
        if (v >= L) expect(got).toBe("SIG_S_NOT_CANONICAL");
        else expect(got).toBe(v === leInt(GOOD_S) ? "OK" : "SIG_INVALID");
      }),
      { numRuns: 200 },
    );
  });
});

describe("SIG-010: R must be canonical and not of small order", () => {
  it.each([
    ["y = p + 1 (the identity)", P + 1n, 0n],
    ["x = 0 with the sign bit set (the identity)", 1n | SIGN_BIT, 0n],
  ])("SIG-010: R = %s, with S = r + k·a over those bytes, is SIG_R_NOT_CANONICAL", (_, y, r) => {
    // The honest key holder made S for exactly these R bytes, so a verifier
    // comparing decoded points instead of encodings would accept.
    const sig = signWithR(le32(y), r);
    expect(ed.verify(sig, M, A, { zip215: true })).toBe(true);
    expect(verdict(A, M, sig)).toBe("SIG_R_NOT_CANONICAL");
  });

  it.each([
    ["y = p (an order-4 point)", P],
    ["y = p with the sign bit set", P | SIGN_BIT],
    ["x = 0 with the sign bit set (y = p - 1)", (P - 1n) | SIGN_BIT],
    ["y = p + 3 (a point of large order)", P + 3n],
    ["y = 2^255 - 1", SIGN_BIT - 1n],
  ])("SIG-010: R = %s is SIG_R_NOT_CANONICAL", (_, y) => {
    expect(verdict(A, M, cat(le32(y), GOOD_S))).toBe("SIG_R_NOT_CANONICAL");
  });

  it.each(SMALL_ORDER_ENCODINGS.map((enc, i) => [i, enc]))(
    "SIG-010: small-order R #%i (%s) with S = k·a is SIG_R_SMALL_ORDER",
    (_, enc) => {
      // R = T of small order and S = k·a satisfy the cofactored equation;
      // noble (zip215: false) accepts every one of them.
      const sig = signWithR(unhex(enc), 0n);
      expect(ed.verify(sig, M, A, { zip215: false })).toBe(true);
      expect(verdict(A, M, sig)).toBe("SIG_R_SMALL_ORDER");
    },
  );

  it("SIG-010: R = identity with S = k·a satisfies even the cofactorless equation, so only the small-order check rejects it", () => {
    const sig = signWithR(le32(1n), 0n);
    const k = challenge(sig.subarray(0, 32), A, M);
    const Apoint = ed.Point.fromBytes(A, false);
    expect(ed.Point.BASE.multiply(leInt(sig.subarray(32)), false).equals(ed.Point.ZERO.add(Apoint.multiply(k, false)))).toBe(true);
    expect(verdict(A, M, sig)).toBe("SIG_R_SMALL_ORDER");
  });

  it("SIG-010: R with y = 2, not a curve point, fails the equation: SIG_INVALID", () => {
    expect(verdict(A, M, cat(le32(2n), GOOD_S))).toBe("SIG_INVALID");
  });
});

describe("SIG-011: the cofactorless equation [S]B = R + [k]A (RFC 8032 §5.1.7)", () => {
  it("SIG-011: mixed-order R = [r]B + T8 made by the honest key holder is SIG_INVALID on every backend, though cofactored verifiers accept it", () => {
    const r = 0x5eedn;
    const R = ed.Point.BASE.multiply(r).add(T8).toBytes();
    const sig = signWithR(R, r);
    // The case is real: noble's RFC 8032 mode (cofactored) accepts it.
    expect(ed.verify(sig, M, A, { zip215: false })).toBe(true);
    expect(verdict(A, M, sig)).toBe("SIG_INVALID");
    const noble = verifyEd25519(A, M, sig, { backend: "noble" });
    expect(!noble.ok && noble.error.message).toMatch(/cofactored/);
  });

  it("SIG-011: a mixed-order key A' = [a]B + T8 passes ID-003, and its signatures verify exactly when [k]T8 = 0 (8 divides k)", () => {
    // ID-003, like libsodium, does not require A to be torsion-free. The
    // cofactorless equation then holds iff [k]T8 = 0: the same outcome as
    // libsodium and OpenSSL, where a cofactored verifier accepts every one.
    const A2 = ed.Point.BASE.multiply(a).add(T8).toBytes();
    expect(checkPublicKey(A2).ok).toBe(true);
    const seen = new Set<boolean>();
    for (let r = 1n; seen.size < 2; r++) {
      const R = ed.Point.BASE.multiply(r).toBytes();
      const k = challenge(R, A2, M);
      const sig = cat(R, le32((r + k * a) % L));
      expect(ed.verify(sig, M, A2, { zip215: false })).toBe(true);
      const divisible = k % 8n === 0n;
      expect(verdict(A2, M, sig)).toBe(divisible ? "OK" : "SIG_INVALID");
      seen.add(divisible);
    }
  });

  it("SIG-011: the honest signature over another message is SIG_INVALID", () => {
    expect(verdict(A, utf8("another message"), GOOD)).toBe("SIG_INVALID");
  });
});

describe("SIG-012: pure Ed25519 signatures are deterministic (RFC 8032 §5.1.6)", () => {
  it("SIG-012: signing twice gives the same bytes, on every backend", () => {
    const sigs = BACKENDS.flatMap((backend) => [signEd25519(SEED, M, { backend }), signEd25519(SEED, M, { backend })]);
    for (const sig of sigs) expect(hex(sig)).toBe(hex(GOOD));
  });

  it("SIG-012: generateSecretKey takes its randomness from the caller", () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    const secret = generateSecretKey((n) => bytes.subarray(0, n));
    expect(hex(secret)).toBe(hex(bytes));
    expect(secret.buffer).not.toBe(bytes.buffer);
    const pk = publicKeyFromSecret(secret);
    expect(verdict(pk, M, signEd25519(secret, M))).toBe("OK");
  });

  it("the node backend is used by default when it is available", () => {
    const backends = ed25519Backends();
    expect(backends.noble).toBe(true);
    expect(backends.auto).toBe(backends.node ? "node" : "noble");
  });
});

describe("API contract: untrusted bytes give verdicts, caller bugs throw INVALID_ARGUMENT", () => {
  const throwsMisuse = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(isAp2pError(e) && e.code).toBe("INVALID_ARGUMENT");
      return;
    }
    expect.fail("expected INVALID_ARGUMENT");
  };

  it("throws INVALID_ARGUMENT for arguments that are not Uint8Arrays, bad secrets and unknown backends", () => {
    throwsMisuse(() => verifyEd25519(hex(A) as unknown as Uint8Array, M, GOOD));
    throwsMisuse(() => verifyEd25519(A, "message" as unknown as Uint8Array, GOOD));
    throwsMisuse(() => verifyEd25519(A, M, [...GOOD] as unknown as Uint8Array));
    throwsMisuse(() => verifyEd25519(A, M, GOOD, { backend: "openssl" as unknown as "node" }));
    throwsMisuse(() => checkPublicKey(null as unknown as Uint8Array));
    throwsMisuse(() => signEd25519(SEED.subarray(1), M));
    throwsMisuse(() => publicKeyFromSecret(new Uint8Array(64)));
    throwsMisuse(() => generateSecretKey(() => new Uint8Array(31)));
  });

  it("accepts Buffers and unaligned subarrays", () => {
    const backing = new Uint8Array(200);
    backing.set(A, 1);
    backing.set(GOOD, 40);
    backing.set(M, 110);
    const view = (at: number, n: number) => backing.subarray(at, at + n);
    expect(verdict(view(1, 32), view(110, M.length), view(40, 64))).toBe("OK");
    expect(verdict(Buffer.from(A), Buffer.from(M), Buffer.from(GOOD))).toBe("OK");
  });

  it("the key cache holds a copy: changing the caller's buffer afterwards changes nothing", () => {
    const pk = Buffer.from(A);
    expect(verdict(pk, M, GOOD)).toBe("OK");
    pk[0]! ^= 1;
    expect(verdict(pk, M, GOOD)).not.toBe("OK");
    pk[0]! ^= 1;
    expect(verdict(pk, M, GOOD)).toBe("OK");
  });

  it(`keeps working past the cache limit (${ED25519_KEY_CACHE_SIZE} keys)`, () => {
    let point = ed.Point.BASE;
    for (let i = 0; i < ED25519_KEY_CACHE_SIZE + 100; i++, point = point.add(ed.Point.BASE)) expect(checkPublicKey(point.toBytes()).ok).toBe(true);
    expect(verdict(A, M, GOOD)).toBe("OK");
  });
});

describe("properties (fast-check)", () => {
  it("SIG-012 / SIG-011: for random keys and messages the backends agree, signatures are byte-identical, and any single-bit flip is rejected", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.nat(),
        fc.nat(),
        (seed, message, sigBit, msgBit) => {
          const sigs = BACKENDS.map((backend) => signEd25519(seed, message, { backend }));
          for (const sig of sigs) expect(hex(sig)).toBe(hex(sigs[0]!));
          const keys = BACKENDS.map((backend) => publicKeyFromSecret(seed, { backend }));
          for (const key of keys) expect(hex(key)).toBe(hex(keys[0]!));
          const [pk, sig] = [keys[0]!, sigs[0]!];
          expect(verdict(pk, message, sig)).toBe("OK");
          expect(verdict(pk, message, flipBit(sig, sigBit % 512))).not.toBe("OK");
          const flippedMessage = message.length === 0 ? Uint8Array.of(1) : flipBit(message, msgBit % (8 * message.length));
          expect(verdict(pk, flippedMessage, sig)).toBe("SIG_INVALID");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never throws on arbitrary bytes, and the backends agree", () => {
    const key = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.constant(A),
      fc.constantFrom(...SMALL_ORDER_ENCODINGS.map(unhex)),
    );
    const signature = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((s) => cat(GOOD.subarray(0, 32), s)),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((r) => cat(r, GOOD_S)),
    );
    fc.assert(
      fc.property(key, fc.uint8Array({ maxLength: 64 }), signature, (pk, message, sig) => {
        verdict(pk, message, sig);
      }),
      { numRuns: 300 },
    );
  });
});

describe("signing key cache", () => {
  it("SIG-012: a caller that overwrites its secret key array signs with the new key, never the cached old one", () => {
    const key = new Uint8Array(32).fill(1);
    const m = new TextEncoder().encode("m");
    const first = signEd25519(key, m);
    key.fill(2);
    const second = signEd25519(key, m);
    expect(Buffer.from(second)).toEqual(Buffer.from(signEd25519(new Uint8Array(32).fill(2), m, { backend: "noble" })));
    expect(Buffer.from(second)).not.toEqual(Buffer.from(first));
  });
});
