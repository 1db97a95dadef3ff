// Verifier parameters for task requests and results
// (spec/09-tasks-and-evidence.md §9.3, §9.5).
import { misuse } from "../errors.js";
import { DEFAULT_CLOCK_SKEW_MS, MAX_CLOCK_SKEW_MS } from "../descriptor/policy.js";

/** What a verifier of tasks allows: the longest task and how far clocks may disagree. */
export interface TaskPolicy {
  /** Largest deadline − issued_at accepted, in milliseconds (TASK-007). */
  readonly maxTaskDurationMs: bigint;
  /** Clock-skew allowance, in milliseconds, with the bound of DESC-014. */
  readonly clockSkewMs: bigint;
}

/** Default maximum task duration: one hour (TASK-007). */
export const DEFAULT_MAX_TASK_DURATION_MS = 3_600_000n;
/** Largest maximum task duration a verifier may use: one day (TASK-007). */
export const MAX_MAX_TASK_DURATION_MS = 86_400_000n;

/** The default task policy. */
export const DEFAULT_TASK_POLICY: TaskPolicy = Object.freeze({ maxTaskDurationMs: DEFAULT_MAX_TASK_DURATION_MS, clockSkewMs: DEFAULT_CLOCK_SKEW_MS });

/** Throws INVALID_ARGUMENT for a policy outside the protocol's bounds; returns it otherwise. */
export function checkTaskPolicy(policy: TaskPolicy): TaskPolicy {
  if (policy.clockSkewMs < 0n || policy.clockSkewMs > MAX_CLOCK_SKEW_MS) misuse(`clock skew allowance must be within 0..${MAX_CLOCK_SKEW_MS} ms`);
  if (policy.maxTaskDurationMs <= 0n || policy.maxTaskDurationMs > MAX_MAX_TASK_DURATION_MS) {
    misuse(`maximum task duration must be within 1..${MAX_MAX_TASK_DURATION_MS} ms`);
  }
  return policy;
}
