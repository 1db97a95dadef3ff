// A verifier's memory of descriptors (spec/05-descriptors.md §5.5): the latest
// accepted descriptor per peer, enforcing seq monotonicity across refreshes and
// withdrawals, and forgetting what has expired. Discovery (the registry) builds
// on this; the store itself has no query language.
import { CapabilityDescriptorSchema, type CapabilityDescriptor } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { misuse, toVerdict, type Verdict } from "../errors.js";
import { verifySignedMessageOrThrow, type SignedMessage } from "../signed/signed-message.js";
import { DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS, type DescriptorPolicy } from "./policy.js";
import { checkStructureOrThrow, checkValidityOrThrow, type VerifiedDescriptor } from "./verify.js";

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

  /**
   * Verifies and stores a descriptor received at time now. Never throws on bad input.
   *
   * `admit`, if given, runs once the descriptor is well-formed (spec/05 §5.7
   * steps 1-4) and before its signature is checked; it may refuse the
   * descriptor by throwing Ap2pError, and then nothing is stored. A registry
   * puts its admission limits there (spec/06 §6.2), so that they read the
   * claimed peer_id without a second parse and cost no signature check. They
   * must not commit anything: the claim is not yet authenticated (SIG-015).
   */
  accept(bytes: Uint8Array, now: bigint, admit?: (signed: SignedMessage<CapabilityDescriptor>) => void): Verdict<{ change: StoreChange; descriptor: VerifiedDescriptor }> {
    return toVerdict(() => {
      let prior: Entry | undefined;
      const signed = verifySignedMessageOrThrow<CapabilityDescriptor>(CapabilityDescriptorSchema, bytes, {
        wellFormed: (s) => {
          checkStructureOrThrow(s.message, s.envelope.kid);
          admit?.(s);
        },
        valid: (s) => {
          prior = this.liveEntry(s.message.peerId, now);
          checkValidityOrThrow(s.message, now, this.policy, prior?.latest.message.seq);
        },
      });
      const d = signed.message;
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
    return this.purgePeers(now).length;
  }

  /** As purge, returning the peer ids forgotten, so that a caller can forget what it keeps beside the store. */
  purgePeers(now: bigint): string[] {
    const forgotten: string[] = [];
    for (const [peer, e] of this.entries) {
      if (now >= e.retainUntil && this.isExpired(e.latest, now)) {
        this.entries.delete(peer);
        forgotten.push(peer);
      }
    }
    return forgotten;
  }

  /** Number of peers remembered, live or not. */
  get size(): number {
    return this.entries.size;
  }

  private isExpired(d: VerifiedDescriptor, now: bigint): boolean {
    return now >= d.message.expiresAt + this.policy.clockSkewMs;
  }

  // The peer's entry, unless its retention has ended: then the peer counts as
  // unknown, and the entry stays until it is replaced or purged, so that
  // purgePeers reports every peer the store forgets.
  private liveEntry(peerId: string, now: bigint): Entry | undefined {
    const e = this.entries.get(peerId);
    if (e && now >= e.retainUntil && this.isExpired(e.latest, now)) return undefined;
    return e;
  }
}
