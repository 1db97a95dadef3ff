// Output analysis across replications (Law & Kelton, §9.4): a metric is
// computed once per replication, and its interval is
// mean ± t(0.975, n−1) · s / √n over the replications.

/** t(0.975, df) for df = 1..30; beyond 30 the normal quantile is within 2 %. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with df degrees of freedom. */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError("df must be a positive integer");
  return df <= 30 ? T975[df - 1]! : df <= 60 ? 2.0 : 1.96;
}

/** Mean and the half-width of the 95 % confidence interval of the samples (0 with one sample). */
export function meanCi(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, half: Number.NaN };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n === 1) return { mean, half: 0 };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, half: (t975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n) };
}

/** The q-quantile (0 < q ≤ 1) by nearest rank of the first `n` values (sorted in place). */
export function quantileInPlace(xs: Float64Array, n: number, q: number): number {
  if (n === 0) return Number.NaN;
  const v = xs.subarray(0, n).sort();
  return v[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
}
