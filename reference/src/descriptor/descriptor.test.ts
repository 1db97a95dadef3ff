import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, Modality, VerificationTier, Transport } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { signSign1 } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { Ap2pError, isAp2pError, type Verdict } from "../errors.js";
import { issueDescriptor, refreshDescriptor, withdrawDescriptor, type DescriptorContent } from "./issue.js";
import { DEFAULT_POLICY } from "./policy.js";
import { DescriptorStore } from "./store.js";
import { parseDescriptor, verifyDescriptor } from "./verify.js";

const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const SK = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 TEST 1
const SK2 = unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"); // RFC 8032 TEST 2
const PEER = didFromPublicKey(publicKeyFromSecret(SK));
const PEER2 = didFromPublicKey(publicKeyFromSecret(SK2));
const T0 = 1767225600000n; // 2026-01-01T00:00:00Z
const TTL = 60_000n;
const SKEW = DEFAULT_POLICY.clockSkewMs;

const CONTENT: DescriptorContent = {
  capabilities: [
    {
      namespace: "ai.image",
      id: "generate",
      version: "1.2.0",
      intents: ["create an image from a prompt"],
      tags: ["image", "diffusion"],
      inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
      outputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
      constraints: { maxLatencyMs: 4000, onDevice: true, regions: ["DE"], availability: [{ weekdays: 31, startMinute: 480, endMinute: 1080 }] },
      supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY],
    },
  ],
  endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:7443/ap2p" }],
};

type Init = MessageInitShape<typeof CapabilityDescriptorSchema>;
/** Signs any descriptor, bypassing the issuer's own checks, to make invalid ones. */
function signRaw(init: Partial<Init>, sk = SK): Uint8Array {
  const d = create(CapabilityDescriptorSchema, { peerId: PEER, seq: 1n, issuedAt: T0, expiresAt: T0 + TTL, ...CONTENT, ...init } as Init);
  return signSign1(encodeCanonical(messageToCbor(CapabilityDescriptorSchema, d)), "application/ap2p.descriptor.v1+cbor", sk);
}
const verifyCode = (bytes: Uint8Array, now = T0, lastSeq?: bigint) => {
  const v = verifyDescriptor(bytes, lastSeq === undefined ? { now } : { now, lastSeq });
  return v.ok ? "ok" : v.error.code;
};
const code = (v: Verdict<unknown>) => (v.ok ? "ok" : v.error.code);
const parseCode = (bytes: Uint8Array) => {
  const v = parseDescriptor(bytes);
  return v.ok ? "ok" : v.error.code;
};

describe("publishing (spec §5.3)", () => {
  it("DESC-001: an issued descriptor is a COSE_Sign1 under the descriptor content type, by the key peer_id names", () => {
    const { bytes, descriptor } = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const v = verifyDescriptor(bytes, { now: T0 });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.envelope.contentType).toBe("application/ap2p.descriptor.v1+cbor");
    expect(v.value.envelope.kid).toBe(PEER);
    expect(descriptor.peerId).toBe(PEER);
    expect(descriptor.expiresAt - descriptor.issuedAt).toBe(TTL);
  });
  it("DESC-003: seq starts at 1 and refreshes and withdrawals increase it", () => {
    expect(() => issueDescriptor(SK, CONTENT, 0n, { now: T0, ttlMs: TTL })).toThrow(/seq/);
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const b = refreshDescriptor(SK, a.descriptor, { now: T0 + 1000n, ttlMs: TTL });
    const c = withdrawDescriptor(SK, b.descriptor, { now: T0 + 2000n, ttlMs: TTL });
    expect([a.descriptor.seq, b.descriptor.seq, c.descriptor.seq]).toEqual([1n, 2n, 3n]);
    expect(verifyCode(signRaw({ seq: 0n }))).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
  });
  it("DESC-019: a refresh or tombstone is never dated before what it replaces", () => {
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    expect(() => refreshDescriptor(SK, a.descriptor, { now: T0 - 1n, ttlMs: TTL })).toThrow(/DESC-019/);
    expect(() => withdrawDescriptor(SK, a.descriptor, { now: T0 - 1n, ttlMs: TTL })).toThrow(/DESC-019/);
  });
  it("the issuer refuses TTLs beyond the maximum and ill-formed content", () => {
    expect(() => issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: 3_600_001n })).toThrow(/ttlMs/);
    expect(() => issueDescriptor(SK, { capabilities: [] }, 1n, { now: T0, ttlMs: TTL })).toThrow(/at least one capability/);
    try {
      issueDescriptor(SK, { capabilities: [{ namespace: "Bad", id: "x", version: "1.0.0" }] }, 1n, { now: T0, ttlMs: TTL });
      expect.unreachable();
    } catch (e) {
      expect(isAp2pError(e) && e.code).toBe("SCHEMA_PATTERN_MISMATCH");
    }
  });
  it("DESC-011: a withdrawal tombstone carries no capabilities or endpoints", () => {
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const t = withdrawDescriptor(SK, a.descriptor, { now: T0 + 10n, ttlMs: TTL });
    expect([t.descriptor.withdrawn, t.descriptor.capabilities.length, t.descriptor.endpoints.length]).toEqual([true, 0, 0]);
    expect(verifyCode(t.bytes, T0 + 10n)).toBe("ok");
  });
});

