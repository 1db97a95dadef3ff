// Every parameter of a simulation run, with its default and where the default
// comes from. Times are milliseconds in the configuration; the engine runs on
// integer microseconds. sim/README.md states the model these parameters drive.
import type { RiskPolicy } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { DEFAULT_RISK_POLICY } from "../../../reference/src/delegation/policy.js";
import type { BucketRule } from "../../../reference/src/discovery/limits.js";
import { DEFAULT_REGISTRY_POLICY } from "../../../reference/src/discovery/policy.js";
import { DEFAULT_REPUTATION_PARAMS, type ReputationParams } from "../../../reference/src/reputation/params.js";

/** The selection policies compared. */
export type PolicyName = "optimistic" | "tier1" | "tier12" | "tier123" | "adaptive";
export const POLICIES: readonly PolicyName[] = ["optimistic", "tier1", "tier12", "tier123", "adaptive"];
export const POLICY_LABELS: Readonly<Record<PolicyName, string>> = {
  optimistic: "optimistic",
  tier1: "Tier 1",
  tier12: "Tiers 1+2",
  tier123: "Tiers 1+2+3",
  adaptive: "risk-adaptive",
};

/**
 * How Sybil identities behave, named after the dishonest behaviours of the
 * reference ProviderAgent: "lacks-capability" answers canaries and tasks with
 * made-up output; "forges-evidence" does canaries properly and cheats on real
 * tasks, with evidence copied from elsewhere.
 */
export type SybilBehaviour = "lacks-capability" | "forges-evidence";

/**
 * Capability drift: time is cut into cycles of `cycleS` seconds, and in each
 * cycle every honest capability is degraded once, for an exponential time of
 * mean `degradedMeanS` (capped at the cycle), placed uniformly in the cycle.
 */
export interface DriftModel {
  readonly cycleS: number;
  readonly degradedMeanS: number;
}
/** Low drift: a degradation every 30 minutes, lasting 6 minutes on average. */
export const LOW_DRIFT: DriftModel = Object.freeze({ cycleS: 1800, degradedMeanS: 360 });
/** High drift: a degradation every 2 minutes, lasting 24 s on average. */
export const HIGH_DRIFT: DriftModel = Object.freeze({ cycleS: 120, degradedMeanS: 24 });

/** The registry's service times and admission limits. */
export interface RegistryModel {
  /** Mean service time of a publish (exponential), ms: as the reference registry measured at an earlier revision (1,500–2,200 publishes/s); it is faster now (sim/README.md). */
  readonly publishServiceMs: number;
  /** Mean service time of a query (exponential), ms: match (20–50 µs at an earlier revision) plus signing an answer of 20 results (about 0.25 ms). */
  readonly queryServiceMs: number;
  /** DISC-018 token buckets. */
  readonly peerRate: BucketRule;
  readonly originRate: BucketRule;
  /** DISC-022. */
  readonly maxResultsPerOrigin: number;
}

