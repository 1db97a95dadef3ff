// Shared material of the discovery vector files (spec/06-discovery.md): the
// registries' and providers' keys, capability and query bodies in the CBOR
// data model, registry policies as the vectors state them, publish histories,
// and registry answers assembled with the generator's own CBOR writer.
import { CapabilitySchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QuerySchema, RegistryAnswerSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { contentTypeOf } from "../../../reference/src/signed/signed-message.js";
import { hex, sha256Of, utf8 } from "../bytes.js";
import { enc } from "../cbor-writer.js";
import { derivedSecret, MINUTE, T0 } from "../constants.js";
import { craftKey } from "../ed25519-craft.js";
import { DESCRIPTOR_CT, signCose, type Peer } from "../fixtures.js";
import type { Json, JsonObject } from "../model.js";
import { bodyToJson, type Body } from "../proto-json.js";

export const dec = (n: bigint): string => n.toString();

/** A peer whose seed is SHA-256 of "ap2p/vectors/v1/key/" + label. */
export function derivedPeer(label: string): Peer {
  const seed = derivedSecret(label);
  const publicKey = publicKeyFromSecret(seed);
  return { name: label, seed, publicKey, did: didFromPublicKey(publicKey), craft: craftKey(seed) };
}

/** The registry that signs the answers of the vectors, and another one. */
export const REGISTRY = derivedPeer("discovery-registry");
export const OTHER_REGISTRY = derivedPeer("discovery-registry-other");
/** Providers beyond the RFC 8032 keys, for the limits on peers. */
export const PEERS = [1, 2, 3, 4, 5, 6].map((i) => derivedPeer(`discovery-peer-${i}`));
/** Two providers whose peer ids differ first in a letter's case: bytewise, z6MkjM… comes before z6Mkjd… (DISC-011). */
export const PEER_UPPER = derivedPeer("discovery-peer-10");
export const PEER_LOWER = derivedPeer("discovery-peer-11");

/** The content type of registry answers (DISC-012). */
export const ANSWER_CT = contentTypeOf(RegistryAnswerSchema);

/** Origins, as a transport might label them (DISC-017): documentation prefixes. */
export const ORIGIN_1 = "192.0.2.0/24";
export const ORIGIN_2 = "198.51.100.0/24";
export const ORIGIN_3 = "203.0.113.0/24";
export const ORIGIN_4 = "2001:db8:1::/48";
export const ORIGIN_5 = "2001:db8:2::/48";

/** Enum numbers of the schema, as the CBOR data model writes them. */
export const TEXT = 1;
export const IMAGE = 2;
export const AUDIO = 3;
export const CALL = 1;
export const SECOND = 2;
export const REPUTATION = 1;
export const CANARY = 2;
export const EVIDENCE = 3;
export const EXACT = 1;
export const PREFIX = 2;

/** A signed descriptor: the honest envelope over the canonical payload of body. */
export function sd(body: Body, signer: Peer): Uint8Array {
  return signCose(signer, DESCRIPTOR_CT, enc(body));
}

/** A live descriptor body of `peer` with the given capabilities, issued at `issued` for `ttl` ms. */
export function liveBody(peer: Peer, capabilities: Body[], o: { seq?: bigint; issued?: bigint; ttl?: bigint; extra?: Body } = {}): Body {
  const issued = o.issued ?? T0;
  return { peer_id: peer.did, seq: o.seq ?? 1n, issued_at: issued, expires_at: issued + (o.ttl ?? 10n * MINUTE), capabilities, ...o.extra };
}

/** A withdrawal tombstone body. */
export function tombBody(peer: Peer, seq: bigint, issued: bigint, ttl: bigint = 10n * MINUTE): Body {
  return { peer_id: peer.did, seq, issued_at: issued, expires_at: issued + ttl, withdrawn: true };
}

/** A signed live descriptor. */
export function live(peer: Peer, capabilities: Body[], o: { seq?: bigint; issued?: bigint; ttl?: bigint; extra?: Body } = {}): Uint8Array {
  return sd(liveBody(peer, capabilities, o), peer);
}

/** A signed tombstone. */
export function tomb(peer: Peer, seq: bigint, issued: bigint, ttl?: bigint): Uint8Array {
  return sd(tombBody(peer, seq, issued, ttl), peer);
}

// ---------------------------------------------------------------------------
// Capabilities: the six of the example of spec §6.10, and a capability with
// every attribute a query can filter on.

export const SKETCH_INTENT = "turn a sketch into an image";

/** TEST 1's `generate` 1.2.0 of §6.10. */
export const EX_GENERATE: Body = {
  namespace: "ai.image",
  id: "generate",
  version: "1.2.0",
  intents: ["create an image from a text prompt"],
  tags: ["image", "text-to-image"],
  constraints: { max_latency_ms: 8000, regions: ["DE"] },
};
/** A sketch capability of §6.10. */
export function exSketch(id: string, version: string, latency: number, regions: string[] | undefined, tags: string[] = ["image", "sketch"]): Body {
  return { namespace: "ai.image", id, version, intents: [SKETCH_INTENT], tags, constraints: { max_latency_ms: latency, ...(regions ? { regions } : {}) } };
}
export const EX_TEST1_CAPS = [EX_GENERATE, exSketch("sketch-to-image", "1.0.0", 12000, ["DE"], ["sketch"])];
export const EX_TEST2_CAPS = [exSketch("sketch-to-image", "1.1.0", 9000, ["FR"])];
export const EX_TEST3_CAPS = [exSketch("sketch-to-image", "1.1.0", 9000, ["NL"]), exSketch("sketch-to-image", "2.0.0", 9000, ["NL"]), exSketch("sketch-to-image-fast", "1.0.0", 3000, undefined)];

/**
 * A capability stating every attribute a query filters on. Its tokens are
 * create, an, image, from, a, text, prompt, to: a breadth of 8.
 */
export const CAP_ALL: Body = {
  namespace: "ai.image",
  id: "generate",
  version: "1.2.0",
  intents: ["create an image from a text prompt"],
  tags: ["image", "text-to-image"],
  inputs: [{ name: "prompt", modality: TEXT }],
  outputs: [{ name: "image", modality: IMAGE }],
  constraints: {
    max_latency_ms: 8000,
    price: { currency: "EUR", amount_micros: 20000n, unit: CALL },
    regions: ["DE"],
    on_device: true,
    availability: [{ weekdays: 31, start_minute: 480, end_minute: 1080 }],
  },
  supported_tiers: [REPUTATION, CANARY, EVIDENCE],
};

/** The smallest capability: namespace, id and version only. */
export const CAP_BARE: Body = { namespace: "ai.image", id: "generate", version: "1.2.0" };

/** CAP_ALL with its constraints replaced (undefined drops a constraint). */
export function withConstraints(c: Body, constraints: Body): Body {
  return { ...c, constraints: { ...(c["constraints"] as Body), ...constraints } };
}

// ---------------------------------------------------------------------------
// Queries

/** A nonce of 16 bytes, fixed per label: SHA-256 of "ap2p/vectors/v1/nonce/" + label, first 16 bytes. */
export function nonce(label: string): Uint8Array {
  return sha256Of(utf8(`ap2p/vectors/v1/nonce/${label}`)).subarray(0, 16);
}

/** A query body in namespace ai.image with max_results 10 and a fixed nonce; fields may be overridden (undefined drops one). */
export function queryBody(fields: Body = {}, label = "default"): Body {
  return { namespace: "ai.image", nonce: nonce(label), max_results: 10, ...fields };
}

/** The proto3 JSON form of a query body. */
export const queryJson = (q: Body): JsonObject => bodyToJson(QuerySchema, q);
/** The proto3 JSON form of a capability body. */
export const capabilityJson = (c: Body): JsonObject => bodyToJson(CapabilitySchema, c);

/** The message hash of a query (ENC-020): SHA-256 of its canonical encoding, written with the generator's CBOR writer. */
export function queryHash(q: Body): Uint8Array {
  return sha256Of(enc(q));
}

// ---------------------------------------------------------------------------
// Registry policies, as the shared inputs of registry.publish and
// registry.answer state them (vectors/README.md).

export interface PolicySpec {
  max_ttl_ms?: bigint;
  clock_skew_ms?: bigint;
  answer_freshness_ms?: bigint;
  max_peers?: number;
  max_peers_per_origin?: number;
  max_descriptor_bytes?: number;
  peer_bucket_capacity_milli?: bigint;
  peer_bucket_refill_milli_per_second?: bigint;
  origin_bucket_capacity_milli?: bigint;
  origin_bucket_refill_milli_per_second?: bigint;
  max_results_per_origin?: number;
}

/** The defaults of DISC-023. */
export const DEFAULT_REGISTRY: Required<PolicySpec> = {
  max_ttl_ms: 3_600_000n,
  clock_skew_ms: 5_000n,
  answer_freshness_ms: 30_000n,
  max_peers: 100_000,
  max_peers_per_origin: 16,
  max_descriptor_bytes: 16_384,
  peer_bucket_capacity_milli: 5_000n,
  peer_bucket_refill_milli_per_second: 100n,
  origin_bucket_capacity_milli: 64_000n,
  origin_bucket_refill_milli_per_second: 2_000n,
  max_results_per_origin: 3,
};

/** The shared inputs stating a registry policy: the defaults with overrides; times and milli-tokens as decimal strings. */
export function registryShared(overrides: PolicySpec = {}, extra: JsonObject = {}): JsonObject {
  const p = { ...DEFAULT_REGISTRY, ...overrides };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === "bigint" ? dec(v) : v;
  return { ...out, ...extra };
}

// ---------------------------------------------------------------------------
// Publish histories

/** One earlier publish request and the outcome it must have had. */
export type Step = { descriptor: string; now: string; origin: string } & ({ change: string } | { error: string });

export const PUBLISHED = "PUBLISH_CHANGE_PUBLISHED";
export const REFRESHED = "PUBLISH_CHANGE_REFRESHED";
export const WITHDRAWN = "PUBLISH_CHANGE_WITHDRAWN";

/** A history step that must be accepted with `change`. */
export function ok(bytes: Uint8Array, now: bigint, origin: string, change: string = PUBLISHED): Step {
  return { descriptor: hex(bytes), now: dec(now), origin, change };
}
/** A history step that must be rejected with `error`. */
export function no(bytes: Uint8Array, now: bigint, origin: string, error: string): Step {
  return { descriptor: hex(bytes), now: dec(now), origin, error };
}
export const stepsJson = (steps: Step[]): Json => steps as unknown as Json;

// ---------------------------------------------------------------------------
// Registry answers

export interface AnswerResultSpec {
  readonly descriptor: Uint8Array;
  readonly index: number;
}

export interface AnswerSpec {
  readonly registryId: string;
  readonly queryHash: Uint8Array;
  readonly asOf: bigint;
  readonly freshUntil: bigint;
  readonly results: readonly AnswerResultSpec[];
  readonly totalMatches: number;
}

/** The RegistryAnswer body in the CBOR data model: default values (index 0, no results, total 0) are left out. */
export function answerBody(a: AnswerSpec): Body {
  return {
    registry_id: a.registryId,
    query_hash: a.queryHash,
    as_of: a.asOf,
    fresh_until: a.freshUntil,
    results:
      a.results.length === 0
        ? undefined
        : a.results.map((r) => (r.index === 0 ? { descriptor: { cose_sign1: r.descriptor } } : { descriptor: { cose_sign1: r.descriptor }, capability_index: r.index })),
    total_matches: a.totalMatches === 0 ? undefined : a.totalMatches,
  };
}

/** An answer signed by `signer` (the registry, unless a vector says otherwise). */
export function signAnswer(a: AnswerSpec, signer: Peer = REGISTRY): Uint8Array {
  return signCose(signer, ANSWER_CT, enc(answerBody(a)));
}

/** A well-formed answer without results, to some query: a registry answer to present where something else is expected. */
export function emptyAnswer(signer: Peer = REGISTRY): Uint8Array {
  return signAnswer({ registryId: signer.did, queryHash: queryHash(queryBody()), asOf: T0, freshUntil: T0 + 30_000n, results: [], totalMatches: 0 }, signer);
}

/** The output form of a result list: peer ids and capability indexes. */
export function resultsJson(results: readonly { peer: Peer; index: number }[]): Json {
  return results.map((r) => ({ peer_id: r.peer.did, capability_index: r.index }));
}
