// The connectivity and identity plane (spec/14-connectivity.md): AP2P over
// WebSocket, with a mutual-authentication handshake, strict frames and
// bounded resources.
export { DEFAULT_LIMITS, MAX_FRAME_BYTES, resolveLimits } from "./limits.js";
export type { NetLimits } from "./limits.js";
export { listen } from "./server.js";
export type { ListenOptions, NodeServer } from "./server.js";
export { connect } from "./client.js";
export type { ConnectOptions, PeerClient } from "./client.js";
export { PROTOCOL_VERSION, SUBPROTOCOL } from "./frames.js";
export type { NetEvent, NodeRole, PeerInfo, ServiceHandlers, TaskAnswer } from "./types.js";