describe("well-formed descriptors (spec §5.4)", () => {
  const cases: [string, () => Uint8Array, string][] = [
    ["DESC-002: payload not canonical (a default-valued field encoded)", () => {
      const d = create(CapabilityDescriptorSchema, { peerId: PEER, seq: 1n, issuedAt: T0, expiresAt: T0 + TTL, ...CONTENT } as Init);
      const m = messageToCbor(CapabilityDescriptorSchema, d);
      m.set("withdrawn", false);
      return signSign1(encodeCanonical(m), "application/ap2p.descriptor.v1+cbor", SK);
    }, "SCHEMA_DEFAULT_VALUE_ENCODED"],
    ["DESC-002: payload with an unknown field", () => {
      const d = create(CapabilityDescriptorSchema, { peerId: PEER, seq: 1n, issuedAt: T0, expiresAt: T0 + TTL, ...CONTENT } as Init);
      const m = messageToCbor(CapabilityDescriptorSchema, d);
      m.set("ttl", 60);
      return signSign1(encodeCanonical(m), "application/ap2p.descriptor.v1+cbor", SK);
    }, "SCHEMA_UNKNOWN_FIELD"],
    ["DESC-002: payload that is not a map", () => signSign1(encodeCanonical([1, 2]), "application/ap2p.descriptor.v1+cbor", SK), "SCHEMA_WRONG_TYPE"],
    ["DESC-002: schema violation (bad version pattern)", () => signRaw({ capabilities: [{ namespace: "ai.image", id: "generate", version: "v1" }] }), "SCHEMA_PATTERN_MISMATCH"],
    ["DESC-002: schema violation (peer_id missing)", () => signRaw({ peerId: "" }), "SCHEMA_REQUIRED_FIELD_MISSING"],
    ["DESC-004: peer_id names another peer", () => signRaw({ peerId: PEER2 }), "COSE_KID_MISMATCH"],
    ["DESC-005: expires_at equal to issued_at", () => signRaw({ expiresAt: T0 }), "DESC_VALIDITY_WINDOW_INVALID"],
    ["DESC-005: expires_at before issued_at", () => signRaw({ expiresAt: T0 - 1n }), "DESC_VALIDITY_WINDOW_INVALID"],
    ["DESC-010: live descriptor without capabilities", () => signRaw({ capabilities: [] }), "DESC_NO_CAPABILITIES"],
    ["DESC-011: tombstone listing capabilities", () => signRaw({ withdrawn: true, endpoints: [] }), "DESC_TOMBSTONE_NOT_EMPTY"],
    ["DESC-011: tombstone listing endpoints", () => signRaw({ withdrawn: true, capabilities: [] }), "DESC_TOMBSTONE_NOT_EMPTY"],
    ["DESC-012: the same capability twice", () => signRaw({ capabilities: [CONTENT.capabilities![0]!, CONTENT.capabilities![0]!] }), "DESC_DUPLICATE_CAPABILITY"],
    ["DESC-018: two inputs with one name", () => signRaw({ capabilities: [{ namespace: "a", id: "b", version: "1.0.0", inputs: [{ name: "x", modality: Modality.TEXT }, { name: "x", modality: Modality.IMAGE }] }] }), "SCHEMA_DUPLICATE_ITEM"],
    ["DESC-013: availability window ending before it starts", () => signRaw({ capabilities: [{ namespace: "a", id: "b", version: "1.0.0", constraints: { availability: [{ weekdays: 1, startMinute: 600, endMinute: 600 }] } }] }), "DESC_AVAILABILITY_INVALID"],
  ];
  for (const [what, make, code] of cases) {
    it(`${what} → ${code}`, () => {
      const bytes = make();
      expect(parseCode(bytes)).toBe(code);
      expect(verifyCode(bytes)).toBe(code);
    });
  }
  it("same capability id in two versions is allowed", () => {
    const c = CONTENT.capabilities![0]!;
    expect(verifyCode(signRaw({ capabilities: [c, { ...c, version: "2.0.0" }] }))).toBe("ok");
  });
  it("parseDescriptor does not check the signature; verifyDescriptor does", () => {
    const bytes = signRaw({});
    bytes[bytes.length - 1]! ^= 1;
    expect(parseCode(bytes)).toBe("ok");
    expect(verifyCode(bytes)).toBe("SIG_INVALID");
  });
  it("a descriptor signature is not accepted as another kind (content type)", async () => {
    const { verifySign1 } = await import("../cose/sign1.js");
    const v = verifySign1(signRaw({}), "application/ap2p.canary-response.v1+cbor");
    expect(!v.ok && v.error.code).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });
});

