// The registry as the simulator models it: the reference's matching and
// ranking rules (matchCapability, sortKey, compareKeys: DISC-008 to DISC-011),
// its per-origin answer limit (selectDiverse: DISC-022) and its token buckets
// (TokenBucket: DISC-018), over descriptors that are not signed. A capability's
// sort key depends only on its promise, which does not change in the model, so
// the ranked order of every capability is computed once; a query walks it and
// keeps the descriptors live at that instant (DISC-003), as Registry.answer
// does (DISC-014: current by the registry's clock, no skew allowance).
import { capabilityFacts, matchCapability } from "../../../reference/src/discovery/match.js";
import { compileQuery } from "../../../reference/src/discovery/query.js";
import { compareKeys, sortKey, type SortKey } from "../../../reference/src/discovery/rank.js";
import { selectDiverse } from "../../../reference/src/discovery/select.js";
import { TokenBucket } from "../../../reference/src/discovery/limits.js";
import type { SimConfig } from "./config.js";
import { capabilityMessage, queryMessage } from "./messages.js";
import type { World } from "./world.js";

/** Milliseconds since the Unix epoch at simulated time 0: 2026-01-01T00:00:00Z. */
export const EPOCH_MS = 1_767_225_600_000;

/** Protocol time (ms since the Unix epoch, bigint) of a simulated time in µs. */
export function protocolMs(tUs: number): bigint {
  return BigInt(EPOCH_MS + Math.floor(tUs / 1000));
}

export class SimRegistry {
  /** Agents offering each capability, in the registry's rank order (DISC-011). */
  readonly order: Int32Array[];
  /** The latest accepted descriptor of each agent: issue time, expiry (µs) and capabilities listed (0: a tombstone, or none yet). */
  readonly issuedUs: Float64Array;
  readonly expiresUs: Float64Array;
  readonly mask: Uint8Array;
  readonly peerIds: readonly string[];
  private readonly peerBuckets: (TokenBucket | undefined)[];
  private readonly originBuckets: (TokenBucket | undefined)[];
  private readonly originNames: string[];
  private readonly prefix: number[] = [];
  private positionList: number[] = [];
  accepted = 0;
  rejectedRate = 0;
  rejectedStale = 0;

  constructor(
    private readonly world: World,
    private readonly config: SimConfig,
    peerIds: readonly string[],
  ) {
    const n = world.n;
    this.peerIds = peerIds;
    this.issuedUs = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.expiresUs = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.mask = new Uint8Array(n);
    this.peerBuckets = new Array<TokenBucket | undefined>(n);
    this.originBuckets = new Array<TokenBucket | undefined>(world.origins);
    this.originNames = Array.from({ length: world.origins }, (_, o) => `o${o}`);
    this.order = [0, 1].map((c) => this.rank(c));
  }

  private rank(c: number): Int32Array {
    // Queries at level 1 carry no min_tier and at levels 2 and 3 min_tier
    // CANARY; both must match and key every capability the same way, or one
    // order would not serve both.
    const queries = [1, 2].map((level) => {
      const q = compileQuery(queryMessage(c, this.config.maxResults, level));
      if (!q.ok) throw q.error;
      return q.value;
    });
    const keyed: { agent: number; key: SortKey }[] = [];
    for (let i = 0; i < this.world.n; i++) {
      if (!((this.world.offers[i]! >> c) & 1)) continue;
      const cap = capabilityMessage(c, this.world.promisedMs[2 * i + c]!);
      const facts = capabilityFacts(cap);
      const keys = queries.map((q) => {
        const score = matchCapability(cap, facts, q);
        if (score === undefined) throw new Error(`capability ${c} of agent ${i} does not match its own query`);
        return sortKey(this.peerIds[i]!, cap, facts, score, q);
      });
      if (compareKeys(keys[0]!, keys[1]!) !== 0) throw new Error("the two query shapes rank a capability differently");
      keyed.push({ agent: i, key: keys[0]! });
    }
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    return Int32Array.from(keyed, (k) => k.agent);
  }

  /** Installs a descriptor without admission checks: the filled registry at time 0. */
  preload(agent: number, issuedUs: number, mask: number): void {
    this.issuedUs[agent] = issuedUs;
    this.expiresUs[agent] = issuedUs + this.config.ttlMs * 1000;
    this.mask[agent] = mask;
  }

  /**
   * A publish served at time nowUs of a descriptor issued at sentUs listing
   * `mask`: the origin's bucket pays first, then the peer's is checked, then
   * the descriptor must be newer than the one held (DESC-003), and only then
   * does the peer's bucket pay — the order of Registry.publish.
   */
  publish(agent: number, sentUs: number, mask: number, nowUs: number): boolean {
    const now = protocolMs(nowUs);
    const o = this.world.origin[agent]!;
    const ob = (this.originBuckets[o] ??= new TokenBucket(this.config.registry.originRate, now));
    if (!ob.take(now)) {
      this.rejectedRate++;
      return false;
    }
    const pb = (this.peerBuckets[agent] ??= new TokenBucket(this.config.registry.peerRate, now));
    if (!pb.canTake(now)) {
      this.rejectedRate++;
      return false;
    }
    if (sentUs <= this.issuedUs[agent]!) {
      this.rejectedStale++;
      return false;
    }
    pb.take(now);
    this.issuedUs[agent] = sentUs;
    this.expiresUs[agent] = sentUs + this.config.ttlMs * 1000;
    this.mask[agent] = mask;
    this.accepted++;
    return true;
  }

  /** True if agent's current descriptor lists capability c and is live at t (DISC-003, DISC-014). */
  live(agent: number, c: number, t: number): boolean {
    return ((this.mask[agent]! >> c) & 1) === 1 && this.issuedUs[agent]! <= t && t < this.expiresUs[agent]!;
  }

  /** Writes the answer to a query for capability c at time t into out; returns the number of results. */
  answer(c: number, t: number, out: Int32Array, offset: number): number {
    const order = this.order[c]!;
    const limit = this.config.maxResults;
    const perOrigin = this.config.registry.maxResultsPerOrigin;
    const prefix = this.prefix;
    prefix.length = 0;
    let next = 0;
    let want = limit;
    for (;;) {
      while (prefix.length < want && next < order.length) {
        const agent = order[next++]!;
        if (this.live(agent, c, t)) prefix.push(agent);
      }
      // The live matches are in rank order, so selecting among the first of
      // them gives the registry's answer as soon as it fills max_results.
      // Items are positions in the prefix: comparing them compares ranks.
      const positions = this.positions(prefix.length);
      const chosen = selectDiverse(positions, byPosition, (k) => this.originNames[this.world.origin[prefix[k]!]!]!, perOrigin, limit);
      if (chosen.length === limit || next >= order.length) {
        for (let k = 0; k < chosen.length; k++) out[offset + k] = prefix[chosen[k]!]!;
        return chosen.length;
      }
      want *= 2;
    }
  }

  /** The list 0, 1, ..., n − 1. */
  private positions(n: number): number[] {
    const p = this.positionList;
    while (p.length < n) p.push(p.length);
    return p.length === n ? p : p.slice(0, n);
  }
}

const byPosition = (a: number, b: number): number => a - b;
