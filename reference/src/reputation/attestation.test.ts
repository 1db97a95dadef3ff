import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { base58 } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { OutcomeAttestationSchema } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { TaskRequestSchema } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { CanaryChallengeSchema } from "../../../gen/ts/ap2p/v1/canary_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { messageHash } from "../codec/hash.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { signSign1 } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { isAp2pError } from "../errors.js";
import {
  ATTESTATION_CONTENT_TYPE,
  attestCanaryFailure,
  attestTask,
  isPositiveOutcome,
  issueAttestation,
  Outcome,
  parseAttestation,
  verifyAttestation,
  type AttestationContent,
} from "./attestation.js";
import { MAX_HALVINGS, decayWeight } from "./decay.js";

const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const SK = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 TEST 1
const SK2 = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"); // RFC 8032 TEST 2
const ME = didFromPublicKey(publicKeyFromSecret(SK));
const OTHER = didFromPublicKey(publicKeyFromSecret(SK2));
const T0 = 1767225600000n; // 2026-01-01T00:00:00Z
const SKEW = 5_000n;
const HASH = new Uint8Array(32).fill(7);

const CONTENT: AttestationContent = {
  provider: OTHER,
  capability: { namespace: "ai.image", id: "generate", version: "1.2.0" },
  taskHash: HASH,
  outcome: Outcome.SUCCESS,
  latencyMs: 1200,
  tier: VerificationTier.REPUTATION,
};

type Init = MessageInitShape<typeof OutcomeAttestationSchema>;
/** Signs any attestation, bypassing the issuer's checks, to make invalid ones. */
function signRaw(init: Partial<Init>, sk = SK, contentType = ATTESTATION_CONTENT_TYPE): Uint8Array {
  const a = create(OutcomeAttestationSchema, { attester: ME, issuedAt: T0, ...CONTENT, ...init } as Init);
  return signSign1(encodeCanonical(messageToCbor(OutcomeAttestationSchema, a)), contentType, sk);
}
/** As signRaw, with a hand-edited payload map. */
function signMap(edit: (m: Map<string, unknown>) => void): Uint8Array {
  const m = messageToCbor(OutcomeAttestationSchema, create(OutcomeAttestationSchema, { attester: ME, issuedAt: T0, ...CONTENT } as Init)) as Map<string, unknown>;
  edit(m);
  return signSign1(encodeCanonical(m as never), ATTESTATION_CONTENT_TYPE, SK);
}
const verifyCode = (bytes: Uint8Array, now = T0, clockSkewMs?: bigint) => {
  const v = verifyAttestation(bytes, clockSkewMs === undefined ? { now } : { now, clockSkewMs });
  return v.ok ? "ok" : v.error.code;
};
const parseCode = (bytes: Uint8Array) => {
  const v = parseAttestation(bytes);
  return v.ok ? "ok" : v.error.code;
};
const thrownCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isAp2pError(e) ? e.code : String(e);
  }
  return "no error";
};

/** A did:key for an arbitrary 32-byte string, valid or not as a key. */
const didOfBytes = (key: Uint8Array) => `did:key:z${base58.encode(new Uint8Array([0xed, 0x01, ...key]))}`;