describe("valid descriptors (spec §5.5)", () => {
  const bytes = signRaw({});
  it("DESC-006: lifetime above the maximum TTL", () => {
    expect(verifyCode(signRaw({ expiresAt: T0 + 3_600_000n }))).toBe("ok");
    expect(verifyCode(signRaw({ expiresAt: T0 + 3_600_001n }))).toBe("DESC_TTL_TOO_LONG");
    const strict = verifyDescriptor(signRaw({ expiresAt: T0 + 30_001n }), { now: T0, policy: { maxTtlMs: 30_000n, clockSkewMs: SKEW } });
    expect(!strict.ok && strict.error.code).toBe("DESC_TTL_TOO_LONG");
  });
  it("DESC-006: a verifier may not configure a maximum TTL above one day", () => {
    expect(() => verifyDescriptor(bytes, { now: T0, policy: { maxTtlMs: 86_400_001n, clockSkewMs: SKEW } })).toThrow(/maximum TTL/);
  });
  it("DESC-007: not yet valid, at the exact edge of the skew allowance", () => {
    expect(verifyCode(bytes, T0 - SKEW)).toBe("ok");
    expect(verifyCode(bytes, T0 - SKEW - 1n)).toBe("DESC_NOT_YET_VALID");
  });
  it("DESC-009: expired, at the exact edge of the skew allowance", () => {
    expect(verifyCode(bytes, T0 + TTL + SKEW - 1n)).toBe("ok");
    expect(verifyCode(bytes, T0 + TTL + SKEW)).toBe("DESC_EXPIRED");
    expect(verifyCode(bytes, T0 + 10n * TTL)).toBe("DESC_EXPIRED");
  });
  it("DESC-014: the skew allowance defaults to 5 s and may not exceed 60 s", () => {
    expect(SKEW).toBe(5000n);
    expect(verifyDescriptor(bytes, { now: T0 + TTL + 59_999n, policy: { maxTtlMs: 3_600_000n, clockSkewMs: 60_000n } }).ok).toBe(true);
    expect(() => verifyDescriptor(bytes, { now: T0, policy: { maxTtlMs: 3_600_000n, clockSkewMs: 60_001n } })).toThrow(/skew/);
    const zero = verifyDescriptor(bytes, { now: T0 + TTL, policy: { maxTtlMs: 3_600_000n, clockSkewMs: 0n } });
    expect(!zero.ok && zero.error.code).toBe("DESC_EXPIRED");
  });
  it("DESC-008: seq must exceed the last accepted seq", () => {
    const s5 = signRaw({ seq: 5n });
    expect(verifyCode(s5, T0, 4n)).toBe("ok");
    expect(verifyCode(s5, T0, 5n)).toBe("DESC_SEQ_ROLLBACK");
    expect(verifyCode(s5, T0, 6n)).toBe("DESC_SEQ_ROLLBACK");
  });
  it("DESC-017: checks run in the spec's order (signature before time, time before seq)", () => {
    const late = signRaw({ seq: 1n });
    late[late.length - 1]! ^= 1; // bad signature and expired and rolled back
    expect(verifyCode(late, T0 + 10n * TTL, 9n)).toBe("SIG_INVALID");
    const bad = signRaw({ expiresAt: T0 + 3_600_001n });
    expect(verifyCode(bad, T0 + 10n * 3_600_000n, 9n)).toBe("DESC_TTL_TOO_LONG");
    expect(verifyCode(signRaw({ seq: 1n }), T0 + 10n * TTL, 9n)).toBe("DESC_EXPIRED");
    expect(verifyCode(signRaw({ peerId: PEER2, expiresAt: T0 }))).toBe("COSE_KID_MISMATCH");
  });
  it("never throws on arbitrary bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(1 + (i % 200)).map((_, j) => (j * 31 + i * 17) & 0xff);
      b[0] = 0xd2;
      expect(() => verifyDescriptor(b, { now: T0 })).not.toThrow();
    }
    const good = signRaw({});
    for (let i = 0; i < good.length; i++) {
      const m = good.slice();
      m[i]! ^= 0x40;
      const v = verifyDescriptor(m, { now: T0 });
      expect(v.ok).toBe(false);
    }
  });
});

