// Descriptor bodies in the CBOR data model (snake_case keys, enum numbers),
// shared by the message, COSE and descriptor files.
import { MINUTE, T0 } from "../constants.js";
import type { Peer } from "../fixtures.js";
import type { Body } from "../proto-json.js";

/** The smallest capability: namespace, id and version. */
export const CAP_MIN: Body = { namespace: "ai.image", id: "generate", version: "1.2.0" };

/** A capability with every field set. */
export const CAP_FULL: Body = {
  namespace: "ai.image",
  id: "generate",
  version: "1.2.0",
  intents: ["create an image from a text prompt"],
  tags: ["image", "text-to-image"],
  inputs: [{ name: "prompt", modality: 1, media_type: "text/plain" }],
  outputs: [{ name: "image", modality: 2, media_type: "image/png" }],
  constraints: {
    max_latency_ms: 8000,
    price: { currency: "EUR", amount_micros: 20000n, unit: 1 },
    regions: ["DE"],
    on_device: true,
    availability: [{ weekdays: 31, start_minute: 480, end_minute: 1080 }],
  },
  supported_tiers: [1, 2, 3],
};

/** A live descriptor of one minimal capability, issued at T0 for a minute, seq 1; any field can be overridden (undefined drops it). */
export function descriptorBody(peer: Peer, overrides: Body = {}): Body {
  return { peer_id: peer.did, seq: 1n, issued_at: T0, expires_at: T0 + MINUTE, capabilities: [CAP_MIN], ...overrides };
}

/** A descriptor with every field set. */
export function fullDescriptorBody(peer: Peer, overrides: Body = {}): Body {
  return descriptorBody(peer, {
    capabilities: [CAP_FULL],
    endpoints: [{ transport: 1, uri: "ws://127.0.0.1:7443/ap2p" }],
    display_name: "Example image agent",
    ...overrides,
  });
}

/** A withdrawal tombstone. */
export function tombstoneBody(peer: Peer, overrides: Body = {}): Body {
  return { peer_id: peer.did, seq: 2n, issued_at: T0, expires_at: T0 + MINUTE, withdrawn: true, ...overrides };
}