describe("issuing attestations (spec §7.3)", () => {
  it("REP-001: an attestation is a COSE_Sign1 under its own content type, signed by the attester", () => {
    const { bytes, attestation } = issueAttestation(SK, CONTENT, T0);
    const v = verifyAttestation(bytes, { now: T0 });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.envelope.contentType).toBe("application/ap2p.outcome-attestation.v1+cbor");
    expect(v.value.envelope.kid).toBe(ME);
    expect(attestation.attester).toBe(ME);
    expect(attestation.issuedAt).toBe(T0);
    // Domain separation: a descriptor's content type is not accepted for an attestation.
    expect(verifyCode(signRaw({}, SK, "application/ap2p.descriptor.v1+cbor"))).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });

  it("REP-002: attestTask binds the attestation to the request: its hash, provider, capability and tier", () => {
    const request = create(TaskRequestSchema, {
      delegator: ME,
      provider: OTHER,
      nonce: new Uint8Array(16).fill(1),
      capability: { namespace: "ai.text", id: "translate", version: "2.0.1" },
      inputHash: new Uint8Array(32).fill(2),
      requiredTier: VerificationTier.CANARY,
      issuedAt: T0,
      deadline: T0 + 60_000n,
    });
    const { attestation } = attestTask(SK, request, { outcome: Outcome.CANARY_FAILED, latencyMs: 800 }, T0 + 1000n);
    expect(attestation.taskHash).toEqual(messageHash(TaskRequestSchema, request));
    expect(attestation.provider).toBe(OTHER);
    expect(attestation.capability).toMatchObject({ namespace: "ai.text", id: "translate", version: "2.0.1" });
    expect(attestation.tier).toBe(VerificationTier.CANARY);
    expect(attestation.latencyMs).toBe(800);
    // Only the request's own delegator can attest it.
    expect(thrownCode(() => attestTask(SK2, create(TaskRequestSchema, { ...request, provider: ME }), { outcome: Outcome.SUCCESS }, T0))).toBe("INVALID_ARGUMENT");
  });

  it("REP-002: a delegation that ended at the canary is attested with the challenge's hash", () => {
    const challenge = create(CanaryChallengeSchema, {
      verifier: ME,
      provider: OTHER,
      nonce: new Uint8Array(16).fill(3),
      capability: { namespace: "ai.text", id: "translate", version: "2.0.1" },
      input: new Uint8Array([1, 2, 3]),
      inputMediaType: "application/octet-stream",
      issuedAt: T0,
      deadline: T0 + 10_000n,
    });
    const { attestation, bytes } = attestCanaryFailure(SK, challenge, VerificationTier.EVIDENCE, 10_000, T0 + 10_000n);
    expect(attestation.taskHash).toEqual(messageHash(CanaryChallengeSchema, challenge));
    expect([attestation.provider, attestation.outcome, attestation.tier]).toEqual([OTHER, Outcome.CANARY_FAILED, VerificationTier.EVIDENCE]);
    expect(verifyCode(bytes, T0 + 10_000n)).toBe("ok");
    expect(thrownCode(() => attestCanaryFailure(SK, challenge, VerificationTier.REPUTATION, 0, T0))).toBe("REP_OUTCOME_TIER_MISMATCH");
    expect(thrownCode(() => attestCanaryFailure(SK2, challenge, VerificationTier.CANARY, 0, T0))).toBe("INVALID_ARGUMENT");
  });

  it("REP-003: SUCCESS is the one positive outcome; every other outcome is negative", () => {
    expect(isPositiveOutcome(Outcome.SUCCESS)).toBe(true);
    for (const o of [Outcome.FAILURE, Outcome.TIMEOUT, Outcome.CANARY_FAILED, Outcome.EVIDENCE_REJECTED]) expect(isPositiveOutcome(o)).toBe(false);
  });

  it("the issuer refuses to sign what a verifier would reject", () => {
    expect(thrownCode(() => issueAttestation(SK, { ...CONTENT, provider: ME }, T0))).toBe("REP_SELF_ATTESTATION");
    expect(thrownCode(() => issueAttestation(SK, { ...CONTENT, outcome: Outcome.EVIDENCE_REJECTED }, T0))).toBe("REP_OUTCOME_TIER_MISMATCH");
    expect(thrownCode(() => issueAttestation(SK, { ...CONTENT, taskHash: new Uint8Array(31) }, T0))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
    expect(thrownCode(() => issueAttestation(SK, { ...CONTENT, capability: { namespace: "AI", id: "x", version: "1.0.0" } }, T0))).toBe("SCHEMA_PATTERN_MISMATCH");
    expect(thrownCode(() => issueAttestation(SK, CONTENT, 0n))).toBe("INVALID_ARGUMENT");
  });
});

