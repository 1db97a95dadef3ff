// Registry scenarios (spec/06-discovery.md): the implementation runs a
// registry for the session; the harness plays the publishing peers and the
// querying client. Every descriptor is signed by the harness with a fixed
// test key, and every answer is checked with the reference client
// (verifyRegistryAnswer) for the harness's own query, nonce included.
import { create, toJson, type MessageInitShape } from "@bufbuild/protobuf";
import type { CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { issueDescriptor, refreshDescriptor, withdrawDescriptor, type SignedDescriptor } from "../../../reference/src/descriptor/issue.js";
import { verifyRegistryAnswer, type VerifiedAnswer } from "../../../reference/src/discovery/answer.js";
import { didOf, hex, testKey, type ScenarioSpec, type Steps } from "./scenario.js";

const RESET = "registry-node.reset";
const PUBLISH = "registry-node.publish";
const QUERY = "registry-node.query";
const OPERATIONS = [RESET, PUBLISH, QUERY];

const MAX_TTL_MS = 3_600_000n;
const SKEW_MS = 5_000n;
const TTL_MS = 60_000n;
const MAX_PEERS_PER_ORIGIN = 4;
const MAX_RESULTS_PER_ORIGIN = 3;

/** The registry's policy, in the form of the registry vectors' shared inputs. */
const POLICY = {
  max_ttl_ms: MAX_TTL_MS.toString(),
  clock_skew_ms: SKEW_MS.toString(),
  answer_freshness_ms: "30000",
  max_peers: 1000,
  max_peers_per_origin: MAX_PEERS_PER_ORIGIN,
  max_descriptor_bytes: 16384,
  peer_bucket_capacity_milli: "5000",
  peer_bucket_refill_milli_per_second: "100",
  origin_bucket_capacity_milli: "64000",
  origin_bucket_refill_milli_per_second: "2000",
  max_results_per_origin: MAX_RESULTS_PER_ORIGIN,
};

const REGISTRY_KEY = testKey("registry");

type CapabilityInit = MessageInitShape<typeof CapabilitySchema>;

/** ap2p.test/sha256@1.0.0 with the given tags and latency. */
function sha256Cap(tags: string[], maxLatencyMs?: number): CapabilityInit {
  return { namespace: "ap2p.test", id: "sha256", version: "1.0.0", tags, ...(maxLatencyMs === undefined ? {} : { constraints: { maxLatencyMs } }) };
}

/** A peer the harness plays: its key and its latest descriptor. */
class Peer {
  readonly key: Uint8Array;
  readonly id: string;
  latest: SignedDescriptor | undefined;
  constructor(readonly label: string) {
    this.key = testKey(`registry-scenario peer ${label}`);
    this.id = didOf(this.key);
  }
  issue(caps: CapabilityInit[], now: bigint, seq = 1n): SignedDescriptor {
    return (this.latest = issueDescriptor(this.key, { capabilities: caps }, seq, { now, ttlMs: TTL_MS }));
  }
  refresh(now: bigint): SignedDescriptor {
    return (this.latest = refreshDescriptor(this.key, this.latest!.descriptor, { now, ttlMs: TTL_MS }));
  }
  withdraw(now: bigint): SignedDescriptor {
    return (this.latest = withdrawDescriptor(this.key, this.latest!.descriptor, { now, ttlMs: TTL_MS }));
  }
}

let nonceCounter = 0;
/** A query for ap2p.test with a fresh nonce (DISC-007). */
function query(init: { readonly intent: string }): Query {
  nonceCounter++;
  const nonce = testKey(`query nonce ${nonceCounter}`).slice(0, 16);
  return create(QuerySchema, { namespace: "ap2p.test", maxResults: 10, nonce, ...init });
}

async function reset(s: Steps): Promise<void> {
  s.step("start a registry with the harness's key and policy");
  const out = await s.ok(RESET, { policy: POLICY, secret_key: hex(REGISTRY_KEY) }, "a fresh registry");
  const id = s.text(out, "registry_id", RESET);
  s.expect(id === didOf(REGISTRY_KEY), `registry_id is ${id}, not the did:key of the secret key given, ${didOf(REGISTRY_KEY)}`);
}

async function publish(s: Steps, d: SignedDescriptor | Uint8Array, origin: string, change: string, why: string): Promise<void> {
  const out = await s.ok(PUBLISH, { descriptor: hex(d instanceof Uint8Array ? d : d.bytes), origin }, why);
  const got = s.text(out, "change", PUBLISH);
  s.expect(got === change, `expected change ${change} (${why}); the registry answered ${got}`, got);
}

/**
 * Queries the registry and checks its signed answer as a client would
 * (DISC-015) at the harness's clock, for the harness's own query and nonce
 * (DISC-012), with as_of equal to the test clock and a valid freshness
 * window (DISC-013). Returns the peers of the results, in order.
 */
async function ask(s: Steps, q: Query): Promise<{ peers: string[]; verified: VerifiedAnswer }> {
  const out = await s.ok(QUERY, { query: toJson(QuerySchema, q) }, "a signed answer");
  const bytes = s.bytes(out, "answer", QUERY);
  const registryId = s.text(out, "registry_id", QUERY);
  s.expect(registryId === didOf(REGISTRY_KEY), `registry_id is ${registryId}, not the registry's ${didOf(REGISTRY_KEY)}`);
  const v = verifyRegistryAnswer(bytes, {
    query: q,
    expectedRegistry: didOf(REGISTRY_KEY),
    now: s.now,
    policy: { descriptor: { maxTtlMs: MAX_TTL_MS, clockSkewMs: SKEW_MS }, maxFreshnessMs: 300_000n },
  });
  if (!v.ok) s.fail(`the signed answer does not verify for the harness's query and nonce at ${s.now} (DISC-012, DISC-013, DISC-015): ${v.error.code}: ${v.error.message}`, v.error.code);
  const a = v.value.answer;
  s.expect(a.asOf === s.now, `as_of is ${a.asOf}, not the registry's (test) clock ${s.now} (DISC-012)`);
  s.expect(a.freshUntil > a.asOf, `fresh_until ${a.freshUntil} is not after as_of ${a.asOf} (DISC-013)`);
  return { peers: v.value.results.map((r) => r.descriptor.peerId), verified: v.value };
}

function names(peers: readonly string[], byId: ReadonlyMap<string, string>): string {
  return `[${peers.map((p) => byId.get(p) ?? p).join(", ")}]`;
}

function expectPeers(s: Steps, got: readonly string[], want: readonly Peer[], all: readonly Peer[], why: string): void {
  const byId = new Map(all.map((p) => [p.id, p.label]));
  const wanted = want.map((p) => p.id);
  s.expect(
    got.length === wanted.length && got.every((p, i) => p === wanted[i]),
    `expected the results ${names(wanted, byId)} in this order (${why}); the answer holds ${names(got, byId)}`,
  );
}

const orderScenario: ScenarioSpec = {
  id: "scenario/registry/order-001",
  requirements: ["DISC-008", "DISC-010", "DISC-011", "DISC-012", "DISC-013"],
  operations: OPERATIONS,
  expectation: "four matching peers returned in the exact order of DISC-011, a non-matching one left out",
  script: async (s: Steps) => {
    await reset(s);
    // Intent "hash text": A and C score 2, B and D score 1, E (tag "image") 0 and does not match.
    // Ties: A (breadth 2) before C (breadth 3); D (latency 50) before B (latency 1000).
    const a = new Peer("A");
    const b = new Peer("B");
    const c = new Peer("C");
    const d = new Peer("D");
    const e = new Peer("E");
    const all = [a, b, c, d, e];
    s.step("publish five descriptors, each from its own origin");
    await publish(s, a.issue([sha256Cap(["hash", "text"], 1000)], s.now), "origin-a", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    await publish(s, b.issue([sha256Cap(["hash"], 1000)], s.now), "origin-b", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    await publish(s, c.issue([sha256Cap(["hash", "text", "fast"], 1000)], s.now), "origin-c", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    await publish(s, d.issue([sha256Cap(["hash"], 50)], s.now), "origin-d", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    await publish(s, e.issue([sha256Cap(["image"], 10)], s.now), "origin-e", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    s.step('query intent "hash text"');
    const { peers } = await ask(s, query({ intent: "hash text" }));
    expectPeers(s, peers, [a, c, d, b], all, "intent score, then breadth, then max_latency_ms; E does not match (DISC-010, DISC-011)");
  },
};

const refreshScenario: ScenarioSpec = {
  id: "scenario/registry/refresh-001",
  requirements: ["DISC-001", "DISC-002", "DISC-003", "DESC-008", "DESC-021"],
  operations: OPERATIONS,
  expectation: "a refresh replaces the peer's matches, a rollback is refused, a tombstone removes the peer",
  script: async (s: Steps) => {
    await reset(s);
    const p = new Peer("P");
    const all = [p];
    s.step("publish seq 1 with tag hash");
    const first = p.issue([sha256Cap(["hash"])], s.now);
    await publish(s, first, "origin-p", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    s.step('query intent "hash"');
    expectPeers(s, (await ask(s, query({ intent: "hash" }))).peers, [p], all, "the descriptor just published");
    s.step("publish seq 2 with tag digest instead");
    await s.clock(s.now + 1_000n);
    const second = issueDescriptor(p.key, { capabilities: [sha256Cap(["digest"])] }, 2n, { now: s.now, ttlMs: TTL_MS });
    p.latest = second;
    await publish(s, second, "origin-p", "PUBLISH_CHANGE_REFRESHED", "a higher seq replaces the descriptor (DISC-002)");
    s.step('query intent "hash" after the refresh');
    expectPeers(s, (await ask(s, query({ intent: "hash" }))).peers, [], all, "the refresh replaced every match of seq 1 (DISC-002, DISC-003)");
    s.step('query intent "digest" after the refresh');
    const after = await ask(s, query({ intent: "digest" }));
    expectPeers(s, after.peers, [p], all, "the refreshed descriptor matches");
    s.expect(after.verified.results[0]!.descriptor.message.seq === 2n, `the result carries seq ${after.verified.results[0]!.descriptor.message.seq}, not 2 (DISC-002)`);
    s.step("publish seq 1 again (a rollback)");
    await s.error(PUBLISH, { descriptor: hex(first.bytes), origin: "origin-p" }, "DESC_SEQ_ROLLBACK", "seq 1 is not above the seq 2 accepted (DESC-008, DISC-001)");
    s.step("publish a tombstone with seq 3");
    await s.clock(s.now + 1_000n);
    await publish(s, p.withdraw(s.now), "origin-p", "PUBLISH_CHANGE_WITHDRAWN", "a tombstone withdraws the peer (DISC-002)");
    s.step('query intent "digest" after the tombstone');
    expectPeers(s, (await ask(s, query({ intent: "digest" }))).peers, [], all, "no descriptor of a withdrawn peer is returned (DESC-021, DISC-003)");
    s.step("publish seq 2 again after the tombstone");
    await s.error(PUBLISH, { descriptor: hex(second.bytes), origin: "origin-p" }, "DESC_SEQ_ROLLBACK", "a descriptor below the tombstone's seq is never used again (DESC-021)");
  },
};

const expiryScenario: ScenarioSpec = {
  id: "scenario/registry/expiry-001",
  requirements: ["DISC-003", "DESC-009", "DISC-012", "DISC-013", "DISC-015"],
  operations: OPERATIONS,
  expectation: "a descriptor is returned until expires_at + skew and never from then on; every answer verifies and is fresh",
  script: async (s: Steps) => {
    await reset(s);
    const p = new Peer("P");
    const q = new Peer("Q");
    const all = [p, q];
    s.step("publish P (TTL 60 s) and Q (published 30 s later)");
    const d = p.issue([sha256Cap(["hash"], 100)], s.now);
    await publish(s, d, "origin-p", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    await s.clock(s.now + 30_000n);
    await publish(s, q.issue([sha256Cap(["hash"], 200)], s.now), "origin-q", "PUBLISH_CHANGE_PUBLISHED", "a new peer");
    s.step("query while both are live");
    const live = await ask(s, query({ intent: "hash" }));
    expectPeers(s, live.peers, [p, q], all, "both live, P first by max_latency_ms");
    s.expect(live.verified.answer.freshUntil <= d.descriptor.expiresAt, `fresh_until ${live.verified.answer.freshUntil} is later than P's expires_at ${d.descriptor.expiresAt} (DISC-013)`);
    s.step("move the clock to P's expires_at + skew and query");
    await s.clock(d.descriptor.expiresAt + SKEW_MS);
    const expired = await ask(s, query({ intent: "hash" }));
    expectPeers(s, expired.peers, [q], all, "P is not returned once now >= expires_at + skew (DISC-003, DESC-009)");
    s.step("move the clock one minute further and query");
    await s.clock(s.now + 60_000n);
    expectPeers(s, (await ask(s, query({ intent: "hash" }))).peers, [], all, "neither descriptor is returned after it expired (DISC-003)");
  },
};

const sybilScenario: ScenarioSpec = {
  id: "scenario/registry/sybil-001",
  requirements: ["DISC-017", "DISC-020", "DISC-022"],
  operations: OPERATIONS,
  expectation: `a flood from one origin is capped at ${MAX_PEERS_PER_ORIGIN} peers and ${MAX_RESULTS_PER_ORIGIN} results; an honest peer of another origin is still served`,
  script: async (s: Steps) => {
    await reset(s);
    const sybils = Array.from({ length: MAX_PEERS_PER_ORIGIN + 2 }, (_, i) => new Peer(`S${i + 1}`));
    const honest = new Peer("H");
    const all = [...sybils, honest];
    s.step(`publish ${MAX_PEERS_PER_ORIGIN} peers from origin-sybil`);
    // Sybils advertise a better latency than the honest peer, so that without DISC-022 they would fill the answer.
    for (const [i, p] of sybils.slice(0, MAX_PEERS_PER_ORIGIN).entries()) {
      await publish(s, p.issue([sha256Cap(["hash"], 10 + i)], s.now), "origin-sybil", "PUBLISH_CHANGE_PUBLISHED", `peer ${i + 1} of ${MAX_PEERS_PER_ORIGIN} allowed per origin`);
    }
    s.step("publish two more peers from origin-sybil");
    for (const p of sybils.slice(MAX_PEERS_PER_ORIGIN)) {
      await s.error(PUBLISH, { descriptor: hex(p.issue([sha256Cap(["hash"], 1)], s.now).bytes), origin: "origin-sybil" }, "DISC_ORIGIN_PEER_LIMIT", `origin-sybil already has ${MAX_PEERS_PER_ORIGIN} peers (DISC-020)`);
    }
    s.step("publish the honest peer from origin-honest");
    await publish(s, honest.issue([sha256Cap(["hash"], 500)], s.now), "origin-honest", "PUBLISH_CHANGE_PUBLISHED", "another origin is not limited by origin-sybil (DISC-017, DISC-020)");
    s.step('query intent "hash"');
    const { peers } = await ask(s, query({ intent: "hash" }));
    expectPeers(s, peers, [...sybils.slice(0, MAX_RESULTS_PER_ORIGIN), honest], all, `at most ${MAX_RESULTS_PER_ORIGIN} results from origin-sybil, then the honest peer (DISC-022)`);
  },
};

/** The registry scenarios. */
export const REGISTRY_SCENARIOS: readonly ScenarioSpec[] = [orderScenario, refreshScenario, expiryScenario, sybilScenario];
