import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapabilityDescriptorSchema, CapabilitySchema, PriceUnit, type Capability, type CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import {
  PublishChange,
  PublishRequestSchema,
  PublishResponseSchema,
  QueryRequestSchema,
  QueryResponseSchema,
  QuerySchema,
  RegistryAnswerSchema,
  type Query,
  type RegistryAnswer,
} from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { encodeMessage } from "../codec/message-codec.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { MAX_SIGN1_BYTES, signSign1 } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { ErrorCode, type Verdict } from "../errors.js";
import { issueDescriptor, refreshDescriptor, withdrawDescriptor, type DescriptorContent } from "../descriptor/issue.js";
import { parseSignedMessage } from "../signed/signed-message.js";
import { signRegistryAnswer, verifyRegistryAnswer } from "./answer.js";
import { compareKeys } from "./rank.js";
import type { RegistryPolicy } from "./policy.js";
import { Registry } from "./registry.js";
import { handlePublish, handleQuery, publishResponse } from "./wire.js";

type CapInit = Exclude<MessageInitShape<typeof CapabilitySchema>, Capability>;
type QueryInit = Exclude<MessageInitShape<typeof QuerySchema>, Query>;

const utf8 = new TextEncoder();
const keys = new Map<number, Uint8Array>();
const SK = (i: number): Uint8Array => {
  let k = keys.get(i);
  if (k === undefined) keys.set(i, (k = sha256(utf8.encode(`discovery test peer ${i}`))));
  return k;
};
const peer = (i: number) => didFromPublicKey(publicKeyFromSecret(SK(i)));
const REGISTRY_SK = sha256(utf8.encode("discovery test registry"));
const REGISTRY = didFromPublicKey(publicKeyFromSecret(REGISTRY_SK));
const T0 = 1767225600000n; // 2026-01-01T00:00:00Z
const TTL = 60_000n;
const SKEW = 5_000n;
const NONCE = new Uint8Array(16).fill(9);

const capability = (init: Partial<CapInit> = {}): CapInit => ({
  namespace: "ai.image",
  id: "generate",
  version: "1.2.0",
  intents: ["create an image from a text prompt"],
  tags: ["image"],
  ...init,
});
interface IssueOptions {
  caps?: CapInit[];
  seq?: bigint;
  now?: bigint;
  ttl?: bigint;
}
const issue = (i: number, o: IssueOptions = {}) =>
  issueDescriptor(SK(i), { capabilities: o.caps ?? [capability()] } as DescriptorContent, o.seq ?? 1n, { now: o.now ?? T0, ttlMs: o.ttl ?? TTL });
const query = (init: Partial<QueryInit> = {}): Query => create(QuerySchema, { namespace: "ai.image", nonce: NONCE, maxResults: 100, ...init } as QueryInit);

const BIG_BUCKET = { capacityMilli: 1_000_000_000n, refillMilliPerSecond: 1_000_000n };
/** Limits out of the way, for tests about something else. */
const LOOSE: Partial<RegistryPolicy> = { peerRate: BIG_BUCKET, originRate: BIG_BUCKET, maxPeersPerOrigin: 100_000, maxResultsPerOrigin: 100 };

const must = <T>(v: Verdict<T>): T => {
  if (!v.ok) throw v.error;
  return v.value;
};
const code = (v: { ok: boolean; error?: { code: string } }) => (v.ok ? "ok" : v.error!.code);
const peersOf = (r: Registry, q: Query, now: bigint) => {
  const v = r.query(q, now);
  if (!v.ok) throw v.error;
  return v.value.matches.map((m) => `${m.descriptor.peerId}#${m.capabilityIndex}`);
};
const answerOf = (bytes: Uint8Array): RegistryAnswer => {
  const v = parseSignedMessage<RegistryAnswer>(RegistryAnswerSchema, bytes);
  if (!v.ok) throw v.error;
  return v.value.message;
};

