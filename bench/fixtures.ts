// Signed descriptors for the benchmarks: fresh keys and deterministic, varied
// content (50 namespaces x 20 ids x 3 versions), so that registry queries hit
// pools of realistic size. Signed once per run and reused.
//
// Keys come from node:crypto's key generator rather than from 32-byte seeds:
// building a private KeyObject from a seed (PKCS#8 DER, as the reference's
// signer does) costs about 0.7 ms on OpenSSL 3, which would make signing 100k
// fixtures take minutes. For the same reason the did:key of a fresh key is
// written here without didFromPublicKey's check that the key is a curve point
// (a square root modulo p per key); the first key of a run is cross-checked.
// The signed bytes are exactly what signMessage makes (same payload encoding,
// protected header, Sig_structure and envelope).
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { base58 } from "@scure/base";
import { CapabilityDescriptorSchema, Modality, Transport, VerificationTier } from "../gen/ts/ap2p/v1/descriptor_pb.js";
import type { DescriptorContent, SignedDescriptor } from "../reference/src/descriptor/issue.js";
import { checkStructureOrThrow } from "../reference/src/descriptor/verify.js";
import { encodeMessage } from "../reference/src/codec/message-codec.js";
import { COSE_SIGN1_TAG, encodeProtectedHeader, sigStructure } from "../reference/src/cose/sign1.js";
import { encodeCanonical } from "../reference/src/cbor/encode.js";
import { CborTag } from "../reference/src/cbor/value.js";
import { didFromPublicKey } from "../reference/src/crypto/did-key.js";
import { contentTypeOf } from "../reference/src/signed/signed-message.js";

/** Issue time of every fixture descriptor: 2026-01-01T00:00:00Z. */
export const BENCH_TIME = 1767225600000n;
/** TTL of every fixture descriptor (an hour: nothing expires during a run). */
export const BENCH_TTL_MS = 3_600_000n;
export const NAMESPACES = 50;
export const IDS = 20;

const MODALITIES = [Modality.TEXT, Modality.IMAGE, Modality.AUDIO];
const REGIONS = ["DE", "FR", "US", "JP", "BR"];
const WORDS = ["translate", "summarise", "classify", "render", "transcribe", "search", "plan", "extract"];

/** A signing key: the node:crypto key, its RFC 8032 seed and public key, and its did:key. */
export interface BenchKey {
  readonly privateKey: KeyObject;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly kid: string;
}

let didChecked = false;

/** The did:key of a key node:crypto generated: "did:key:z" + base58btc(0xed 0x01 || key). */
function didOf(publicKey: Uint8Array): string {
  const did = `did:key:z${base58.encode(Uint8Array.of(0xed, 0x01, ...publicKey))}`;
  if (!didChecked) {
    if (did !== didFromPublicKey(publicKey)) throw new Error("fixture did:key differs from didFromPublicKey");
    didChecked = true;
  }
  return did;
}

/**
 * A new random key. Its seed and public key are read from the DER forms (the
 * last 32 bytes of PKCS#8 and of SubjectPublicKeyInfo, RFC 8410): exporting a
 * key just generated as a JWK deadlocked Node 20 in long runs (the main
 * thread waited forever on the key's lock, taken again by a garbage
 * collection callback during the export); DER export did not, under the
 * same load.
 */
export function benchKey(): BenchKey {
  const { privateKey, publicKey: publicKeyObject } = generateKeyPairSync("ed25519");
  const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" });
  const spki = publicKeyObject.export({ format: "der", type: "spki" });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return { privateKey, seed: new Uint8Array(pkcs8.subarray(pkcs8.length - 32)), publicKey, kid: didOf(publicKey) };
}

export const namespaceOf = (i: number): string => `bench.ns${i % NAMESPACES}`;
export const idOf = (i: number): string => `op${Math.floor(i / NAMESPACES) % IDS}`;

/** Varied descriptor content with one capability; its canonical payload is about 500 bytes. */
export function benchContent(i: number): DescriptorContent {
  const w = WORDS[i % WORDS.length]!;
  return {
    displayName: `Bench agent ${i}`,
    capabilities: [
      {
        namespace: namespaceOf(i),
        id: idOf(i),
        version: `1.${i % 3}.0`,
        intents: [`${w} documents on request`, `${WORDS[(i + 3) % WORDS.length]} short texts`],
        tags: [w, `tier${i % 4}`, "bench"],
        inputs: [{ name: "input", modality: MODALITIES[i % 3]!, mediaType: "text/plain" }],
        outputs: [{ name: "output", modality: MODALITIES[(i + 1) % 3]!, mediaType: "application/json" }],
        constraints: {
          maxLatencyMs: 1000 + (i % 50) * 100,
          price: { currency: "EUR", amountMicros: BigInt(1000 + (i % 97) * 10), unit: 1 },
          regions: [REGIONS[i % REGIONS.length]!],
          onDevice: i % 2 === 0,
          availability: [{ weekdays: 31, startMinute: 480, endMinute: 1080 }],
        },
        supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY],
      },
    ],
    endpoints: [{ transport: Transport.WEBSOCKET, uri: `ws://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:7443/ap2p` }],
  };
}

const CONTENT_TYPE = contentTypeOf(CapabilityDescriptorSchema);
const protectedHeaders = new WeakMap<BenchKey, Uint8Array>();

/** A fixture descriptor and the key that signed it. */
export interface BenchDescriptor extends SignedDescriptor {
  readonly key: BenchKey;
}

/** Descriptor i signed by key (seq 1 unless given), as signMessage would sign it. */
export function signBench(i: number, key: BenchKey, seq = 1n): BenchDescriptor {
  const descriptor = create(CapabilityDescriptorSchema, { ...benchContent(i), withdrawn: false, peerId: key.kid, seq, issuedAt: BENCH_TIME, expiresAt: BENCH_TIME + BENCH_TTL_MS });
  checkStructureOrThrow(descriptor, key.kid);
  const payload = encodeMessage(CapabilityDescriptorSchema, descriptor);
  let header = protectedHeaders.get(key);
  if (header === undefined) protectedHeaders.set(key, (header = encodeProtectedHeader(CONTENT_TYPE, key.kid)));
  const signature = new Uint8Array(nodeSign(null, sigStructure(header, payload), key.privateKey));
  const bytes = encodeCanonical(new CborTag(COSE_SIGN1_TAG, [header, new Map(), payload, signature]));
  return { descriptor, bytes, key };
}

/** n descriptors, each under its own key. */
export function distinctSigners(n: number, progress?: (done: number) => void): BenchDescriptor[] {
  const out: BenchDescriptor[] = [];
  for (let i = 0; i < n; i++) {
    out.push(signBench(i, benchKey()));
    if (progress !== undefined && (i + 1) % 100_000 === 0) progress(i + 1);
  }
  return out;
}

/** n descriptors (refreshes with rising seq) all under one key: soft-state refresh from one peer. */
export function oneSigner(n: number): BenchDescriptor[] {
  const key = benchKey();
  const out: BenchDescriptor[] = [];
  for (let i = 0; i < n; i++) out.push(signBench(i, key, BigInt(i + 1)));
  return out;
}
