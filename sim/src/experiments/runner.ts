// Replications and output analysis: every configuration runs once per seed,
// each metric is computed per replication, and the interval is across
// replications (mean ± t(0.975, n−1)·s/√n). Seeds come from xoshiro128**
// seeded with the experiment's base seed, so an experiment is reproducible
// from one number; all policies of a configuration share each seed (common
// random numbers), which makes paired differences between them meaningful.
import { Xoshiro128 } from "../engine/prng.js";
import { meanCi } from "../engine/stats.js";
import type { SimConfig } from "../model/config.js";
import { CAT_NAMES } from "../model/messages.js";
import { simulate, type SimResult } from "../model/simulate.js";

/** The metrics reported per configuration, each with its interval. */
export const METRICS = [
  "success",
  "discovery_mean_ms",
  "discovery_p95_ms",
  "workflow_mean_ms",
  ...CAT_NAMES.map((c) => `msgs_${c}`),
  "msgs_total",
  ...CAT_NAMES.map((c) => `bytes_${c}`),
  "bytes_total",
  "attempts_per_step",
  "sybil_first_share",
  "registry_load",
] as const;
export type Metric = (typeof METRICS)[number];

/** The metrics of one replication. */
export function metricsOf(r: SimResult): Record<Metric, number> {
  const m: Record<string, number> = {
    success: r.successRate,
    discovery_mean_ms: r.discoveryMeanMs,
    discovery_p95_ms: r.discoveryP95Ms,
    workflow_mean_ms: r.workflowMeanMs,
  };
  CAT_NAMES.forEach((c, i) => (m[`msgs_${c}`] = r.messagesPerWorkflow[i]!));
  m.msgs_total = r.messagesPerWorkflow.reduce((a, b) => a + b, 0);
  CAT_NAMES.forEach((c, i) => (m[`bytes_${c}`] = r.bytesPerWorkflow[i]!));
  m.bytes_total = r.bytesPerWorkflow.reduce((a, b) => a + b, 0);
  m.attempts_per_step = r.attemptsPerStep;
  m.sybil_first_share = r.sybilFirstShare;
  m.registry_load = r.registryLoad;
  return m as Record<Metric, number>;
}

/** One configuration's result: its parameters, the number of replications, and every metric's mean and half-width. */
export interface Row {
  readonly params: Readonly<Record<string, string | number>>;
  readonly n: number;
  readonly mean: Readonly<Record<Metric, number>>;
  readonly half: Readonly<Record<Metric, number>>;
  /** Per-replication values, in seed order (for paired comparisons). */
  readonly samples: Readonly<Record<Metric, readonly number[]>>;
  readonly events: number;
}

/** The replication seeds of an experiment. */
export function seedsFor(base: number, n: number): number[] {
  const g = new Xoshiro128(base);
  return Array.from({ length: n }, () => g.nextUint32());
}

/** Progress reporting: called after each replication with (done, total). */
export type Progress = (done: number, total: number) => void;

/** Runs each configuration over the seeds. `configs` are complete but for the seed. */
export function replicate(points: readonly { params: Record<string, string | number>; config: Omit<SimConfig, "seed"> }[], seeds: readonly number[], progress?: Progress): Row[] {
  const total = points.length * seeds.length;
  let done = 0;
  return points.map(({ params, config }) => {
    const samples = Object.fromEntries(METRICS.map((m) => [m, [] as number[]])) as Record<Metric, number[]>;
    let events = 0;
    for (const seed of seeds) {
      const r = simulate({ ...config, seed } as SimConfig);
      events += r.events;
      const m = metricsOf(r);
      for (const k of METRICS) samples[k].push(m[k]);
      progress?.(++done, total);
    }
    const mean = {} as Record<Metric, number>;
    const half = {} as Record<Metric, number>;
    for (const k of METRICS) {
      const ci = meanCi(samples[k]);
      mean[k] = ci.mean;
      half[k] = ci.half;
    }
    return { params, n: seeds.length, mean, half, samples, events };
  });
}

/** The paired difference a − b of a metric over the same seeds (common random numbers), with its interval. */
export function pairedDifference(a: Row, b: Row, metric: Metric): { mean: number; half: number } {
  const xs = a.samples[metric].map((v, i) => v - b.samples[metric][i]!);
  return meanCi(xs);
}
