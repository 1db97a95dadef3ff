// discovery-registry.json: a registry's two paths (spec/06-discovery.md). The
// publish path: verification with the registry's own policy, the change each
// accepted descriptor makes, seq rollback and tombstones, and the admission
// limits of §6.8 (rate limits with exact refill, descriptor size, identities
// per origin, the memory bound) in the order of the table of §6.2. The answer
// path: eligibility, matching, ranking with every tie-break, per-origin
// result limits, max_results and freshness (§6.4 to §6.6), as the exact signed
// answer a registry must produce.
//
// Each test starts a registry with the group's policy and replays a history
// of publish requests whose outcomes the test states. Expected results are
// written out from the specification's rules; the answer bytes are assembled
// from those stated results with the generator's own CBOR writer.
import { signEd25519 } from "../../../reference/src/crypto/ed25519.js";
import { hex } from "../bytes.js";
import { enc } from "../cbor-writer.js";
import { HOUR, MINUTE, T0 } from "../constants.js";
import { ALICE, assemble, BOB, CAROL, DAVE, DESCRIPTOR_CT, honestParts, sigStructure, type Peer } from "../fixtures.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type TestVector, type VectorFileModule } from "../model.js";
import type { Body } from "../proto-json.js";
import {
  CALL,
  CAP_BARE,
  dec,
  emptyAnswer,
  EX_TEST1_CAPS,
  EX_TEST2_CAPS,
  EX_TEST3_CAPS,
  EXACT,
  live,
  liveBody,
  no,
  ok,
  ORIGIN_1,
  ORIGIN_2,
  ORIGIN_3,
  ORIGIN_4,
  ORIGIN_5,
  PEER_LOWER,
  PEER_UPPER,
  PEERS,
  PREFIX,
  PUBLISHED,
  queryBody,
  queryHash,
  queryJson,
  REFRESHED,
  REGISTRY,
  registryShared,
  resultsJson,
  sd,
  signAnswer,
  stepsJson,
  tomb,
  WITHDRAWN,
  type Step,
} from "./discovery-common.js";

// ---------------------------------------------------------------------------
// Builders

function pub(id: string, requirements: string[], comment: string, history: Step[], d: Uint8Array, now: bigint, origin: string, change: string, flags: FlagName[] = []): TestVector {
  return valid(id, { requirements, comment, flags, inputs: { history: stepsJson(history), descriptor: hex(d), now: dec(now), origin }, output: { change } });
}
function rej(id: string, error: string, requirements: string[], comment: string, history: Step[], d: Uint8Array, now: bigint, origin: string, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { history: stepsJson(history), descriptor: hex(d), now: dec(now), origin } });
}

/** A result of an answer as the test states it: the peer, the descriptor bytes returned and the capability index. */
interface R {
  readonly peer: Peer;
  readonly d: Uint8Array;
  readonly index: number;
}

/** A registry.answer test: the results, total_matches and fresh_until stated; the answer bytes assembled from them. */
function answers(
  id: string,
  requirements: string[],
  comment: string,
  history: Step[],
  query: Body,
  now: bigint,
  expected: { results: R[]; total: number; freshUntil: bigint },
  flags: FlagName[] = [],
): TestVector {
  const answer = signAnswer({
    registryId: REGISTRY.did,
    queryHash: queryHash(query),
    asOf: now,
    freshUntil: expected.freshUntil,
    results: expected.results.map((r) => ({ descriptor: r.d, index: r.index })),
    totalMatches: expected.total,
  });
  return valid(id, {
    requirements,
    comment,
    flags,
    inputs: { history: stepsJson(history), query: queryJson(query), now: dec(now) },
    output: { results: resultsJson(expected.results), total_matches: expected.total, fresh_until: dec(expected.freshUntil), answer: hex(answer) },
  });
}
function answerRefused(id: string, error: string, requirements: string[], comment: string, history: Step[], query: Body, now: bigint, flags: FlagName[] = []): TestVector {
  return invalid(id, error, { requirements, comment, flags, inputs: { history: stepsJson(history), query: queryJson(query), now: dec(now) } });
}

/** A descriptor that claims `claimed` (as peer_id and kid) but carries a signature by `signer`: a forgery. */
function forged(body: Body, claimed: Peer, signer: Peer): Uint8Array {
  const parts = honestParts(claimed, DESCRIPTOR_CT, enc(body));
  return assemble({ ...parts, signature: signEd25519(signer.seed, sigStructure(parts.protectedBytes, parts.payload)) });
}

/** A valid descriptor of `peer` whose COSE_Sign1 is exactly `size` bytes long, padded with one intent. */
function sizedDescriptor(peer: Peer, size: number): Uint8Array {
  for (let k = 25; k <= 256; k++) {
    const d = live(peer, [{ ...CAP_BARE, intents: ["a".repeat(k)] }]);
    if (d.length === size) return d;
  }
  throw new Error(`no descriptor of exactly ${size} bytes`);
}

const cap = (over: Body = {}): Body => ({ ...CAP_BARE, ...over });

