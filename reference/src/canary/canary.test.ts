import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanaryChallengeSchema, CanaryResponseSchema } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { messageHash } from "../codec/hash.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { parseSign1, signSign1 } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { isAp2pError, type Verdict } from "../errors.js";
import { contentTypeOf } from "../signed/signed-message.js";
import { issueChallenge, parseChallenge, verifyChallenge, type ChallengeParams, type IssuedChallenge } from "./challenge.js";
import { checkCanaryOutput, checkedOutput, expectedOutput, type CanaryOracle } from "./oracle.js";
import { FACTOR_TEST_CAPABILITY, REVERSE_TEST_CAPABILITY, SHA256_TEST_CAPABILITY } from "./oracles.js";
import { MAX_CANARY_WINDOW_MS } from "./policy.js";
import { answerCanary, parseCanaryResponse, verifyCanaryResponse } from "./response.js";
import { CanaryVerifier } from "./verifier.js";

const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const SK_V = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 TEST 1: the verifier
const SK_P = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"); // RFC 8032 TEST 2: the provider
const SK_Q = unhex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"); // RFC 8032 TEST 3: another peer
const V = didFromPublicKey(publicKeyFromSecret(SK_V));
const P = didFromPublicKey(publicKeyFromSecret(SK_P));
const Q = didFromPublicKey(publicKeyFromSecret(SK_Q));
const T0 = 1767225600000n; // 2026-01-01T00:00:00Z
const WINDOW = 5_000n;
const DEADLINE = T0 + WINDOW;
const SKEW = 5_000n;
const SHA = SHA256_TEST_CAPABILITY;
const OFFERED = [SHA.capability, FACTOR_TEST_CAPABILITY.capability];
const INPUT = new TextEncoder().encode("abc");
const CHALLENGE_CT = "application/ap2p.canary-challenge.v1+cbor";
const RESPONSE_CT = "application/ap2p.canary-response.v1+cbor";

/** A deterministic stand-in for a secure random source: SHA-256 in counter mode. */
function seededRandom(seed: number): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) out.set(sha256(Uint8Array.of(seed & 0xff, seed >> 8, counter & 0xff, counter++ >> 8)).subarray(0, n - i), i);
    return out;
  };
}

function challenge(overrides: Partial<ChallengeParams> = {}, seed = 1): IssuedChallenge {
  return issueChallenge(SK_V, {
    provider: P,
    capability: SHA.capability,
    input: { bytes: INPUT, mediaType: SHA.inputMediaType },
    now: T0,
    windowMs: WINDOW,
    random: seededRandom(seed),
    ...overrides,
  });
}

type ChallengeInit = MessageInitShape<typeof CanaryChallengeSchema>;
type ResponseInit = MessageInitShape<typeof CanaryResponseSchema>;

/** Signs any challenge, bypassing the issuer's checks, to make invalid ones. */
function signChallengeRaw(init: Partial<ChallengeInit>, sk = SK_V): Uint8Array {
  const c = create(CanaryChallengeSchema, {
    verifier: V,
    provider: P,
    nonce: new Uint8Array(16).fill(7),
    capability: SHA.capability,
    input: INPUT,
    inputMediaType: SHA.inputMediaType,
    issuedAt: T0,
    deadline: DEADLINE,
    ...init,
  } as ChallengeInit);
  return signSign1(encodeCanonical(messageToCbor(CanaryChallengeSchema, c)), CHALLENGE_CT, sk);
}

/** Signs any response, bypassing the provider's checks. */
function signResponseRaw(init: Partial<ResponseInit>, sk = SK_P): Uint8Array {
  const r = create(CanaryResponseSchema, {
    challengeHash: new Uint8Array(32),
    responder: didFromPublicKey(publicKeyFromSecret(sk)),
    output: sha256(INPUT),
    outputMediaType: SHA.outputMediaType,
    respondedAt: T0 + 100n,
    ...init,
  } as ResponseInit);
  return signSign1(encodeCanonical(messageToCbor(CanaryResponseSchema, r)), RESPONSE_CT, sk);
}

const code = <T>(v: Verdict<T>) => (v.ok ? "ok" : v.error.code);
const providerCode = (bytes: Uint8Array, now = T0, extra: { maxWindowMs?: bigint; clockSkewMs?: bigint; provider?: string } = {}) =>
  code(verifyChallenge(bytes, { now, provider: P, offered: OFFERED, ...extra }));
