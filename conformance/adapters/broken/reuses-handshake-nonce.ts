// Broken on purpose: its nodes' endpoints draw every handshake nonce from a
// source that always gives the same bytes (NET-006), so a client's proof
// recorded on one connection is valid again on the next (NET-009): the node
// accepts a replayed handshake. Everything else is the reference's.
// Usage: node --import tsx conformance/adapters/broken/reuses-handshake-nonce.ts
import { runBroken } from "./common.js";

await runBroken("reuses-handshake-nonce", { random: (n) => new Uint8Array(n).fill(0x5a) });
