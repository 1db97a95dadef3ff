// Registry and client parameters for discovery (spec/06-discovery.md §6.8 and
// §6.7), with the defaults the specification states (DISC-023).
import { misuse } from "../errors.js";
import { DEFAULT_POLICY, MAX_CLOCK_SKEW_MS, MAX_MAX_TTL_MS, type DescriptorPolicy } from "../descriptor/policy.js";
import { checkBucketRule, type BucketRule } from "./limits.js";

/** Longest freshness window an answer may have: five minutes (DISC-013). */
export const MAX_ANSWER_FRESHNESS_MS = 300_000n;
/** Largest descriptor a registry may be configured to accept, so that any one result fits an answer (DISC-019). */
export const MAX_REGISTRY_DESCRIPTOR_BYTES = 32_768;

/** What a registry allows and how it defends itself. */
export interface RegistryPolicy {
  /** Maximum TTL and clock-skew allowance for submitted descriptors (DISC-001). */
  readonly descriptor: DescriptorPolicy;
  /** How long after as_of an answer stays fresh, at most (DISC-013). */
  readonly answerFreshnessMs: bigint;
  /** Most peers remembered at once, live, expired or withdrawn (DISC-021). */
  readonly maxPeers: number;
  /** Most peers remembered per origin (DISC-020). */
  readonly maxPeersPerOrigin: number;
  /** Largest descriptor accepted, in bytes of its COSE_Sign1 (DISC-019). */
  readonly maxDescriptorBytes: number;
  /** Token bucket of each peer, charged per accepted descriptor (DISC-018). */
  readonly peerRate: BucketRule;
  /** Token bucket of each origin, charged per publish request (DISC-018). */
  readonly originRate: BucketRule;
  /** Most results of one origin in one answer (DISC-022). */
  readonly maxResultsPerOrigin: number;
}

/** The defaults of DISC-023. */
export const DEFAULT_REGISTRY_POLICY: RegistryPolicy = Object.freeze({
  descriptor: DEFAULT_POLICY,
  answerFreshnessMs: 30_000n,
  maxPeers: 100_000,
  maxPeersPerOrigin: 16,
  maxDescriptorBytes: 16_384,
  // A burst of 5, then one every 10 s: a refresh at half-life (DESC-015) for
  // TTLs down to 20 s, with room for a withdrawal.
  peerRate: Object.freeze({ capacityMilli: 5_000n, refillMilliPerSecond: 100n }),
  // A burst of 64, then two per second: every peer of a full origin
  // refreshing at the peer rate, with headroom.
  originRate: Object.freeze({ capacityMilli: 64_000n, refillMilliPerSecond: 2_000n }),
  maxResultsPerOrigin: 3,
});

/** A registry policy from the defaults and overrides; throws INVALID_ARGUMENT if out of range. */
export function registryPolicy(overrides: Partial<RegistryPolicy> = {}): RegistryPolicy {
  const p: RegistryPolicy = Object.freeze({ ...DEFAULT_REGISTRY_POLICY, ...overrides });
  checkDescriptorPolicy(p.descriptor);
  if (p.answerFreshnessMs <= 0n || p.answerFreshnessMs > MAX_ANSWER_FRESHNESS_MS) misuse(`answerFreshnessMs must be within 1..${MAX_ANSWER_FRESHNESS_MS}`);
  for (const [name, v] of [
    ["maxPeers", p.maxPeers],
    ["maxPeersPerOrigin", p.maxPeersPerOrigin],
    ["maxResultsPerOrigin", p.maxResultsPerOrigin],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) misuse(`${name} must be a positive integer`);
  }
  if (!Number.isSafeInteger(p.maxDescriptorBytes) || p.maxDescriptorBytes < 1 || p.maxDescriptorBytes > MAX_REGISTRY_DESCRIPTOR_BYTES) {
    misuse(`maxDescriptorBytes must be within 1..${MAX_REGISTRY_DESCRIPTOR_BYTES}`);
  }
  checkBucketRule(p.peerRate, "peerRate");
  checkBucketRule(p.originRate, "originRate");
  return p;
}

/** What a client allows when it verifies an answer (DISC-015). */
export interface AnswerPolicy {
  /** Maximum TTL and clock-skew allowance for the returned descriptors and the answer's times. */
  readonly descriptor: DescriptorPolicy;
  /** Longest freshness window accepted; at most MAX_ANSWER_FRESHNESS_MS. */
  readonly maxFreshnessMs: bigint;
}

/** The default client policy. */
export const DEFAULT_ANSWER_POLICY: AnswerPolicy = Object.freeze({ descriptor: DEFAULT_POLICY, maxFreshnessMs: MAX_ANSWER_FRESHNESS_MS });

/** Throws INVALID_ARGUMENT unless the client policy is within the protocol's bounds. */
export function checkAnswerPolicy(p: AnswerPolicy): void {
  checkDescriptorPolicy(p.descriptor);
  if (p.maxFreshnessMs <= 0n || p.maxFreshnessMs > MAX_ANSWER_FRESHNESS_MS) misuse(`maxFreshnessMs must be within 1..${MAX_ANSWER_FRESHNESS_MS}`);
}

function checkDescriptorPolicy(p: DescriptorPolicy): void {
  if (p.clockSkewMs < 0n || p.clockSkewMs > MAX_CLOCK_SKEW_MS) misuse(`clock skew allowance must be within 0..${MAX_CLOCK_SKEW_MS} ms`);
  if (p.maxTtlMs <= 0n || p.maxTtlMs > MAX_MAX_TTL_MS) misuse(`maximum TTL must be within 1..${MAX_MAX_TTL_MS} ms`);
}
