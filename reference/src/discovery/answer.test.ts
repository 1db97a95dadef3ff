import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { CapabilitySchema, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QuerySchema, RegistryAnswerSchema, type Query, type RegistryAnswer } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { messageHash } from "../codec/hash.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { signSign1 } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueDescriptor, refreshDescriptor, withdrawDescriptor } from "../descriptor/issue.js";
import { parseSignedMessage, signMessage } from "../signed/signed-message.js";
import { signRegistryAnswer, verifyRegistryAnswer, type AnswerContent, type AnswerResult } from "./answer.js";
import { Registry } from "./registry.js";

type QueryInit = Exclude<MessageInitShape<typeof QuerySchema>, Query>;
type CapInit = Exclude<MessageInitShape<typeof CapabilitySchema>, Capability>;

const utf8 = new TextEncoder();
const SK = (i: number) => sha256(utf8.encode(`answer test peer ${i}`));
const REGISTRY_SK = sha256(utf8.encode("answer test registry"));
const OTHER_SK = sha256(utf8.encode("answer test other registry"));
const REGISTRY = didFromPublicKey(publicKeyFromSecret(REGISTRY_SK));
const OTHER = didFromPublicKey(publicKeyFromSecret(OTHER_SK));
const T0 = 1767225600000n;
const TTL = 600_000n;
const SKEW = 5_000n;
const FRESH = 30_000n;

const capability = (init: Partial<CapInit> = {}): CapInit => ({ namespace: "ai.image", id: "generate", version: "1.2.0", tags: ["image"], ...init });
const issue = (i: number, caps: CapInit[] = [capability()], now = T0, ttl = TTL) => issueDescriptor(SK(i), { capabilities: caps }, 1n, { now, ttlMs: ttl });
const query = (nonceByte = 1, init: Partial<QueryInit> = {}): Query =>
  create(QuerySchema, { namespace: "ai.image", intent: "image", nonce: new Uint8Array(16).fill(nonceByte), maxResults: 3, ...init });
const Q = query();
const HASH = messageHash(QuerySchema, Q);

/** Three descriptors in rank order: peer ids sort as the helper below arranges. */
const descriptors = [1, 2, 3].map((i) => issue(i));
const ranked = [...descriptors].sort((a, b) => (a.descriptor.peerId < b.descriptor.peerId ? -1 : 1));
const results = (...ds: { bytes: Uint8Array }[]): AnswerResult[] => ds.map((d) => ({ descriptor: d.bytes, capabilityIndex: 0 }));
const content = (over: Partial<AnswerContent> = {}): AnswerContent => ({
  queryHash: HASH,
  asOf: T0,
  freshUntil: T0 + FRESH,
  results: results(...ranked),
  totalMatches: 3,
  ...over,
});
const verify = (bytes: Uint8Array, now = T0, query = Q, expectedRegistry = REGISTRY, maxFreshnessMs?: bigint) => {
  const v = verifyRegistryAnswer(bytes, { query, expectedRegistry, now, ...(maxFreshnessMs === undefined ? {} : { policy: { descriptor: { maxTtlMs: 3_600_000n, clockSkewMs: SKEW }, maxFreshnessMs } }) });
  return v.ok ? "ok" : v.error.code;
};
const signed = (over: Partial<AnswerContent> = {}, sk = REGISTRY_SK) => signRegistryAnswer(content(over), sk);