describe("registry state (spec §6.2)", () => {
  it("DISC-001: a submitted descriptor is verified as spec/05 §5.7 specifies, with its codes", () => {
    const r = new Registry(LOOSE);
    const good = issue(1);
    const tampered = good.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(code(r.publish(tampered, T0, "o"))).toBe("SIG_INVALID");
    expect(code(r.publish(Uint8Array.of(0xd2, 0x80), T0, "o"))).toBe("COSE_MALFORMED");
    expect(code(r.publish(good.bytes, T0 + TTL + SKEW, "o"))).toBe("DESC_EXPIRED");
    expect(code(r.publish(good.bytes, T0 - SKEW - 1n, "o"))).toBe("DESC_NOT_YET_VALID");
    const wrongKid = create(CapabilityDescriptorSchema, { ...good.descriptor, peerId: peer(2) });
    const forged = signSign1(encodeCanonical(messageToCbor(CapabilityDescriptorSchema, wrongKid)), "application/ap2p.descriptor.v1+cbor", SK(1));
    expect(code(r.publish(forged, T0, "o"))).toBe("COSE_KID_MISMATCH");
    expect(code(r.publish(good.bytes, T0, "o"))).toBe("ok");
    expect(r.size).toBe(1);
  });
  it("DISC-001: a registry's maximum TTL may be lower than the default; longer descriptors get DESC_TTL_TOO_LONG", () => {
    const strict = new Registry({ ...LOOSE, descriptor: { maxTtlMs: 30_000n, clockSkewMs: SKEW } });
    const d = issue(1, { ttl: 30_001n });
    expect(code(strict.publish(d.bytes, T0, "o"))).toBe("DESC_TTL_TOO_LONG");
    expect(code(strict.publish(issue(2, { ttl: 30_000n }).bytes, T0, "o"))).toBe("ok");
    expect(code(new Registry(LOOSE).publish(d.bytes, T0, "o"))).toBe("ok");
  });
  it("DISC-002: one descriptor per peer; a refresh replaces its matches, a rollback is refused", () => {
    const r = new Registry(LOOSE);
    const a = issue(1, { caps: [capability({ id: "generate" }), capability({ id: "upscale" })] });
    expect(r.publish(a.bytes, T0, "o")).toMatchObject({ ok: true, value: { change: "published" } });
    expect(r.indexed).toBe(2);
    const b = issueDescriptor(SK(1), { capabilities: [capability({ id: "edit" })] }, 2n, { now: T0 + 1n, ttlMs: TTL });
    expect(r.publish(b.bytes, T0 + 1n, "o")).toMatchObject({ ok: true, value: { change: "refreshed" } });
    expect(r.indexed).toBe(1);
    expect(peersOf(r, query(), T0 + 1n)).toEqual([`${peer(1)}#0`]);
    expect(r.query(query({ id: "generate", idMatch: 1 }), T0 + 1n)).toMatchObject({ ok: true, value: { totalMatches: 0 } });
    expect(code(r.publish(a.bytes, T0 + 2n, "o"))).toBe("DESC_SEQ_ROLLBACK");
    expect(code(r.publish(b.bytes, T0 + 2n, "o"))).toBe("DESC_SEQ_ROLLBACK");
  });
  it("DISC-002: a tombstone removes every match of the peer, and older descriptors stay refused", () => {
    const r = new Registry(LOOSE);
    const a = issue(1);
    r.publish(a.bytes, T0, "o");
    r.publish(issue(2).bytes, T0, "o");
    const t = withdrawDescriptor(SK(1), a.descriptor, { now: T0 + 5n, ttlMs: TTL });
    expect(r.publish(t.bytes, T0 + 5n, "o")).toMatchObject({ ok: true, value: { change: "withdrawn" } });
    expect(peersOf(r, query(), T0 + 5n)).toEqual([`${peer(2)}#0`]);
    expect(code(r.publish(a.bytes, T0 + 6n, "o"))).toBe("DESC_SEQ_ROLLBACK");
    const back = issue(1, { seq: 4n, now: T0 + 7n });
    expect(r.publish(back.bytes, T0 + 7n, "o")).toMatchObject({ ok: true, value: { change: "published" } });
    expect(r.size).toBe(2);
  });
  it("DISC-003: a descriptor is returned at expires_at + skew − 1 and not at expires_at + skew, swept or not", () => {
    const r = new Registry(LOOSE);
    r.publish(issue(1).bytes, T0, "o");
    const edge = T0 + TTL + SKEW;
    expect(peersOf(r, query(), edge - 1n)).toEqual([`${peer(1)}#0`]);
    expect(peersOf(r, query(), edge)).toEqual([]);
    expect(r.query(query(), edge)).toMatchObject({ ok: true, value: { totalMatches: 0 } });
    expect(r.indexed).toBe(1); // not yet swept
    const answer = r.answer(query(), edge, REGISTRY_SK);
    expect(answer.ok && answerOf(answer.value).results).toEqual([]);
  });
  it("DISC-004: a sweep drops expired descriptors from the index and forgets peers only when retention ends", () => {
    const r = new Registry(LOOSE);
    const a = issue(1);
    r.publish(a.bytes, T0, "o");
    r.publish(issue(2, { ttl: 3_600_000n }).bytes, T0, "o");
    expect(r.sweep(T0 + TTL + SKEW - 1n)).toEqual({ expired: 0, forgotten: 0 });
    expect(r.sweep(T0 + TTL + SKEW)).toEqual({ expired: 1, forgotten: 0 });
    expect([r.size, r.indexed]).toEqual([2, 1]);
    // DESC-016: the seq is remembered until issued_at + max TTL + skew, so a replay is still refused.
    expect(code(r.publish(a.bytes, T0 + TTL, "o"))).toBe("DESC_SEQ_ROLLBACK");
    const retention = T0 + 3_600_000n + SKEW;
    expect(r.sweep(retention - 1n)).toEqual({ expired: 0, forgotten: 0 });
    expect(r.sweep(retention)).toEqual({ expired: 1, forgotten: 2 });
    expect([r.size, r.indexed]).toEqual([0, 0]);
  });
  it("DISC-005: a publish response carries the change or the error, never both", () => {
    const r = new Registry(LOOSE);
    const a = issue(1);
    const ok = handlePublish(r, create(PublishRequestSchema, { descriptor: { coseSign1: a.bytes } }), T0, "o");
    expect([ok.change, ok.error, ok.message]).toEqual([PublishChange.PUBLISHED, ErrorCode.UNSPECIFIED, ""]);
    const refreshed = publishResponse(r.publish(refreshDescriptor(SK(1), a.descriptor, { now: T0 + 1n, ttlMs: TTL }).bytes, T0 + 1n, "o"));
    expect(refreshed.change).toBe(PublishChange.REFRESHED);
    const bad = handlePublish(r, create(PublishRequestSchema, { descriptor: { coseSign1: a.bytes } }), T0 + 2n, "o");
    expect([bad.change, bad.error]).toEqual([PublishChange.UNSPECIFIED, ErrorCode.DESC_SEQ_ROLLBACK]);
    expect(bad.message).toMatch(/seq/);
    for (const m of [ok, refreshed, bad]) expect(() => encodeMessage(PublishResponseSchema, m)).not.toThrow();
  });
});