describe("soft-state store (spec §5.6)", () => {
  it("DESC-008: rejects a replay of the same descriptor and an older seq", () => {
    const s = new DescriptorStore();
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const b = refreshDescriptor(SK, a.descriptor, { now: T0 + 1n, ttlMs: TTL });
    expect(s.accept(a.bytes, T0).ok).toBe(true);
    expect(s.accept(b.bytes, T0 + 1n).ok).toBe(true);
    const replay = s.accept(a.bytes, T0 + 2n);
    expect(!replay.ok && replay.error.code).toBe("DESC_SEQ_ROLLBACK");
    const again = s.accept(b.bytes, T0 + 2n);
    expect(!again.ok && again.error.code).toBe("DESC_SEQ_ROLLBACK");
    expect(s.get(PEER, T0 + 2n)?.message.seq).toBe(2n);
  });
  it("DESC-009: never returns an expired descriptor, and purges it", () => {
    const s = new DescriptorStore();
    s.accept(issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    expect(s.get(PEER, T0 + TTL + SKEW - 1n)).toBeDefined();
    expect(s.get(PEER, T0 + TTL + SKEW)).toBeUndefined();
    expect(s.live(T0 + TTL + SKEW)).toEqual([]);
    expect(s.purge(DEFAULT_POLICY.maxTtlMs + T0 + SKEW)).toBe(1);
    expect(s.size).toBe(0);
  });
  it("DESC-016: keeps the seq high-water mark after expiry, so an old long-lived descriptor cannot be replayed", () => {
    const s = new DescriptorStore();
    const old = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: 3_600_000n }); // long-lived
    const fresh = refreshDescriptor(SK, old.descriptor, { now: T0 + 1000n, ttlMs: 10_000n }); // short-lived
    expect(s.accept(old.bytes, T0).ok).toBe(true);
    expect(s.accept(fresh.bytes, T0 + 1000n).ok).toBe(true);
    const later = T0 + 1000n + 10_000n + SKEW + 1n; // fresh has expired; old is still within its own window
    expect(s.get(PEER, later)).toBeUndefined();
    expect(s.purge(later)).toBe(0);
    const replay = s.accept(old.bytes, later);
    expect(!replay.ok && replay.error.code).toBe("DESC_SEQ_ROLLBACK");
    // Once fresh.issued_at + max TTL + skew has passed, every lower-seq descriptor has expired too.
    const forget = T0 + 1000n + DEFAULT_POLICY.maxTtlMs + SKEW;
    expect(s.purge(forget)).toBe(1);
    const gone = s.accept(old.bytes, forget);
    expect(!gone.ok && gone.error.code).toBe("DESC_EXPIRED");
  });
  it("DESC-021: after a tombstone, the peer's earlier descriptors are neither returned nor accepted", () => {
    const s = new DescriptorStore();
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const t = withdrawDescriptor(SK, a.descriptor, { now: T0 + 5n, ttlMs: TTL });
    expect(s.accept(a.bytes, T0).ok).toBe(true);
    const w = s.accept(t.bytes, T0 + 5n);
    expect(w.ok && w.value.change).toBe("withdrawn");
    expect(s.get(PEER, T0 + 6n)).toBeUndefined();
    expect(s.live(T0 + 6n)).toEqual([]);
    const replay = s.accept(a.bytes, T0 + 7n);
    expect(!replay.ok && replay.error.code).toBe("DESC_SEQ_ROLLBACK");
    // A peer may come back with a higher seq.
    const back = issueDescriptor(SK, CONTENT, 3n, { now: T0 + 8n, ttlMs: TTL });
    const r = s.accept(back.bytes, T0 + 8n);
    expect(r.ok && r.value.change).toBe("published");
    expect(s.get(PEER, T0 + 9n)?.message.seq).toBe(3n);
  });
  it("the admission hook sees well-formed descriptors only, runs before the signature, and a refusal stores nothing", () => {
    const s = new DescriptorStore();
    const seen: string[] = [];
    const refuse = () => {
      throw new Ap2pError("DISC_REGISTRY_FULL", "full");
    };
    const good = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL }).bytes;
    // Ill-formed: the hook is not reached.
    const bad = s.accept(signRaw({ capabilities: [] }), T0, (d) => seen.push(d.message.peerId));
    expect(!bad.ok && bad.error.code).toBe("DESC_NO_CAPABILITIES");
    expect(seen).toEqual([]);
    // A forged signature: the hook runs first and its refusal is the verdict; if it admits, SIG_INVALID.
    const forged = good.slice();
    forged[forged.length - 1]! ^= 1;
    const refused = s.accept(forged, T0, refuse);
    expect(!refused.ok && refused.error.code).toBe("DISC_REGISTRY_FULL");
    const admitted = s.accept(forged, T0, (d) => seen.push(d.message.peerId));
    expect(!admitted.ok && admitted.error.code).toBe("SIG_INVALID");
    expect(seen).toEqual([PEER]);
    // A refused valid descriptor leaves the store as it was.
    expect(code(s.accept(good, T0, refuse))).toBe("DISC_REGISTRY_FULL");
    expect(s.size).toBe(0);
    expect(code(s.accept(good, T0))).toBe("ok");
    expect(s.size).toBe(1);
  });
  it("DESC-016: purgePeers names the peers forgotten, purge counts them", () => {
    const s = new DescriptorStore();
    s.accept(issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    s.accept(issueDescriptor(SK2, CONTENT, 1n, { now: T0 + 10_000n, ttlMs: TTL }).bytes, T0 + 10_000n);
    const first = T0 + DEFAULT_POLICY.maxTtlMs + SKEW;
    expect(s.purgePeers(first - 1n)).toEqual([]);
    expect(s.purgePeers(first)).toEqual([PEER]);
    expect(s.purge(first + 10_000n)).toBe(1);
    expect(s.size).toBe(0);
  });
  it("DESC-016: a peer whose retention ended is forgotten by the next purge even if its new descriptor is refused", () => {
    const s = new DescriptorStore();
    const a = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    s.accept(a.bytes, T0);
    const later = T0 + DEFAULT_POLICY.maxTtlMs + SKEW;
    // The old entry no longer counts (its seq is forgotten), so the replay fails on time, not on seq.
    expect(code(s.accept(a.bytes, later))).toBe("DESC_EXPIRED");
    expect(s.purgePeers(later)).toEqual([PEER]);
  });
  it("keeps peers apart and lists live descriptors in peer order", () => {
    const s = new DescriptorStore();
    s.accept(issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    s.accept(issueDescriptor(SK2, CONTENT, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    expect(s.live(T0).map((d) => d.peerId)).toEqual([PEER, PEER2].sort());
  });
});

describe("architecture and security rules that descriptors carry", () => {
  it("ARCH-001: a descriptor is relied on only as a signed object; the bare payload is refused", () => {
    const { descriptor } = issueDescriptor(SK, CONTENT, 1n, { now: T0, ttlMs: TTL });
    const bare = encodeCanonical(messageToCbor(CapabilityDescriptorSchema, descriptor));
    expect(verifyCode(bare)).toBe("COSE_TAG_MISSING");
    const s = new DescriptorStore();
    expect(s.accept(bare, T0).ok).toBe(false);
    expect(s.size).toBe(0);
  });
  it("ARCH-002: peers are told apart by peer_id, never by display_name", () => {
    const s = new DescriptorStore();
    s.accept(issueDescriptor(SK, { ...CONTENT, displayName: "same name" }, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    s.accept(issueDescriptor(SK2, { ...CONTENT, displayName: "same name" }, 1n, { now: T0, ttlMs: TTL }).bytes, T0);
    expect(s.live(T0).map((d) => d.peerId)).toEqual([PEER, PEER2].sort());
    // And a second peer using the first one's name cannot roll the first one back.
    expect(s.get(PEER, T0)?.message.displayName).toBe("same name");
  });
  it("ARCH-003: the store every registry and delegator cache builds on takes nothing it has not verified", () => {
    const s = new DescriptorStore();
    const forged = signRaw({});
    forged[forged.length - 3]! ^= 0x10;
    const v = s.accept(forged, T0);
    expect(!v.ok && v.error.code).toBe("SIG_INVALID");
    expect(s.size).toBe(0);
  });
  it("SEC-003: input that is not well-formed is rejected before its signature is checked", () => {
    const bad = signRaw({ capabilities: [] }); // structural defect...
    bad[bad.length - 1]! ^= 0x01; // ...and a broken signature
    expect(verifyCode(bad)).toBe("DESC_NO_CAPABILITIES");
  });
});
