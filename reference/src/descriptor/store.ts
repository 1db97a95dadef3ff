// A verifier's memory of descriptors (spec/05-descriptors.md §5.5): the latest
// accepted descriptor per peer, enforcing seq monotonicity across refreshes and
// withdrawals, and forgetting what has expired. Discovery (the registry) builds
// on this; the store itself has no query language.
import { misuse, toVerdict, type Verdict } from "../errors.js";
import { checkSignatureOrThrow } from "../cose/sign1.js";
import { DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS, type DescriptorPolicy } from "./policy.js";
import { checkValidityOrThrow, parseDescriptorOrThrow, type VerifiedDescriptor } from "./verify.js";

interface Entry {
  latest: VerifiedDescriptor;
  /** Until when the seq high-water mark must be kept (DESC-016). */
  retainUntil: bigint;
}

/** What accepting a descriptor did. */
export type StoreChange = "published" | "refreshed" | "withdrawn";

/**
 * Soft-state store of descriptors keyed by peer.
 *
 * @example
 * ```ts
 * import { DescriptorStore } from "ap2p";
 *
 * const store = new DescriptorStore();
 * const verdict = store.accept(bytes, now);
 * if (verdict.ok) console.log(verdict.value.change); // "published", "refreshed" or "withdrawn"
 * const live = store.live(now); // descriptors not yet expired
 * store.purge(now);
 * ```
 * @see spec/05-descriptors.md §5.6 (remembering descriptors)
 */
export class DescriptorStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: DescriptorPolicy = DEFAULT_POLICY) {
    if (policy.clockSkewMs < 0n || policy.clockSkewMs > MAX_CLOCK_SKEW_MS) misuse(`clock skew allowance must be within 0..${MAX_CLOCK_SKEW_MS} ms`);
    if (policy.maxTtlMs <= 0n || policy.maxTtlMs > MAX_MAX_TTL_MS) misuse(`maximum TTL must be within 1..${MAX_MAX_TTL_MS} ms`);
  }

  /** Verifies and stores a descriptor received at time now. Never throws on bad input. */
  accept(bytes: Uint8Array, now: bigint): Verdict<{ change: StoreChange; descriptor: VerifiedDescriptor }> {
    return toVerdict(() => {
      const signed = parseDescriptorOrThrow(bytes);
      checkSignatureOrThrow(signed.envelope);
      const d = signed.message;
      const prior = this.liveEntry(d.peerId, now);
      checkValidityOrThrow(d, now, this.policy, prior?.latest.message.seq);
      // DESC-016: remember the high-water mark long enough that no lower-seq
      // descriptor issued before this one can still be valid.
      let retainUntil = d.issuedAt + this.policy.maxTtlMs + this.policy.clockSkewMs;
      if (prior && prior.retainUntil > retainUntil) retainUntil = prior.retainUntil;
      const change: StoreChange = d.withdrawn ? "withdrawn" : prior && !prior.latest.message.withdrawn ? "refreshed" : "published";
      const descriptor: VerifiedDescriptor = { ...signed, peerId: d.peerId, bytes };
      this.entries.set(d.peerId, { latest: descriptor, retainUntil });
      return { change, descriptor };
    });
  }

  /** The peer's current descriptor, if it is live at time now (not expired, not withdrawn). */
  get(peerId: string, now: bigint): VerifiedDescriptor | undefined {
    const e = this.entries.get(peerId);
    if (!e || e.latest.message.withdrawn || this.isExpired(e.latest, now)) return undefined;
    return e.latest;
  }

  /** Every live descriptor at time now, in peer id order. */
  live(now: bigint): VerifiedDescriptor[] {
    return [...this.entries.keys()]
      .sort()
      .map((p) => this.get(p, now))
      .filter((d): d is VerifiedDescriptor => d !== undefined);
  }

  /** Drops entries whose retention has ended; returns how many were dropped (DESC-009, DESC-016). */
  purge(now: bigint): number {
    let n = 0;
    for (const [peer, e] of this.entries) {
      if (now >= e.retainUntil && this.isExpired(e.latest, now)) {
        this.entries.delete(peer);
        n++;
      }
    }
    return n;
  }

  /** Number of peers remembered, live or not. */
  get size(): number {
    return this.entries.size;
  }

  private isExpired(d: VerifiedDescriptor, now: bigint): boolean {
    return now >= d.message.expiresAt + this.policy.clockSkewMs;
  }

  private liveEntry(peerId: string, now: bigint): Entry | undefined {
    const e = this.entries.get(peerId);
    if (e && now >= e.retainUntil && this.isExpired(e.latest, now)) {
      this.entries.delete(peerId);
      return undefined;
    }
    return e;
  }
}
