// One WebSocket carrying AP2P frames (spec/14-connectivity.md §14.3, §14.6):
// numbering and replay checks, strict decoding, output backpressure, the idle
// timer, and closing with a stable code. Both the server and the client side
// of a connection are built on it; what a frame means is theirs to decide.
import WebSocket from "ws";
import { FrameKind } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { Ap2pError, ErrorCode, type ErrorCodeName } from "../errors.js";
import { closeCodeFor, decodeFrame, encodeFrame, errorFromClose, frameMessage, type FrameFields, type ReceivedFrame } from "./frames.js";
import type { NetLimits } from "./limits.js";

/** How a connection ended. */
export interface CloseInfo {
  /** The failure that ended it, or undefined for a normal close. */
  readonly error: Ap2pError | undefined;
  /** The WebSocket close code received or sent (1006 when the connection dropped without one). */
  readonly closeCode: number;
}

/** What the owner of a connection supplies. */
export interface ConnectionHandlers {
  /** A frame that decoded and passed the id check (NET-003, NET-013). */
  frame(received: ReceivedFrame): void;
  /** Called once, when the connection has closed. */
  closed(info: CloseInfo): void;
  /** True while the node owes the peer an answer: the idle timer does not fire then (NET-024). */
  busy?(): boolean;
}

/** How a connection behaves beyond the limits. */
export interface ConnectionOptions {
  /**
   * Stop reading while more than the high-water mark is queued for sending
   * (NET-022). Servers do: what they read makes them send. Clients do not:
   * their output is bounded by the in-flight limit, and stopping to read
   * answers could leave both sides waiting for each other.
   */
  readonly pauseOnBackpressure: boolean;
}