function build() {
  const H = T0 + 1_000n; // when most histories publish

  // ---- the publish path under the default policy ----------------------------
  const a1 = live(ALICE, [CAP_BARE]);
  const a2 = live(ALICE, [CAP_BARE], { seq: 2n, issued: T0 + 30_000n });
  const aT3 = tomb(ALICE, 3n, T0 + 60_000n);
  const a4 = live(ALICE, [CAP_BARE], { seq: 4n, issued: T0 + 120_000n });
  const a1short = live(ALICE, [CAP_BARE], { ttl: MINUTE });
  const a2late = live(ALICE, [CAP_BARE], { seq: 2n, issued: T0 + 120_000n });
  const bobT1 = tomb(BOB, 1n, T0);
  const P = ["DISC-001", "DISC-005"];
  const publish = group("registry.publish", "Publishing under the default policy of DISC-023: each descriptor verified as §5.7 specifies with the registry's maximum TTL, skew and memory of seq (DISC-001), and the change it makes (DISC-005). Origins are labels the transport gives (DISC-017).", registryShared(), [
    pub("discovery-registry/publish/first-001", P, "a peer's first descriptor", [], a1, H, ORIGIN_1, PUBLISHED),
    pub("discovery-registry/publish/refresh-001", ["DISC-002", "DISC-005"], "seq 1, then seq 2", [ok(a1, H, ORIGIN_1)], a2, T0 + 31_000n, ORIGIN_1, REFRESHED),
    pub("discovery-registry/publish/withdraw-001", ["DISC-002", "DISC-005"], "seq 1, seq 2, then the tombstone seq 3", [ok(a1, H, ORIGIN_1), ok(a2, T0 + 31_000n, ORIGIN_1, REFRESHED)], aT3, T0 + 61_000n, ORIGIN_1, WITHDRAWN, ["Tombstone"]),
    pub("discovery-registry/publish/withdraw-unknown-001", ["DISC-005"], "a tombstone from a peer the registry has never seen: the change is still WITHDRAWN", [], bobT1, H, ORIGIN_1, WITHDRAWN, ["Tombstone"]),
    pub("discovery-registry/publish/return-after-withdraw-001", ["DISC-005"], "seq 1, the tombstone seq 3, then a live seq 4: the registry remembered only a tombstone, so the change is PUBLISHED", [ok(a1, H, ORIGIN_1), ok(aT3, T0 + 61_000n, ORIGIN_1, WITHDRAWN)], a4, T0 + 121_000n, ORIGIN_1, PUBLISHED, ["Tombstone"]),
    pub("discovery-registry/publish/refresh-after-expiry-001", ["DISC-005"], "seq 1 with a one-minute lifetime expired (and is still remembered, DESC-016); seq 2 replaces it: REFRESHED, expired or not", [ok(a1short, H, ORIGIN_1)], a2late, T0 + 121_000n, ORIGIN_1, REFRESHED),
    pub("discovery-registry/publish/new-origin-001", ["DISC-005", "DISC-017"], "a refresh from another origin than the first descriptor: accepted; the peer's origin becomes the new one", [ok(a1, H, ORIGIN_1)], a2, T0 + 31_000n, ORIGIN_2, REFRESHED),
    rej("discovery-registry/publish/rollback-001", "DESC_SEQ_ROLLBACK", ["DISC-001", "DISC-002", "DISC-005"], "seq 1, seq 2, then seq 1 again, still within its lifetime", [ok(a1, H, ORIGIN_1), ok(a2, T0 + 31_000n, ORIGIN_1, REFRESHED)], a1, T0 + 32_000n, ORIGIN_1, ["SeqRollback"]),
    rej("discovery-registry/publish/replay-001", "DESC_SEQ_ROLLBACK", ["DISC-001", "DISC-002"], "the same descriptor twice", [ok(a1, H, ORIGIN_1)], a1, T0 + 2_000n, ORIGIN_1, ["SeqRollback"]),
    rej("discovery-registry/publish/replay-after-withdraw-001", "DESC_SEQ_ROLLBACK", ["DISC-003", "DISC-002", "DESC-021"], "seq 1, seq 2, the tombstone seq 3, then seq 2 again: a withdrawn peer's descriptor must not come back", [ok(a1, H, ORIGIN_1), ok(a2, T0 + 31_000n, ORIGIN_1, REFRESHED), ok(aT3, T0 + 61_000n, ORIGIN_1, WITHDRAWN)], a2, T0 + 62_000n, ORIGIN_1, ["SeqRollback", "Tombstone"]),
    rej("discovery-registry/publish/tombstone-replay-001", "DESC_SEQ_ROLLBACK", ["DISC-002"], "the tombstone presented again", [ok(a1, H, ORIGIN_1), ok(aT3, T0 + 61_000n, ORIGIN_1, WITHDRAWN)], aT3, T0 + 62_000n, ORIGIN_1, ["SeqRollback", "Tombstone"]),
    rej("discovery-registry/publish/expired-001", "DESC_EXPIRED", P, "issued two minutes before T0 with a one-minute lifetime", [], live(ALICE, [CAP_BARE], { issued: T0 - 2n * MINUTE, ttl: MINUTE }), H, ORIGIN_1),
    rej("discovery-registry/publish/not-yet-valid-001", "DESC_NOT_YET_VALID", P, "issued_at = now + skew + 1", [], live(ALICE, [CAP_BARE], { issued: H + 5_001n }), H, ORIGIN_1, ["ClockSkewEdge"]),
    pub("discovery-registry/publish/not-yet-valid-edge-001", P, "issued_at = now + skew: accepted", [], live(ALICE, [CAP_BARE], { issued: H + 5_000n }), H, ORIGIN_1, PUBLISHED, ["ClockSkewEdge"]),
    rej("discovery-registry/publish/forged-001", "SIG_INVALID", P, "peer_id and kid name the TEST 1 key; the TEST 2 key signed", [], forged(liveBody(ALICE, [CAP_BARE]), ALICE, BOB), H, ORIGIN_1, ["WrongSignature"]),
    rej("discovery-registry/publish/kid-mismatch-001", "COSE_KID_MISMATCH", P, "peer_id names the TEST 2 key, the TEST 1 key signed and is the kid", [], sd(liveBody(BOB, [CAP_BARE]), ALICE), H, ORIGIN_1, ["KidConfusion"]),
    rej("discovery-registry/publish/unsigned-001", "COSE_TAG_MISSING", P, "the descriptor's payload without an envelope", [], enc(liveBody(ALICE, [CAP_BARE])), H, ORIGIN_1, ["Unsigned"]),
    rej("discovery-registry/publish/answer-as-descriptor-001", "COSE_CONTENT_TYPE_MISMATCH", P, "a registry answer, signed under its own content type, submitted as a descriptor", [], emptyAnswer(), H, ORIGIN_1, ["CrossKindReplay"]),
    pub("discovery-registry/publish/ttl-at-max-001", P, "a lifetime of one hour, the default maximum", [], live(ALICE, [CAP_BARE], { ttl: HOUR }), H, ORIGIN_1, PUBLISHED, ["TtlLimit"]),
    rej("discovery-registry/publish/ttl-over-max-001", "DESC_TTL_TOO_LONG", P, "a lifetime of one hour and 1 ms", [], live(ALICE, [CAP_BARE], { ttl: HOUR + 1n }), H, ORIGIN_1, ["TtlLimit"]),
  ]);

  const lowTtl = group("registry.publish", "A registry whose maximum TTL is 600,000 ms, lower than the protocol default (DISC-001).", registryShared({ max_ttl_ms: 600_000n }), [
    pub("discovery-registry/publish/registry-ttl-at-max-001", ["DISC-001"], "a lifetime of 600,000 ms", [], live(ALICE, [CAP_BARE], { ttl: 600_000n }), H, ORIGIN_1, PUBLISHED, ["TtlLimit"]),
    rej("discovery-registry/publish/registry-ttl-over-max-001", "DESC_TTL_TOO_LONG", ["DISC-001"], "a lifetime of 600,001 ms", [], live(ALICE, [CAP_BARE], { ttl: 600_001n }), H, ORIGIN_1, ["TtlLimit"]),
    rej("discovery-registry/publish/registry-ttl-hour-001", "DESC_TTL_TOO_LONG", ["DISC-001"], "a lifetime of one hour, which a registry with the default policy accepts", [], live(ALICE, [CAP_BARE], { ttl: HOUR }), H, ORIGIN_1, ["TtlLimit"]),
  ]);

  // ---- rate limits ------------------------------------------------------------
  // The default peer bucket: 5 publishes, then one per 10 s.
  const s = [1n, 2n, 3n, 4n, 5n, 6n].map((seq) => live(ALICE, [CAP_BARE], { seq }));
  const burst = (n: number): Step[] => s.slice(0, n).map((d, i) => ok(d, H, ORIGIN_1, i === 0 ? PUBLISHED : REFRESHED));
  const forgery = forged(liveBody(ALICE, [CAP_BARE], { seq: 9n }), ALICE, BOB);
  const R = ["DISC-018"];
  const peerRate = group("registry.publish", "The peer's token bucket under the default policy (capacity 5,000 milli-tokens, refill 100 per second): five publishes at once, then one every 10 s (DISC-018).", registryShared(), [
    rej("discovery-registry/rate/peer-burst-001", "DISC_PEER_RATE_LIMITED", R, "seq 1 to 5 at one instant use the bucket's five tokens; seq 6 at the same instant is refused", burst(5), s[5]!, H, ORIGIN_1, ["RateLimit"]),
    rej("discovery-registry/rate/peer-refill-edge-001", "DISC_PEER_RATE_LIMITED", R, "seq 6 9,999 ms later: 999 milli-tokens refilled, less than a token", burst(5), s[5]!, H + 9_999n, ORIGIN_1, ["RateLimit", "TimeEdge"]),
    pub("discovery-registry/rate/peer-refill-001", R, "seq 6 10,000 ms later: exactly one token refilled", burst(5), s[5]!, H + 10_000n, ORIGIN_1, REFRESHED, ["RateLimit", "TimeEdge"]),
    pub("discovery-registry/rate/forgery-not-charged-001", R, "seq 1 to 4, then three forgeries in the peer's name from another origin (rejected with SIG_INVALID): they take none of the peer's tokens, so seq 5 is accepted", [...burst(4), no(forgery, H, ORIGIN_3, "SIG_INVALID"), no(forgery, H, ORIGIN_3, "SIG_INVALID"), no(forgery, H, ORIGIN_3, "SIG_INVALID")], s[4]!, H, ORIGIN_1, REFRESHED, ["RateLimit", "WrongSignature"]),
    pub("discovery-registry/rate/rejected-not-charged-001", R, "seq 1 to 4, then seq 4 twice more (DESC_SEQ_ROLLBACK): a rejected descriptor takes no token, so seq 5 is accepted", [...burst(4), no(s[3]!, H, ORIGIN_1, "DESC_SEQ_ROLLBACK"), no(s[3]!, H, ORIGIN_1, "DESC_SEQ_ROLLBACK")], s[4]!, H, ORIGIN_1, REFRESHED, ["RateLimit", "SeqRollback"]),
    rej("discovery-registry/rate/peer-before-signature-001", "DISC_PEER_RATE_LIMITED", ["DISC-024"], "the bucket of the peer a forgery claims is empty: step 4 (the claimed peer's bucket) comes before the signature (step 7)", burst(5), forgery, H, ORIGIN_3, ["RateLimit", "DefectOrder"]),
  ]);

  // A tight origin bucket: three publishes, then one per second.
  const b1 = live(BOB, [CAP_BARE]);
  const c1 = live(CAROL, [CAP_BARE]);
  const junk = enc(liveBody(DAVE, [CAP_BARE]));
  const three: Step[] = [ok(a1, H, ORIGIN_1), no(junk, H, ORIGIN_1, "COSE_TAG_MISSING"), ok(b1, H, ORIGIN_1)];
  const originRate = group("registry.publish", "The origin's token bucket with capacity 3,000 milli-tokens and a refill of 1,000 per second; other limits at their defaults (DISC-018). Every request takes a token from its origin, valid or not.", registryShared({ origin_bucket_capacity_milli: 3_000n, origin_bucket_refill_milli_per_second: 1_000n }), [
    rej("discovery-registry/rate/origin-burst-001", "DISC_ORIGIN_RATE_LIMITED", R, "three requests at one instant, one of them rejected (an unsigned payload), use the origin's three tokens; a fourth is refused", three, c1, H, ORIGIN_1, ["RateLimit"]),
    pub("discovery-registry/rate/origin-per-origin-001", R, "the same, with the fourth request from another origin: accepted", three, c1, H, ORIGIN_2, PUBLISHED, ["RateLimit"]),
    rej("discovery-registry/rate/origin-refill-edge-001", "DISC_ORIGIN_RATE_LIMITED", R, "the fourth request 999 ms later: 999 milli-tokens", three, c1, H + 999n, ORIGIN_1, ["RateLimit", "TimeEdge"]),
    pub("discovery-registry/rate/origin-refill-001", R, "the fourth request 1,000 ms later: one token", three, c1, H + 1_000n, ORIGIN_1, PUBLISHED, ["RateLimit", "TimeEdge"]),
    pub("discovery-registry/rate/origin-not-negative-001", R, "two refused requests while the bucket is empty do not drive it below zero: one token again 1,000 ms after the burst", [...three, no(c1, H, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED"), no(c1, H + 500n, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED")], c1, H + 1_000n, ORIGIN_1, PUBLISHED, ["RateLimit"]),
    rej("discovery-registry/rate/origin-before-parse-001", "DISC_ORIGIN_RATE_LIMITED", ["DISC-024"], "an unsigned payload from an origin without tokens: the origin is charged before anything is parsed", three, junk, H, ORIGIN_1, ["RateLimit", "DefectOrder"]),
    rej("discovery-registry/rate/origin-before-signature-001", "DISC_ORIGIN_RATE_LIMITED", ["DISC-024"], "a forgery from an origin without tokens", three, forged(liveBody(CAROL, [CAP_BARE]), CAROL, BOB), H, ORIGIN_1, ["RateLimit", "DefectOrder"]),
  ]);

  // Exact refill: one token, refilled at 1 milli-token per second, so each
  // millisecond credits a thousandth of a milli-token that the remainder keeps.
  const late1 = live(BOB, [CAP_BARE], { issued: T0 + 500_000n });
  const late2 = live(CAROL, [CAP_BARE], { issued: T0 + 1_000_000n });
  const remainder = group("registry.publish", "An origin bucket of one token (1,000 milli-tokens) refilled at 1 milli-token per second: a refill credits ⌊((now − u) × R + r) / 1000⌋ and keeps the remainder r (DISC-018). After the first publish empties the bucket at H = T0 + 1 s, a request at H + 500,999 ms is refused (500 milli-tokens, remainder 999).", registryShared({ origin_bucket_capacity_milli: 1_000n, origin_bucket_refill_milli_per_second: 1n }), [
    pub("discovery-registry/rate/remainder-001", R, "at H + 1,000,000 ms the bucket holds exactly a token: 500 + ⌊(499,001 + 999) / 1000⌋ = 1,000. Without the remainder it would hold 999", [ok(a1, H, ORIGIN_1), no(late1, H + 500_999n, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED")], late2, H + 1_000_000n, ORIGIN_1, PUBLISHED, ["RateLimit", "RemainderCarry"]),
    rej("discovery-registry/rate/remainder-edge-001", "DISC_ORIGIN_RATE_LIMITED", R, "at H + 999,999 ms: 500 + ⌊(499,000 + 999) / 1000⌋ = 999 milli-tokens", [ok(a1, H, ORIGIN_1), no(late1, H + 500_999n, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED")], late2, H + 999_999n, ORIGIN_1, ["RateLimit", "RemainderCarry"]),
    rej("discovery-registry/rate/clock-back-001", "DISC_ORIGIN_RATE_LIMITED", R, "a request at H − 5,000 ms (the clock stepped back) changes nothing, not even the bucket's time: at H + 999,999 ms the bucket holds 999 milli-tokens", [ok(a1, H, ORIGIN_1), no(b1, H - 5_000n, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED")], late2, H + 999_999n, ORIGIN_1, ["RateLimit", "RemainderCarry"]),
    pub("discovery-registry/rate/clock-back-refill-001", R, "the same, at H + 1,000,000 ms: a token", [ok(a1, H, ORIGIN_1), no(b1, H - 5_000n, ORIGIN_1, "DISC_ORIGIN_RATE_LIMITED")], late2, H + 1_000_000n, ORIGIN_1, PUBLISHED, ["RateLimit", "RemainderCarry"]),
  ]);

  // ---- descriptor size --------------------------------------------------------
  const SIZE = 400;
  const atLimit = sizedDescriptor(BOB, SIZE);
  const overLimit = sizedDescriptor(BOB, SIZE + 1);
  const size = group("registry.publish", `A registry whose maximum descriptor size is ${SIZE} bytes (DISC-019); other limits at their defaults.`, registryShared({ max_descriptor_bytes: SIZE }), [
    pub("discovery-registry/size/at-limit-001", ["DISC-019"], `a descriptor of exactly ${SIZE} bytes`, [], atLimit, H, ORIGIN_1, PUBLISHED, ["DescriptorSize"]),
    rej("discovery-registry/size/over-limit-001", "DISC_DESCRIPTOR_TOO_LARGE", ["DISC-019"], `a valid descriptor of ${SIZE + 1} bytes`, [], overLimit, H, ORIGIN_1, ["DescriptorSize"]),
    rej("discovery-registry/size/before-parse-001", "DISC_DESCRIPTOR_TOO_LARGE", ["DISC-024"], `${SIZE + 1} bytes of 0xff, which are not CBOR: the size is checked before the bytes are parsed`, [], new Uint8Array(SIZE + 1).fill(0xff), H, ORIGIN_1, ["DescriptorSize", "DefectOrder"]),
  ]);

  // ---- identities per origin and the memory bound ----------------------------
  const [p1, p2, p3, p4] = PEERS as [Peer, Peer, Peer, Peer];
  const d = (p: Peer, o: { seq?: bigint; issued?: bigint; ttl?: bigint } = {}) => live(p, [CAP_BARE], o);
  const t = (i: number) => T0 + BigInt(i) * 1_000n;
  const twoInO1: Step[] = [ok(d(p1), t(1), ORIGIN_1), ok(d(p2), t(2), ORIGIN_1)];
  const full: Step[] = [ok(d(p1), t(1), ORIGIN_1), ok(d(p2), t(2), ORIGIN_2), ok(d(p3), t(3), ORIGIN_3)];
  const O = ["DISC-020"];
  const F = ["DISC-021"];
  const limits = group("registry.publish", "A registry that remembers at most 3 peers, at most 2 per origin; other limits at their defaults (DISC-020, DISC-021). Peers count while remembered: live, expired or withdrawn (§5.6, DESC-016).", registryShared({ max_peers: 3, max_peers_per_origin: 2 }), [
    rej("discovery-registry/limits/origin-peers-001", "DISC_ORIGIN_PEER_LIMIT", O, "two peers from origin 1, then a third", twoInO1, d(p3), t(3), ORIGIN_1, ["IdentityLimit"]),
    pub("discovery-registry/limits/origin-peers-other-origin-001", O, "two peers from origin 1, then a third from origin 2", twoInO1, d(p3), t(3), ORIGIN_2, PUBLISHED, ["IdentityLimit"]),
    pub("discovery-registry/limits/origin-peers-refresh-001", O, "a full origin: a refresh of a peer it already has is accepted", twoInO1, d(p1, { seq: 2n }), t(3), ORIGIN_1, REFRESHED, ["IdentityLimit"]),
    pub("discovery-registry/limits/origin-move-out-001", ["DISC-017", "DISC-020"], "peer 1 refreshes from origin 2, so its origin is origin 2 (the origin of its latest accepted descriptor); origin 1 has room for a new peer again", [...twoInO1, ok(d(p1, { seq: 2n }), t(3), ORIGIN_2, REFRESHED)], d(p3), t(4), ORIGIN_1, PUBLISHED, ["IdentityLimit"]),
    rej("discovery-registry/limits/origin-move-in-001", "DISC_ORIGIN_PEER_LIMIT", ["DISC-017", "DISC-020"], "origin 2 has two peers; peer 1, remembered under origin 1, refreshes from origin 2: refused", [ok(d(p1), t(1), ORIGIN_1), ok(d(p2), t(2), ORIGIN_2), ok(d(p3), t(3), ORIGIN_2)], d(p1, { seq: 2n }), t(4), ORIGIN_2, ["IdentityLimit"]),
    rej("discovery-registry/limits/origin-withdrawn-count-001", "DISC_ORIGIN_PEER_LIMIT", O, "two peers from origin 1, one of them withdrawn: a withdrawn peer still counts", [...twoInO1, ok(tomb(p2, 2n, t(3)), t(3), ORIGIN_1, WITHDRAWN)], d(p3), t(4), ORIGIN_1, ["IdentityLimit", "Tombstone"]),
    rej("discovery-registry/limits/origin-expired-count-001", "DISC_ORIGIN_PEER_LIMIT", O, "two peers from origin 1 whose one-minute descriptors have expired: they are still remembered, and count", [ok(d(p1, { ttl: MINUTE }), t(1), ORIGIN_1), ok(d(p2, { ttl: MINUTE }), t(2), ORIGIN_1)], d(p3, { issued: T0 + 2n * MINUTE }), T0 + 2n * MINUTE, ORIGIN_1, ["IdentityLimit"]),
    rej("discovery-registry/limits/origin-before-signature-001", "DISC_ORIGIN_PEER_LIMIT", ["DISC-024"], "a forgery naming a new peer, from a full origin: step 6 comes before the signature", twoInO1, forged(liveBody(p3, [CAP_BARE]), p3, p4), t(3), ORIGIN_1, ["IdentityLimit", "DefectOrder"]),
    rej("discovery-registry/limits/full-001", "DISC_REGISTRY_FULL", F, "three peers remembered, then a fourth", full, d(p4), t(4), ORIGIN_4, ["IdentityLimit"]),
    pub("discovery-registry/limits/full-refresh-001", F, "a full registry keeps accepting refreshes from the peers it remembers", full, d(p2, { seq: 2n }), t(4), ORIGIN_2, REFRESHED, ["IdentityLimit"]),
    pub("discovery-registry/limits/full-withdraw-001", F, "a full registry keeps accepting tombstones from the peers it remembers", full, tomb(p3, 2n, t(4)), t(4), ORIGIN_3, WITHDRAWN, ["IdentityLimit", "Tombstone"]),
    rej("discovery-registry/limits/full-after-withdraw-001", "DISC_REGISTRY_FULL", F, "three peers, one withdrawn, then a fourth: the withdrawn peer is remembered (and its seq with it), never evicted to make room", [...full, ok(tomb(p3, 2n, t(4)), t(4), ORIGIN_3, WITHDRAWN)], d(p4), t(5), ORIGIN_4, ["IdentityLimit", "Tombstone"]),
    rej("discovery-registry/limits/full-after-expiry-001", "DISC_REGISTRY_FULL", F, "three peers whose one-minute descriptors have expired, then a fourth: expired peers are remembered until their retention ends (DESC-016)", [ok(d(p1, { ttl: MINUTE }), t(1), ORIGIN_1), ok(d(p2, { ttl: MINUTE }), t(2), ORIGIN_2), ok(d(p3, { ttl: MINUTE }), t(3), ORIGIN_3)], d(p4, { issued: T0 + 2n * MINUTE }), T0 + 2n * MINUTE, ORIGIN_4, ["IdentityLimit"]),
    rej("discovery-registry/limits/full-before-signature-001", "DISC_REGISTRY_FULL", ["DISC-024"], "a forgery naming a new peer at a full registry: refused without checking the signature", full, forged(liveBody(p4, [CAP_BARE]), p4, p1), t(4), ORIGIN_4, ["IdentityLimit", "DefectOrder"]),
    rej("discovery-registry/limits/full-after-well-formed-001", "COSE_TAG_MISSING", ["DISC-024"], "an unsigned payload naming a new peer at a full registry: well-formedness (step 3) comes before the limits on peers (step 5)", full, enc(liveBody(p4, [CAP_BARE])), t(4), ORIGIN_4, ["IdentityLimit", "DefectOrder", "Unsigned"]),
    rej("discovery-registry/limits/full-before-origin-001", "DISC_REGISTRY_FULL", ["DISC-024"], "a new peer from an origin that has its two peers, at a full registry: step 5 (memory) comes before step 6 (origin)", [ok(d(p1), t(1), ORIGIN_1), ok(d(p2), t(2), ORIGIN_1), ok(d(p3), t(3), ORIGIN_2)], d(p4), t(4), ORIGIN_1, ["IdentityLimit", "DefectOrder"]),
  ]);

  // ---- the answer path ---------------------------------------------------------
  const TTL = 600_000n;
  const AS_OF = T0 + 60_000n;
  const FRESH = AS_OF + 30_000n;
  const ex1 = live(ALICE, EX_TEST1_CAPS, { ttl: TTL });
  const ex2 = live(BOB, EX_TEST2_CAPS, { ttl: TTL });
  const ex3 = live(CAROL, EX_TEST3_CAPS, { ttl: TTL });
  const example: Step[] = [ok(ex1, T0, ORIGIN_1), ok(ex2, T0, ORIGIN_2), ok(ex3, T0, ORIGIN_3)];
  const exQuery = (over: Body = {}, label = "example") =>
    queryBody({ version: "1", version_match: PREFIX, intent: "Turn my sketch into an image!", max_latency_ms: 10000, allowed_regions: ["DE", "FR", "NL"], ...over }, label);
  const RANK = ["DISC-011", "DISC-014"];

  // Two capabilities of one score for the intent "image": a stuffed one
  // (an intent of seven words, tag image: breadth 7) and a focused one
  // (intent "generate an image", tag image: breadth 3).
  const stuffed = cap({ intents: ["image picture photo art drawing painting render"], tags: ["image"], constraints: { max_latency_ms: 1000 } });
  const focused = cap({ intents: ["generate an image"], tags: ["image"], constraints: { max_latency_ms: 5000 } });
  const breadthHistory: Step[] = [ok(live(BOB, [stuffed]), H, ORIGIN_1), ok(live(CAROL, [focused]), H, ORIGIN_2)];
  const bobStuffed = live(BOB, [stuffed]);
  const carolFocused = live(CAROL, [focused]);

  const latencyHistory: Step[] = [ok(live(ALICE, [cap({ constraints: { max_latency_ms: 60000 } })]), H, ORIGIN_1), ok(live(BOB, [CAP_BARE]), H, ORIGIN_2)];
  const priced = (amount: bigint) => cap({ constraints: { max_latency_ms: 1000, price: amount === 0n ? { currency: "EUR", unit: CALL } : { currency: "EUR", amount_micros: amount, unit: CALL } } });
  const aP = live(ALICE, [priced(500n)]);
  const bP = live(BOB, [priced(20_000n)]);
  const cP = live(CAROL, [priced(0n)]);
  const priceHistory: Step[] = [ok(aP, H, ORIGIN_1), ok(bP, H, ORIGIN_2), ok(cP, H, ORIGIN_3)];

  const upper = live(PEER_UPPER, [CAP_BARE]);
  const lower = live(PEER_LOWER, [CAP_BARE]);
  const ids = live(ALICE, [cap({ id: "imagegen" }), cap({ id: "image_gen" }), cap({ id: "image-gen" })]);
  const versions = live(ALICE, [cap({ version: "1.2.0" }), cap({ version: "1.10.0" }), cap({ version: "1.9.0" })]);
  const prefixes = live(ALICE, [cap({ version: "1.0.0" }), cap({ version: "10.0.0" }), cap({ version: "1.4.2" }), cap({ version: "11.0.0" })]);

  // Four peers of one origin and one of another, ranked by latency.
  const lat = (ms: number) => cap({ constraints: { max_latency_ms: ms } });
  const q = [1000, 2000, 3000, 4000].map((ms, i) => live(PEERS[i]!, [lat(ms)]));
  const carol5 = live(CAROL, [lat(5000)]);
  const crowd: Step[] = [...q.map((x) => ok(x, H, ORIGIN_1)), ok(carol5, H, ORIGIN_2)];
  const p0moved = live(PEERS[0]!, [lat(1000)], { seq: 2n, issued: T0 + 2_000n });
  const manyCaps = live(ALICE, ["1.0.0", "1.1.0", "1.2.0", "1.3.0"].map((v) => cap({ version: v, constraints: { max_latency_ms: 1000 } })));
  const bob2000 = live(BOB, [lat(2000)]);

  // Eligibility at as_of, with no skew (DISC-014).
  const endsAtAsOf = live(ALICE, [CAP_BARE], { ttl: 60_000n }); // expires_at = AS_OF
  const endsAfterAsOf = live(BOB, [CAP_BARE], { issued: T0 + 1n, ttl: 60_000n }); // expires_at = AS_OF + 1
  const startsAfterAsOf = live(CAROL, [CAP_BARE], { issued: AS_OF + 1n });
  const startsAtAsOf = live(ALICE, [CAP_BARE], { issued: AS_OF });
  const soon = live(BOB, [lat(2000)], { ttl: 70_000n }); // expires_at = AS_OF + 10,000
  const later = live(ALICE, [lat(1000)]);

  const gen1 = live(ALICE, [cap({ id: "generate" })]);
  const edit2 = live(ALICE, [cap({ id: "edit" })], { seq: 2n, issued: T0 + 2_000n });
  const g2 = live(ALICE, [CAP_BARE], { seq: 2n, issued: T0 + 2_000n });
  const shortAlice = live(ALICE, [CAP_BARE], { ttl: MINUTE });
  const bobPlain = live(BOB, [CAP_BARE]);

  const A = ["DISC-012", "DISC-013", "DISC-014"];
  const all = queryBody();
  const answer = group(
    "registry.answer",
    "A registry under the default policy of DISC-023 (answer freshness 30,000 ms, 3 results per origin) that has handled inputs.history answers inputs.query at inputs.now, signing with shared.secret_key. Output: the results (peer and capability index, best first), total_matches, fresh_until and the exact signed answer.",
    registryShared({}, { secret_key: hex(REGISTRY.seed) }),
    [
      answers("discovery-registry/answer/example-001", ["DISC-008", "DISC-010", "DISC-011", "DISC-012", "DISC-013", "DISC-014"], "the example of spec §6.10: TEST 2 and TEST 3 tie on score 5, breadth 6 and latency 9,000 and are ordered by peer_id; TEST 1's generate (score 2) ranks last; three capabilities do not match (latency, version 2.0.0, no regions)", example, exQuery(), AS_OF, { results: [{ peer: BOB, d: ex2, index: 0 }, { peer: CAROL, d: ex3, index: 0 }, { peer: ALICE, d: ex1, index: 0 }], total: 3, freshUntil: FRESH }, ["SpecExample", "RankOrder"]),
      answers("discovery-registry/answer/max-results-001", A, "the example with max_results 2: the best two, total_matches still 3", example, exQuery({ max_results: 2 }, "example-2"), AS_OF, { results: [{ peer: BOB, d: ex2, index: 0 }, { peer: CAROL, d: ex3, index: 0 }], total: 3, freshUntil: FRESH }),
      answers("discovery-registry/answer/no-match-001", A, "no capability in the namespace ai.audio: no results, total_matches 0, fresh_until as_of + 30,000", example, queryBody({ namespace: "ai.audio" }), AS_OF, { results: [], total: 0, freshUntil: FRESH }),
      answers("discovery-registry/answer/breadth-001", ["DISC-011", "DISC-010"], "intent 'image': both score 1; the focused capability (breadth 3) ranks before the stuffed one (breadth 7), although the stuffed one promises a lower latency and has the lower peer_id", breadthHistory, queryBody({ intent: "image" }), AS_OF, { results: [{ peer: CAROL, d: carolFocused, index: 0 }, { peer: BOB, d: bobStuffed, index: 0 }], total: 2, freshUntil: FRESH }, ["RankOrder"]),
      answers("discovery-registry/answer/breadth-without-intent-001", ["DISC-011"], "the same capabilities without an intent: breadth is not compared, and the lower latency ranks first", breadthHistory, all, AS_OF, { results: [{ peer: BOB, d: bobStuffed, index: 0 }, { peer: CAROL, d: carolFocused, index: 0 }], total: 2, freshUntil: FRESH }, ["RankOrder"]),
      answers("discovery-registry/answer/latency-none-last-001", ["DISC-011"], "a capability promising 60,000 ms ranks before one promising no latency, whose peer_id is lower", latencyHistory, all, AS_OF, { results: [{ peer: ALICE, d: live(ALICE, [cap({ constraints: { max_latency_ms: 60000 } })]), index: 0 }, { peer: BOB, d: live(BOB, [CAP_BARE]), index: 0 }], total: 2, freshUntil: FRESH }, ["RankOrder", "OmittedAttribute"]),
      answers("discovery-registry/answer/price-001", ["DISC-011"], "max_price 1 EUR per call: equal latencies, so the price decides: 0 (TEST 3), 500 (TEST 1), 20,000 micros (TEST 2)", priceHistory, queryBody({ max_price: { currency: "EUR", amount_micros: 1_000_000n, unit: CALL } }), AS_OF, { results: [{ peer: CAROL, d: cP, index: 0 }, { peer: ALICE, d: aP, index: 0 }, { peer: BOB, d: bP, index: 0 }], total: 3, freshUntil: FRESH }, ["RankOrder"]),
      answers("discovery-registry/answer/price-not-asked-001", ["DISC-011"], "the same capabilities without max_price: prices are not compared, and peer_id decides", priceHistory, all, AS_OF, { results: [{ peer: BOB, d: bP, index: 0 }, { peer: ALICE, d: aP, index: 0 }, { peer: CAROL, d: cP, index: 0 }], total: 3, freshUntil: FRESH }, ["RankOrder"]),
      answers("discovery-registry/answer/peer-id-bytewise-001", ["DISC-011"], `two equal capabilities: ${PEER_UPPER.did} before ${PEER_LOWER.did}, since "M" (0x4d) < "d" (0x64); a case-insensitive comparison orders them the other way`, [ok(lower, H, ORIGIN_1), ok(upper, H, ORIGIN_2)], all, AS_OF, { results: [{ peer: PEER_UPPER, d: upper, index: 0 }, { peer: PEER_LOWER, d: lower, index: 0 }], total: 2, freshUntil: FRESH }, ["RankOrder", "BytewiseOrder"]),
      answers("discovery-registry/answer/id-bytewise-001", ["DISC-011", "DISC-008"], "id prefix image: the ids image-gen, image_gen, imagegen in bytewise order ('-' 0x2d < '_' 0x5f < 'g' 0x67), listed in the descriptor in the reverse order", [ok(ids, H, ORIGIN_1)], queryBody({ id: "image", id_match: PREFIX }), AS_OF, { results: [{ peer: ALICE, d: ids, index: 2 }, { peer: ALICE, d: ids, index: 1 }, { peer: ALICE, d: ids, index: 0 }], total: 3, freshUntil: FRESH }, ["RankOrder", "BytewiseOrder"]),
      answers("discovery-registry/answer/version-bytewise-001", ["DISC-011"], "versions 1.2.0, 1.10.0 and 1.9.0 of one capability rank by their text: 1.10.0, 1.2.0, 1.9.0", [ok(versions, H, ORIGIN_1)], all, AS_OF, { results: [{ peer: ALICE, d: versions, index: 1 }, { peer: ALICE, d: versions, index: 0 }, { peer: ALICE, d: versions, index: 2 }], total: 3, freshUntil: FRESH }, ["RankOrder", "BytewiseOrder"]),
      answers("discovery-registry/answer/version-prefix-001", ["DISC-008"], "version prefix 1 against 1.0.0, 10.0.0, 1.4.2 and 11.0.0: only 1.0.0 and 1.4.2 match", [ok(prefixes, H, ORIGIN_1)], queryBody({ version: "1", version_match: PREFIX }), AS_OF, { results: [{ peer: ALICE, d: prefixes, index: 0 }, { peer: ALICE, d: prefixes, index: 2 }], total: 2, freshUntil: FRESH }, ["VersionPrefix"]),
      answers("discovery-registry/answer/id-exact-001", ["DISC-008"], "id generate, MATCH_MODE_EXACT, against the ids image-gen, image_gen and imagegen: nothing", [ok(ids, H, ORIGIN_1)], queryBody({ id: "generate", id_match: EXACT }), AS_OF, { results: [], total: 0, freshUntil: FRESH }),
      answers("discovery-registry/answer/diversity-001", ["DISC-022", "DISC-014"], "four peers of origin 1 (latencies 1,000 to 4,000) and one of origin 2 (5,000): at most three results of origin 1, so the fourth is dropped and origin 2's takes its place; total_matches counts all five", crowd, all, AS_OF, { results: [{ peer: PEERS[0]!, d: q[0]!, index: 0 }, { peer: PEERS[1]!, d: q[1]!, index: 0 }, { peer: PEERS[2]!, d: q[2]!, index: 0 }, { peer: CAROL, d: carol5, index: 0 }], total: 5, freshUntil: FRESH }, ["ResultDiversity"]),
      answers("discovery-registry/answer/diversity-before-max-results-001", ["DISC-022", "DISC-014"], "the same with max_results 4: the per-origin limit applies first, then the first four are kept", crowd, queryBody({ max_results: 4 }, "max-4"), AS_OF, { results: [{ peer: PEERS[0]!, d: q[0]!, index: 0 }, { peer: PEERS[1]!, d: q[1]!, index: 0 }, { peer: PEERS[2]!, d: q[2]!, index: 0 }, { peer: CAROL, d: carol5, index: 0 }], total: 5, freshUntil: FRESH }, ["ResultDiversity"]),
      answers("discovery-registry/answer/diversity-moved-001", ["DISC-022", "DISC-017"], "the first of the four peers refreshes from origin 4, so origin 1 has three: all five are returned", [...crowd, ok(p0moved, T0 + 2_000n, ORIGIN_4, REFRESHED)], all, AS_OF, { results: [{ peer: PEERS[0]!, d: p0moved, index: 0 }, { peer: PEERS[1]!, d: q[1]!, index: 0 }, { peer: PEERS[2]!, d: q[2]!, index: 0 }, { peer: PEERS[3]!, d: q[3]!, index: 0 }, { peer: CAROL, d: carol5, index: 0 }], total: 5, freshUntil: FRESH }, ["ResultDiversity"]),
      answers("discovery-registry/answer/diversity-per-result-001", ["DISC-022"], "one peer with four matching capabilities: it counts once per result, so three of them are returned, then TEST 2's", [ok(manyCaps, H, ORIGIN_1), ok(bob2000, H, ORIGIN_2)], all, AS_OF, { results: [{ peer: ALICE, d: manyCaps, index: 0 }, { peer: ALICE, d: manyCaps, index: 1 }, { peer: ALICE, d: manyCaps, index: 2 }, { peer: BOB, d: bob2000, index: 0 }], total: 5, freshUntil: FRESH }, ["ResultDiversity"]),
      answers("discovery-registry/answer/expires-at-as-of-001", ["DISC-014", "DISC-003"], "TEST 1's descriptor expires exactly at as_of: not eligible, although it is still within the skew allowance; TEST 2's expires 1 ms later: eligible, and fresh_until is its expires_at", [ok(endsAtAsOf, H, ORIGIN_1), ok(endsAfterAsOf, H, ORIGIN_2)], all, AS_OF, { results: [{ peer: BOB, d: endsAfterAsOf, index: 0 }], total: 1, freshUntil: AS_OF + 1n }, ["ClockSkewEdge"]),
      answers("discovery-registry/answer/issued-after-as-of-001", ["DISC-014"], "TEST 3's descriptor is issued 1 ms after as_of (accepted within the skew allowance): not eligible; TEST 1's is issued at as_of: eligible", [ok(startsAfterAsOf, T0 + 59_000n, ORIGIN_3), ok(startsAtAsOf, AS_OF, ORIGIN_1)], all, AS_OF, { results: [{ peer: ALICE, d: startsAtAsOf, index: 0 }], total: 1, freshUntil: FRESH }, ["ClockSkewEdge"]),
      answers("discovery-registry/answer/fresh-until-earliest-001", ["DISC-013"], "a result that expires 10,000 ms after as_of ends the answer's freshness then", [ok(later, H, ORIGIN_1), ok(soon, H, ORIGIN_2)], all, AS_OF, { results: [{ peer: ALICE, d: later, index: 0 }, { peer: BOB, d: soon, index: 0 }], total: 2, freshUntil: AS_OF + 10_000n }),
      answers("discovery-registry/answer/fresh-until-results-only-001", ["DISC-013"], "the same with max_results 1: the early-expiring match is not a result, so it does not shorten the freshness", [ok(later, H, ORIGIN_1), ok(soon, H, ORIGIN_2)], queryBody({ max_results: 1 }, "max-1"), AS_OF, { results: [{ peer: ALICE, d: later, index: 0 }], total: 2, freshUntil: FRESH }),
      answers("discovery-registry/answer/withdrawn-001", ["DISC-002", "DISC-003"], "TEST 1 withdrew: its capabilities are gone", [ok(a1, H, ORIGIN_1), ok(bobPlain, H, ORIGIN_2), ok(tomb(ALICE, 2n, T0 + 2_000n), T0 + 2_000n, ORIGIN_1, WITHDRAWN)], all, AS_OF, { results: [{ peer: BOB, d: bobPlain, index: 0 }], total: 1, freshUntil: FRESH }, ["Tombstone"]),
      answers("discovery-registry/answer/refresh-replaces-001", ["DISC-002"], "TEST 1's seq 1 offered generate, its seq 2 offers edit instead: generate is gone", [ok(gen1, H, ORIGIN_1), ok(edit2, T0 + 2_000n, ORIGIN_1, REFRESHED)], queryBody({ id: "generate", id_match: EXACT }), AS_OF, { results: [], total: 0, freshUntil: FRESH }),
      answers("discovery-registry/answer/refresh-new-bytes-001", ["DISC-002", "DISC-014"], "the same registry asked for edit: the result carries seq 2, byte for byte", [ok(gen1, H, ORIGIN_1), ok(edit2, T0 + 2_000n, ORIGIN_1, REFRESHED)], queryBody({ id: "edit", id_match: EXACT }), AS_OF, { results: [{ peer: ALICE, d: edit2, index: 0 }], total: 1, freshUntil: FRESH }),
      answers("discovery-registry/answer/rollback-ignored-001", ["DISC-002"], "seq 1, seq 2, then seq 1 again (rejected): the answer carries seq 2", [ok(a1, H, ORIGIN_1), ok(g2, T0 + 2_000n, ORIGIN_1, REFRESHED), no(a1, T0 + 3_000n, ORIGIN_1, "DESC_SEQ_ROLLBACK")], all, AS_OF, { results: [{ peer: ALICE, d: g2, index: 0 }], total: 1, freshUntil: FRESH }, ["SeqRollback"]),
      answers("discovery-registry/answer/expired-001", ["DISC-003", "DISC-014"], "TEST 1's one-minute descriptor expired long before as_of (T0 + 5 minutes)", [ok(shortAlice, H, ORIGIN_1), ok(bobPlain, H, ORIGIN_2)], all, T0 + 5n * MINUTE, { results: [{ peer: BOB, d: bobPlain, index: 0 }], total: 1, freshUntil: T0 + 5n * MINUTE + 30_000n }),
      answerRefused("discovery-registry/answer/query-invalid-001", "DISC_QUERY_INVALID", ["DISC-006", "DISC-012"], "an id without id_match: the registry answers with the error and no answer", example, queryBody({ id: "generate" }), AS_OF, ["QueryRule"]),
      answerRefused("discovery-registry/answer/query-nonce-short-001", "SCHEMA_LENGTH_OUT_OF_RANGE", ["DISC-006", "DISC-007", "DISC-012"], "a nonce of 8 bytes", example, queryBody({ nonce: new Uint8Array(8).fill(7) }), AS_OF, ["SchemaRule"]),
    ],
  );

  const longFresh = group(
    "registry.answer",
    "A registry whose answer freshness is 300,000 ms, the most DISC-013 allows; other limits at their defaults.",
    registryShared({ answer_freshness_ms: 300_000n }, { secret_key: hex(REGISTRY.seed) }),
    [
      answers("discovery-registry/answer/freshness-policy-001", ["DISC-013"], "the example of §6.10 with a freshness of 300,000 ms: fresh_until = as_of + 300,000, before every result expires", example, exQuery(), AS_OF, { results: [{ peer: BOB, d: ex2, index: 0 }, { peer: CAROL, d: ex3, index: 0 }, { peer: ALICE, d: ex1, index: 0 }], total: 3, freshUntil: AS_OF + 300_000n }, ["SpecExample"]),
      answers("discovery-registry/answer/freshness-capped-by-expiry-001", ["DISC-013"], "the same asked 5 minutes later: every result expires at T0 + 600,000, before as_of + 300,000", example, exQuery({}, "example-later"), T0 + 5n * MINUTE + 60_000n, { results: [{ peer: BOB, d: ex2, index: 0 }, { peer: CAROL, d: ex3, index: 0 }, { peer: ALICE, d: ex1, index: 0 }], total: 3, freshUntil: T0 + TTL }),
    ],
  );

  return {
    name: "discovery-registry",
    description:
      "A discovery registry (spec/06-discovery.md): the publish path with its admission limits (§6.2, §6.8) and the signed answer a registry produces (§6.4 to §6.6). Operations registry.publish (shared: the registry policy; inputs: history, descriptor, now, origin; output: change) and registry.answer (shared: the registry policy and secret_key; inputs: history, query, now; output: results, total_matches, fresh_until, answer). T0 = 2026-01-01T00:00:00Z = 1767225600000 ms.",
    groups: [publish, lowTtl, peerRate, originRate, remainder, size, limits, answer, longFresh],
  };
}

export const discoveryRegistryFile: VectorFileModule = { name: "discovery-registry", build };
