// The registry's index against the definition it shortcuts: over random
// histories of publishes, refreshes, withdrawals, time passing and sweeps,
// every query and answer equals the one recomputed from the accepted
// descriptors alone (match every capability, rank, choose), with the same
// total_matches.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CapabilitySchema, CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, QuerySchema, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { issueDescriptor, withdrawDescriptor } from "../descriptor/issue.js";
import { verifyRegistryAnswer } from "./answer.js";
import { capabilityFacts, matchCapability } from "./match.js";
import { compileQuery } from "./query.js";
import { compareKeys, sortKey } from "./rank.js";
import { Registry } from "./registry.js";
import { selectDiverse } from "./select.js";

type CapInit = MessageInitShape<typeof CapabilitySchema>;

const utf8 = new TextEncoder();
const SK = (i: number) => sha256(utf8.encode(`pool test peer ${i}`));
const REGISTRY_SK = sha256(utf8.encode("pool test registry"));
const REGISTRY = didFromPublicKey(publicKeyFromSecret(REGISTRY_SK));
const T0 = 1767225600000n;
const SKEW = 5_000n;
const BIG_BUCKET = { capacityMilli: 1_000_000_000n, refillMilliPerSecond: 1_000_000n };

const arbCap = fc.record({
  namespace: fc.constantFrom("a.x", "b.y"),
  id: fc.constantFrom("gen", "gen-fast", "edit"),
  version: fc.constantFrom("1.0.0", "1.1.0", "2.0.0"),
  latency: fc.option(fc.constantFrom(100, 200, 300), { nil: undefined }),
});
const arbStep = fc.oneof(
  // Publish or refresh peer i, issued `offset` ms from now (the future within the skew allowance too), for `ttl` ms.
  fc.record({
    kind: fc.constant("publish" as const),
    peer: fc.nat(9),
    origin: fc.constantFrom("o1", "o2", "o3"),
    caps: fc.uniqueArray(arbCap, { minLength: 1, maxLength: 3, selector: (c) => `${c.namespace}|${c.id}|${c.version}` }),
    offset: fc.constantFrom(-3_000n, 0n, 2_000n, 4_000n),
    ttl: fc.constantFrom(5_000n, 20_000n, 60_000n),
  }),
  fc.record({ kind: fc.constant("withdraw" as const), peer: fc.nat(9) }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(1_000n, 6_000n, 30_000n) }),
  fc.record({ kind: fc.constant("sweep" as const) }),
  fc.record({
    kind: fc.constant("query" as const),
    namespace: fc.constantFrom("a.x", "b.y", "c.z"),
    id: fc.option(fc.constantFrom("gen", "edit", "nope"), { nil: undefined }),
    // Mostly the shapes the index answers without a scan; sometimes a filter.
    filter: fc.constantFrom("none", "none", "none", "version", "latency", "prefix"),
    maxResults: fc.integer({ min: 1, max: 6 }),
  }),
);

/** The definition: every accepted, usable descriptor's matching capabilities, ranked and chosen. */
function expected(latest: Map<string, { d: CapabilityDescriptor; origin: string }>, query: Query, usable: (d: CapabilityDescriptor) => boolean, perOrigin: number) {
  const q = compileQuery(query);
  if (!q.ok) throw q.error;
  const candidates = [];
  for (const [peerId, { d, origin }] of latest) {
    if (d.withdrawn || !usable(d)) continue;
    for (const [i, c] of d.capabilities.entries()) {
      const facts = capabilityFacts(c);
      const score = matchCapability(c, facts, q.value);
      if (score !== undefined) candidates.push({ id: `${peerId}#${i}`, origin, key: sortKey(peerId, c, facts, score, q.value) });
    }
  }
  const chosen = selectDiverse(candidates, (a, b) => compareKeys(a.key, b.key), (c) => c.origin, perOrigin, query.maxResults);
  return { ids: chosen.map((c) => c.id), total: candidates.length };
}

