// Steps 3 and 4 of the delegation procedure (spec/10-delegation.md §10.4):
// screen each candidate by tier (TIER-001) and reputation floor (DLG-004), in
// that order (DLG-003), and rank the rest (DLG-004). Pure, so that vectors pin
// both the order and the skipped candidates.
import type { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import type { RiskRule } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import type { ErrorCodeName } from "../errors.js";
import { tiersRequiredFor } from "./policy.js";

/** What ranking needs to know about a candidate. */
export interface RankCandidate {
  readonly peerId: string;
  /** Its position in the registry's answer, 0 first. */
  readonly position: number;
  /** The supported_tiers of the matched capability. */
  readonly supportedTiers: readonly VerificationTier[];
  /** The delegator's reputation for it, in parts per million (§7). */
  readonly reputation: bigint;
}

/** The code a candidate is skipped with under the rule, or undefined if it is ranked. */
export function screenCandidate(rule: RiskRule, c: RankCandidate): ErrorCodeName | undefined {
  if (!tiersRequiredFor(rule.level).every((t) => c.supportedTiers.includes(t))) return "TIER_NOT_SUPPORTED";
  if (c.reputation < BigInt(rule.minReputationPpm)) return "REPUTATION_BELOW_THRESHOLD";
  return undefined;
}

/** DLG-004: reputation, highest first; then position in the answer; then peer_id bytewise. */
export function compareCandidates(a: RankCandidate, b: RankCandidate): number {
  if (a.reputation !== b.reputation) return a.reputation > b.reputation ? -1 : 1;
  if (a.position !== b.position) return a.position - b.position;
  return Buffer.compare(Buffer.from(a.peerId), Buffer.from(b.peerId));
}

/**
 * Screens and ranks candidates. Skipped candidates are listed in the order
 * they are decided: every tier skip, then every reputation skip, each in
 * input order.
 */
export function rankCandidates<T extends RankCandidate>(rule: RiskRule, candidates: readonly T[]): { ranked: T[]; skipped: { candidate: T; error: ErrorCodeName }[] } {
  const tierSkips: { candidate: T; error: ErrorCodeName }[] = [];
  const floorSkips: { candidate: T; error: ErrorCodeName }[] = [];
  const ranked: T[] = [];
  for (const c of candidates) {
    const error = screenCandidate(rule, c);
    if (error === "TIER_NOT_SUPPORTED") tierSkips.push({ candidate: c, error });
    else if (error !== undefined) floorSkips.push({ candidate: c, error });
    else ranked.push(c);
  }
  return { ranked: ranked.sort(compareCandidates), skipped: [...tierSkips, ...floorSkips] };
}
