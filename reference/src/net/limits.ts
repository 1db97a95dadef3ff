// The limits of one node's connections (spec/14-connectivity.md §14.6). Every
// value is a bound on what an untrusted peer can make the node hold or wait
// for; all are overridable, and tests use small timeouts.
import { misuse } from "../errors.js";

/** Bounds on connections, frames and time (spec/14-connectivity.md §14.6). */
export interface NetLimits {
  /** Largest WebSocket message accepted, in bytes (NET-020). */
  maxFrameBytes: number;
  /** Time from the TCP connection to a completed handshake (NET-012). */
  handshakeTimeoutMs: number;
  /** Time without a received frame or ping after which a server closes a connection (NET-024). */
  idleTimeoutMs: number;
  /** Time a client waits for the answer to a request (NET-025). */
  requestTimeoutMs: number;
  /** Requests one connection may have in flight (NET-021). */
  maxInFlight: number;
  /** Connections one server holds at once, authenticated or not (NET-023). */
  maxConnections: number;
  /** Bytes queued for sending above which a node stops reading from the connection (NET-022). */
  highWaterMarkBytes: number;
  /** Time a shutting-down server gives in-flight requests before it closes (NET-026). */
  shutdownGraceMs: number;
}

/** The largest frame limit a node may set: the Frame body's schema bound plus room for the other fields. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024 + 1024;

/** The defaults of §14.6. */
export const DEFAULT_LIMITS: Readonly<NetLimits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  handshakeTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  requestTimeoutMs: 30_000,
  maxInFlight: 32,
  maxConnections: 256,
  highWaterMarkBytes: 4 * 1024 * 1024,
  shutdownGraceMs: 5_000,
});

/** The defaults with the given overrides; throws INVALID_ARGUMENT on a value that is not a positive integer. */
export function resolveLimits(overrides: Partial<NetLimits> = {}): Readonly<NetLimits> {
  const limits: NetLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof NetLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) misuse(`limits.${key} must be a positive integer, not ${String(value)}`);
    limits[key] = value;
  }
  if (limits.maxFrameBytes > MAX_FRAME_BYTES) misuse(`limits.maxFrameBytes must be at most ${MAX_FRAME_BYTES}`);
  // Node's timers hold at most 2^31 - 1 ms; a larger value would fire at once.
  for (const key of ["handshakeTimeoutMs", "idleTimeoutMs", "requestTimeoutMs", "shutdownGraceMs"] as const) {
    if (limits[key] > 2 ** 31 - 1) misuse(`limits.${key} must be at most ${2 ** 31 - 1}`);
  }
  return Object.freeze(limits);
}
