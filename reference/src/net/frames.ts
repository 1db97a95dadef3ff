// Frames on the wire (spec/14-connectivity.md §14.3): every WebSocket message
// is the deterministic CBOR of one Frame, decoded with the same strictness as
// every other AP2P message, under a size limit of its own (NET-003, NET-020).
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { CanaryCallSchema, CanaryReplySchema, FrameKind, FrameSchema, Method, TaskCallSchema, TaskReplySchema, type Frame } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishRequestSchema, PublishResponseSchema, QueryRequestSchema, QueryResponseSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { decodeCanonical } from "../cbor/decode.js";
import { encodeCanonical } from "../cbor/encode.js";
import type { ScanProfile } from "../cbor/scan.js";
import { decodeMessageOrThrow, encodeMessage } from "../codec/message-codec.js";
import { Ap2pError, ErrorCode, toVerdict, type ErrorCodeName, type Verdict } from "../errors.js";

/** The WebSocket subprotocol of this version (NET-001). */
export const SUBPROTOCOL = "ap2p.v1";

/** The protocol version a Hello announces (NET-005). */
export const PROTOCOL_VERSION = 1;

/** The call and reply messages of each method (§14.4). */
export const METHOD_MESSAGES: Readonly<Record<Exclude<Method, Method.UNSPECIFIED>, { readonly call: DescMessage; readonly reply: DescMessage }>> = {
  [Method.PUBLISH]: { call: PublishRequestSchema, reply: PublishResponseSchema },
  [Method.QUERY]: { call: QueryRequestSchema, reply: QueryResponseSchema },
  [Method.CANARY]: { call: CanaryCallSchema, reply: CanaryReplySchema },
  [Method.TASK]: { call: TaskCallSchema, reply: TaskReplySchema },
};

/** The decoding profile of a frame and of the messages inside it: §3.3, with the connection's frame limit for size (NET-003). */
export function frameProfile(maxFrameBytes: number): ScanProfile {
  return { maxBytes: maxFrameBytes, maxDepth: 16, mapKeys: "text" };
}

/** The fields of a frame other than its id, which the sending connection assigns. */
export type FrameFields = Omit<Partial<Frame>, "id" | "$typeName" | "$unknown"> & { kind: FrameKind };

/** Encodes a frame. Throws Ap2pError if the fields break the schema (a bug in the sender). */
export function encodeFrame(id: bigint, fields: FrameFields): Uint8Array {
  return encodeMessage(FrameSchema, create(FrameSchema, { ...fields, id }));
}

/** Encodes the message a frame body carries. */
export function encodeBody<T extends Message>(desc: DescMessage, message: T): Uint8Array {
  return encodeMessage(desc, message);
}

/** A received frame: a well-formed Frame, or a request for a method this version does not define (NET-018). */
export type ReceivedFrame = { readonly frame: Frame; readonly unknownMethod?: undefined } | { readonly frame: Frame; readonly unknownMethod: number };

/**
 * Decodes one received WebSocket message into a frame (NET-003). A frame that
 * is well-formed except that its method number is not defined is returned
 * with that number, so that the receiver can answer it without closing the
 * connection (NET-018).
 */
export function decodeFrame(bytes: Uint8Array, maxFrameBytes: number): Verdict<ReceivedFrame> {
  const profile = frameProfile(maxFrameBytes);
  return toVerdict(() => {
    try {
      return { frame: decodeMessageOrThrow<Frame>(FrameSchema, bytes, profile) };
    } catch (e) {
      if (!(e instanceof Ap2pError) || e.code !== "SCHEMA_UNKNOWN_ENUM_VALUE" || e.path !== "method") throw e;
      // The frame without its method must itself be a well-formed frame;
      // otherwise the first defect stands.
      const raw = decodeCanonical(bytes, profile);
      if (!raw.ok || !(raw.value instanceof Map)) throw e;
      const method = raw.value.get("method");
      if (typeof method !== "number" && typeof method !== "bigint") throw e;
      const rest = new Map(raw.value);
      rest.delete("method");
      let frame: Frame;
      try {
        frame = decodeMessageOrThrow<Frame>(FrameSchema, encodeCanonical(rest), profile);
      } catch {
        throw e;
      }
      return { frame, unknownMethod: Number(method) };
    }
  });
}

