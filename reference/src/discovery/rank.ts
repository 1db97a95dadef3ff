// Ranking (spec/06-discovery.md §6.5, DISC-011): a total order on matches that
// depends only on the descriptor and the query, so that two registries with the
// same descriptors return the same order and a client can recompute the key of
// every result it receives.
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { CapabilityFacts } from "./match.js";
import type { CompiledQuery } from "./query.js";

/** The sort key of one match, compared field by field in this order. */
export interface SortKey {
  /** Intent score: higher first. */
  readonly score: number;
  /** Distinct tokens of the capability when the query has intent tokens, else 0: lower first. */
  readonly breadth: number;
  /** Promised latency in ms, undefined if none: lower first, none last. */
  readonly latency: number | undefined;
  /** Price in micros when the query sets max_price, else 0: lower first. */
  readonly price: bigint;
  /** Then peer_id, id and version, each bytewise ascending. */
  readonly peerId: string;
  readonly id: string;
  readonly version: string;
}

/** The sort key of a capability of a peer that matched a query with a score. */
export function sortKey(peerId: string, c: Capability, facts: CapabilityFacts, score: number, q: CompiledQuery): SortKey {
  return {
    score,
    // Among equal scores, the narrower capability first: stuffing a
    // capability with every popular word raises its score on many queries but
    // ranks it below a focused capability with the same score.
    breadth: q.tokens.length > 0 ? facts.tokens.length : 0,
    latency: c.constraints?.maxLatencyMs,
    // Prices are comparable only in one currency and unit, which max_price
    // guarantees for every match (DISC-008).
    price: q.query.maxPrice !== undefined ? (c.constraints?.price?.amountMicros ?? 0n) : 0n,
    peerId,
    id: c.id,
    version: c.version,
  };
}

// peer_id, id and version are ASCII by their schema patterns, so comparing
// UTF-16 code units compares their UTF-8 bytes.
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative if a ranks before b, positive if after, 0 only for the same (peer, capability). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.breadth !== b.breadth) return a.breadth - b.breadth;
  if (a.latency !== b.latency) {
    if (a.latency === undefined) return 1;
    if (b.latency === undefined) return -1;
    return a.latency - b.latency;
  }
  if (a.price !== b.price) return a.price < b.price ? -1 : 1;
  return compareAscii(a.peerId, b.peerId) || compareAscii(a.id, b.id) || compareAscii(a.version, b.version);
}
