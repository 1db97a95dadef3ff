// Shared material of the vector files: the peers (fixed keys), content types,
// COSE_Sign1 assembly, and typical message bodies. Honest signatures, public
// keys and did:key strings are produce-side outputs and come from the
// reference signer; crafted structures are assembled here byte by byte.
import { CapabilityDescriptorSchema } from "../../gen/ts/ap2p/v1/descriptor_pb.js";
import { VectorManifestSchema } from "../../gen/ts/ap2p/v1/vectors_pb.js";
import { didFromPublicKey } from "../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret, signEd25519 } from "../../reference/src/crypto/ed25519.js";
import { contentTypeOf } from "../../reference/src/signed/signed-message.js";
import { utf8 } from "./bytes.js";
import { enc, Tagged, type W } from "./cbor-writer.js";
import { derivedSecret, RFC8032_TEST1_SECRET, RFC8032_TEST2_SECRET, RFC8032_TEST3_SECRET, VECTOR_SIGNING_SECRET } from "./constants.js";
import { craftKey, type CraftKey } from "./ed25519-craft.js";

/** A peer of the vectors: its seed, public key, did:key, and crafting handle. */
export interface Peer {
  readonly name: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly did: string;
  readonly craft: CraftKey;
}

function peer(name: string, seed: Uint8Array): Peer {
  const publicKey = publicKeyFromSecret(seed);
  return { name, seed, publicKey, did: didFromPublicKey(publicKey), craft: craftKey(seed) };
}

/** The RFC 8032 §7.1 TEST 1 key: the main signer of the vectors. */
export const ALICE = peer("rfc8032-test1", RFC8032_TEST1_SECRET);
/** RFC 8032 §7.1 TEST 2. */
export const BOB = peer("rfc8032-test2", RFC8032_TEST2_SECRET);
/** RFC 8032 §7.1 TEST 3. */
export const CAROL = peer("rfc8032-test3", RFC8032_TEST3_SECRET);
/** Keys derived from labels (constants.ts): for a second and third independent signer. */
export const DAVE = peer("derived-dave", derivedSecret("dave"));
export const ERIN = peer("derived-erin", derivedSecret("erin"));
/** The vector-signing key of MANIFEST.cose. */
export const VECTOR_SIGNER = peer("vector-signing-key", VECTOR_SIGNING_SECRET);

/** The content types of the signed kinds the core vectors use (SIG-006). */
export const DESCRIPTOR_CT = contentTypeOf(CapabilityDescriptorSchema);
export const MANIFEST_CT = contentTypeOf(VectorManifestSchema);

/** A protected header {1: alg, 3: content type, 4: kid}, deterministically encoded; any entry may be replaced or dropped. */
export function protectedHeader(contentType: string, kid: string | Uint8Array, extra: Map<W, W> = new Map()): Uint8Array {
  const m = new Map<W, W>([
    [1, -8],
    [3, contentType],
    [4, typeof kid === "string" ? utf8(kid) : kid],
  ]);
  for (const [k, v] of extra) m.set(k, v);
  return enc(m);
}

/** Sig_structure (RFC 9052 §4.4), with the context string and external_aad adjustable for crafting. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = new Uint8Array(0), context = "Signature1"): Uint8Array {
  return enc([context, protectedBytes, externalAad, payload]);
}

/** The pieces of a COSE_Sign1; each may be replaced by a crafted value. */
export interface Sign1Parts {
  readonly protectedBytes: Uint8Array;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

/** An honest COSE_Sign1 of a payload, split into its parts. */
export function honestParts(signer: Peer, contentType: string, payload: Uint8Array, kid: string = signer.did): Sign1Parts {
  const protectedBytes = protectedHeader(contentType, kid);
  return { protectedBytes, payload, signature: signEd25519(signer.seed, sigStructure(protectedBytes, payload)) };
}

/** The parts signed over a given protected header (for header defects that must carry an otherwise valid signature). */
export function partsWithHeader(signer: Peer, protectedBytes: Uint8Array, payload: Uint8Array): Sign1Parts {
  return { protectedBytes, payload, signature: signEd25519(signer.seed, sigStructure(protectedBytes, payload)) };
}

/** 18([protected, {}, payload, signature]) with any item replaced. */
export function assemble(parts: Sign1Parts, options: { tag?: number | null; unprotected?: W; payloadItem?: W; signatureItem?: W; items?: W[] } = {}): Uint8Array {
  const items: W[] = options.items ?? [
    parts.protectedBytes,
    options.unprotected ?? new Map<W, W>(),
    options.payloadItem ?? parts.payload,
    options.signatureItem ?? parts.signature,
  ];
  const tag = options.tag === undefined ? 18 : options.tag;
  return tag === null ? enc(items) : enc(new Tagged(tag, items));
}

/** An honest COSE_Sign1. */
export function signCose(signer: Peer, contentType: string, payload: Uint8Array): Uint8Array {
  return assemble(honestParts(signer, contentType, payload));
}
