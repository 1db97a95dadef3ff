// The mutual-authentication handshake (spec/14-connectivity.md §14.2). Each
// side proves that it holds the key of its did:key by signing a transcript
// that names both peers, both roles, both fresh nonces, the endpoint the
// client dialed and the signing side, so that a proof is valid on exactly one
// connection and for exactly one side.
import { create } from "@bufbuild/protobuf";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import {
  HandshakeProofSchema,
  HandshakeSide,
  HandshakeTranscriptSchema,
  HelloSchema,
  NodeRole as NodeRoleEnum,
  type HandshakeProof,
  type HandshakeTranscript,
  type Hello,
} from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { compareBytes } from "../cbor/encode.js";
import { encodeMessage } from "../codec/message-codec.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { Ap2pError, misuse, toVerdict, type Verdict } from "../errors.js";
import { parseSignedMessage, signMessage, verifySignedMessage } from "../signed/signed-message.js";
import { PROTOCOL_VERSION, decodeBody, encodeBody } from "./frames.js";

/** The role a node plays on a connection (NET-006). */
export type NodeRole = "registry" | "provider" | "delegator";

const ROLE_TO_ENUM: Readonly<Record<NodeRole, NodeRoleEnum>> = {
  registry: NodeRoleEnum.REGISTRY,
  provider: NodeRoleEnum.PROVIDER,
  delegator: NodeRoleEnum.DELEGATOR,
};

/** The schema enum value of a role; throws INVALID_ARGUMENT on anything else. */
export function roleToEnum(role: NodeRole): NodeRoleEnum {
  const value = ROLE_TO_ENUM[role];
  if (value === undefined) misuse(`unknown node role ${JSON.stringify(role)}`);
  return value;
}

/** The role named by a schema enum value (a decoded Hello holds only defined, non-zero values). */
export function roleFromEnum(value: NodeRoleEnum): NodeRole {
  const role = (Object.keys(ROLE_TO_ENUM) as NodeRole[]).find((r) => ROLE_TO_ENUM[r] === value);
  if (role === undefined) throw new Ap2pError("SCHEMA_UNKNOWN_ENUM_VALUE", `${value} is not a node role`);
  return role;
}

/** Bytes of the nonce each side draws for its Hello (NET-006). */
export const NONCE_BYTES = 32;

/** A node's identity: its secret key and the did:key derived from it. */
export interface Identity {
  readonly secretKey: Uint8Array;
  readonly peerId: string;
}

/** The identity of a secret key; throws INVALID_ARGUMENT if it is not a 32-byte Ed25519 seed. */
export function identityOf(secretKey: Uint8Array): Identity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) misuse("secretKey must be a 32-byte Ed25519 secret key");
  return { secretKey, peerId: didFromPublicKey(publicKeyFromSecret(secretKey)) };
}

/** The canonical form of an endpoint URI: its WHATWG URL serialization (NET-010). Undefined if it is not a ws: or wss: URL. */
export function canonicalEndpoint(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") return undefined;
  if (url.username !== "" || url.password !== "" || url.hash !== "") return undefined;
  return url.href;
}

/** A side's Hello (NET-006): the client's names the endpoint it dialed; the server's names none. */
export function makeHello(identity: Identity, role: NodeRole, random: (n: number) => Uint8Array, endpoint = ""): Hello {
  const nonce = random(NONCE_BYTES);
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) misuse(`random(${NONCE_BYTES}) must return ${NONCE_BYTES} bytes`);
  return create(HelloSchema, { version: PROTOCOL_VERSION, role: roleToEnum(role), peerId: identity.peerId, nonce: Uint8Array.from(nonce), endpoint });
}

/**
 * Decodes and checks a received Hello for the side that sent it (NET-005,
 * NET-006): the version, then the endpoint rule of the sender's side.
 */
export function checkHello(body: Uint8Array, sender: "client" | "server", maxFrameBytes: number): Verdict<Hello> {
  return toVerdict(() => {
    const decoded = decodeBody<Hello>(HelloSchema, body, maxFrameBytes);
    if (!decoded.ok) throw decoded.error;
    const hello = decoded.value;
    if (hello.version !== PROTOCOL_VERSION) {
      throw new Ap2pError("NET_VERSION_MISMATCH", `the ${sender} speaks protocol version ${hello.version}, this node speaks ${PROTOCOL_VERSION}`);
    }
    if (sender === "client" && hello.endpoint === "") throw new Ap2pError("NET_HANDSHAKE_INVALID", "the client's Hello names no endpoint", { path: "endpoint" });
    if (sender === "server" && hello.endpoint !== "") throw new Ap2pError("NET_HANDSHAKE_INVALID", "the server's Hello names an endpoint", { path: "endpoint" });
    return hello;
  });
}