/** Raw WebSocket data as bytes. */
function bytesOf(data: WebSocket.RawData): Uint8Array {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The ws library's name for a message over maxPayload. */
const WS_TOO_LARGE = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";

export class FrameConnection {
  #nextId = 1n;
  #lastReceived = 0n;
  #closing = false;
  #closedCalled = false;
  #error: Ap2pError | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  #pausedByUs = false;

  constructor(
    readonly socket: WebSocket,
    readonly limits: Readonly<NetLimits>,
    readonly handlers: ConnectionHandlers,
    readonly options: ConnectionOptions,
  ) {
    socket.on("message", (data, isBinary) => this.#receive(data, isBinary));
    socket.on("ping", () => this.#touch());
    socket.on("pong", () => this.#touch());
    socket.on("error", (e: Error & { code?: string }) => {
      // The ws library closes the socket itself after a protocol error; the
      // error only says why.
      if (this.#error !== undefined) return;
      this.#error =
        e.code === WS_TOO_LARGE
          ? new Ap2pError("NET_FRAME_TOO_LARGE", `a message longer than ${limits.maxFrameBytes} bytes (NET-020)`)
          : new Ap2pError("NET_DISCONNECTED", `the connection failed: ${e.message}`);
    });
    socket.on("close", (code, reason) => this.#closed(code, reason.toString("utf8")));
  }

  /** True once the connection is closing or closed. */
  get closing(): boolean {
    return this.#closing || this.socket.readyState !== WebSocket.OPEN;
  }

  /** Bytes queued for sending. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /**
   * Sends a frame with the next id (NET-013). Returns the id, or undefined if
   * the connection is closing or the frame is longer than the frame limit
   * (NET-020), in which case nothing is sent.
   */
  send(fields: FrameFields): bigint | undefined {
    if (this.closing) return undefined;
    const id = this.#nextId;
    const bytes = encodeFrame(id, fields);
    if (bytes.length > this.limits.maxFrameBytes) return undefined;
    this.#nextId += 1n;
    this.socket.send(bytes, { binary: true }, () => this.#drained());
    // NET-022: stop reading while the peer is not reading what we send, so
    // that what is queued for it stays bounded.
    if (this.options.pauseOnBackpressure && !this.#pausedByUs && this.socket.bufferedAmount > this.limits.highWaterMarkBytes) {
      this.#pausedByUs = true;
      this.socket.pause();
    }
    return id;
  }

  /** Sends an ERROR frame answering a request, or the connection when replyTo is 0 (NET-017). */
  sendError(replyTo: bigint, error: Ap2pError): void {
    this.send({ kind: FrameKind.ERROR, replyTo, error: ErrorCode[error.code], message: frameMessage(error.message) });
  }

  /** Reports a failure of the connection to the peer, then closes it with the code's close code and name (NET-027). */
  fail(error: Ap2pError): void {
    if (this.#closing) return;
    this.#error ??= error;
    this.sendError(0n, error);
    this.close(closeCodeFor(error.code), error.code);
  }

  /** Starts the WebSocket closing handshake; the socket is destroyed if the peer does not complete it in time. */
  close(closeCode = 1000, reason = ""): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#stopIdle();
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.CLOSED) {
      this.socket.terminate();
      return;
    }
    this.socket.close(closeCode, reason);
    // The peer has as long to answer a close as to complete a handshake.
    this.#closeTimer = setTimeout(() => this.socket.terminate(), this.limits.handshakeTimeoutMs);
  }

  /** Drops the connection at once, without a closing handshake. */
  terminate(): void {
    this.#closing = true;
    this.#stopIdle();
    this.socket.terminate();
  }

  /** Starts the idle timer (NET-024); the server calls this once the handshake is done. */
  startIdleTimer(): void {
    this.#touch(true);
  }

  #touch(start = false): void {
    if (this.#closing || (!start && this.#idleTimer === undefined)) return;
    this.#stopIdle();
    this.#idleTimer = setTimeout(() => this.#idle(), this.limits.idleTimeoutMs);
  }

  #idle(): void {
    this.#idleTimer = undefined;
    if (this.handlers.busy?.()) {
      this.#touch(true);
      return;
    }
    this.fail(new Ap2pError("NET_IDLE_TIMEOUT", `no frame for ${this.limits.idleTimeoutMs} ms (NET-024)`));
  }

  #stopIdle(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  #drained(): void {
    if (this.#pausedByUs && this.socket.bufferedAmount <= this.limits.highWaterMarkBytes) {
      this.#pausedByUs = false;
      if (this.socket.readyState === WebSocket.OPEN) this.socket.resume();
    }
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.#closing) return;
    this.#touch();
    if (!isBinary) return this.fail(new Ap2pError("NET_TEXT_FRAME", "a text message: AP2P frames are binary messages (NET-002)"));
    const bytes = bytesOf(data);
    // The ws library already refuses longer messages; this check keeps the
    // rule independent of its configuration (NET-020).
    if (bytes.length > this.limits.maxFrameBytes) {
      return this.fail(new Ap2pError("NET_FRAME_TOO_LARGE", `a message of ${bytes.length} bytes, the limit is ${this.limits.maxFrameBytes} (NET-020)`));
    }
    const decoded = decodeFrame(bytes, this.limits.maxFrameBytes);
    if (!decoded.ok) return this.fail(decoded.error);
    const id = decoded.value.frame.id;
    if (id <= this.#lastReceived) {
      return this.fail(new Ap2pError("NET_FRAME_REPLAYED", `frame id ${id} after frame id ${this.#lastReceived} (NET-013)`));
    }
    this.#lastReceived = id;
    this.handlers.frame(decoded.value);
  }

  #closed(closeCode: number, reason: string): void {
    this.#closing = true;
    this.#stopIdle();
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    if (this.#closedCalled) return;
    this.#closedCalled = true;
    if (this.#error === undefined) {
      const code = errorFromClose(closeCode, reason);
      if (code !== undefined) this.#error = new Ap2pError(code, `the peer closed the connection (${closeCode} ${reason})`);
      else if (closeCode !== 1000) this.#error = new Ap2pError("NET_DISCONNECTED", `the connection closed (${closeCode}${reason === "" ? "" : ` ${reason}`})`);
    }
    this.handlers.closed({ error: this.#error, closeCode });
  }

  /** Records why the connection is ending when the peer's ERROR frame says so before its close (NET-017). */
  noteError(error: Ap2pError): void {
    this.#error ??= error;
  }
}

/** The code name of a received ERROR frame's error number (decoded frames hold only defined values). */
export function codeName(code: ErrorCode): ErrorCodeName {
  const name = ErrorCode[code] as ErrorCodeName | undefined;
  return name === undefined || (name as string) === "UNSPECIFIED" ? "NET_FRAME_UNEXPECTED" : name;
}