const answer = (c: IssuedChallenge, now = T0 + 100n, output = SHA.compute(INPUT), sk = SK_P) => {
  const v = answerCanary(sk, c.bytes, output, now, { offered: OFFERED });
  if (!v.ok) throw v.error;
  return v.value.bytes;
};
const ORACLE = SHA.oracle(INPUT);
const verifyCode = (bytes: Uint8Array, c: IssuedChallenge, now = T0 + 100n, oracle: CanaryOracle = ORACLE) =>
  code(verifyCanaryResponse(bytes, { challenge: c, oracle, now }));

describe("issuing a challenge (spec §8.3)", () => {
  it("CAN-001: a challenge is a COSE_Sign1 under the canary-challenge content type, by the key its verifier names", () => {
    const c = challenge();
    expect(contentTypeOf(CanaryChallengeSchema)).toBe(CHALLENGE_CT);
    const env = parseSign1(c.bytes, CHALLENGE_CT);
    expect(env.ok && env.value.kid).toBe(V);
    expect(c.challenge.verifier).toBe(V);
    expect(providerCode(c.bytes)).toBe("ok");
  });
  it("CAN-001: a provider rejects a challenge whose verifier is not the signer", () => {
    expect(providerCode(signChallengeRaw({ verifier: Q }))).toBe("COSE_KID_MISMATCH");
  });
  it("CAN-001: a challenge signature is not accepted as a response (content type)", () => {
    expect(code(parseCanaryResponse(challenge().bytes))).toBe("COSE_CONTENT_TYPE_MISMATCH");
    expect(contentTypeOf(CanaryResponseSchema)).toBe(RESPONSE_CT);
  });
  it("CAN-002: the nonce is 16 to 64 bytes drawn from the random source", () => {
    const draws: number[] = [];
    const c = challenge({ random: (n) => (draws.push(n), new Uint8Array(n).fill(9)) });
    expect(draws).toEqual([16]);
    expect(hex(c.challenge.nonce)).toBe("09".repeat(16));
    expect(challenge({ nonceBytes: 64 }).challenge.nonce.length).toBe(64);
    expect(() => challenge({ nonceBytes: 15 })).toThrow(/nonceBytes/);
    expect(() => challenge({ nonceBytes: 65 })).toThrow(/nonceBytes/);
    expect(() => challenge({ random: () => new Uint8Array(8) })).toThrow(/random/);
    expect(providerCode(signChallengeRaw({ nonce: new Uint8Array(15) }))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
    expect(providerCode(signChallengeRaw({ nonce: new Uint8Array(65) }))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
  });
  it("CAN-002: a verifier refuses to issue a challenge whose nonce it still remembers", () => {
    const cv = new CanaryVerifier();
    const stuck = () => new Uint8Array(16).fill(1); // a broken random source
    const params = { provider: P, capability: SHA.capability, input: { bytes: INPUT, mediaType: SHA.inputMediaType }, windowMs: WINDOW, random: stuck, oracle: ORACLE };
    expect(code(cv.issue(SK_V, { ...params, now: T0 }))).toBe("ok");
    const again = cv.issue(SK_V, { ...params, now: T0 + 1n, input: { bytes: Uint8Array.of(1), mediaType: SHA.inputMediaType } });
    expect(code(again)).toBe("CANARY_NONCE_REUSED");
    expect(cv.size).toBe(1);
    // Tracking the very same challenge twice is the same reuse.
    const c = challenge({}, 5);
    expect(code(cv.track(c, ORACLE))).toBe("ok");
    expect(code(cv.track(c, ORACLE))).toBe("CANARY_NONCE_REUSED");
    // Once the first challenge is forgotten its nonce may recur: the later issued_at gives a new hash.
    cv.expire(DEADLINE + 1n);
    expect(cv.size).toBe(0);
    expect(code(cv.issue(SK_V, { ...params, now: DEADLINE + 1n }))).toBe("ok");
  });
  it("CAN-003: deadline not after issued_at", () => {
    expect(providerCode(signChallengeRaw({ deadline: T0 }))).toBe("CANARY_DEADLINE_INVALID");
    expect(providerCode(signChallengeRaw({ deadline: T0 - 1n }))).toBe("CANARY_DEADLINE_INVALID");
    expect(providerCode(signChallengeRaw({ deadline: T0 + 1n }))).toBe("ok");
    expect(() => challenge({ windowMs: 0n })).toThrow(/windowMs/);
  });
  it("CAN-004: the window is at most 600,000 ms, or the provider's lower maximum", () => {
    expect(MAX_CANARY_WINDOW_MS).toBe(600_000n);
    expect(providerCode(signChallengeRaw({ deadline: T0 + 600_000n }))).toBe("ok");
    expect(providerCode(signChallengeRaw({ deadline: T0 + 600_001n }))).toBe("CANARY_DEADLINE_TOO_FAR");
    expect(providerCode(signChallengeRaw({ deadline: T0 + 30_001n }), T0, { maxWindowMs: 30_000n })).toBe("CANARY_DEADLINE_TOO_FAR");
    expect(providerCode(signChallengeRaw({ deadline: T0 + 30_000n }), T0, { maxWindowMs: 30_000n })).toBe("ok");
    expect(() => challenge({ windowMs: 600_001n })).toThrow(/CAN-004/);
    expect(() => verifyChallenge(challenge().bytes, { now: T0, provider: P, offered: OFFERED, maxWindowMs: 600_001n })).toThrow(/maxWindowMs/);
  });
  it("CAN-005: issued_at is the verifier's clock and provider the peer the challenge is sent to", () => {
    const c = challenge({ now: T0 + 42n, windowMs: 7_000n, provider: Q });
    expect([c.challenge.issuedAt, c.challenge.deadline, c.challenge.provider]).toEqual([T0 + 42n, T0 + 7_042n, Q]);
    expect(hex(c.hash)).toBe(hex(messageHash(CanaryChallengeSchema, c.challenge)));
    expect(() => challenge({ provider: "did:example:nope" })).toThrow();
  });
});

describe("answering a challenge (spec §8.4)", () => {
  it("CAN-006: a provider rejects a challenge that is not well-formed or whose signature fails", () => {
    const forged = challenge().bytes.slice();
    forged[forged.length - 1]! ^= 1;
    expect(providerCode(forged)).toBe("SIG_INVALID");
    expect(code(parseChallenge(forged))).toBe("ok"); // well-formed; only the signature is wrong
    const c = create(CanaryChallengeSchema, { verifier: V, provider: P, nonce: new Uint8Array(16), capability: SHA.capability, input: INPUT, inputMediaType: "x/y", issuedAt: T0, deadline: DEADLINE });
    const m = messageToCbor(CanaryChallengeSchema, c);
    m.set("expected_output", new Uint8Array(32));
    expect(providerCode(signSign1(encodeCanonical(m), CHALLENGE_CT, SK_V))).toBe("SCHEMA_UNKNOWN_FIELD");
    expect(providerCode(signChallengeRaw({ input: new Uint8Array(0) }))).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
    expect(providerCode(signChallengeRaw({ input: new Uint8Array(16385) }))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
    expect(providerCode(Uint8Array.of(...challenge().bytes, 0x00))).toBe("CBOR_TRAILING_BYTES");
    expect(providerCode(encodeCanonical(messageToCbor(CanaryChallengeSchema, c)))).toBe("COSE_TAG_MISSING");
    const viaAnswer = answerCanary(SK_P, forged, SHA.compute(INPUT), T0, { offered: OFFERED });
    expect(code(viaAnswer)).toBe("SIG_INVALID");
  });
  it("CAN-006: never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(typeof providerCode(bytes)).toBe("string");
        expect(answerCanary(SK_P, bytes, SHA.compute(INPUT), T0, { offered: OFFERED }).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  it("CAN-007: a provider does not answer a challenge addressed to another peer", () => {
    const forQ = challenge({ provider: Q });
    expect(providerCode(forQ.bytes)).toBe("CANARY_WRONG_PROVIDER");
    expect(code(answerCanary(SK_P, forQ.bytes, SHA.compute(INPUT), T0, { offered: OFFERED }))).toBe("CANARY_WRONG_PROVIDER");
    expect(code(answerCanary(SK_Q, forQ.bytes, SHA.compute(INPUT), T0, { offered: OFFERED }))).toBe("ok");
  });
  it("CAN-008: a provider rejects a challenge for a capability it does not offer", () => {
    const c = challenge({ capability: REVERSE_TEST_CAPABILITY.capability });
    expect(providerCode(c.bytes)).toBe("CAPABILITY_NOT_OFFERED");
    const otherVersion = challenge({ capability: { ...SHA.capability, version: "1.0.1" } });
    expect(providerCode(otherVersion.bytes)).toBe("CAPABILITY_NOT_OFFERED");
    expect(code(verifyChallenge(c.bytes, { now: T0, provider: P, offered: [REVERSE_TEST_CAPABILITY.capability] }))).toBe("ok");
  });
  it("CAN-009: a provider does not answer past the deadline plus its skew allowance (exact edge)", () => {
    const c = challenge();
    expect(providerCode(c.bytes, DEADLINE + SKEW)).toBe("ok");
    expect(providerCode(c.bytes, DEADLINE + SKEW + 1n)).toBe("CANARY_EXPIRED");
    expect(providerCode(c.bytes, DEADLINE, { clockSkewMs: 0n })).toBe("ok");
    expect(providerCode(c.bytes, DEADLINE + 1n, { clockSkewMs: 0n })).toBe("CANARY_EXPIRED");
    expect(code(answerCanary(SK_P, c.bytes, SHA.compute(INPUT), DEADLINE + SKEW + 1n, { offered: OFFERED }))).toBe("CANARY_EXPIRED");
    expect(() => providerCode(c.bytes, T0, { clockSkewMs: 60_001n })).toThrow(/clockSkewMs/);
  });
  it("CAN-010: the response binds the challenge's message hash, names its signer and dates itself", () => {
    const c = challenge();
    const now = T0 + 321n;
    const v = answerCanary(SK_P, c.bytes, SHA.compute(INPUT), now, { offered: OFFERED });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const r = v.value.response;
    const env = parseSign1(v.value.bytes, RESPONSE_CT);
    expect(env.ok && env.value.kid).toBe(P);
    const challengePayload = parseSign1(c.bytes, CHALLENGE_CT);
    // ENC-020: the hash of the canonical payload, not of the COSE_Sign1 bytes.
    expect(challengePayload.ok && hex(r.challengeHash)).toBe(hex(sha256(challengePayload.ok ? challengePayload.value.payload : new Uint8Array())));
    expect(hex(r.challengeHash)).not.toBe(hex(sha256(c.bytes)));
    expect([r.responder, r.respondedAt, r.outputMediaType, hex(r.output)]).toEqual([P, now, SHA.outputMediaType, hex(sha256(INPUT))]);
  });
  it("the provider's own output must be sendable (misuse, not a verdict)", () => {
    const c = challenge();
    expect(() => answerCanary(SK_P, c.bytes, { bytes: new Uint8Array(16385), mediaType: "x/y" }, T0, { offered: OFFERED })).toThrow(/at most 16384/);
    expect(() => answerCanary(SK_P, c.bytes, { bytes: new Uint8Array(1), mediaType: "" }, T0, { offered: OFFERED })).toThrow(/mediaType/);
  });
});

describe("verifying a response (spec §8.5)", () => {
  it("a correct, timely response from the provider passes", () => {
    const c = challenge();
    const v = verifyCanaryResponse(answer(c), { challenge: c, oracle: ORACLE, now: T0 + 100n });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect([v.value.provider, hex(v.value.challengeHash), hex(v.value.output.bytes)]).toEqual([P, hex(c.hash), hex(sha256(INPUT))]);
  });
  it("CAN-012: a response whose responder is not the signer, or that is not authentic or well-formed", () => {
    const c = challenge();
    expect(verifyCode(signResponseRaw({ challengeHash: c.hash, responder: Q }), c)).toBe("COSE_KID_MISMATCH");
    const forged = answer(c).slice();
    forged[forged.length - 5]! ^= 0x20;
    expect(verifyCode(forged, c)).toBe("SIG_INVALID");
    expect(verifyCode(c.bytes, c)).toBe("COSE_CONTENT_TYPE_MISMATCH");
    expect(verifyCode(signResponseRaw({ challengeHash: new Uint8Array(31) }), c)).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
    expect(verifyCode(signResponseRaw({ challengeHash: c.hash, respondedAt: 0n }), c)).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
    expect(verifyCode(new Uint8Array(0), c)).toBe("COSE_TAG_MISSING");
    expect(verifyCode(Uint8Array.of(...answer(c), 0x00), c)).toBe("CBOR_TRAILING_BYTES");
  });
  it("CAN-013: a response to another challenge does not bind", () => {
    const c1 = challenge({}, 1);
    const c2 = challenge({}, 2); // same provider, capability and input; only the nonce differs
    expect(verifyCode(answer(c1), c2)).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
    expect(verifyCode(signResponseRaw({ challengeHash: new Uint8Array(32).fill(0xaa) }), c1)).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
    expect(verifyCode(answer(c1), c1)).toBe("ok");
  });
  it("CAN-014: a response signed by a peer other than the challenge's provider", () => {
    const c = challenge();
    // Q signs a correct answer to P's challenge (for example, P relayed the challenge to Q).
    expect(verifyCode(signResponseRaw({ challengeHash: c.hash }, SK_Q), c)).toBe("CANARY_WRONG_PROVIDER");
  });
  it("CAN-015: late by the verifier's clock, with the exact edge: at the deadline passes, one ms later fails", () => {
    const c = challenge();
    const r = answer(c, T0 + 10n);
    expect(verifyCode(r, c, DEADLINE)).toBe("ok");
    expect(verifyCode(r, c, DEADLINE + 1n)).toBe("CANARY_RESPONSE_LATE");
    expect(verifyCode(r, c, DEADLINE + 3_600_000n)).toBe("CANARY_RESPONSE_LATE");
  });
  it("CAN-015: a challenge with no response by its deadline is a failed canary", () => {
    const cv = new CanaryVerifier();
    const a = challenge({}, 1);
    const b = challenge({ windowMs: 9_000n }, 2);
    cv.track(a, ORACLE);
    cv.track(b, ORACLE);
    expect(cv.expire(DEADLINE)).toEqual([]);
    const late = cv.expire(DEADLINE + 1n);
    expect(late.map((t) => [hex(t.issued.hash), t.provider, t.code])).toEqual([[hex(a.hash), P, "CANARY_RESPONSE_LATE"]]);
    expect(cv.isOutstanding(b.hash)).toBe(true);
  });
  it("CAN-016: responded_at neither makes a response late nor saves a late one", () => {
    const c = challenge();
    const claimsLate = signResponseRaw({ challengeHash: c.hash, respondedAt: DEADLINE + 999_999n });
    expect(verifyCode(claimsLate, c, DEADLINE)).toBe("ok");
    const claimsEarly = signResponseRaw({ challengeHash: c.hash, respondedAt: T0 - 999_999n });
    expect(verifyCode(claimsEarly, c, T0 + 1n)).toBe("ok");
    expect(verifyCode(claimsEarly, c, DEADLINE + 1n)).toBe("CANARY_RESPONSE_LATE");
  });
  it("CAN-017: an output the oracle rejects, in bytes or in media type", () => {
    const c = challenge();
    expect(verifyCode(answer(c, T0 + 1n, { bytes: sha256(Uint8Array.of(1)), mediaType: SHA.outputMediaType }), c)).toBe("CANARY_WRONG_OUTPUT");
    expect(verifyCode(answer(c, T0 + 1n, { bytes: sha256(INPUT), mediaType: "text/plain" }), c)).toBe("CANARY_WRONG_OUTPUT");
    expect(verifyCode(answer(c, T0 + 1n, { bytes: new Uint8Array(0), mediaType: SHA.outputMediaType }), c)).toBe("CANARY_WRONG_OUTPUT");
    expect(verifyCode(answer(c, T0 + 1n, { bytes: sha256(INPUT).subarray(0, 31), mediaType: SHA.outputMediaType }), c)).toBe("CANARY_WRONG_OUTPUT");
  });
  it("CAN-017: a check-function oracle accepts every correct output and nothing else", () => {
    const F = FACTOR_TEST_CAPABILITY;
    const input = new TextEncoder().encode("12");
    const c = challenge({ capability: F.capability, input: { bytes: input, mediaType: F.inputMediaType } });
    const oracle = F.oracle(input);
    const say = (s: string) => answer(c, T0 + 1n, { bytes: new TextEncoder().encode(s), mediaType: F.outputMediaType });
    expect(verifyCode(say("2 6"), c, T0 + 2n, oracle)).toBe("ok");
    expect(verifyCode(say("3 4"), c, T0 + 2n, oracle)).toBe("ok");
    for (const wrong of ["4 3", "1 12", "2 5", "2  6", "02 6", ""]) expect(verifyCode(say(wrong), c, T0 + 2n, oracle)).toBe("CANARY_WRONG_OUTPUT");
  });
});

describe("verifier memory (spec §8.6)", () => {
  function tracked(maxOutstanding?: number) {
    const cv = new CanaryVerifier(maxOutstanding === undefined ? {} : { maxOutstanding });
    const c = challenge();
    expect(code(cv.track(c, ORACLE))).toBe("ok");
    return { cv, c };
  }
  it("CAN-018: remembers a challenge until its deadline; a response to an unknown or forgotten one does not bind", () => {
    const { cv, c } = tracked();
    const r = answer(c);
    const never = challenge({}, 9);
    expect(code(cv.verify(answer(never), T0 + 100n))).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
    expect(cv.expire(DEADLINE)).toEqual([]); // not yet passed: kept
    expect(cv.isOutstanding(c.hash)).toBe(true);
    expect(cv.expire(DEADLINE + 1n)).toHaveLength(1);
    expect(code(cv.verify(r, DEADLINE + 2n))).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
  });
  it("CAN-018: a remembered challenge whose deadline has passed reports the response as late", () => {
    const { cv, c } = tracked();
    expect(code(cv.verify(answer(c), DEADLINE + 1n))).toBe("CANARY_RESPONSE_LATE");
  });
  it("CAN-013: the verifier rejects a response to a challenge other than the one awaited", () => {
    const { cv, c } = tracked();
    const other = challenge({}, 3);
    cv.track(other, ORACLE);
    expect(code(cv.verify(answer(other), T0 + 1n, { awaiting: c.hash }))).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
    expect(code(cv.verify(answer(c), T0 + 1n, { awaiting: c.hash }))).toBe("ok");
  });
  it("CAN-019: the same response twice is a replay", () => {
    const { cv, c } = tracked();
    const r = answer(c);
    expect(code(cv.verify(r, T0 + 100n))).toBe("ok");
    expect(code(cv.verify(r, T0 + 101n))).toBe("CANARY_REPLAYED");
    expect(cv.isOutstanding(c.hash)).toBe(false);
  });
  it("CAN-019: a second, different answer to an answered challenge is a replay, even a correct one after a wrong one", () => {
    const { cv, c } = tracked();
    const wrong = answer(c, T0 + 1n, { bytes: Uint8Array.of(0), mediaType: SHA.outputMediaType });
    expect(code(cv.verify(wrong, T0 + 2n))).toBe("CANARY_WRONG_OUTPUT");
    expect(code(cv.verify(answer(c, T0 + 3n), T0 + 4n))).toBe("CANARY_REPLAYED");
  });
  it("CAN-019: a late answer uses up its challenge", () => {
    const { cv, c } = tracked();
    expect(code(cv.verify(answer(c), DEADLINE + 1n))).toBe("CANARY_RESPONSE_LATE");
    expect(code(cv.verify(answer(c), DEADLINE + 2n))).toBe("CANARY_REPLAYED");
    expect(cv.expire(DEADLINE + 3n)).toEqual([]); // answered (late): not reported again as a timeout
  });
  it("CAN-019: forged, misdirected or malformed answers do not use up the challenge", () => {
    const { cv, c } = tracked();
    const forged = answer(c).slice();
    forged[forged.length - 1]! ^= 1;
    expect(code(cv.verify(forged, T0 + 1n))).toBe("SIG_INVALID");
    expect(code(cv.verify(signResponseRaw({ challengeHash: c.hash }, SK_Q), T0 + 1n))).toBe("CANARY_WRONG_PROVIDER");
    expect(code(cv.verify(signResponseRaw({ challengeHash: c.hash, responder: Q }), T0 + 1n))).toBe("COSE_KID_MISMATCH");
    expect(code(cv.verify(answer(c), T0 + 2n))).toBe("ok");
  });
  it("CAN-020: a full verifier refuses new challenges and never evicts an unexpired one", () => {
    const cv = new CanaryVerifier({ maxOutstanding: 2 });
    const params = (seed: number, now = T0) => ({ provider: P, capability: SHA.capability, input: { bytes: INPUT, mediaType: SHA.inputMediaType }, now, windowMs: WINDOW, random: seededRandom(seed), oracle: ORACLE });
    const a = cv.issue(SK_V, params(1));
    const b = cv.issue(SK_V, params(2));
    expect([code(a), code(b)]).toEqual(["ok", "ok"]);
    expect(code(cv.issue(SK_V, params(3)))).toBe("CANARY_TOO_MANY_OUTSTANDING");
    expect(code(cv.track(challenge({}, 4), ORACLE))).toBe("CANARY_TOO_MANY_OUTSTANDING");
    expect(cv.size).toBe(2);
    // Both remembered challenges still verify.
    if (!a.ok || !b.ok) return;
    expect(code(cv.verify(answer(a.value), T0 + 1n))).toBe("ok");
    expect(code(cv.verify(answer(b.value), T0 + 1n))).toBe("ok");
    // Answered challenges still count until their deadline has passed.
    expect(code(cv.issue(SK_V, params(5, T0 + 2n)))).toBe("CANARY_TOO_MANY_OUTSTANDING");
    cv.expire(DEADLINE + 1n);
    expect(code(cv.issue(SK_V, params(6, DEADLINE + 1n)))).toBe("ok");
    expect(() => new CanaryVerifier({ maxOutstanding: 0 })).toThrow(/maxOutstanding/);
  });
});

describe("verification order (spec §8.7)", () => {
  it("CAN-021: a verifier reports the first failing step of the response table", () => {
    const c = challenge();
    const other = challenge({}, 2);
    // structure (4) before signature (5)
    const both = signResponseRaw({ challengeHash: c.hash, responder: Q });
    both[both.length - 1]! ^= 1;
    expect(verifyCode(both, c)).toBe("COSE_KID_MISMATCH");
    // signature (5) before binding (6a)
    const forgedOther = answer(other).slice();
    forgedOther[forgedOther.length - 1]! ^= 1;
    expect(verifyCode(forgedOther, c)).toBe("SIG_INVALID");
    // binding (6a) before provider (6b), lateness (6d) and output (6e)
    expect(verifyCode(signResponseRaw({ challengeHash: other.hash, output: Uint8Array.of(1) }, SK_Q), c, DEADLINE + 1n)).toBe("CANARY_CHALLENGE_HASH_MISMATCH");
    // provider (6b) before lateness and output
    expect(verifyCode(signResponseRaw({ challengeHash: c.hash, output: Uint8Array.of(1) }, SK_Q), c, DEADLINE + 1n)).toBe("CANARY_WRONG_PROVIDER");
    // replay (6c) before lateness
    const cv = new CanaryVerifier();
    cv.track(c, ORACLE);
    const r = answer(c);
    expect(code(cv.verify(r, T0 + 1n))).toBe("ok");
    expect(code(cv.verify(r, DEADLINE + 1n))).toBe("CANARY_REPLAYED");
    // lateness (6d) before output (6e)
    expect(verifyCode(answer(c, T0 + 1n, { bytes: Uint8Array.of(1), mediaType: "x/y" }), c, DEADLINE + 1n)).toBe("CANARY_RESPONSE_LATE");
  });
  it("CAN-021: a provider reports the first failing step of the challenge table", () => {
    const bad = signChallengeRaw({ deadline: T0 });
    bad[bad.length - 1]! ^= 1;
    expect(providerCode(bad)).toBe("CANARY_DEADLINE_INVALID"); // 4b before 5
    expect(providerCode(signChallengeRaw({ deadline: T0 + 600_001n, provider: Q }))).toBe("CANARY_DEADLINE_TOO_FAR"); // 6a before 6b
    expect(providerCode(signChallengeRaw({ provider: Q, capability: REVERSE_TEST_CAPABILITY.capability }))).toBe("CANARY_WRONG_PROVIDER"); // 6b before 6c
    expect(providerCode(signChallengeRaw({ capability: REVERSE_TEST_CAPABILITY.capability }), DEADLINE + SKEW + 1n)).toBe("CAPABILITY_NOT_OFFERED"); // 6c before 6d
  });
});

describe("oracles (spec §8.8, §8.9)", () => {
  it("CAN-022: the test oracles are deterministic and accept exactly what an honest provider computes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (seed) => {
        for (const t of [SHA256_TEST_CAPABILITY, REVERSE_TEST_CAPABILITY, FACTOR_TEST_CAPABILITY]) {
          const input = t.sampleInput(seededRandom(seed));
          const out = t.compute(input);
          expect(checkCanaryOutput(t.oracle(input), out).ok).toBe(true);
          expect(checkCanaryOutput(t.oracle(input), out).ok).toBe(true);
          const tampered = { bytes: Uint8Array.of(...out.bytes, 0x30), mediaType: out.mediaType };
          expect(checkCanaryOutput(t.oracle(input), tampered).ok).toBe(false);
        }
      }),
      { numRuns: 50 },
    );
  });
  it("CAN-026: a covert canary's output is judged with the same oracle and code", () => {
    const oracle = expectedOutput(sha256(INPUT), SHA.outputMediaType);
    expect(code(checkCanaryOutput(oracle, SHA.compute(INPUT)))).toBe("ok");
    expect(code(checkCanaryOutput(oracle, { bytes: Uint8Array.of(1), mediaType: SHA.outputMediaType }))).toBe("CANARY_WRONG_OUTPUT");
    const check = checkedOutput((o) => o.bytes.length === 3);
    expect(code(checkCanaryOutput(check, { bytes: Uint8Array.of(1, 2), mediaType: "x/y" }))).toBe("CANARY_WRONG_OUTPUT");
  });
  it("a check function that does not return a boolean is a bug in the verifier, not a verdict", () => {
    const c = challenge();
    const broken = checkedOutput((() => "yes") as unknown as () => boolean);
    expect(() => verifyCanaryResponse(answer(c), { challenge: c, oracle: broken, now: T0 + 1n })).toThrow(/boolean/);
  });
});

describe("binding properties", () => {
  const arbChallenge = fc.record({
    seed: fc.integer({ min: 0, max: 0xffff }),
    input: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    now: fc.bigInt({ min: T0, max: T0 + 1_000_000n }),
    windowMs: fc.bigInt({ min: 1n, max: MAX_CANARY_WINDOW_MS }),
  });
  const make = (a: { seed: number; input: Uint8Array; now: bigint; windowMs: bigint }) =>
    challenge({ input: { bytes: a.input, mediaType: SHA.inputMediaType }, now: a.now, windowMs: a.windowMs }, a.seed);

  it("a response verifies only against the exact challenge it was made for", () => {
    fc.assert(
      fc.property(arbChallenge, arbChallenge, (a, b) => {
        const ca = make(a);
        const cb = make(b);
        const r = answer(ca, a.now, SHA.compute(a.input));
        expect(verifyCode(r, ca, a.now, SHA.oracle(a.input))).toBe("ok");
        const same = hex(ca.hash) === hex(cb.hash);
        expect(verifyCode(r, cb, b.now, SHA.oracle(b.input))).toBe(same ? "ok" : "CANARY_CHALLENGE_HASH_MISMATCH");
      }),
      { numRuns: 40 },
    );
  });
  it("any change to a response's bytes makes it fail", () => {
    const c = challenge();
    const r = answer(c);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: r.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = r.slice();
        m[i]! ^= x;
        expect(verifyCode(m, c)).not.toBe("ok");
      }),
      { numRuns: 200 },
    );
  });
  it("never throws on arbitrary response bytes", () => {
    const c = challenge();
    const cv = new CanaryVerifier();
    cv.track(c, ORACLE);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(verifyCanaryResponse(bytes, { challenge: c, oracle: ORACLE, now: T0 }).ok).toBe(false);
        expect(cv.verify(bytes, T0).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(cv.isOutstanding(c.hash)).toBe(true);
  });
  it("a misused verifier throws INVALID_ARGUMENT rather than returning a verdict", () => {
    try {
      verifyCanaryResponse(new Uint8Array(0), { challenge: undefined as unknown as IssuedChallenge, oracle: ORACLE, now: T0 });
      expect.unreachable();
    } catch (e) {
      expect(isAp2pError(e) && e.code).toBe("INVALID_ARGUMENT");
    }
  });
});
