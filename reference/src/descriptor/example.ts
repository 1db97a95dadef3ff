// The worked example of spec/05-descriptors.md §5.8: a descriptor issued by
// the RFC 8032 §7.1 TEST 1 key at 2026-01-01T00:00:00Z, with a 60 s TTL.
import { Modality, Transport, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { parseSign1OrThrow } from "../cose/sign1.js";
import { issueDescriptor, type SignedDescriptor } from "./issue.js";

/** RFC 8032 §7.1 TEST 1 secret key: a published key, for examples and vectors only. */
export const EXAMPLE_SECRET_KEY = new Uint8Array(Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex"));
/** 2026-01-01T00:00:00Z in milliseconds. */
export const EXAMPLE_TIME = 1767225600000n;

/** Builds the example descriptor, its canonical payload and its COSE_Sign1 bytes. */
export function exampleDescriptor(): SignedDescriptor & { payload: Uint8Array } {
  const signed = issueDescriptor(
    EXAMPLE_SECRET_KEY,
    {
      displayName: "Example image agent",
      capabilities: [
        {
          namespace: "ai.image",
          id: "generate",
          version: "1.2.0",
          intents: ["create an image from a text prompt"],
          tags: ["image", "text-to-image"],
          inputs: [{ name: "prompt", modality: Modality.TEXT, mediaType: "text/plain" }],
          outputs: [{ name: "image", modality: Modality.IMAGE, mediaType: "image/png" }],
          constraints: {
            maxLatencyMs: 8000,
            price: { currency: "EUR", amountMicros: 20000n, unit: 1 },
            regions: ["DE"],
            onDevice: true,
            availability: [{ weekdays: 31, startMinute: 480, endMinute: 1080 }],
          },
          supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE],
        },
      ],
      endpoints: [{ transport: Transport.WEBSOCKET, uri: "ws://127.0.0.1:7443/ap2p" }],
    },
    1n,
    { now: EXAMPLE_TIME, ttlMs: 60_000n },
  );
  return { ...signed, payload: parseSign1OrThrow(signed.bytes, "application/ap2p.descriptor.v1+cbor").payload };
}
