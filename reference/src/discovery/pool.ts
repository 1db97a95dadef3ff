// The registry's index: for each namespace, and each namespace and id, the
// capabilities it holds (spec/06-discovery.md §6.4, §6.5). Each pool keeps
// its entries in the order that ranks them when the ranking depends on the
// capability alone, and their expiry times in order, so that the common
// query, a namespace or a namespace and an exact id with no other filter,
// is answered by counting and by reading the first few entries, in time that
// does not grow with the pool.
import { MatchMode } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { CompiledQuery } from "./query.js";

/** What a pool needs of an entry: the fields of the static part of its sort key, and its descriptor's times. */
export interface PoolEntry {
  readonly peerId: string;
  readonly capability: Capability;
  readonly issuedAt: bigint;
  readonly expiresAt: bigint;
}

/**
 * The rank order of two entries of one pool when a query has no intent
 * tokens and no max_price: compareKeys (rank.ts) with score, breadth and
 * price equal, that is promised latency (none last), then peer_id, id and
 * version. Entries of one pool never compare equal: a descriptor lists a
 * capability (namespace, id, version) at most once (DESC-012).
 */
export function compareStatic(a: PoolEntry, b: PoolEntry): number {
  const la = a.capability.constraints?.maxLatencyMs;
  const lb = b.capability.constraints?.maxLatencyMs;
  if (la !== lb) {
    if (la === undefined) return 1;
    if (lb === undefined) return -1;
    return la - lb;
  }
  return compareAscii(a.peerId, b.peerId) || compareAscii(a.capability.id, b.capability.id) || compareAscii(a.capability.version, b.capability.version);
}

// As in rank.ts: these fields are ASCII, so UTF-16 order is byte order.
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entries under one index key. */
export class RankedPool<E extends PoolEntry> {
  /** The entries in compareStatic order. */
  private readonly ranked: E[] = [];
  /** The entries' expires_at, ascending. */
  private readonly expiries: bigint[] = [];
  /** The latest issued_at of any entry ever added: an upper bound for those present. */
  private latestIssued: bigint | undefined;

  get size(): number {
    return this.ranked.length;
  }

  /** The entries in compareStatic order. */
  get entries(): readonly E[] {
    return this.ranked;
  }

  add(e: E): void {
    this.ranked.splice(lowerBound(this.ranked, (x) => compareStatic(x, e) < 0), 0, e);
    this.expiries.splice(lowerBound(this.expiries, (x) => x < e.expiresAt), 0, e.expiresAt);
    if (this.latestIssued === undefined || e.issuedAt > this.latestIssued) this.latestIssued = e.issuedAt;
  }

  /** Removes an entry that was added; returns false if it is not here. */
  delete(e: E): boolean {
    const i = lowerBound(this.ranked, (x) => compareStatic(x, e) < 0);
    if (this.ranked[i] !== e) return false;
    this.ranked.splice(i, 1);
    const j = lowerBound(this.expiries, (x) => x < e.expiresAt);
    this.expiries.splice(j, 1);
    return true;
  }

  /** How many entries have expires_at > t. */
  countExpiringAfter(t: bigint): number {
    return this.expiries.length - lowerBound(this.expiries, (x) => x <= t);
  }

  /** Whether no entry was issued after t. */
  allIssuedBy(t: bigint): boolean {
    return this.latestIssued === undefined || this.latestIssued <= t;
  }
}

/** The first index i of a sorted array such that before(array[i]) is false. */
function lowerBound<T>(array: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(array[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a query ranks its matches by compareStatic alone: no intent tokens (score and breadth 0) and no max_price (price 0). */
export function ranksStatically(q: CompiledQuery): boolean {
  return q.tokens.length === 0 && q.query.maxPrice === undefined;
}

/**
 * Whether every capability of the pool the query selects matches it
 * (DISC-008): the query names a namespace, and an exact id when the pool is
 * the namespace-and-id one, and sets no other filter.
 */
export function matchesWholePool(q: CompiledQuery, pool: "namespace" | "namespace-id"): boolean {
  const query = q.query;
  if (pool === "namespace" ? query.idMatch !== MatchMode.UNSPECIFIED : query.idMatch !== MatchMode.EXACT) return false;
  return (
    query.versionMatch === MatchMode.UNSPECIFIED &&
    q.tokens.length === 0 &&
    query.requiredTags.length === 0 &&
    !query.onDeviceOnly &&
    query.maxLatencyMs === undefined &&
    query.maxPrice === undefined &&
    q.allowedRegions.size === 0 &&
    q.inputMask === 0 &&
    q.outputMask === 0 &&
    query.minTier <= 0 &&
    query.availableAt === undefined
  );
}