describe("the registry's index (DISC-003, DISC-008, DISC-011, DISC-014, DISC-022)", () => {
  it("DISC-011: queries and answers equal the definition over random histories", () => {
    const signed = new Map<string, Uint8Array>();
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 5, maxLength: 40 }), (steps) => {
        const policy = { peerRate: BIG_BUCKET, originRate: BIG_BUCKET, maxPeersPerOrigin: 100, maxResultsPerOrigin: 2, descriptor: { maxTtlMs: 86_400_000n, clockSkewMs: SKEW } };
        const registry = new Registry(policy);
        const latest = new Map<string, { d: CapabilityDescriptor; origin: string }>();
        const seqs = new Map<number, bigint>();
        let now = T0;
        for (const step of steps) {
          switch (step.kind) {
            case "publish": {
              const seq = (seqs.get(step.peer) ?? 0n) + 1n;
              seqs.set(step.peer, seq);
              const caps: CapInit[] = step.caps.map((c) => ({ namespace: c.namespace, id: c.id, version: c.version, intents: ["do it"], ...(c.latency === undefined ? {} : { constraints: { maxLatencyMs: c.latency } }) }));
              const key = JSON.stringify([step.peer, `${seq}`, step.caps, `${now + step.offset}`, `${step.ttl}`]);
              let bytes = signed.get(key);
              if (bytes === undefined) signed.set(key, (bytes = issueDescriptor(SK(step.peer), { capabilities: caps }, seq, { now: now + step.offset, ttlMs: step.ttl }).bytes));
              const v = registry.publish(bytes, now, step.origin);
              if (v.ok) latest.set(v.value.descriptor.peerId, { d: v.value.descriptor.message, origin: step.origin });
              break;
            }
            case "withdraw": {
              const did = didFromPublicKey(publicKeyFromSecret(SK(step.peer)));
              const prior = latest.get(did);
              if (prior === undefined || prior.d.withdrawn) break;
              const seq = prior.d.seq + 1n;
              seqs.set(step.peer, seq);
              // Not before the descriptor it withdraws, which may be issued a little in the future (DESC-019).
              const at = prior.d.issuedAt > now ? prior.d.issuedAt : now;
              const v = registry.publish(withdrawDescriptor(SK(step.peer), prior.d, { now: at, ttlMs: 20_000n }).bytes, now, prior.origin);
              if (v.ok) latest.set(did, { d: v.value.descriptor.message, origin: prior.origin });
              break;
            }
            case "wait":
              now += step.ms;
              break;
            case "sweep":
              registry.sweep(now);
              break;
            case "query": {
              const query = create(QuerySchema, {
                namespace: step.namespace,
                nonce: new Uint8Array(16).fill(7),
                maxResults: step.maxResults,
                ...(step.filter === "prefix" ? { id: "gen", idMatch: MatchMode.PREFIX } : step.id === undefined ? {} : { id: step.id, idMatch: MatchMode.EXACT }),
                ...(step.filter === "version" ? { version: "1", versionMatch: MatchMode.PREFIX } : {}),
                ...(step.filter === "latency" ? { maxLatencyMs: 250 } : {}),
              });
              // query(): live with the skew allowance.
              const got = registry.query(query, now);
              if (!got.ok) throw got.error;
              const want = expected(latest, query, (d) => now < d.expiresAt + SKEW, 2);
              expect(got.value.matches.map((m) => `${m.descriptor.peerId}#${m.capabilityIndex}`)).toEqual(want.ids);
              expect(got.value.totalMatches).toBe(want.total);
              // answer(): valid throughout, by the registry's own clock.
              const bytes = registry.answer(query, now, REGISTRY_SK);
              if (!bytes.ok) throw bytes.error;
              const answer = verifyRegistryAnswer(bytes.value, { query, expectedRegistry: REGISTRY, now });
              if (!answer.ok) throw answer.error;
              const wantAnswer = expected(latest, query, (d) => d.issuedAt <= now && now < d.expiresAt, 2);
              expect(answer.value.results.map((r) => `${r.descriptor.peerId}#${r.capabilityIndex}`)).toEqual(wantAnswer.ids);
              expect(answer.value.answer.totalMatches).toBe(wantAnswer.total);
              break;
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
