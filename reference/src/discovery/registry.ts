// A registry (spec/06-discovery.md): a pure state machine over a
// DescriptorStore. The store decides what a valid descriptor is and what to
// remember (spec/05 §5.5-5.7); the registry adds admission limits against
// floods (§6.8), run inside the store's verification, an index by namespace
// and id so that a query does not scan every peer (pool.ts), query matching
// and ranking (§6.4, §6.5), and signed answers (§6.6). Time and the origin of
// each request are passed in.
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, type Query } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { Ap2pError, misuse, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";
import { MAX_SIGN1_BYTES } from "../cose/sign1.js";
import { DescriptorStore, type StoreChange } from "../descriptor/store.js";
import type { VerifiedDescriptor } from "../descriptor/verify.js";
import { signRegistryAnswer, type AnswerContent } from "./answer.js";
import { TokenBucket } from "./limits.js";
import { capabilityFacts, matchCapability, type CapabilityFacts } from "./match.js";
import { registryPolicy, type RegistryPolicy } from "./policy.js";
import { matchesWholePool, RankedPool, ranksStatically, type PoolEntry } from "./pool.js";
import { compileQuery, type CompiledQuery } from "./query.js";
import { compareKeys, sortKey, type SortKey } from "./rank.js";
import { selectDiverse } from "./select.js";

/** What an accepted publish did. */
export interface PublishOutcome {
  readonly change: StoreChange;
  readonly descriptor: VerifiedDescriptor;
}

/** One match of a query: a live descriptor and the capability of it that matched. */
export interface RankedMatch {
  readonly descriptor: VerifiedDescriptor;
  readonly capabilityIndex: number;
  readonly capability: Capability;
  readonly key: SortKey;
}

/** The matches chosen for a query, in rank order, and how many there were in all. */
export interface QueryOutcome {
  readonly matches: readonly RankedMatch[];
  /** Every matching (descriptor, capability) pair, before the per-origin limit and max_results. */
  readonly totalMatches: number;
}

/** What a sweep removed. */
export interface SweepOutcome {
  /** Descriptors dropped from the index because they expired. */
  readonly expired: number;
  /** Peers forgotten because their retention ended (DESC-016). */
  readonly forgotten: number;
}

interface PeerRecord {
  readonly peerId: string;
  /** The origin of the peer's latest accepted publish (DISC-017). */
  origin: string;
  /** The store's latest descriptor of the peer. */
  descriptor: VerifiedDescriptor;
  readonly bucket: TokenBucket;
  entries: IndexEntry[];
}

interface IndexEntry extends PoolEntry {
  readonly record: PeerRecord;
  readonly capabilityIndex: number;
  readonly facts: CapabilityFacts;
}

interface OriginState {
  readonly bucket: TokenBucket;
  /** Peers remembered whose latest publish came from this origin. */
  peers: number;
}

interface Candidate {
  readonly entry: IndexEntry;
  readonly key: SortKey;
}

const UINT32_MAX = 0xffff_ffff;

function fail(code: ErrorCodeName, message: string): never {
  throw new Ap2pError(code, message);
}

/**
 * A discovery registry.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { QuerySchema, Registry } from "ap2p";
 *
 * const registry = new Registry({ maxPeers: 10_000 });
 * const published = registry.publish(descriptorBytes, now, "203.0.113.7");
 * const query = create(QuerySchema, { namespace: "example", id: "translate", nonce, maxResults: 10 });
 * const answer = registry.answer(query, now, registrySecretKey); // signed RegistryAnswer bytes
 * registry.sweep(now); // forget expired descriptors
 * ```
 * @see spec/06-discovery.md §6.2 (registry state and publishing)
 * @see spec/06-discovery.md §6.6 (registry answers)
 */
export class Registry {
  readonly policy: RegistryPolicy;
  private readonly store: DescriptorStore;
  private readonly peers = new Map<string, PeerRecord>();
  private readonly origins = new Map<string, OriginState>();
  /** Namespace → entries, and namespace + "\0" + id → entries. */
  private readonly byNamespace = new Map<string, RankedPool<IndexEntry>>();
  private readonly byNamespaceId = new Map<string, RankedPool<IndexEntry>>();
  private indexedEntries = 0;

  constructor(policy: Partial<RegistryPolicy> = {}) {
    this.policy = registryPolicy(policy);
    this.store = new DescriptorStore(this.policy.descriptor);
  }

  /** Peers remembered: live, expired or withdrawn, until their retention ends. */
  get size(): number {
    return this.peers.size;
  }

  /** (descriptor, capability) pairs in the index; expired ones stay until a sweep. */
  get indexed(): number {
    return this.indexedEntries;
  }

  /**
   * Handles one publish request: a descriptor, a refresh or a tombstone, from
   * an origin the transport names (DISC-017). Checks run in the order of the
   * table in §6.2. Never throws on bad bytes.
   */
  publish(bytes: Uint8Array, now: bigint, origin: string): Verdict<PublishOutcome> {
    if (typeof origin !== "string" || origin === "") misuse("origin must be a non-empty string");
    if (!(bytes instanceof Uint8Array)) misuse("bytes must be a Uint8Array");
    return toVerdict(() => {
      const p = this.policy;
      // 1. DISC-018: every request costs its origin a token before any work,
      // so a flood costs the registry no parsing and no signature checks.
      const originState = this.originState(origin, now);
      if (!originState.bucket.take(now)) fail("DISC_ORIGIN_RATE_LIMITED", `origin ${origin} is publishing too fast`);
      // 2. DISC-019
      if (bytes.length > p.maxDescriptorBytes) fail("DISC_DESCRIPTOR_TOO_LARGE", `${bytes.length} bytes, the limit is ${p.maxDescriptorBytes}`);
      // 3. Well-formed (spec/05 §5.7 steps 1-4), in the store. The admission
      // checks run once it is, and read the claimed peer_id; they only refuse
      // and commit nothing, so no unauthenticated claim is relied on
      // (SIG-015), and a full registry spends no signature check on a flood
      // of new identities.
      let record: PeerRecord | undefined;
      const admit = (peerId: string): void => {
        record = this.peers.get(peerId);
        // 4. DISC-018: a new peer's bucket is full; a known one is only peeked
        // at, and charged below once the descriptor is accepted, so a forger
        // cannot drain an honest peer's tokens.
        if (record !== undefined && !record.bucket.canTake(now)) fail("DISC_PEER_RATE_LIMITED", `peer ${peerId} is publishing too fast`);
        // 5. DISC-021: full means no new peers; remembered peers are never evicted.
        if (record === undefined && this.peers.size >= p.maxPeers) fail("DISC_REGISTRY_FULL", `the registry remembers its maximum of ${p.maxPeers} peers`);
        // 6. DISC-020
        if ((record === undefined || record.origin !== origin) && originState.peers >= p.maxPeersPerOrigin) {
          fail("DISC_ORIGIN_PEER_LIMIT", `origin ${origin} already has ${originState.peers} peers`);
        }
      };
      // 7. Signature, TTL, time window, seq (spec/05 §5.7 steps 5-6, DISC-001).
      const accepted = this.store.accept(bytes, now, (signed) => admit(signed.message.peerId));
      if (!accepted.ok) throw accepted.error;
      this.commit(record, accepted.value.descriptor, now, origin, originState);
      return accepted.value;
    });
  }

  /**
   * The matches of a query among descriptors live at time now (DISC-003,
   * DISC-008), ranked (DISC-011), at most max_results of them and at most the
   * per-origin limit from any origin (DISC-022). Never throws on a bad query.
   */
  query(query: Query, now: bigint): Verdict<QueryOutcome> {
    return toVerdict(() => {
      const q = this.compile(query);
      // Live: not expired, with the skew allowance (DISC-003), as store.get
      // decides it. The index holds exactly the store's latest descriptor of
      // each peer that is not withdrawn (commit, unindex and sweep keep it
      // so), so expiry is the one thing left to check.
      const expiredBy = now - this.policy.descriptor.clockSkewMs;
      const window: Window = { usable: (d) => d.message.expiresAt > expiredBy, countLive: (pool) => pool.countExpiringAfter(expiredBy) };
      const { chosen, total } = this.select(q, window);
      return { matches: chosen.map((c) => this.toMatch(c)), totalMatches: total };
    });
  }

  /**
   * A signed answer to a query at time now (DISC-012 to DISC-014): the
   * matches among descriptors valid throughout the answer's window, signed
   * with the registry's key. Never throws on a bad query.
   */
  answer(query: Query, now: bigint, secretKey: Uint8Array): Verdict<Uint8Array> {
    return toVerdict(() => {
      const q = this.compile(query);
      // DISC-014: only descriptors current by the registry's own clock, with
      // no skew allowance, so that each stays valid at any time the client
      // still accepts the answer.
      const window: Window = {
        usable: (d) => d.message.issuedAt <= now && now < d.message.expiresAt,
        countLive: (pool) => (pool.allIssuedBy(now) ? pool.countExpiringAfter(now) : undefined),
      };
      const { chosen, total } = this.select(q, window);
      const content = (n: number): AnswerContent => {
        let freshUntil = now + this.policy.answerFreshnessMs;
        for (const c of chosen.slice(0, n)) {
          const expiresAt = c.entry.record.descriptor.message.expiresAt;
          if (expiresAt < freshUntil) freshUntil = expiresAt;
        }
        return {
          queryHash: q.hash,
          asOf: now,
          freshUntil,
          results: chosen.slice(0, n).map((c) => ({ descriptor: c.entry.record.descriptor.bytes, capabilityIndex: c.entry.capabilityIndex })),
          totalMatches: Math.min(total, UINT32_MAX),
        };
      };
      // DISC-014: the longest prefix whose signed answer fits SIG-001's limit.
      let signed = signRegistryAnswer(content(chosen.length), secretKey);
      if (signed.length <= MAX_SIGN1_BYTES) return signed;
      let fits = 0;
      let tooBig = chosen.length;
      signed = signRegistryAnswer(content(0), secretKey);
      while (tooBig - fits > 1) {
        const mid = (fits + tooBig) >> 1;
        const attempt = signRegistryAnswer(content(mid), secretKey);
        if (attempt.length <= MAX_SIGN1_BYTES) {
          fits = mid;
          signed = attempt;
        } else {
          tooBig = mid;
        }
      }
      return signed;
    });
  }

  /**
   * Drops expired descriptors from the index and forgets peers whose
   * retention has ended (DISC-004). Queries never depend on it: they check
   * expiry themselves (DISC-003).
   */
  sweep(now: bigint): SweepOutcome {
    const skew = this.policy.descriptor.clockSkewMs;
    let expired = 0;
    for (const r of this.peers.values()) {
      if (r.entries.length > 0 && now >= r.descriptor.message.expiresAt + skew) {
        this.unindex(r);
        expired++;
      }
    }
    // The store decides when a peer may be forgotten (DESC-016); the registry
    // forgets exactly those peers, whose entries are unindexed above, since a
    // peer is forgotten only once its descriptor has expired.
    const forgotten = this.store.purgePeers(now);
    for (const peerId of forgotten) {
      const r = this.peers.get(peerId)!;
      if (r.entries.length > 0) this.unindex(r);
      this.peers.delete(peerId);
      this.origins.get(r.origin)!.peers--;
    }
    // The registry's memory of peers mirrors the store's; if they ever
    // disagreed the limits of §6.8 would count the wrong peers.
    if (this.store.size !== this.peers.size) throw new Error(`registry remembers ${this.peers.size} peers but its store ${this.store.size}`);
    for (const [origin, o] of this.origins) if (o.peers === 0 && o.bucket.isFull(now)) this.origins.delete(origin);
    return { expired, forgotten: forgotten.length };
  }

  private compile(query: Query): CompiledQuery {
    const compiled = compileQuery(query);
    if (!compiled.ok) throw compiled.error;
    return compiled.value;
  }

  private originState(origin: string, now: bigint): OriginState {
    let o = this.origins.get(origin);
    if (o === undefined) {
      o = { bucket: new TokenBucket(this.policy.originRate, now), peers: 0 };
      this.origins.set(origin, o);
    }
    return o;
  }

  private commit(prior: PeerRecord | undefined, descriptor: VerifiedDescriptor, now: bigint, origin: string, originState: OriginState): void {
    const d = descriptor.message;
    let record = prior;
    if (record === undefined) {
      record = { peerId: d.peerId, origin, descriptor, bucket: new TokenBucket(this.policy.peerRate, now), entries: [] };
      this.peers.set(d.peerId, record);
      originState.peers++;
    } else {
      if (record.origin !== origin) {
        this.origins.get(record.origin)!.peers--;
        originState.peers++;
        record.origin = origin;
      }
      this.unindex(record);
      record.descriptor = descriptor;
    }
    record.bucket.take(now);
    // DISC-002: a refresh replaces the peer's matches; a tombstone removes them.
    if (!d.withdrawn) this.index(record);
  }

  private index(record: PeerRecord): void {
    const d = record.descriptor.message;
    record.entries = d.capabilities.map((capability, capabilityIndex) => ({
      record,
      peerId: record.peerId,
      issuedAt: d.issuedAt,
      expiresAt: d.expiresAt,
      capabilityIndex,
      capability,
      facts: capabilityFacts(capability),
    }));
    for (const e of record.entries) {
      addTo(this.byNamespace, e.capability.namespace, e);
      addTo(this.byNamespaceId, `${e.capability.namespace}\u0000${e.capability.id}`, e);
    }
    this.indexedEntries += record.entries.length;
  }

  private unindex(record: PeerRecord): void {
    for (const e of record.entries) {
      removeFrom(this.byNamespace, e.capability.namespace, e);
      removeFrom(this.byNamespaceId, `${e.capability.namespace}\u0000${e.capability.id}`, e);
    }
    this.indexedEntries -= record.entries.length;
    record.entries = [];
  }

  /** The ranked, diversity-limited matches among indexed descriptors usable in the window, and how many matched. */
  private select(q: CompiledQuery, window: Window): { chosen: Candidate[]; total: number } {
    const query = q.query;
    const exact = query.idMatch === MatchMode.EXACT;
    const pool = exact ? this.byNamespaceId.get(`${query.namespace}\u0000${query.id}`) : this.byNamespace.get(query.namespace);
    if (pool === undefined) return { chosen: [], total: 0 };
    if (ranksStatically(q)) {
      // The pool's own order is the rank order: walk it, and stop early when
      // every entry matches and the pool can count the live ones itself.
      const total = matchesWholePool(q, exact ? "namespace-id" : "namespace") ? window.countLive(pool) : undefined;
      return this.walk(pool, q, window.usable, total);
    }
    const usable = window.usable;
    const candidates: Candidate[] = [];
    for (const entry of pool.entries) {
      const d = entry.record.descriptor;
      // Stored descriptors were verified when accepted; only time can have
      // made them unusable since (DISC-003).
      if (!usable(d)) continue;
      const score = matchCapability(entry.capability, entry.facts, q);
      if (score === undefined) continue;
      candidates.push({ entry, key: sortKey(d.peerId, entry.capability, entry.facts, score, q) });
    }
    const chosen = selectDiverse(
      candidates,
      (a, b) => compareKeys(a.key, b.key),
      (c) => c.entry.record.origin,
      this.policy.maxResultsPerOrigin,
      query.maxResults,
    );
    return { chosen, total: candidates.length };
  }

  /**
   * The matches of a query that ranks statically, in the pool's order: the
   * first max_results, at most the per-origin limit from any origin, as
   * selectDiverse chooses them. With total given (every usable entry
   * matches), the walk stops once the results are chosen.
   */
  private walk(pool: RankedPool<IndexEntry>, q: CompiledQuery, usable: (d: VerifiedDescriptor) => boolean, total: number | undefined): { chosen: Candidate[]; total: number } {
    const limit = q.query.maxResults;
    const perOrigin = this.policy.maxResultsPerOrigin;
    const chosen: Candidate[] = [];
    const taken = new Map<string, number>();
    let matched = 0;
    for (const entry of pool.entries) {
      if (total !== undefined && chosen.length >= limit) break;
      const d = entry.record.descriptor;
      if (!usable(d)) continue;
      const score = total !== undefined ? 0 : matchCapability(entry.capability, entry.facts, q);
      if (score === undefined) continue;
      matched++;
      if (chosen.length >= limit) continue;
      const origin = entry.record.origin;
      const n = taken.get(origin) ?? 0;
      if (n >= perOrigin) continue;
      taken.set(origin, n + 1);
      chosen.push({ entry, key: sortKey(d.peerId, entry.capability, entry.facts, score, q) });
    }
    return { chosen, total: total ?? matched };
  }

  private toMatch(c: Candidate): RankedMatch {
    return { descriptor: c.entry.record.descriptor, capabilityIndex: c.entry.capabilityIndex, capability: c.entry.capability, key: c.key };
  }
}

/** When a descriptor can be a result: a predicate, and a count of the live entries of a pool if the pool can give it. */
interface Window {
  readonly usable: (d: VerifiedDescriptor) => boolean;
  readonly countLive: (pool: RankedPool<IndexEntry>) => number | undefined;
}

function addTo<K>(index: Map<K, RankedPool<IndexEntry>>, key: K, e: IndexEntry): void {
  let pool = index.get(key);
  if (pool === undefined) index.set(key, (pool = new RankedPool()));
  pool.add(e);
}

function removeFrom<K>(index: Map<K, RankedPool<IndexEntry>>, key: K, e: IndexEntry): void {
  const pool = index.get(key);
  if (pool === undefined) return;
  pool.delete(e);
  if (pool.size === 0) index.delete(key);
}