describe("answers (spec §6.6)", () => {
  it("DISC-012: an answer is a RegistryAnswer signed by the registry, naming itself and the query", () => {
    const r = new Registry(LOOSE);
    r.publish(issue(1).bytes, T0, "o");
    const q = query({ intent: "image" });
    const v = r.answer(q, T0, REGISTRY_SK);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const signed = parseSignedMessage<RegistryAnswer>(RegistryAnswerSchema, v.value);
    expect(signed.ok && signed.value.envelope.contentType).toBe("application/ap2p.registry-answer.v1+cbor");
    expect(signed.ok && signed.value.envelope.kid).toBe(REGISTRY);
    const a = answerOf(v.value);
    expect(a.registryId).toBe(REGISTRY);
    expect(Buffer.from(a.queryHash).equals(Buffer.from(sha256(encodeMessage(QuerySchema, q))))).toBe(true);
    expect([a.asOf, a.results.length, a.totalMatches]).toEqual([T0, 1, 1]);
    expect(verifyRegistryAnswer(v.value, { query: q, expectedRegistry: REGISTRY, now: T0 }).ok).toBe(true);
  });
  it("DISC-012: a query response carries the answer or the error, never both", () => {
    const r = new Registry(LOOSE);
    const ok = handleQuery(r, create(QueryRequestSchema, { query: query() }), T0, REGISTRY_SK);
    expect([ok.answer !== undefined, ok.error]).toEqual([true, ErrorCode.UNSPECIFIED]);
    const bad = handleQuery(r, create(QueryRequestSchema, { query: query({ id: "x" }) }), T0, REGISTRY_SK);
    expect([bad.answer, bad.error]).toEqual([undefined, ErrorCode.DISC_QUERY_INVALID]);
    const missing = handleQuery(r, create(QueryRequestSchema, {}), T0, REGISTRY_SK);
    expect(missing.error).toBe(ErrorCode.SCHEMA_REQUIRED_FIELD_MISSING);
    for (const m of [ok, bad, missing]) expect(() => encodeMessage(QueryResponseSchema, m)).not.toThrow();
    expect(code(r.query(query({ nonce: new Uint8Array(3) }), T0))).toBe("SCHEMA_LENGTH_OUT_OF_RANGE");
  });
  it("DISC-013: fresh_until is as_of + the registry's freshness, cut to the earliest expires_at of a result", () => {
    const r = new Registry({ ...LOOSE, answerFreshnessMs: 20_000n });
    r.publish(issue(1, { ttl: 3_600_000n }).bytes, T0, "o");
    const long = answerOf(must(r.answer(query(), T0, REGISTRY_SK)));
    expect(long.freshUntil).toBe(T0 + 20_000n);
    r.publish(issue(2, { ttl: 10_000n }).bytes, T0, "o");
    const short = answerOf(must(r.answer(query(), T0 + 1_000n, REGISTRY_SK)));
    expect([short.results.length, short.freshUntil]).toEqual([2, T0 + 10_000n]);
    const none = answerOf(must(r.answer(query({ namespace: "none" }), T0, REGISTRY_SK)));
    expect(none.freshUntil).toBe(T0 + 20_000n);
  });
  it("DISC-014: an answer holds only descriptors valid from as_of to fresh_until, without skew", () => {
    const r = new Registry(LOOSE);
    r.publish(issue(1).bytes, T0, "o");
    r.publish(issue(2, { now: T0 + 3_000n }).bytes, T0, "o"); // issued in the registry's future, within skew
    expect(peersOf(r, query(), T0)).toHaveLength(2);
    const early = answerOf(must(r.answer(query(), T0, REGISTRY_SK)));
    expect([early.results.length, early.totalMatches]).toEqual([1, 1]);
    // At expires_at the descriptor is still live for queries (skew), but no longer current for answers.
    const atExpiry = T0 + TTL;
    expect(peersOf(r, query(), atExpiry)).toHaveLength(2);
    const late = answerOf(must(r.answer(query(), atExpiry, REGISTRY_SK)));
    expect(late.results.map((x) => answerOfDescriptorPeer(x.descriptor!.coseSign1))).toEqual([peer(2)]);
  });
  it("DISC-014: results are the ranked matches, at most max_results, and total_matches counts them all", () => {
    const r = new Registry(LOOSE);
    for (let i = 0; i < 12; i++) r.publish(issue(i, { caps: [capability({ constraints: { maxLatencyMs: 1000 - i } })] }).bytes, T0, `o${i}`);
    const q = query({ maxResults: 5 });
    const a = answerOf(must(r.answer(q, T0, REGISTRY_SK)));
    expect([a.results.length, a.totalMatches]).toEqual([5, 12]);
    expect(a.results.map((x) => answerOfDescriptorPeer(x.descriptor!.coseSign1))).toEqual([11, 10, 9, 8, 7].map(peer));
  });
  it("DISC-014: the answer is the longest prefix that fits in 65,536 bytes", () => {
    const r = new Registry(LOOSE);
    const intents = Array.from({ length: 8 }, (_, j) => `create an image from a text prompt, variant ${j} ${"x".repeat(150)}`);
    for (let i = 0; i < 60; i++) r.publish(issue(i, { caps: [capability({ intents })] }).bytes, T0, "o");
    const q = query({ maxResults: 100 });
    const v = r.answer(q, T0, REGISTRY_SK);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.length).toBeLessThanOrEqual(MAX_SIGN1_BYTES);
    const a = answerOf(v.value);
    expect(a.totalMatches).toBe(60);
    expect(a.results.length).toBeLessThan(60);
    expect(a.results.length).toBeGreaterThan(10);
    // One more result would not fit.
    const ranked = must(r.query(q, T0)).matches;
    const oneMore = signRegistryAnswer(
      {
        queryHash: a.queryHash,
        asOf: a.asOf,
        freshUntil: a.freshUntil,
        results: ranked.slice(0, a.results.length + 1).map((m) => ({ descriptor: m.descriptor.bytes, capabilityIndex: 0 })),
        totalMatches: 60,
      },
      REGISTRY_SK,
    );
    expect(oneMore.length).toBeGreaterThan(MAX_SIGN1_BYTES);
    expect(verifyRegistryAnswer(v.value, { query: q, expectedRegistry: REGISTRY, now: T0 }).ok).toBe(true);
  });
});