/** Decodes a frame body as the given message (§3.3 under the frame profile). */
export function decodeBody<T extends Message>(desc: DescMessage, body: Uint8Array, maxFrameBytes: number): Verdict<T> {
  return toVerdict(() => decodeMessageOrThrow<T>(desc, body, frameProfile(maxFrameBytes)));
}

function unexpected(message: string): never {
  throw new Ap2pError("NET_FRAME_UNEXPECTED", message);
}

/** Checks that a frame uses exactly the fields of its kind (NET-014). Throws NET_FRAME_UNEXPECTED. */
export function checkFrameShape(frame: Frame, unknownMethod = false): void {
  const kind = FrameKind[frame.kind] ?? String(frame.kind);
  const hasMethod = frame.method !== Method.UNSPECIFIED || unknownMethod;
  const hasBody = frame.body.length > 0;
  const hasError = frame.error !== ErrorCode.UNSPECIFIED || frame.message !== "";
  switch (frame.kind) {
    case FrameKind.HELLO:
    case FrameKind.PROOF:
      if (hasMethod || frame.replyTo !== 0n || hasError || !hasBody) unexpected(`a ${kind} frame carries a body and nothing else`);
      return;
    case FrameKind.REQUEST:
      if (!hasMethod || !hasBody || frame.replyTo !== 0n || hasError) unexpected("a REQUEST frame carries a method and a body, and nothing else");
      return;
    case FrameKind.RESPONSE:
      if (!hasMethod || !hasBody || frame.replyTo === 0n || hasError) unexpected("a RESPONSE frame carries a method, reply_to and a body, and nothing else");
      return;
    case FrameKind.ERROR:
      if (hasBody || frame.error === ErrorCode.UNSPECIFIED) unexpected("an ERROR frame carries an error code and no body");
      return;
    case FrameKind.GOAWAY:
      if (hasBody || hasMethod || frame.replyTo !== 0n) unexpected("a GOAWAY frame carries at most an error code and a message");
      return;
    default:
      unexpected(`frame kind ${kind}`);
  }
}

/** A message for a frame's message field: at most 256 code points (schema rule). */
export function frameMessage(text: string): string {
  return [...text].slice(0, 256).join("");
}

/**
 * The WebSocket close code a node uses when it closes a connection because
 * of a failure with this error code (NET-027). The close reason is the code's
 * stable name.
 */
export function closeCodeFor(code: ErrorCodeName): number {
  switch (code) {
    case "NET_TEXT_FRAME":
      return 1003;
    case "NET_FRAME_TOO_LARGE":
      return 1009;
    case "NET_GOING_AWAY":
      return 1001;
    case "NET_TOO_MANY_CONNECTIONS":
      return 1013;
    case "NET_HANDLER_FAILED":
      return 1011;
    case "NET_HANDSHAKE_TIMEOUT":
    case "NET_IDLE_TIMEOUT":
    case "NET_ENDPOINT_MISMATCH":
    case "NET_PEER_MISMATCH":
    case "NET_TRANSCRIPT_MISMATCH":
    case "COSE_KID_MISMATCH":
    case "SIG_INVALID":
      return 1008;
    default:
      return 1002;
  }
}

/** The error a received close reports (NET-027): the code named by the reason, else one implied by the close code. */
export function errorFromClose(closeCode: number, reason: string): ErrorCodeName | undefined {
  if (reason !== "" && reason !== "UNSPECIFIED" && typeof (ErrorCode as unknown as Record<string, unknown>)[reason] === "number") return reason as ErrorCodeName;
  if (closeCode === 1009) return "NET_FRAME_TOO_LARGE";
  if (closeCode === 1003) return "NET_TEXT_FRAME";
  if (closeCode === 1001) return "NET_GOING_AWAY";
  if (closeCode === 1013) return "NET_TOO_MANY_CONNECTIONS";
  return undefined;
}