describe("verifying attestations (spec §7.4)", () => {
  const cases: [string, () => Uint8Array, string][] = [
    ["REP-011: payload with an unknown field", () => signMap((m) => m.set("score", 5)), "SCHEMA_UNKNOWN_FIELD"],
    ["REP-011: payload with a default value encoded", () => signMap((m) => m.set("latency_ms", 0)), "SCHEMA_DEFAULT_VALUE_ENCODED"],
    ["REP-011: task_hash missing", () => signRaw({ taskHash: new Uint8Array(0) }), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["REP-011: task_hash of 33 bytes", () => signRaw({ taskHash: new Uint8Array(33) }), "SCHEMA_LENGTH_OUT_OF_RANGE"],
    ["REP-011: outcome not set", () => signRaw({ outcome: Outcome.UNSPECIFIED }), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["REP-011: outcome not defined", () => signMap((m) => m.set("outcome", 9)), "SCHEMA_UNKNOWN_ENUM_VALUE"],
    ["REP-011: tier not set", () => signRaw({ tier: VerificationTier.UNSPECIFIED }), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["REP-011: capability missing", () => signMap((m) => m.delete("capability")), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["REP-011: provider not a did:key", () => signRaw({ provider: "did:web:example.com" }), "SCHEMA_PATTERN_MISMATCH"],
    ["REP-005: attester names another peer than the signer", () => signRaw({ attester: OTHER, provider: ME }), "COSE_KID_MISMATCH"],
    ["REP-006: attester rates itself", () => signRaw({ provider: ME }), "REP_SELF_ATTESTATION"],
    ["REP-007: provider is a small-order key", () => signRaw({ provider: didOfBytes(unhex(`01${"00".repeat(31)}`)) }), "KEY_SMALL_ORDER"],
    ["REP-007: provider is not a canonical key encoding", () => signRaw({ provider: didOfBytes(unhex(`ed${"ff".repeat(30)}7f`)) }), "KEY_NOT_CANONICAL"],
    ["REP-008: CANARY_FAILED under tier REPUTATION", () => signRaw({ outcome: Outcome.CANARY_FAILED }), "REP_OUTCOME_TIER_MISMATCH"],
    ["REP-008: EVIDENCE_REJECTED under tier REPUTATION", () => signRaw({ outcome: Outcome.EVIDENCE_REJECTED }), "REP_OUTCOME_TIER_MISMATCH"],
    ["REP-008: EVIDENCE_REJECTED under tier CANARY", () => signRaw({ outcome: Outcome.EVIDENCE_REJECTED, tier: VerificationTier.CANARY }), "REP_OUTCOME_TIER_MISMATCH"],
  ];
  for (const [what, make, code] of cases) {
    it(`${what} → ${code}`, () => {
      const bytes = make();
      expect(parseCode(bytes)).toBe(code);
      expect(verifyCode(bytes)).toBe(code);
    });
  }

  it("REP-008: each outcome is accepted under the tiers that can produce it", () => {
    const ok: [Outcome, VerificationTier][] = [
      [Outcome.SUCCESS, VerificationTier.REPUTATION],
      [Outcome.FAILURE, VerificationTier.REPUTATION],
      [Outcome.TIMEOUT, VerificationTier.CANARY],
      [Outcome.CANARY_FAILED, VerificationTier.CANARY],
      [Outcome.CANARY_FAILED, VerificationTier.EVIDENCE],
      [Outcome.EVIDENCE_REJECTED, VerificationTier.EVIDENCE],
    ];
    for (const [outcome, tier] of ok) expect(verifyCode(signRaw({ outcome, tier }))).toBe("ok");
  });

  it("REP-009: issued_at in the future beyond the clock-skew allowance, at the exact edge", () => {
    const bytes = signRaw({ issuedAt: T0 });
    expect(verifyCode(bytes, T0 - SKEW)).toBe("ok");
    expect(verifyCode(bytes, T0 - SKEW - 1n)).toBe("REP_ATTESTATION_NOT_YET_VALID");
    expect(verifyCode(bytes, T0 - 60_000n, 60_000n)).toBe("ok");
    expect(verifyCode(bytes, T0 - 1n, 0n)).toBe("REP_ATTESTATION_NOT_YET_VALID");
    // Old attestations are valid: age is what decay is for (REP-014).
    expect(verifyCode(bytes, T0 + 365n * 86_400_000n)).toBe("ok");
    // DESC-014 bounds the allowance.
    expect(thrownCode(() => verifyAttestation(bytes, { now: T0, clockSkewMs: 60_001n }))).toBe("INVALID_ARGUMENT");
  });

  it("REP-010: checks run in the order of the table (structure, then signature, then time)", () => {
    const future = signRaw({ issuedAt: T0 + 10n * SKEW, provider: ME });
    expect(verifyCode(future)).toBe("REP_SELF_ATTESTATION");
    const badSig = signRaw({ issuedAt: T0 + 10n * SKEW });
    badSig[badSig.length - 1]! ^= 1;
    expect(parseCode(badSig)).toBe("ok");
    expect(verifyCode(badSig)).toBe("SIG_INVALID");
    expect(verifyCode(signRaw({ attester: OTHER, provider: ME, outcome: Outcome.CANARY_FAILED }))).toBe("COSE_KID_MISMATCH");
    expect(verifyCode(signRaw({ provider: ME, outcome: Outcome.CANARY_FAILED }))).toBe("REP_SELF_ATTESTATION");
  });

  it("never throws on untrusted bytes, and never reports INVALID_ARGUMENT for them", () => {
    const good = signRaw({});
    for (let i = 0; i < good.length; i++) {
      const m = good.slice();
      m[i]! ^= 0x20;
      const v = verifyAttestation(m, { now: T0 });
      expect(v.ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const b of [bytes, new Uint8Array([0xd2, 0x84, ...bytes])]) {
          const v = verifyAttestation(b, { now: T0 });
          expect(v.ok).toBe(false);
          if (!v.ok) expect(v.error.code).not.toBe("INVALID_ARGUMENT");
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("decay (spec §7.5.4)", () => {
  const H = 1_209_600_000n; // 14 days
  it("REP-014: known answers at and between halvings", () => {
    const table: [bigint, bigint][] = [
      [0n, 1_000_000n],
      [H / 2n, 750_000n],
      [H - 1n, 500_000n], // floor(10^6 · (H + 1) / 2H) = 500,000.41…
      [H, 500_000n],
      [(3n * H) / 2n, 375_000n],
      [2n * H, 250_000n],
      [3n * H, 125_000n],
      [10n * H, 976n], // floor(10^6 / 1024)
      [19n * H, 1n], // floor(10^6 / 2^19)
      [19n * H + H / 2n, 1n], // floor(10^6 · 1.5 / 2^20)
      [20n * H - 1n, 0n],
      [20n * H, 0n],
      [1000n * H, 0n],
      [-5000n, 1_000_000n], // issued within the skew allowance after now
    ];
    for (const [age, w] of table) expect([age, decayWeight(age, H)]).toEqual([age, w]);
    expect(decayWeight(1n, 3_600_000n)).toBe(999_999n); // floor(10^6 · 7,199,999 / 7,200,000)
    expect(MAX_HALVINGS).toBe(20n);
  });

  it("REP-014: weight never rises with age, stays within 0..10^6, and is exactly 10^6 / 2^n at n half-lives", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 3_600_000n, max: 31_536_000_000n }), fc.bigInt({ min: 0n, max: 25n * 31_536_000_000n }), fc.bigInt({ min: 0n, max: 31_536_000_000n }), (h, age, extra) => {
        const w = decayWeight(age, h);
        expect(w >= 0n && w <= 1_000_000n).toBe(true);
        expect(decayWeight(age + extra, h) <= w).toBe(true);
        const n = age / h;
        if (n < 20n) expect(decayWeight(n * h, h)).toBe(1_000_000n / (1n << n));
      }),
      { numRuns: 2000 },
    );
  });
});