function answerOfDescriptorPeer(bytes: Uint8Array): string {
  return must(parseSignedMessage<CapabilityDescriptor>(CapabilityDescriptorSchema, bytes)).message.peerId;
}

describe("registry limits (spec §6.8)", () => {
  it("DISC-017: the origin of a peer is that of its latest accepted publish", () => {
    const r = new Registry({ ...LOOSE, maxPeersPerOrigin: 1 });
    const a = issue(1);
    expect(code(r.publish(a.bytes, T0, "A"))).toBe("ok");
    expect(code(r.publish(issue(2).bytes, T0, "A"))).toBe("DISC_ORIGIN_PEER_LIMIT");
    // Peer 1 moves to origin B; A has room again.
    expect(code(r.publish(refreshDescriptor(SK(1), a.descriptor, { now: T0 + 1n, ttlMs: TTL }).bytes, T0 + 1n, "B"))).toBe("ok");
    expect(code(r.publish(issue(2).bytes, T0 + 1n, "A"))).toBe("ok");
    // A peer cannot move to an origin that is full.
    expect(code(r.publish(issue(1, { seq: 3n, now: T0 + 2n }).bytes, T0 + 2n, "A"))).toBe("DISC_ORIGIN_PEER_LIMIT");
    expect(() => r.publish(a.bytes, T0, "")).toThrow(/origin/);
  });
  it("DISC-018: each peer's publishes are rate-limited with its own bucket, by the injected clock", () => {
    const r = new Registry({ peerRate: { capacityMilli: 3_000n, refillMilliPerSecond: 100n }, originRate: BIG_BUCKET });
    let prev = issue(1);
    expect(code(r.publish(prev.bytes, T0, "o"))).toBe("ok");
    const next = (now: bigint) => (prev = refreshDescriptor(SK(1), prev.descriptor, { now, ttlMs: TTL }));
    expect(code(r.publish(next(T0).bytes, T0, "o"))).toBe("ok");
    expect(code(r.publish(next(T0).bytes, T0, "o"))).toBe("ok");
    const limited = next(T0);
    expect(code(r.publish(limited.bytes, T0, "o"))).toBe("DISC_PEER_RATE_LIMITED");
    expect(code(r.publish(limited.bytes, T0 + 9_999n, "o"))).toBe("DISC_PEER_RATE_LIMITED");
    expect(code(r.publish(limited.bytes, T0 + 10_000n, "o"))).toBe("ok");
    // Another peer has its own bucket.
    expect(code(r.publish(issue(2).bytes, T0 + 10_000n, "o"))).toBe("ok");
  });
  it("DISC-018: rejected publishes do not use the peer's tokens, so a forger cannot drain them", () => {
    const r = new Registry({ peerRate: { capacityMilli: 2_000n, refillMilliPerSecond: 1n }, originRate: BIG_BUCKET });
    const a = issue(1);
    expect(code(r.publish(a.bytes, T0, "o"))).toBe("ok");
    const b = refreshDescriptor(SK(1), a.descriptor, { now: T0 + 1n, ttlMs: TTL });
    const forged = b.bytes.slice();
    forged[forged.length - 1]! ^= 1;
    for (let i = 0; i < 10; i++) expect(code(r.publish(forged, T0 + 1n, "evil"))).toBe("SIG_INVALID");
    for (let i = 0; i < 10; i++) expect(code(r.publish(a.bytes, T0 + 1n, "evil"))).toBe("DESC_SEQ_ROLLBACK");
    expect(code(r.publish(b.bytes, T0 + 1n, "o"))).toBe("ok");
  });
  it("DISC-018: every request costs its origin a token, valid or not, before any other check", () => {
    const r = new Registry({ ...LOOSE, originRate: { capacityMilli: 3_000n, refillMilliPerSecond: 1_000n } });
    expect(code(r.publish(Uint8Array.of(1), T0, "o"))).toBe("COSE_TAG_MISSING");
    expect(code(r.publish(issue(1).bytes, T0, "o"))).toBe("ok");
    expect(code(r.publish(issue(2).bytes, T0, "o"))).toBe("ok");
    expect(code(r.publish(issue(3).bytes, T0, "o"))).toBe("DISC_ORIGIN_RATE_LIMITED");
    expect(code(r.publish(Uint8Array.of(1), T0, "o"))).toBe("DISC_ORIGIN_RATE_LIMITED");
    expect(code(r.publish(issue(3).bytes, T0, "other"))).toBe("ok");
    expect(code(r.publish(issue(4).bytes, T0 + 1_000n, "o"))).toBe("ok");
  });
  it("DISC-019: a descriptor longer than the registry's limit is refused before it is parsed", () => {
    const r = new Registry({ ...LOOSE, maxDescriptorBytes: 1_000 });
    const big = issue(1, { caps: [capability({ intents: ["x".repeat(250), "y".repeat(250), "z".repeat(250)] })] });
    expect(big.bytes.length).toBeGreaterThan(1_000);
    expect(code(r.publish(big.bytes, T0, "o"))).toBe("DISC_DESCRIPTOR_TOO_LARGE");
    expect(code(r.publish(new Uint8Array(1_001), T0, "o"))).toBe("DISC_DESCRIPTOR_TOO_LARGE");
    expect(code(r.publish(issue(2).bytes, T0, "o"))).toBe("ok");
  });
  it("DISC-020: a Sybil flood from one origin stops at the cap; honest peers from other origins are still accepted and served", () => {
    const r = new Registry(); // default limits: 16 peers per origin, 3 results per origin
    const sybil = (i: number) => issue(100 + i, { caps: [capability({ intents: ["image image image", "create an image from a text prompt now"], constraints: { maxLatencyMs: 1 } })] });
    for (let i = 0; i < 16; i++) expect(code(r.publish(sybil(i).bytes, T0, "203.0.113.0/24"))).toBe("ok");
    for (let i = 16; i < 40; i++) expect(code(r.publish(sybil(i).bytes, T0, "203.0.113.0/24"))).toBe("DISC_ORIGIN_PEER_LIMIT");
    expect(code(r.publish(issue(1).bytes, T0, "192.0.2.0/24"))).toBe("ok");
    expect(code(r.publish(issue(2).bytes, T0, "198.51.100.0/24"))).toBe("ok");
    expect(r.size).toBe(18);
    const q = query({ intent: "create an image", maxResults: 10 });
    const matches = must(r.query(q, T0));
    expect(matches.totalMatches).toBe(18);
    const ids = matches.matches.map((m) => m.descriptor.peerId);
    expect(ids).toHaveLength(5);
    expect(ids.filter((p) => p === peer(1) || p === peer(2))).toHaveLength(2);
  });
  it("DISC-021: a full registry refuses new peers, keeps serving remembered ones, and evicts nobody", () => {
    const r = new Registry({ ...LOOSE, maxPeers: 3 });
    const first = [1, 2, 3].map((i) => issue(i));
    for (const d of first) expect(code(r.publish(d.bytes, T0, "o"))).toBe("ok");
    expect(code(r.publish(issue(4).bytes, T0, "o"))).toBe("DISC_REGISTRY_FULL");
    expect(code(r.publish(refreshDescriptor(SK(1), first[0]!.descriptor, { now: T0 + 1n, ttlMs: TTL }).bytes, T0 + 1n, "o"))).toBe("ok");
    expect(code(r.publish(withdrawDescriptor(SK(2), first[1]!.descriptor, { now: T0 + 1n, ttlMs: TTL }).bytes, T0 + 1n, "o"))).toBe("ok");
    // A withdrawn peer is still remembered (DESC-016), so the registry is still full.
    expect(code(r.publish(issue(4, { now: T0 + 2n }).bytes, T0 + 2n, "o"))).toBe("DISC_REGISTRY_FULL");
    expect(peersOf(r, query(), T0 + 2n)).toEqual([peer(1), peer(3)].sort().map((p) => `${p}#0`));
    // Once retention ends and a sweep forgets peers, new ones are admitted.
    const later = T0 + 1n + 3_600_000n + SKEW;
    expect(r.sweep(later).forgotten).toBe(3);
    expect(code(r.publish(issue(4, { now: later }).bytes, later, "o"))).toBe("ok");
  });
  it("DISC-022: an answer holds at most the per-origin limit of results from any one origin", () => {
    const r = new Registry({ ...LOOSE, maxResultsPerOrigin: 2 });
    for (let i = 0; i < 5; i++) r.publish(issue(i, { caps: [capability({ constraints: { maxLatencyMs: 10 } })] }).bytes, T0, "X");
    for (let i = 5; i < 8; i++) r.publish(issue(i, { caps: [capability({ constraints: { maxLatencyMs: 20 } })] }).bytes, T0, "Y");
    // One peer of Z with three matching capabilities: each result counts.
    r.publish(issue(9, { caps: ["1.0.0", "1.1.0", "1.2.0"].map((version) => capability({ version, constraints: { maxLatencyMs: 30 } })) }).bytes, T0, "Z");
    const q = query({ maxResults: 10 });
    const a = answerOf(must(r.answer(q, T0, REGISTRY_SK)));
    expect([a.results.length, a.totalMatches]).toEqual([6, 11]);
    const byPeer = a.results.map((x) => answerOfDescriptorPeer(x.descriptor!.coseSign1));
    const fromX = [0, 1, 2, 3, 4].map(peer).sort().slice(0, 2);
    const fromY = [5, 6, 7].map(peer).sort().slice(0, 2);
    expect(byPeer).toEqual([...fromX, ...fromY, peer(9), peer(9)]);
    expect(a.results.slice(4).map((x) => x.capabilityIndex)).toEqual([0, 1]);
  });
  it("DISC-024: admission checks run before the signature, so a full registry refuses a forged new peer as full", () => {
    const r = new Registry({ ...LOOSE, maxPeers: 1 });
    r.publish(issue(1).bytes, T0, "o");
    const forged = issue(2).bytes.slice();
    forged[forged.length - 1]! ^= 1;
    expect(code(r.publish(forged, T0, "o"))).toBe("DISC_REGISTRY_FULL");
    expect(code(r.publish(Uint8Array.of(0xd2, 0x80), T0, "o"))).toBe("COSE_MALFORMED");
  });
});

