// Benchmark 1: the descriptor verification pipeline against its limits, on
// the same descriptors in the same run.
//
//   reference   verifyDescriptor: COSE decode, deterministic-form check, schema, descriptor rules, Ed25519, time window;
//   raw-reused  node:crypto Ed25519 verify of the same Sig_structure bytes, with a KeyObject built once per key;
//   raw-percall the same, building the KeyObject on every call from SPKI DER;
//   raw-jwk     the same, building the KeyObject on every call from a JWK (OpenSSL 3 decodes DER far more slowly), as the
//               reference does on a key-cache miss: the limit for a verifier that has not seen the key before;
//   a2a-card    an A2A-style JSON agent card with the same content, signed with JWS EdDSA over its JCS form (RFC 8785),
//               verified with jose: JSON.parse, JCS of the card without its signatures, JWS verify (async, WebCrypto).
import { createPublicKey, verify as nodeVerify, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import { flattenedVerify, FlattenedSign, importJWK, base64url, type JWK } from "jose";
import type { CapabilityDescriptor } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { Modality } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import { parseSign1OrThrow, sigStructure } from "../reference/src/cose/sign1.js";
import { ED25519_KEY_CACHE_SIZE } from "../reference/src/crypto/ed25519.js";
import { verifyDescriptor } from "../reference/src/descriptor/verify.js";
import { BENCH_TIME, distinctSigners, oneSigner, type BenchDescriptor } from "./fixtures.js";
import { fmt, line, medianThroughput, round, throughput, throughputAsync, type Throughput } from "./lib.js";

const CONTENT_TYPE = "application/ap2p.descriptor.v1+cbor";
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
// The same bound as the reference's key cache, so neither side is favoured.
const KEY_CACHE = ED25519_KEY_CACHE_SIZE;
/** Descriptors, each under its own key, in the distinct-signer workload: twice the key cache, so that every verification misses it. */
export const DISTINCT_SIGNERS = 2 * ED25519_KEY_CACHE_SIZE;

interface Prepared {
  readonly bytes: Uint8Array;
  readonly message: Buffer;
  readonly signature: Buffer;
  readonly spki: Buffer;
  readonly x: string;
  readonly keyObject: KeyObject;
  readonly card: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** An A2A-style agent card carrying the same content as the descriptor. */
function cardOf(d: CapabilityDescriptor): Record<string, unknown> {
  const mode = (m: Modality) => Modality[m]?.toLowerCase() ?? "unspecified";
  return {
    protocolVersion: "0.3.0",
    name: d.displayName,
    description: d.displayName,
    url: d.endpoints[0]?.uri ?? "",
    preferredTransport: "JSONRPC",
    version: `${d.seq}`,
    capabilities: { streaming: false, pushNotifications: false },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["application/json"],
    skills: d.capabilities.map((c) => ({
      id: `${c.namespace}/${c.id}@${c.version}`,
      name: c.id,
      description: c.intents[0] ?? "",
      tags: c.tags,
      examples: c.intents,
      inputModes: c.inputs.map((io) => io.mediaType),
      outputModes: c.outputs.map((io) => io.mediaType),
      // What AP2P carries and A2A has no field for, as an extension object.
      ap2p: {
        inputs: c.inputs.map((io) => ({ name: io.name, modality: mode(io.modality) })),
        outputs: c.outputs.map((io) => ({ name: io.name, modality: mode(io.modality) })),
        maxLatencyMs: c.constraints?.maxLatencyMs,
        price: c.constraints?.price === undefined ? undefined : { currency: c.constraints.price.currency, amountMicros: `${c.constraints.price.amountMicros}`, unit: c.constraints.price.unit },
        regions: c.constraints?.regions,
        onDevice: c.constraints?.onDevice,
        availability: c.constraints?.availability.map((w) => ({ weekdays: w.weekdays, startMinute: w.startMinute, endMinute: w.endMinute })),
        supportedTiers: c.supportedTiers,
      },
    })),
    ap2p: { peerId: d.peerId, seq: `${d.seq}`, issuedAt: `${d.issuedAt}`, expiresAt: `${d.expiresAt}` },
  };
}

async function signCard(card: Record<string, unknown>, seed: Uint8Array, publicKey: Uint8Array, kid: string): Promise<string> {
  const jwk: JWK = { kty: "OKP", crv: "Ed25519", x: base64url.encode(publicKey), d: base64url.encode(seed) };
  const key = await importJWK(jwk, "EdDSA");
  const payload = enc.encode(canonicalize(card)!);
  const jws = await new FlattenedSign(payload).setProtectedHeader({ alg: "EdDSA", kid, jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x! } }).sign(key);
  return JSON.stringify({ ...card, signatures: [{ protected: jws.protected, signature: jws.signature }] });
}

async function prepare(signed: readonly BenchDescriptor[]): Promise<Prepared[]> {
  const keyObjects = new Map<string, KeyObject>();
  const out: Prepared[] = [];
  for (let i = 0; i < signed.length; i++) {
    const s = signed[i]!;
    const p = parseSign1OrThrow(s.bytes, CONTENT_TYPE);
    const spki = Buffer.concat([SPKI_PREFIX, p.publicKey]);
    let keyObject = keyObjects.get(p.kid);
    if (keyObject === undefined) keyObjects.set(p.kid, (keyObject = createPublicKey({ key: spki, format: "der", type: "spki" })));
    out.push({
      bytes: s.bytes,
      message: Buffer.from(sigStructure(p.protectedBytes, p.payload)),
      signature: Buffer.from(p.signature),
      spki,
      x: Buffer.from(p.publicKey).toString("base64url"),
      keyObject,
      card: await signCard(cardOf(s.descriptor), s.key.seed, p.publicKey, p.kid),
    });
  }
  return out;
}

/** The A2A-style verifier: parse, canonicalize without the signatures, verify the JWS with the key its header names. */
function cardVerifier(): (text: string) => Promise<boolean> {
  const keys = new Map<string, Awaited<ReturnType<typeof importJWK>>>();
  return async (text) => {
    const { signatures, ...card } = JSON.parse(text) as { signatures: { protected: string; signature: string }[] };
    const sig = signatures[0]!;
    const header = JSON.parse(dec.decode(base64url.decode(sig.protected))) as { kid: string; jwk: JWK };
    let key = keys.get(header.kid);
    if (key === undefined) {
      key = await importJWK(header.jwk, "EdDSA");
      keys.set(header.kid, key);
      if (keys.size > KEY_CACHE) keys.delete(keys.keys().next().value!);
    }
    await flattenedVerify({ protected: sig.protected, payload: base64url.encode(canonicalize(card)!), signature: sig.signature }, key, { algorithms: ["EdDSA"] });
    return true;
  };
}

type Methods<T> = { reference: T; rawReusedKey: T; rawKeyPerCall: T; rawJwkKeyPerCall: T; a2aCard: T };

export interface VerifyScenario {
  readonly descriptors: number;
  readonly signers: number;
  /** Operations per second of CPU time (the figures the ratios use). */
  readonly opsPerSecond: Methods<number>;
  /** Operations per second of wall-clock time. */
  readonly wallOpsPerSecond: Methods<number>;
  readonly ratios: { referenceOverRawReused: number; referenceOverRawJwk: number; referenceOverRawPerCall: number; referenceOverA2a: number; rawJwkOverRawReused: number };
  readonly sizes: { cose: number; card: number };
}

async function scenario(name: string, prepared: Prepared[], signers: number, roundMs: number, rounds: number): Promise<VerifyScenario> {
  // Sanity: every method accepts every input before it is timed.
  const ctx = { now: BENCH_TIME };
  const card = cardVerifier();
  for (const p of prepared) {
    const v = verifyDescriptor(p.bytes, ctx);
    if (!v.ok) throw new Error(`fixture rejected: ${v.error.code}`);
    if (!nodeVerify(null, p.message, p.keyObject, p.signature)) throw new Error("raw verify failed");
    await card(p.card);
  }
  const samples: Methods<Throughput[]> = { reference: [], rawReusedKey: [], rawKeyPerCall: [], rawJwkKeyPerCall: [], a2aCard: [] };
  for (let r = 0; r < rounds; r++) {
    samples.reference.push(throughput(prepared, (p) => verifyDescriptor(p.bytes, ctx), roundMs));
    samples.rawReusedKey.push(throughput(prepared, (p) => nodeVerify(null, p.message, p.keyObject, p.signature), roundMs));
    samples.rawKeyPerCall.push(throughput(prepared, (p) => nodeVerify(null, p.message, createPublicKey({ key: p.spki, format: "der", type: "spki" }), p.signature), roundMs));
    samples.rawJwkKeyPerCall.push(
      throughput(prepared, (p) => nodeVerify(null, p.message, createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: p.x }, format: "jwk" }), p.signature), roundMs),
    );
    samples.a2aCard.push(await throughputAsync(prepared, (p) => card(p.card), roundMs));
  }
  const m = {
    reference: medianThroughput(samples.reference),
    rawReusedKey: medianThroughput(samples.rawReusedKey),
    rawKeyPerCall: medianThroughput(samples.rawKeyPerCall),
    rawJwkKeyPerCall: medianThroughput(samples.rawJwkKeyPerCall),
    a2aCard: medianThroughput(samples.a2aCard),
  };
  const pick = (k: "cpu" | "wall"): Methods<number> => ({
    reference: round(m.reference[k]),
    rawReusedKey: round(m.rawReusedKey[k]),
    rawKeyPerCall: round(m.rawKeyPerCall[k]),
    rawJwkKeyPerCall: round(m.rawJwkKeyPerCall[k]),
    a2aCard: round(m.a2aCard[k]),
  });
  const ops = pick("cpu");
  const result: VerifyScenario = {
    descriptors: prepared.length,
    signers,
    opsPerSecond: ops,
    wallOpsPerSecond: pick("wall"),
    ratios: {
      referenceOverRawReused: round(m.reference.cpu / m.rawReusedKey.cpu, 2),
      referenceOverRawJwk: round(m.reference.cpu / m.rawJwkKeyPerCall.cpu, 2),
      referenceOverRawPerCall: round(m.reference.cpu / m.rawKeyPerCall.cpu, 2),
      referenceOverA2a: round(m.reference.cpu / m.a2aCard.cpu, 2),
      rawJwkOverRawReused: round(m.rawJwkKeyPerCall.cpu / m.rawReusedKey.cpu, 2),
    },
    sizes: {
      cose: round(prepared.reduce((a, p) => a + p.bytes.length, 0) / prepared.length),
      card: round(prepared.reduce((a, p) => a + Buffer.byteLength(p.card), 0) / prepared.length),
    },
  };
  const row = (label: string, k: keyof Methods<number>, note: string) =>
    line(`    ${label.padEnd(32)} ${fmt(ops[k]).padStart(9)} ops/s CPU (${fmt(result.wallOpsPerSecond[k]).padStart(6)} wall)${note}`);
  line(`  ${name} (${prepared.length} descriptors, ${signers} signer${signers === 1 ? "" : "s"}; COSE ${result.sizes.cose} B, card ${result.sizes.card} B)`);
  row("reference verifyDescriptor", "reference", "");
  row("raw node:crypto, reused key", "rawReusedKey", `   reference / this = ${result.ratios.referenceOverRawReused}  (target >= 0.9)`);
  row("raw node:crypto, JWK key/call", "rawJwkKeyPerCall", `   reference / this = ${result.ratios.referenceOverRawJwk}  (KeyObject from a JWK: raw verify plus key import)`);
  row("raw node:crypto, SPKI key/call", "rawKeyPerCall", `   reference / this = ${result.ratios.referenceOverRawPerCall}  (KeyObject from SPKI DER)`);
  row("A2A-style card, JWS over JCS", "a2aCard", `   reference / this = ${result.ratios.referenceOverA2a}  (target >= 2.5)`);
  return result;
}

export async function benchVerify(count: number, roundMs: number, rounds: number): Promise<{ ownKeys: VerifyScenario; repeatSigner: VerifyScenario }> {
  line(`1. Descriptor verification (median of ${rounds} interleaved rounds of ${roundMs} ms each; ops/s of CPU time, wall clock in brackets)`);
  const own = await prepare(distinctSigners(Math.max(count, DISTINCT_SIGNERS)));
  const ownKeys = await scenario("each descriptor under its own key", own, own.length, roundMs, rounds);
  const repeat = await prepare(oneSigner(count));
  const repeatSigner = await scenario("one repeat signer (soft-state refresh)", repeat, 1, roundMs, rounds);
  return { ownKeys, repeatSigner };
}
