// Verifier parameters for descriptors (spec/05-descriptors.md §5.4).

/** What a verifier allows: the longest TTL and how far clocks may disagree. */
export interface DescriptorPolicy {
  /** Largest expires_at − issued_at accepted, in milliseconds (DESC-006). */
  readonly maxTtlMs: bigint;
  /** Clock-skew allowance applied to both ends of the validity window, in milliseconds (DESC-007, DESC-009). */
  readonly clockSkewMs: bigint;
}

/** Default maximum TTL: one hour (DESC-006). */
export const DEFAULT_MAX_TTL_MS = 3_600_000n;
/** Default clock-skew allowance: five seconds (DESC-014). */
export const DEFAULT_CLOCK_SKEW_MS = 5_000n;
/** Largest clock-skew allowance a verifier may use: one minute (DESC-014). */
export const MAX_CLOCK_SKEW_MS = 60_000n;

/** Largest maximum TTL a verifier may use: one day (DESC-006). */
export const MAX_MAX_TTL_MS = 86_400_000n;

/** The default policy. */
export const DEFAULT_POLICY: DescriptorPolicy = Object.freeze({ maxTtlMs: DEFAULT_MAX_TTL_MS, clockSkewMs: DEFAULT_CLOCK_SKEW_MS });