describe("determinism (spec §6.5)", () => {
  const words = ["image", "create", "prompt", "text", "photo", "edit", "video"];
  const arbCap = fc.record({
    id: fc.constantFrom("generate", "edit", "gen"),
    version: fc.constantFrom("1.0.0", "1.2.0", "1.10.0", "2.0.0"),
    intents: fc.uniqueArray(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(" ")), { maxLength: 2 }),
    tags: fc.uniqueArray(fc.constantFrom(...words), { maxLength: 3 }),
    latency: fc.option(fc.constantFrom(10, 20, 30), { nil: undefined }),
    price: fc.option(fc.constantFrom(1n, 2n, 3n), { nil: undefined }),
  });
  const arbPeer = fc.record({
    caps: fc.uniqueArray(arbCap, { minLength: 1, maxLength: 3, selector: (c) => `${c.id}@${c.version}` }),
    origin: fc.constantFrom("A", "B", "C"),
    ttl: fc.constantFrom(20_000n, 60_000n),
  });
  const toCap = (c: { id: string; version: string; intents: string[]; tags: string[]; latency?: number | undefined; price?: bigint | undefined }): CapInit =>
    capability({
      id: c.id,
      version: c.version,
      intents: c.intents,
      tags: c.tags,
      constraints: {
        ...(c.latency === undefined ? {} : { maxLatencyMs: c.latency }),
        ...(c.price === undefined ? {} : { price: { currency: "EUR", unit: PriceUnit.CALL, amountMicros: c.price } }),
      },
    });
  const arbQuery = fc.record({
    intent: fc.array(fc.constantFrom(...words, "unknown"), { maxLength: 3 }).map((w) => w.join(" ")),
    priced: fc.boolean(),
    maxResults: fc.integer({ min: 1, max: 8 }),
    prefix: fc.boolean(),
  });
  const cache = new Map<string, Uint8Array>();

  it("DISC-011: two registries fed the same descriptors in any order return identical answers, byte for byte", () => {
    fc.assert(
      fc.property(fc.array(arbPeer, { minLength: 1, maxLength: 10 }), arbQuery, fc.infiniteStream(fc.nat()), (peers, aq, randoms) => {
        const published = peers.map((p, i) => {
          const caps = p.caps.map(toCap);
          const k = `${i}|${p.ttl}|${JSON.stringify(caps, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`;
          let bytes = cache.get(k);
          if (bytes === undefined) cache.set(k, (bytes = issueDescriptor(SK(i), { capabilities: caps }, 1n, { now: T0, ttlMs: p.ttl }).bytes));
          return { bytes, origin: p.origin };
        });
        const shuffled = [...published];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randoms.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const policy = { ...LOOSE, maxResultsPerOrigin: 2 };
        const r1 = new Registry(policy);
        const r2 = new Registry(policy);
        for (const p of published) expect(code(r1.publish(p.bytes, T0, p.origin))).toBe("ok");
        for (const p of shuffled) expect(code(r2.publish(p.bytes, T0, p.origin))).toBe("ok");
        const q = query({
          intent: aq.intent,
          maxResults: aq.maxResults,
          ...(aq.priced ? { maxPrice: { currency: "EUR", unit: PriceUnit.CALL, amountMicros: 2n } } : {}),
          ...(aq.prefix ? { id: "gen", idMatch: 2 } : {}),
        });
        const now = T0 + 1_000n;
        const a1 = r1.answer(q, now, REGISTRY_SK);
        const a2 = r2.answer(q, now, REGISTRY_SK);
        expect(a1.ok && a2.ok).toBe(true);
        if (!a1.ok || !a2.ok) return;
        expect(Buffer.from(a1.value).equals(Buffer.from(a2.value))).toBe(true);
        // The client recomputes the order and every match from the descriptors alone.
        const v = verifyRegistryAnswer(a1.value, { query: q, expectedRegistry: REGISTRY, now });
        expect(code(v)).toBe("ok");
        if (!v.ok) return;
        for (let i = 1; i < v.value.results.length; i++) expect(compareKeys(v.value.results[i - 1]!.key, v.value.results[i]!.key)).toBeLessThan(0);
        // The bounded selection equals the plain definition: sort every match, skip origins over the limit, truncate.
        const all = new Registry({ ...policy, maxResultsPerOrigin: 100 });
        for (const p of published) all.publish(p.bytes, T0, p.origin);
        const every = must(all.query(create(QuerySchema, { ...q, maxResults: 100 }), now)).matches;
        const originOf = new Map(published.map((p, i) => [peer(i), p.origin]));
        const perOrigin = new Map<string, number>();
        const expected = every
          .filter((m) => {
            const o = originOf.get(m.descriptor.peerId)!;
            const n = perOrigin.get(o) ?? 0;
            perOrigin.set(o, n + 1);
            return n < 2;
          })
          .slice(0, aq.maxResults)
          .map((m) => `${m.descriptor.peerId}#${m.capabilityIndex}`);
        expect(v.value.results.map((x) => `${x.descriptor.peerId}#${x.capabilityIndex}`)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the example of spec §6.10", () => {
  const rfc = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
  const TEST1 = rfc("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const TEST2 = rfc("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  const TEST3 = rfc("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");
  const sketch = (id: string, version: string, constraints: CapInit["constraints"]): CapInit => ({
    namespace: "ai.image",
    id,
    version,
    intents: ["turn a sketch into an image"],
    tags: ["image", "sketch"],
    constraints,
  });
  const peers: [Uint8Array, CapInit[]][] = [
    [
      TEST1,
      [
        { namespace: "ai.image", id: "generate", version: "1.2.0", intents: ["create an image from a text prompt"], tags: ["image", "text-to-image"], constraints: { maxLatencyMs: 8000, regions: ["DE"] } },
        { ...sketch("sketch-to-image", "1.0.0", { maxLatencyMs: 12000, regions: ["DE"] }), tags: ["sketch"] },
      ],
    ],
    [TEST2, [sketch("sketch-to-image", "1.1.0", { maxLatencyMs: 9000, regions: ["FR"] })]],
    [
      TEST3,
      [
        sketch("sketch-to-image", "1.1.0", { maxLatencyMs: 9000, regions: ["NL"] }),
        sketch("sketch-to-image", "2.0.0", { maxLatencyMs: 9000, regions: ["NL"] }),
        sketch("sketch-to-image-fast", "1.0.0", { maxLatencyMs: 3000 }),
      ],
    ],
  ];
  it("DISC-008, DISC-010, DISC-011: matches, scores and order as printed", () => {
    const r = new Registry();
    peers.forEach(([sk, caps], i) => expect(code(r.publish(issueDescriptor(sk, { capabilities: caps }, 1n, { now: T0, ttlMs: 600_000n }).bytes, T0, `o${i}`))).toBe("ok"));
    const q = query({ version: "1", versionMatch: 2, intent: "Turn my sketch into an image!", maxLatencyMs: 10_000, allowedRegions: ["DE", "FR", "NL"], maxResults: 10 });
    const now = T0 + 60_000n;
    const bytes = r.answer(q, now, REGISTRY_SK);
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    const v = verifyRegistryAnswer(bytes.value, { query: q, expectedRegistry: REGISTRY, now });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const did = (sk: Uint8Array) => didFromPublicKey(publicKeyFromSecret(sk));
    expect(v.value.results.map((x) => [x.descriptor.peerId, x.capability.id, x.capability.version, x.key.score, x.key.breadth, x.key.latency])).toEqual([
      [did(TEST2), "sketch-to-image", "1.1.0", 5, 6, 9000],
      [did(TEST3), "sketch-to-image", "1.1.0", 5, 6, 9000],
      [did(TEST1), "generate", "1.2.0", 2, 8, 8000],
    ]);
    expect([v.value.answer.totalMatches, v.value.answer.asOf, v.value.answer.freshUntil]).toEqual([3, 1767225660000n, 1767225690000n]);
    expect([did(TEST1), did(TEST2), did(TEST3)].map((d) => d.slice(0, 13))).toEqual(["did:key:z6Mkt", "did:key:z6Mki", "did:key:z6Mkw"]);
  });
});
