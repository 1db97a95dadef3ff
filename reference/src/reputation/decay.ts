// Evidence decay (spec/07-reputation.md §7.5.4, REP-014): an attestation's
// weight halves every half-life, and between two halvings it falls on the
// straight line joining them. One exact rational, floored once, so every
// implementation gets the same integer.
import { misuse } from "../errors.js";
import { EVIDENCE_UNIT } from "./params.js";

/**
 * After this many whole half-lives the weight is 0 whatever the remainder:
 * EVIDENCE_UNIT < 2^20, so EVIDENCE_UNIT · 2H / (2^21 · H) < 1.
 */
export const MAX_HALVINGS = 20n;

/**
 * The weight, in micro-units, of one attestation of age ageMs (REP-014):
 *
 *   n = floor(age / H), m = age mod H,
 *   weight = floor(EVIDENCE_UNIT · (2H − m) / (2^(n+1) · H)),
 *
 * which is EVIDENCE_UNIT / 2^n at m = 0 and falls linearly towards
 * EVIDENCE_UNIT / 2^(n+1). Ages below zero (issued_at within the clock-skew
 * allowance after now) count as zero.
 */
export function decayWeight(ageMs: bigint, halfLifeMs: bigint): bigint {
  if (halfLifeMs <= 0n) misuse(`halfLifeMs: expected a positive integer, got ${halfLifeMs}`);
  const age = ageMs < 0n ? 0n : ageMs;
  const n = age / halfLifeMs;
  if (n >= MAX_HALVINGS) return 0n;
  const m = age % halfLifeMs;
  return (EVIDENCE_UNIT * (2n * halfLifeMs - m)) / ((1n << (n + 1n)) * halfLifeMs);
}
