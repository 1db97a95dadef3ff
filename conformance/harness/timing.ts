// Timing statistics. Round trips are measured with the monotonic clock
// (performance.now), never with the wall clock.

/**
 * The q-th percentile of some samples by the nearest-rank method: the
 * smallest sample such that at least q % of the samples are at or below it.
 * With 5 samples, p50 is the 3rd smallest and p95 the largest.
 */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Rounds a duration for a report: microsecond precision is plenty. */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;