export interface SimConfig {
  readonly seed: number;
  readonly policy: PolicyName;
  /** N: agents in the registry, honest and Sybil. */
  readonly agents: number;
  /** α: the fraction of the N agents that are Sybil identities. */
  readonly sybilFraction: number;
  /** Sybil identities per network origin (1: every Sybil has its own origin, the strongest attacker). */
  readonly sybilsPerOrigin: number;
  readonly sybilBehaviour: SybilBehaviour;
  /** forges-evidence only: the chance, in ppm, that it cheats on a real task. */
  readonly cheatPpm: number;
  /** Workflows in the run; the first warmupFraction of them are not measured. */
  readonly workflows: number;
  readonly warmupFraction: number;
  /** Workflow arrivals: a Poisson process of this rate, per second. */
  readonly workflowRatePerS: number;
  /** Delegating agents (each workflow has one, uniformly); each holds only its own attestations. */
  readonly delegators: number;
  /** Descriptor TTL; agents refresh every TTL/2 (DESC-015) jittered by ±10 %. */
  readonly ttlMs: number;
  readonly drift: DriftModel;
  /** max_results of every query (delegate() asks for 20). */
  readonly maxResults: number;
  readonly riskPolicy: RiskPolicy;
  readonly reputation: ReputationParams;
  readonly registry: RegistryModel;
  /** One-way network delay: lognormal with this median (ms) and σ. */
  readonly networkMedianMs: number;
  readonly networkSigma: number;
  /** How long after a workflow ends its delegator learns whether each step's output was right. */
  readonly feedbackDelayMs: number;
  /** The share of an honest agent's failures that it reports (status FAILED) rather than returning a wrong output, ppm. */
  readonly loudFailurePpm: number;
  /** Canary deadline (delegate() uses 5 s). */
  readonly canaryWindowMs: number;
  /** Local time to check an evidence package. */
  readonly evidenceCheckMs: number;
  /** Success probability of a healthy honest capability: uniform in this range, ppm. */
  readonly healthyPpm: readonly [number, number];
  /** Success probability of a degraded honest capability: uniform in this range, ppm. */
  readonly degradedPpm: readonly [number, number];
  /** The chance, ppm, that an honest agent offers each capability (at least one). */
  readonly offerPpm: number;
  /** Promised latency (max_latency_ms) of honest agents: lognormal medians per capability, σ. */
  readonly promisedMedianMs: readonly [number, number];
  readonly promisedSigma: number;
  /** What Sybils promise: below every honest promise, so that they rank first (DISC-011). */
  readonly sybilPromiseMs: number;
  /** Canary computation time at the provider: lognormal median, ms (σ 0.5). */
  readonly canaryComputeMs: number;
}

export const DEFAULT_CONFIG: SimConfig = Object.freeze({
  seed: 1,
  policy: "tier12",
  agents: 100,
  sybilFraction: 0,
  sybilsPerOrigin: 1,
  sybilBehaviour: "lacks-capability",
  cheatPpm: 1_000_000,
  workflows: 3_000,
  warmupFraction: 0.1,
  workflowRatePerS: 10,
  delegators: 10,
  ttlMs: 60_000,
  drift: LOW_DRIFT,
  maxResults: 20,
  riskPolicy: DEFAULT_RISK_POLICY,
  reputation: DEFAULT_REPUTATION_PARAMS,
  registry: Object.freeze({
    publishServiceMs: 0.5,
    queryServiceMs: 0.3,
    peerRate: DEFAULT_REGISTRY_POLICY.peerRate,
    originRate: DEFAULT_REGISTRY_POLICY.originRate,
    maxResultsPerOrigin: DEFAULT_REGISTRY_POLICY.maxResultsPerOrigin,
  }),
  networkMedianMs: 40,
  networkSigma: 0.5,
  feedbackDelayMs: 5_000,
  loudFailurePpm: 500_000,
  canaryWindowMs: 5_000,
  evidenceCheckMs: 2,
  healthyPpm: [900_000, 990_000] as const,
  degradedPpm: [0, 400_000] as const,
  offerPpm: 600_000,
  promisedMedianMs: [4_000, 800] as const,
  promisedSigma: 0.5,
  sybilPromiseMs: 20,
  canaryComputeMs: 300,
}) as SimConfig;

/** The defaults with some fields replaced. */
export function config(overrides: Partial<SimConfig> = {}): SimConfig {
  const c = { ...DEFAULT_CONFIG, ...overrides };
  if (!Number.isInteger(c.agents) || c.agents < 2) throw new RangeError("agents must be an integer of at least 2");
  if (!(c.sybilFraction >= 0 && c.sybilFraction < 1)) throw new RangeError("sybilFraction must be within [0, 1)");
  if (!Number.isInteger(c.workflows) || c.workflows < 1) throw new RangeError("workflows must be a positive integer");
  if (!(c.ttlMs >= 1)) throw new RangeError("ttlMs must be at least 1");
  if (!Number.isInteger(c.maxResults) || c.maxResults < 1 || c.maxResults > 100) throw new RangeError("maxResults must be within 1..100 (the schema's bound)");
  if (!Number.isInteger(c.sybilsPerOrigin) || c.sybilsPerOrigin < 1) throw new RangeError("sybilsPerOrigin must be a positive integer");
  return c;
}