/** The transcript of a connection for one signing side (NET-007). */
export function transcriptFor(client: Hello, server: Hello, signer: "client" | "server", channelBinding: Uint8Array = new Uint8Array(0)): HandshakeTranscript {
  return create(HandshakeTranscriptSchema, {
    version: PROTOCOL_VERSION,
    endpoint: client.endpoint,
    clientId: client.peerId,
    clientRole: client.role,
    clientNonce: client.nonce,
    serverId: server.peerId,
    serverRole: server.role,
    serverNonce: server.nonce,
    signer: signer === "client" ? HandshakeSide.CLIENT : HandshakeSide.SERVER,
    channelBinding,
  });
}

/** The body of a PROOF frame: the transcript signed with the side's key (NET-008). */
export function signProof(transcript: HandshakeTranscript, secretKey: Uint8Array): Uint8Array {
  const coseSign1 = signMessage(HandshakeTranscriptSchema, transcript, secretKey);
  return encodeBody(HandshakeProofSchema, create(HandshakeProofSchema, { transcript: { coseSign1 } }));
}

/**
 * Checks a received PROOF body against the transcript this connection
 * expects from the other side (NET-009): well-formed, signed by the peer its
 * Hello named, a valid signature, and exactly the expected transcript.
 */
export function verifyProof(body: Uint8Array, expected: HandshakeTranscript, maxFrameBytes: number): Verdict<void> {
  return toVerdict(() => {
    const proof = decodeBody<HandshakeProof>(HandshakeProofSchema, body, maxFrameBytes);
    if (!proof.ok) throw proof.error;
    const cose = proof.value.transcript?.coseSign1 ?? new Uint8Array(0);
    // Well-formedness and the signer first: no signature is checked for a
    // proof that could not be valid anyway.
    const parsed = parseSignedMessage<HandshakeTranscript>(HandshakeTranscriptSchema, cose);
    if (!parsed.ok) throw parsed.error;
    const signer = expected.signer === HandshakeSide.CLIENT ? expected.clientId : expected.serverId;
    if (parsed.value.envelope.kid !== signer) {
      throw new Ap2pError("COSE_KID_MISMATCH", `the proof is signed by ${parsed.value.envelope.kid}, not by ${signer}, the peer its Hello names`);
    }
    const signed = verifySignedMessage<HandshakeTranscript>(HandshakeTranscriptSchema, cose);
    if (!signed.ok) throw signed.error;
    if (compareBytes(signed.value.envelope.payload, encodeMessage(HandshakeTranscriptSchema, expected)) !== 0) {
      throw new Ap2pError("NET_TRANSCRIPT_MISMATCH", `the proof signs ${describeMismatch(signed.value.message, expected)}`);
    }
  });
}

/** Names the first transcript field that differs, for the error message. */
function describeMismatch(got: HandshakeTranscript, want: HandshakeTranscript): string {
  for (const field of HandshakeTranscriptSchema.fields) {
    const a = (got as unknown as Record<string, unknown>)[field.localName];
    const b = (want as unknown as Record<string, unknown>)[field.localName];
    const same = a instanceof Uint8Array && b instanceof Uint8Array ? compareBytes(a, b) === 0 : a === b;
    if (!same) return `another transcript (its ${field.name} differs from this connection's)`;
  }
  return "another transcript";
}

/** The RFC 9266 exporter label of the tls-exporter channel binding. */
export const CHANNEL_BINDING_LABEL = "EXPORTER-Channel-Binding";

/**
 * The channel binding of the connection beneath a WebSocket (NET-030): the
 * 32-byte tls-exporter value (RFC 9266) of a TLS 1.3 connection, or empty
 * bytes without TLS. Undefined for TLS below 1.3, which NET-030 refuses.
 */
export function channelBindingOf(socket: Socket | undefined): Uint8Array | undefined {
  if (!(socket instanceof TLSSocket)) return new Uint8Array(0);
  if (socket.getProtocol() !== "TLSv1.3") return undefined;
  return new Uint8Array(socket.exportKeyingMaterial(32, CHANNEL_BINDING_LABEL, Buffer.alloc(0)));
}
