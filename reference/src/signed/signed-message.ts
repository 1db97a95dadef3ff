// Signing and verifying AP2P messages: the canonical bytes of a message
// (spec/03-data-model.md) inside a COSE_Sign1 whose content type comes from the
// message's signed_content_type option (spec/04-identity-and-signing.md).
import { getOption, hasOption, type DescMessage, type Message } from "@bufbuild/protobuf";
import { message_rules } from "../../../gen/ts/ap2p/v1/options_pb.js";
import { misuse, toVerdict, type Verdict } from "../errors.js";
import { decodeMessageOrThrow, encodeMessage } from "../codec/message-codec.js";
import { checkSignatureOrThrow, parseAndVerifySign1OrThrow, parseSign1OrThrow, signSign1, type ParsedSign1 } from "../cose/sign1.js";

/** The COSE content type a message kind is signed under (SIG-006). */
export function contentTypeOf(desc: DescMessage): string {
  let ct = contentTypes.get(desc);
  if (ct === undefined) {
    // Reading an option decodes the descriptor's options each time: do it once per kind.
    ct = hasOption(desc, message_rules) ? getOption(desc, message_rules).signedContentType : "";
    contentTypes.set(desc, ct);
  }
  if (!ct) misuse(`${desc.typeName} is not a signed message kind (no signed_content_type option)`);
  return ct;
}

const contentTypes = new WeakMap<DescMessage, string>();

/** A signed message whose envelope, header and payload are well-formed. */
export interface SignedMessage<T extends Message> {
  /** The decoded payload. */
  readonly message: T;
  /** The envelope: signer, content type, exact signed bytes. */
  readonly envelope: ParsedSign1;
}

/**
 * Signs a message: canonical CBOR payload inside a COSE_Sign1. Throws Ap2pError if the message is ill-formed.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { OutcomeAttestationSchema, signMessage, verifySignedMessage, type OutcomeAttestation } from "ap2p";
 *
 * const bytes = signMessage(OutcomeAttestationSchema, create(OutcomeAttestationSchema, content), secretKey);
 * const verdict = verifySignedMessage<OutcomeAttestation>(OutcomeAttestationSchema, bytes);
 * if (verdict.ok) console.log(verdict.value.envelope.kid); // the signer's did:key
 * ```
 * @see spec/04-identity-and-signing.md §4.3 (the COSE_Sign1 envelope)
 * @see spec/04-identity-and-signing.md §4.4 (signed message kinds)
 */
export function signMessage<T extends Message>(desc: DescMessage, message: T, secretKey: Uint8Array): Uint8Array {
  return signSign1(encodeMessage(desc, message), contentTypeOf(desc), secretKey);
}

/** As parseSignedMessage, reporting a defect by throwing Ap2pError. */
export function parseSignedMessageOrThrow<T extends Message>(desc: DescMessage, bytes: Uint8Array): SignedMessage<T> {
  const envelope = parseSign1OrThrow(bytes, contentTypeOf(desc));
  return { envelope, message: decodeMessageOrThrow<T>(desc, envelope.payload) };
}

/** Well-formedness only: envelope, protected header, payload encoding and schema. The signature is NOT checked. */
export function parseSignedMessage<T extends Message>(desc: DescMessage, bytes: Uint8Array): Verdict<SignedMessage<T>> {
  return toVerdict(() => parseSignedMessageOrThrow<T>(desc, bytes));
}

/**
 * Well-formedness, then the signature. Never throws on bad input.
 *
 * @example
 * ```ts
 * import { TaskRequestSchema, verifySignedMessage, type TaskRequest } from "ap2p";
 *
 * const verdict = verifySignedMessage<TaskRequest>(TaskRequestSchema, untrustedBytes);
 * if (verdict.ok) console.log(verdict.value.message.provider);
 * else console.log(verdict.error.code); // e.g. "SIG_INVALID"
 * ```
 * @see spec/04-identity-and-signing.md §4.5 (verification procedure)
 */
export function verifySignedMessage<T extends Message>(desc: DescMessage, bytes: Uint8Array): Verdict<SignedMessage<T>> {
  return toVerdict(() => verifySignedMessageOrThrow<T>(desc, bytes));
}

/** Checks a message kind adds around the signature, in the order its procedure lists them. */
export interface SignedMessageChecks<T extends Message> {
  /** Rules of the well-formed message that need no key, checked before the signature. */
  readonly wellFormed?: (signed: SignedMessage<T>) => void;
  /** Rules checked after the signature (time, memory of earlier messages). */
  readonly valid?: (signed: SignedMessage<T>) => void;
}

/**
 * As verifySignedMessage, with the checks of a message kind around the
 * signature, reporting the first defect by throwing Ap2pError. The verdicts
 * are exactly those of parseSignedMessageOrThrow, then checks.wellFormed, the
 * signature and checks.valid; only the cost differs (see parseAndVerifySign1OrThrow).
 */
export function verifySignedMessageOrThrow<T extends Message>(desc: DescMessage, bytes: Uint8Array, checks: SignedMessageChecks<T> = {}): SignedMessage<T> {
  return parseAndVerifySign1OrThrow(bytes, contentTypeOf(desc), (envelope) => {
    const signed: SignedMessage<T> = { envelope, message: decodeMessageOrThrow<T>(desc, envelope.payload) };
    checks.wellFormed?.(signed);
    checkSignatureOrThrow(envelope);
    checks.valid?.(signed);
    return signed;
  });
}
