// Canonical bytes of protobuf messages (spec/03-data-model.md): the signed
// form of every AP2P message is the deterministic CBOR of its data model.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { compareBytes, encodeCanonical } from "../cbor/encode.js";
import { decodeValidated, MESSAGE_PROFILE } from "../cbor/decode.js";
import type { ScanProfile } from "../cbor/scan.js";
import { messageFromCbor } from "./from-cbor.js";
import { messageToCbor } from "./to-cbor.js";
import { checkRules } from "./rules.js";
import { readerHandles, readMessage } from "./message-reader.js";
import { writeMessage } from "./message-writer.js";

/**
 * Encodes a message in its canonical form. The message must satisfy its
 * schema's rules; a violation throws Ap2pError with the SCHEMA_* code, so that
 * nothing ill-formed is ever signed.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { CapabilityRefSchema, decodeMessage, encodeMessage } from "ap2p";
 *
 * const ref = create(CapabilityRefSchema, { namespace: "example", id: "translate", version: "1.0.0" });
 * const bytes = encodeMessage(CapabilityRefSchema, ref); // deterministic CBOR
 * const back = decodeMessage(CapabilityRefSchema, bytes); // { ok: true, value: ref }
 * ```
 * @see spec/03-data-model.md §3.2 (deterministic encoding)
 * @see spec/03-data-model.md §3.4 (mapping protobuf messages onto CBOR)
 */
export function encodeMessage<T extends Message>(desc: DescMessage, message: T): Uint8Array {
  checkRules(desc, message);
  // Straight to bytes when the writer handles the message; otherwise, and for
  // every misuse, through the CBOR value (see message-writer.ts).
  return writeMessage(desc, message) ?? encodeCanonical(messageToCbor(desc, message));
}

/**
 * Decodes untrusted canonical bytes into a well-formed message. Never throws on bad input.
 *
 * @example
 * ```ts
 * import { CapabilityRefSchema, decodeMessage, type CapabilityRef } from "ap2p";
 *
 * const verdict = decodeMessage<CapabilityRef>(CapabilityRefSchema, untrustedBytes);
 * if (!verdict.ok) console.log(verdict.error.code); // e.g. a CBOR_* or SCHEMA_* code
 * ```
 * @see spec/03-data-model.md §3.3 (decoding untrusted bytes)
 */
export function decodeMessage<T extends Message>(desc: DescMessage, bytes: Uint8Array, profile: ScanProfile = MESSAGE_PROFILE): Verdict<T> {
  return toVerdict(() => decodeMessageOrThrow<T>(desc, bytes, profile));
}

/** As decodeMessage, reporting a defect by throwing Ap2pError. */
export function decodeMessageOrThrow<T extends Message>(desc: DescMessage, bytes: Uint8Array, profile: ScanProfile = MESSAGE_PROFILE): T {
  if (!(bytes instanceof Uint8Array)) throw new Ap2pError("INVALID_ARGUMENT", "expected a Uint8Array");
  if (readerHandles(desc, profile)) {
    // One pass; its verdicts are those of the three stages below (see message-reader.ts).
    const message = readMessage<T>(desc, bytes, profile);
    checkRules(desc, message);
    return message;
  }
  return decodeMessageInStagesOrThrow(desc, bytes, profile);
}

/**
 * The decoding procedure as spec/03-data-model.md §3.3 states it, stage by
 * stage: profile scan, parse, mapping onto the schema, rules, re-encoding
 * comparison. decodeMessageOrThrow runs it for the schemas the one-pass reader
 * does not handle; the tests hold the reader to it.
 */
export function decodeMessageInStagesOrThrow<T extends Message>(desc: DescMessage, bytes: Uint8Array, profile: ScanProfile = MESSAGE_PROFILE): T {
  const value = decodeValidated(bytes, profile);
  const message = messageFromCbor<T>(desc, value);
  checkRules(desc, message);
  // ENC-012: the one canonical form. After the checks above this cannot differ;
  // if it ever does, the input is rejected, never silently normalised.
  if (compareBytes(encodeCanonical(messageToCbor(desc, message)), bytes) !== 0) {
    throw new Ap2pError("CBOR_NOT_DETERMINISTIC", "re-encoding the decoded message does not reproduce the input");
  }
  return message;
}
