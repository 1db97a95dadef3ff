// Steps 1 to 3 of the reputation function (spec/07-reputation.md §7.5.3 to
// §7.5.5): one attestation per delegation, decayed weights, and per-pair
// evidence with the per-rater cap. Every quantity is a non-negative bigint
// in micro-units; every division floors.
import type { CapabilityRef } from "../../../gen/ts/ap2p/v1/task_pb.js";
import { OutcomeAttestationSchema, type OutcomeAttestation } from "../../../gen/ts/ap2p/v1/reputation_pb.js";
import { compareBytes } from "../cbor/encode.js";
import { messageHash } from "../codec/hash.js";
import { misuse } from "../errors.js";
import { isPositiveOutcome } from "./attestation.js";
import { decayWeight } from "./decay.js";

/** Decayed evidence one rater holds about one provider, in micro-units. */
export interface PairEvidence {
  readonly positive: bigint;
  readonly negative: bigint;
}

/** Evidence by attester, then by provider. */
export type EvidenceTable = ReadonlyMap<string, ReadonlyMap<string, PairEvidence>>;

/** A capability identity to restrict scores to (§7.5.5). */
export type CapabilityScope = Pick<CapabilityRef, "namespace" | "id" | "version">;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Step 1 (REP-013): keeps one attestation per (attester, provider, task_hash):
 * the one with the greatest issued_at, and among those the one whose message
 * hash (ENC-020) is bytewise smallest. Returned in key order. The provider is
 * part of the key so that an attestation about one provider can never
 * displace one about another, which keeps each score monotone (§7.6).
 */
export function dedupeAttestations(attestations: Iterable<OutcomeAttestation>): OutcomeAttestation[] {
  const best = new Map<string, { a: OutcomeAttestation; hash: Uint8Array }>();
  for (const a of attestations) {
    if (a.attester === a.provider) misuse("a self-attestation cannot have passed verification (REP-006, REP-012)");
    const key = `${a.attester}\u0000${a.provider}\u0000${hex(a.taskHash)}`;
    const hash = messageHash(OutcomeAttestationSchema, a);
    const kept = best.get(key);
    if (kept === undefined || a.issuedAt > kept.a.issuedAt || (a.issuedAt === kept.a.issuedAt && compareBytes(hash, kept.hash) < 0)) {
      best.set(key, { a, hash });
    }
  }
  return [...best.keys()].sort().map((k) => best.get(k)!.a);
}

/** True if the attestation is about exactly this capability. */
export function inScope(a: OutcomeAttestation, scope: CapabilityScope | undefined): boolean {
  if (scope === undefined) return true;
  const c = a.capability;
  return c !== undefined && c.namespace === scope.namespace && c.id === scope.id && c.version === scope.version;
}

/**
 * Steps 2 and 3 (REP-014, REP-015): sums the decayed weights of the
 * attestations, positive and negative apart, per (attester, provider).
 */
export function evidenceTable(deduped: readonly OutcomeAttestation[], now: bigint, halfLifeMs: bigint): EvidenceTable {
  const table = new Map<string, Map<string, { positive: bigint; negative: bigint }>>();
  for (const a of deduped) {
    const weight = decayWeight(now - a.issuedAt, halfLifeMs);
    if (weight === 0n) continue;
    let row = table.get(a.attester);
    if (row === undefined) table.set(a.attester, (row = new Map()));
    const cell = row.get(a.provider) ?? { positive: 0n, negative: 0n };
    if (isPositiveOutcome(a.outcome)) cell.positive += weight;
    else cell.negative += weight;
    row.set(a.provider, cell);
  }
  return table;
}

/**
 * The per-rater cap (REP-015): evidence from a rater other than the evaluator
 * about one provider counts as at most cap micro-units, scaled down in
 * proportion when it exceeds it. The evaluator's own evidence is never capped.
 */
export function capEvidence(e: PairEvidence, cap: bigint): PairEvidence {
  const total = e.positive + e.negative;
  if (total <= cap) return e;
  return { positive: (e.positive * cap) / total, negative: (e.negative * cap) / total };
}
