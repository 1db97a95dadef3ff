// Message hashes (spec/03-data-model.md §3.7): SHA-256 of the canonical
// encoding, so a hash names exactly one message and every implementation
// computes the same one.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeMessage } from "./message-codec.js";

/** Length of every AP2P hash, in bytes. */
export const HASH_LENGTH = 32;

/** SHA-256 of a message's canonical encoding (ENC-020). Throws Ap2pError if the message is ill-formed. */
export function messageHash<T extends Message>(desc: DescMessage, message: T): Uint8Array {
  return sha256(encodeMessage(desc, message));
}

/** SHA-256 of raw bytes: for content that is not an AP2P message (task inputs and outputs, payloads). */
export function sha256Bytes(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}
