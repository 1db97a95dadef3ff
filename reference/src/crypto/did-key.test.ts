import * as ed from "@noble/ed25519";
import { base58 } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAp2pError, type Verdict } from "../errors.js";
import { MAX_DID_LENGTH, didFromPublicKey, parseDidKey } from "./did-key.js";
import { publicKeyFromSecret } from "./ed25519.js";

const hex = ed.etc.bytesToHex;
const unhex = ed.etc.hexToBytes;
const cat = ed.etc.concatBytes;
const P = 2n ** 255n - 19n;

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

const code = (v: Verdict<unknown>) => (v.ok ? "OK" : v.error.code);

// did:key with arbitrary multicodec bytes, bypassing didFromPublicKey's checks.
const rawDid = (bytes: Uint8Array) => "did:key:z" + base58.encode(bytes);
const ED25519_PUB = Uint8Array.of(0xed, 0x01);

// RFC 8032 §7.1 TEST 1 public key and its did:key.
const RFC8032_TEST1_PK = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC8032_TEST1_DID = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw";
// The Ed25519 example of the W3C did:key method specification.
const W3C_EXAMPLE_PK = "94966b7c08e405775f8de6cc1c4508f6eb227403e1025b2c8ad2d7477398c5b2";
const W3C_EXAMPLE_DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";

describe("W3C did:key method, Ed25519 (ed25519-pub multicodec 0xed)", () => {
  it.each([
    ["RFC 8032 §7.1 TEST 1 public key", RFC8032_TEST1_PK, RFC8032_TEST1_DID],
    ["W3C did:key Ed25519 example", W3C_EXAMPLE_PK, W3C_EXAMPLE_DID],
  ])("ID-001: %s encodes to its known did:key and parses back", (_, pk, did) => {
    expect(didFromPublicKey(unhex(pk))).toBe(did);
    const parsed = parseDidKey(did);
    expect(parsed.ok && hex(parsed.value)).toBe(pk);
  });

  it("ID-001: the peer id of a secret key is the did:key of its public key (RFC 8032 §7.1 TEST 1 secret)", () => {
    const secret = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    expect(didFromPublicKey(publicKeyFromSecret(secret))).toBe(RFC8032_TEST1_DID);
  });

  it("ID-001: every Ed25519 did:key starts with z6Mk and is 56 characters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pk = publicKeyFromSecret(seed);
        const did = didFromPublicKey(pk);
        expect(did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
        const parsed = parseDidKey(did);
        expect(parsed.ok && hex(parsed.value)).toBe(hex(pk));
      }),
      { numRuns: 100 },
    );
  });
});

