// The worked example of spec/14-connectivity.md §14.10: the server's side of
// a handshake between the RFC 8032 §7.1 TEST 2 key (client, a delegator) and
// the TEST 1 key (server, the provider of the example descriptor of §5.8),
// dialed at that descriptor's endpoint, with fixed nonces.
import { create } from "@bufbuild/protobuf";
import { HandshakeTranscriptSchema, HelloSchema, NodeRole, type HandshakeTranscript, type Hello } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { parseSign1OrThrow } from "../cose/sign1.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { EXAMPLE_SECRET_KEY } from "../descriptor/example.js";
import { signMessage } from "../signed/signed-message.js";
import { PROTOCOL_VERSION } from "./frames.js";
import { transcriptFor } from "./handshake.js";

/** RFC 8032 §7.1 TEST 2 secret key: a published key, for examples only. */
export const EXAMPLE_CLIENT_SECRET_KEY = new Uint8Array(Buffer.from("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "hex"));

/** The two Hellos, the transcript the server signs, its payload and the COSE_Sign1 of its proof. */
export function exampleHandshake(): { client: Hello; server: Hello; transcript: HandshakeTranscript; payload: Uint8Array; bytes: Uint8Array } {
  const client = create(HelloSchema, {
    version: PROTOCOL_VERSION,
    role: NodeRole.DELEGATOR,
    peerId: didFromPublicKey(publicKeyFromSecret(EXAMPLE_CLIENT_SECRET_KEY)),
    nonce: new Uint8Array(32).fill(0x01),
    endpoint: "ws://127.0.0.1:7443/ap2p",
  });
  const server = create(HelloSchema, {
    version: PROTOCOL_VERSION,
    role: NodeRole.PROVIDER,
    peerId: didFromPublicKey(publicKeyFromSecret(EXAMPLE_SECRET_KEY)),
    nonce: new Uint8Array(32).fill(0x02),
  });
  const transcript = transcriptFor(client, server, "server");
  const bytes = signMessage(HandshakeTranscriptSchema, transcript, EXAMPLE_SECRET_KEY);
  return { client, server, transcript, payload: parseSign1OrThrow(bytes, "application/ap2p.handshake.v1+cbor").payload, bytes };
}