describe("verifying an answer (spec §6.7)", () => {
  it("DISC-015: a registry's own answer verifies, with every result and its recomputed key", () => {
    const r = new Registry();
    descriptors.forEach((d, i) => r.publish(d.bytes, T0, `origin ${i}`));
    const bytes = r.answer(Q, T0, REGISTRY_SK);
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    expect(Buffer.from(bytes.value).equals(Buffer.from(signed()))).toBe(true);
    const v = verifyRegistryAnswer(bytes.value, { query: Q, expectedRegistry: REGISTRY, now: T0 });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.registryId).toBe(REGISTRY);
    expect(v.value.results.map((x) => x.descriptor.peerId)).toEqual(ranked.map((d) => d.descriptor.peerId));
    expect(v.value.results.map((x) => x.key.score)).toEqual([1, 1, 1]);
  });

  it("DISC-015: signed by a registry other than the one asked → DISC_REGISTRY_UNEXPECTED", () => {
    expect(verify(signed({}, OTHER_SK))).toBe("DISC_REGISTRY_UNEXPECTED");
    expect(verify(signed({}, OTHER_SK), T0, Q, OTHER)).toBe("ok");
  });
  it("DISC-015: registry_id naming someone other than the signer → COSE_KID_MISMATCH", () => {
    const a = create(RegistryAnswerSchema, { registryId: REGISTRY, queryHash: HASH, asOf: T0, freshUntil: T0 + FRESH, totalMatches: 0 });
    expect(verify(signMessage(RegistryAnswerSchema, a, OTHER_SK))).toBe("COSE_KID_MISMATCH");
  });
  it("DISC-015: a tampered answer → SIG_INVALID, or the code of the defect", () => {
    const bytes = signed();
    const badSig = bytes.slice();
    badSig[badSig.length - 1]! ^= 1;
    expect(verify(badSig)).toBe("SIG_INVALID");
    // Change one byte of the as_of value inside the payload: still well-formed, so the signature catches it.
    const a = signed({ asOf: T0 });
    const asOfAt = Buffer.from(a).indexOf(Buffer.from("1b0000019b76daa800", "hex"));
    expect(asOfAt).toBeGreaterThan(0);
    const moved = a.slice();
    moved[asOfAt + 8]! ^= 1;
    expect(verify(moved)).toBe("SIG_INVALID");
    const descriptorSigned = signSign1(encodeCanonical(messageToCbor(RegistryAnswerSchema, create(RegistryAnswerSchema, { registryId: REGISTRY, queryHash: HASH, asOf: T0, freshUntil: T0 + 1n }))), "application/ap2p.descriptor.v1+cbor", REGISTRY_SK);
    expect(verify(descriptorSigned)).toBe("COSE_CONTENT_TYPE_MISMATCH");
  });
  it("DISC-015: an answer to another query, or a replayed one → DISC_ANSWER_QUERY_MISMATCH", () => {
    const bytes = signed();
    expect(verify(bytes, T0, query(2))).toBe("DISC_ANSWER_QUERY_MISMATCH");
    expect(verify(bytes, T0, query(1, { maxResults: 4 }))).toBe("DISC_ANSWER_QUERY_MISMATCH");
    expect(verify(bytes, T0, query(1))).toBe("ok");
  });
  it("DISC-015: fresh_until not after as_of, or too far after it → DISC_ANSWER_WINDOW_INVALID", () => {
    expect(verify(signed({ freshUntil: T0 }))).toBe("DISC_ANSWER_WINDOW_INVALID");
    expect(verify(signed({ freshUntil: T0 + 300_001n, results: [] , totalMatches: 0 }))).toBe("DISC_ANSWER_WINDOW_INVALID");
    expect(verify(signed({ freshUntil: T0 + 300_000n, results: [], totalMatches: 0 }))).toBe("ok");
    expect(verify(signed({ freshUntil: T0 + 60_001n }), T0, Q, REGISTRY, 60_000n)).toBe("DISC_ANSWER_WINDOW_INVALID");
    expect(verify(signed({ freshUntil: T0 + 60_000n }), T0, Q, REGISTRY, 60_000n)).toBe("ok");
    expect(() => verify(signed(), T0, Q, REGISTRY, 300_001n)).toThrow(/maxFreshnessMs/);
  });
  it("DISC-015: as_of beyond the client's time plus skew → DISC_ANSWER_FROM_FUTURE", () => {
    expect(verify(signed(), T0 - SKEW)).toBe("ok");
    expect(verify(signed(), T0 - SKEW - 1n)).toBe("DISC_ANSWER_FROM_FUTURE");
  });
  it("DISC-015: at fresh_until + skew the answer is stale → DISC_ANSWER_STALE", () => {
    expect(verify(signed(), T0 + FRESH + SKEW - 1n)).toBe("ok");
    expect(verify(signed(), T0 + FRESH + SKEW)).toBe("DISC_ANSWER_STALE");
  });
  it("DISC-015: more results than max_results or than total_matches → DISC_ANSWER_TOO_MANY_RESULTS", () => {
    expect(verify(signed(), T0, query(1, { maxResults: 2 }))).toBe("DISC_ANSWER_QUERY_MISMATCH");
    const q2 = query(1, { maxResults: 2 });
    const hash2 = messageHash(QuerySchema, q2);
    expect(verify(signed({ queryHash: hash2 }), T0, q2)).toBe("DISC_ANSWER_TOO_MANY_RESULTS");
    expect(verify(signed({ totalMatches: 2 }))).toBe("DISC_ANSWER_TOO_MANY_RESULTS");
    expect(verify(signed({ totalMatches: 1000 }))).toBe("ok");
  });
  it("DISC-015: a result that does not verify as a descriptor at the client's time → DISC_ANSWER_RESULT_INVALID", () => {
    const tampered = ranked[0]!.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    const v = verifyRegistryAnswer(signed({ results: [{ descriptor: tampered, capabilityIndex: 0 }], totalMatches: 1 }), { query: Q, expectedRegistry: REGISTRY, now: T0 });
    expect(!v.ok && [v.error.code, v.error.path, (v.error.cause as { code: string }).code]).toEqual(["DISC_ANSWER_RESULT_INVALID", "results[0]", "SIG_INVALID"]);
    expect(verify(signed({ results: [{ descriptor: Uint8Array.of(1, 2, 3), capabilityIndex: 0 }], totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_INVALID");
    // Expired at the client's time although the answer is fresh: only a dishonest registry or a
    // client whose skew differs can produce this.
    const short = issue(4, [capability()], T0 - TTL, TTL);
    expect(verify(signed({ results: results(short), totalMatches: 1, freshUntil: T0 + 1n }), T0 + SKEW)).toBe("DISC_ANSWER_RESULT_INVALID");
  });
  it("DISC-015: a result not valid from as_of to fresh_until → DISC_ANSWER_RESULT_INVALID", () => {
    const future = issue(4, [capability()], T0 + 1n);
    expect(verify(signed({ results: results(future), totalMatches: 1 }), T0 + 1n)).toBe("DISC_ANSWER_RESULT_INVALID");
    const ending = issue(5, [capability()], T0, FRESH - 1n);
    expect(verify(signed({ results: results(ending), totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_INVALID");
    expect(verify(signed({ results: results(ending), totalMatches: 1, freshUntil: T0 + FRESH - 1n }))).toBe("ok");
  });
  it("DISC-015: a result whose capability is out of range or does not match → DISC_ANSWER_RESULT_MISMATCH", () => {
    expect(verify(signed({ results: [{ descriptor: ranked[0]!.bytes, capabilityIndex: 1 }], totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_MISMATCH");
    const other = issue(4, [capability({ tags: ["audio"] })]);
    expect(verify(signed({ results: results(other), totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_MISMATCH");
    const elsewhere = issue(5, [capability({ namespace: "ai.audio" })]);
    expect(verify(signed({ results: results(elsewhere), totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_MISMATCH");
    const tombstone = withdrawDescriptor(SK(6), issue(6).descriptor, { now: T0, ttlMs: TTL });
    expect(verify(signed({ results: results(tombstone), totalMatches: 1 }))).toBe("DISC_ANSWER_RESULT_MISMATCH");
  });
  it("DISC-015: the same result twice, or two descriptors of one peer → DISC_ANSWER_DUPLICATE_RESULT", () => {
    expect(verify(signed({ results: results(ranked[0]!, ranked[0]!) }))).toBe("DISC_ANSWER_DUPLICATE_RESULT");
    expect(verify(signed({ results: results(ranked[0]!, ranked[1]!, ranked[0]!) }))).toBe("DISC_ANSWER_DUPLICATE_RESULT");
    const two = issue(7, [capability({ version: "1.0.0" }), capability({ version: "2.0.0" })]);
    const newer = refreshDescriptor(SK(7), two.descriptor, { now: T0, ttlMs: TTL });
    expect(verify(signed({ results: [{ descriptor: two.bytes, capabilityIndex: 0 }, { descriptor: newer.bytes, capabilityIndex: 1 }], totalMatches: 2 }))).toBe("DISC_ANSWER_DUPLICATE_RESULT");
    expect(verify(signed({ results: [{ descriptor: two.bytes, capabilityIndex: 0 }, { descriptor: two.bytes, capabilityIndex: 1 }], totalMatches: 2 }))).toBe("ok");
  });
  it("DISC-015: results out of rank order → DISC_ANSWER_OUT_OF_ORDER", () => {
    expect(verify(signed({ results: results(ranked[1]!, ranked[0]!, ranked[2]!) }))).toBe("DISC_ANSWER_OUT_OF_ORDER");
    expect(verify(signed({ results: results(ranked[0]!, ranked[2]!) }))).toBe("ok"); // omissions are not detectable
    const two = issue(7, [capability({ version: "1.0.0" }), capability({ version: "2.0.0" })]);
    expect(verify(signed({ results: [{ descriptor: two.bytes, capabilityIndex: 1 }, { descriptor: two.bytes, capabilityIndex: 0 }], totalMatches: 2 }))).toBe("DISC_ANSWER_OUT_OF_ORDER");
  });
  it("DISC-016: checks run in the order of the table (signature before query, times before results)", () => {
    const bad = signed({ freshUntil: T0, results: results(ranked[1]!, ranked[0]!) }, OTHER_SK);
    expect(verify(bad)).toBe("DISC_REGISTRY_UNEXPECTED");
    const tampered = signed({ queryHash: new Uint8Array(32) }).slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(verify(tampered)).toBe("SIG_INVALID");
    expect(verify(signed({ queryHash: new Uint8Array(32), freshUntil: T0 }))).toBe("DISC_ANSWER_QUERY_MISMATCH");
    expect(verify(signed({ freshUntil: T0, results: results(ranked[1]!, ranked[0]!) }), T0 + 10n * FRESH)).toBe("DISC_ANSWER_WINDOW_INVALID");
    expect(verify(signed({ results: results(ranked[1]!, ranked[0]!) }), T0 + 10n * FRESH)).toBe("DISC_ANSWER_STALE");
    expect(verify(signed({ totalMatches: 0, results: results(ranked[1]!, ranked[0]!) }))).toBe("DISC_ANSWER_TOO_MANY_RESULTS");
  });
  it("DISC-016: a result older than a descriptor the client already knows is set aside, not held against the answer", () => {
    const known = new Map([[ranked[1]!.descriptor.peerId, 2n], [ranked[2]!.descriptor.peerId, 1n]]);
    const v = verifyRegistryAnswer(signed(), { query: Q, expectedRegistry: REGISTRY, now: T0, knownSeq: (p) => known.get(p) });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.results.map((x) => x.descriptor.peerId)).toEqual([ranked[0]!.descriptor.peerId, ranked[2]!.descriptor.peerId]);
    expect(v.value.superseded.map((x) => x.descriptor.peerId)).toEqual([ranked[1]!.descriptor.peerId]);
  });
  it("never throws on arbitrary bytes or on any single-byte change", () => {
    const good = signed();
    for (let i = 0; i < good.length; i += 3) {
      const m = good.slice();
      m[i]! ^= 0x20;
      const v = verifyRegistryAnswer(m, { query: Q, expectedRegistry: REGISTRY, now: T0 });
      expect(v.ok).toBe(false);
    }
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(1 + (i % 90)).map((_, j) => (j * 37 + i * 11) & 0xff);
      b[0] = 0xd2;
      expect(() => verifyRegistryAnswer(b, { query: Q, expectedRegistry: REGISTRY, now: T0 })).not.toThrow();
    }
  });
  it("a client's own invalid query is a caller error, not a verdict", () => {
    expect(() => verifyRegistryAnswer(signed(), { query: query(1, { id: "x" }), expectedRegistry: REGISTRY, now: T0 })).toThrow(/DISC_QUERY_INVALID/);
  });
  it("the answer is a signed message of its own kind", () => {
    const v = parseSignedMessage<RegistryAnswer>(RegistryAnswerSchema, signed());
    expect(v.ok && v.value.envelope.contentType).toBe("application/ap2p.registry-answer.v1+cbor");
  });
});
