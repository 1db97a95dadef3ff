// The engine against closed forms: a single-server FIFO queue simulated with
// EventQueue and xoshiro128**, its mean time in queue compared with
// M/M/1 (W = 1/(μ−λ)) and the Pollaczek–Khinchine formula for M/G/1
// (Wq = λE[S²]/(2(1−ρ))). The tolerance is four standard errors of the
// sample mean, estimated from the run itself by the method of batch means
// (20 batches; Law & Kelton §9.5.3), and the run is long enough that this
// standard error is under 3 % of the exact value.
import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "./prng.js";
import { EventQueue } from "./queue.js";

const ARRIVAL = 0;
const DEPARTURE = 1;

/** Simulates `customers` customers; returns each one's wait in queue and time in system. */
function simulate(lambda: number, service: (g: Xoshiro128) => number, customers: number, seed: number): { wq: Float64Array; w: Float64Array } {
  const g = new Xoshiro128(seed);
  const q = new EventQueue();
  const arrivedAt = new Float64Array(customers);
  const wq = new Float64Array(customers);
  const w = new Float64Array(customers);
  const fifo = new Int32Array(customers);
  let head = 0;
  let tail = 0;
  let busy = false;
  let next = 0;
  const startService = (c: number, t: number) => {
    busy = true;
    wq[c] = t - arrivedAt[c]!;
    q.push(t + service(g), DEPARTURE, c, 0);
  };
  q.push(-Math.log(g.nextOpen01()) / lambda, ARRIVAL, next++, 0);
  while (q.pop()) {
    const t = q.t;
    if (q.kind === ARRIVAL) {
      const c = q.a;
      arrivedAt[c] = t;
      if (busy) fifo[tail++] = c;
      else startService(c, t);
      if (next < customers) q.push(t - Math.log(g.nextOpen01()) / lambda, ARRIVAL, next++, 0);
    } else {
      w[q.a] = t - arrivedAt[q.a]!;
      busy = false;
      if (head < tail) startService(fifo[head++]!, t);
    }
  }
  return { wq, w };
}

/** Mean and batch-means standard error, after dropping the first tenth as warm-up. */
function batchMeans(xs: Float64Array, batches = 20): { mean: number; se: number } {
  const start = Math.floor(xs.length / 10);
  const size = Math.floor((xs.length - start) / batches);
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let s = 0;
    for (let i = start + b * size; i < start + (b + 1) * size; i++) s += xs[i]!;
    means.push(s / size);
  }
  const mean = means.reduce((a, b) => a + b, 0) / batches;
  const v = means.reduce((a, m) => a + (m - mean) ** 2, 0) / (batches - 1);
  return { mean, se: Math.sqrt(v / batches) };
}

describe("engine validation against queueing theory", () => {
  for (const rho of [0.5, 0.8]) {
    it(`M/M/1 at ρ = ${rho}: mean time in system 1/(μ−λ)`, () => {
      const mu = 1;
      const lambda = rho * mu;
      const { w } = simulate(lambda, (g) => -Math.log(g.nextOpen01()) / mu, 600_000, 11);
      const exact = 1 / (mu - lambda);
      const { mean, se } = batchMeans(w);
      expect(se / exact).toBeLessThan(0.03);
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    });

    it(`M/D/1 at ρ = ${rho}: Pollaczek–Khinchine mean wait`, () => {
      const s = 1;
      const lambda = rho / s;
      const { wq } = simulate(lambda, () => s, 400_000, 12);
      const exact = (lambda * s * s) / (2 * (1 - rho));
      const { mean, se } = batchMeans(wq);
      expect(se / exact).toBeLessThan(0.03);
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    });

    it(`M/G/1 with lognormal service (σ = 0.5) at ρ = ${rho}: Pollaczek–Khinchine mean wait`, () => {
      const sigma = 0.5;
      const mean1 = 1; // E[S] = median · e^{σ²/2}
      const median = mean1 / Math.exp((sigma * sigma) / 2);
      const es2 = median * median * Math.exp(2 * sigma * sigma);
      const lambda = rho / mean1;
      const { wq } = simulate(
        lambda,
        (g) => {
          const z = Math.sqrt(-2 * Math.log(g.nextOpen01())) * Math.cos(2 * Math.PI * g.nextOpen01());
          return median * Math.exp(sigma * z);
        },
        400_000,
        13,
      );
      const exact = (lambda * es2) / (2 * (1 - rho));
      const { mean, se } = batchMeans(wq);
      expect(se / exact).toBeLessThan(0.03);
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    });
  }
});