describe("ID-002: parseDidKey rejects other methods, key types, lengths and malformed identifiers", () => {
  const GOOD = RFC8032_TEST1_DID;
  const KEY = unhex(RFC8032_TEST1_PK);

  it.each([
    "did:web:example.com",
    "did:peer:2.Ez6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
    "did:example:123456789abcdefghi",
    "did:keys:" + GOOD.slice("did:key:".length),
    "did:web:example.com#" + GOOD, // the method is judged before anything else
  ])("ID-002: %s is DID_METHOD_UNSUPPORTED", (did) => {
    expect(code(parseDidKey(did))).toBe("DID_METHOD_UNSUPPORTED");
  });

  it.each([
    ["empty", ""],
    ["no method-specific id", "did:key:"],
    ["multibase prefix only", "did:key:z"],
    ["missing multibase prefix", "did:key:" + GOOD.slice("did:key:z".length)],
    ["base64url multibase (u) instead of base58btc", "did:key:u7QHXWpgBgrIKt9VL_tPJZAc6DuFy89qmIyWvAhpo9wdRGg"],
    ["a character outside the base58 alphabet (0)", GOOD.slice(0, -1) + "0"],
    ["a character outside the base58 alphabet (l)", GOOD.slice(0, -1) + "l"],
    ["a fragment", GOOD + "#" + GOOD.slice("did:key:".length)],
    ["a query", GOOD + "?service=agent"],
    ["a path", GOOD + "/path"],
    ["a trailing colon", GOOD + ":"],
    ["upper-case scheme", "DID:key:" + GOOD.slice("did:key:".length)],
    ["upper-case method", "did:KEY:" + GOOD.slice("did:key:".length)],
    ["not a DID", "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"],
    ["leading whitespace", " " + GOOD],
    ["trailing newline", GOOD + "\n"],
    ["non-ASCII (Cyrillic а for a)", GOOD.replace("Xj", "Xј")],
    ["non-ASCII (fullwidth z)", "did:key:ｚ" + GOOD.slice("did:key:z".length)],
    ["longer than 128 characters", "did:key:z" + "1".repeat(MAX_DID_LENGTH)],
    ["a truncated multicodec varint", rawDid(Uint8Array.of(0x80))],
    ["a multicodec varint longer than 9 bytes", rawDid(new Uint8Array(12).fill(0xff))],
  ])("ID-002: %s is DID_MALFORMED", (_, did) => {
    expect(code(parseDidKey(did))).toBe("DID_MALFORMED");
  });

  it("ID-002: a value that is not a string is DID_MALFORMED, not an exception", () => {
    for (const value of [undefined, null, 42, KEY, { did: GOOD }]) {
      expect(code(parseDidKey(value as unknown as string))).toBe("DID_MALFORMED");
    }
  });

  it("ID-002: a non-minimal varint for 0xed (ed 81 00) fails the round trip: DID_MALFORMED", () => {
    const did = rawDid(cat(Uint8Array.of(0xed, 0x81, 0x00), KEY));
    expect(code(parseDidKey(did))).toBe("DID_MALFORMED");
  });

  it("ID-002: leading base58 zeros ('1') change the bytes, so they cannot alias the canonical form", () => {
    const did = "did:key:z1" + GOOD.slice("did:key:z".length);
    expect(code(parseDidKey(did))).toBe("DID_KEY_TYPE_UNSUPPORTED"); // multicodec 0x00
  });

  it.each([
    ["P-256 (0x1200, varint 80 24)", cat(Uint8Array.of(0x80, 0x24), new Uint8Array(33).fill(2))],
    ["secp256k1 (0xe7, varint e7 01)", cat(Uint8Array.of(0xe7, 0x01), new Uint8Array(33).fill(2))],
    ["X25519 (0xec, varint ec 01)", cat(Uint8Array.of(0xec, 0x01), KEY)],
    ["Ed448 (0x1203, varint 83 24)", cat(Uint8Array.of(0x83, 0x24), new Uint8Array(57).fill(1))],
    ["identity (0x00)", cat(Uint8Array.of(0x00), KEY)],
  ])("ID-002: %s is DID_KEY_TYPE_UNSUPPORTED", (_, bytes) => {
    expect(code(parseDidKey(rawDid(bytes)))).toBe("DID_KEY_TYPE_UNSUPPORTED");
  });

  it.each([0, 1, 31, 33, 64])("ID-002: an ed25519-pub key of %i bytes is DID_KEY_LENGTH", (n) => {
    const key = new Uint8Array(n).fill(7);
    key.set(KEY.subarray(0, Math.min(n, 32)));
    expect(code(parseDidKey(rawDid(cat(ED25519_PUB, key))))).toBe("DID_KEY_LENGTH");
  });
});

describe("ID-003: a did:key must hold a canonical Ed25519 key of large order", () => {
  it.each([
    ["y = p", le32(P)],
    ["y = p + 1", le32(P + 1n)],
    ["x = 0 with the sign bit set", le32(1n | (1n << 255n))],
  ])("ID-003: %s is KEY_NOT_CANONICAL", (_, key) => {
    expect(code(parseDidKey(rawDid(cat(ED25519_PUB, key))))).toBe("KEY_NOT_CANONICAL");
  });

  it.each([
    ["the identity", "0100000000000000000000000000000000000000000000000000000000000000"],
    ["the order-2 point", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"],
    ["an order-8 point", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"],
  ])("ID-003: %s is KEY_SMALL_ORDER", (_, key) => {
    expect(code(parseDidKey(rawDid(cat(ED25519_PUB, unhex(key)))))).toBe("KEY_SMALL_ORDER");
  });

  it("ID-003: y = 2, not on the curve, is KEY_NOT_ON_CURVE", () => {
    expect(code(parseDidKey(rawDid(cat(ED25519_PUB, le32(2n)))))).toBe("KEY_NOT_ON_CURVE");
  });

  it("ID-003: didFromPublicKey refuses keys that parseDidKey would reject (INVALID_ARGUMENT)", () => {
    for (const key of [le32(1n), le32(P), le32(2n), new Uint8Array(31), "key" as unknown as Uint8Array]) {
      let thrown: unknown;
      try {
        didFromPublicKey(key);
      } catch (e) {
        thrown = e;
      }
      expect(isAp2pError(thrown) && thrown.code).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("properties (fast-check)", () => {
  it("ID-002: parseDidKey never throws, and whatever it accepts is the canonical did:key of what it returns", () => {
    const did = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc.string({ unit: fc.constantFrom(..."123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"), maxLength: 60 }).map(
        (s) => "did:key:z" + s,
      ),
      fc.uint8Array({ maxLength: 40 }).map((b) => rawDid(cat(ED25519_PUB, b))),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => rawDid(cat(ED25519_PUB, b))),
    );
    fc.assert(
      fc.property(did, (s) => {
        const parsed = parseDidKey(s);
        if (parsed.ok) expect(didFromPublicKey(parsed.value)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
