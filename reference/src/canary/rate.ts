// Choosing a covert canary rate (spec/08-canaries.md §8.9.4, CAN-027) from the
// spot-checking bound of [SARMENTA]: with a fraction f of cheating providers,
// n tasks per provider, blacklisting on a failed check and a target error rate
// ε, a canary rate q ≥ f / ((1 − f) · n · e · ε) suffices. Integer arithmetic
// only: fractions are in parts per million, and the result is rounded up.
import { misuse } from "../errors.js";

const PPM = 1_000_000n;
// e to 24 decimal places, truncated. Truncating e makes the bound slightly
// larger, so the rounding errs towards more canaries.
const E_NUM = 2_718281_828459_045235_360287n;
const E_DEN = 10n ** 24n;

/** Inputs of the bound, in parts per million where they are fractions. */
export interface CanaryRateInputs {
  /** f: the fraction of providers assumed to cheat, 0 ≤ f < 1, in ppm. */
  readonly cheaterFractionPpm: bigint;
  /** n: the tasks a provider is expected to run for this delegator, at least 1. */
  readonly tasksPerProvider: bigint;
  /** ε: the largest acceptable fraction of wrong results, 0 < ε ≤ 1, in ppm. */
  readonly targetErrorPpm: bigint;
}

/** The smallest canary rate, in ppm rounded up and at most 1,000,000, that the bound gives. */
export function minimumCanaryRatePpm({ cheaterFractionPpm: f, tasksPerProvider: n, targetErrorPpm: eps }: CanaryRateInputs): bigint {
  if (typeof f !== "bigint" || f < 0n || f >= PPM) misuse("cheaterFractionPpm must be within 0..999999");
  if (typeof n !== "bigint" || n < 1n) misuse("tasksPerProvider must be at least 1");
  if (typeof eps !== "bigint" || eps < 1n || eps > PPM) misuse("targetErrorPpm must be within 1..1000000");
  // q·10^6 = f·10^12 / ((10^6 − f) · n · e · ε), with e = E_NUM / E_DEN.
  const num = f * PPM * PPM * E_DEN;
  const den = (PPM - f) * n * E_NUM * eps;
  const q = (num + den - 1n) / den;
  return q > PPM ? PPM : q;
}
