// Limits of the canary protocol (spec/08-canaries.md §8.3, §8.6).

/** Longest canary window, deadline − issued_at, in milliseconds: ten minutes (CAN-004). */
export const MAX_CANARY_WINDOW_MS = 600_000n;

/** Shortest nonce, in bytes: 128 bits (CAN-002). */
export const MIN_NONCE_BYTES = 16;
/** Longest nonce, in bytes (the schema's max_len). */
export const MAX_NONCE_BYTES = 64;
/** Nonce length issueChallenge uses unless told otherwise. */
export const DEFAULT_NONCE_BYTES = 16;

/** How many challenges a CanaryVerifier remembers unless told otherwise (CAN-020). */
export const DEFAULT_MAX_OUTSTANDING = 1024;
