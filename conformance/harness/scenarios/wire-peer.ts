// A raw client of a node's endpoint (spec/14-connectivity.md), for the wire
// cases (spec/13-conformance.md §13.11). It sends whatever a case builds,
// well-formed or deliberately broken, records every message the node sends
// back in order and how the connection ended, and never waits without a
// deadline: a node that stays silent fails a case, it does not hang the run.
import WebSocket from "ws";
import type { Frame } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { decodeFrame, encodeFrame, type FrameFields } from "../../../reference/src/net/frames.js";
import { MAX_FRAME_BYTES } from "../../../reference/src/net/limits.js";

/** How the node closed the connection: the WebSocket close code and reason (1006 when it dropped without a close). */
export interface WireClose {
  readonly code: number;
  readonly reason: string;
}

/** One message from the node. */
export type WireMessage =
  | { readonly kind: "frame"; readonly frame: Frame }
  /** A binary message that is not a well-formed frame, with the code of its first defect. */
  | { readonly kind: "malformed"; readonly code: string; readonly length: number }
  | { readonly kind: "text"; readonly text: string };

/** What waiting for the next message found. */
export type Next = WireMessage | { readonly kind: "closed"; readonly close: WireClose } | { readonly kind: "timeout" };

/** A connection the harness opened to a node's endpoint. */
export class WirePeer {
  readonly messages: WireMessage[] = [];
  #read = 0;
  #nextId = 1n;
  #close: WireClose | undefined;
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    // Listeners go on before the upgrade completes: a node may send its
    // refusal in the same packets as its upgrade answer.
    socket.binaryType = "nodebuffer";
    socket.on("message", (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (!isBinary) this.#push({ kind: "text", text: buf.toString("utf8") });
      else {
        const v = decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), MAX_FRAME_BYTES);
        this.#push(v.ok ? { kind: "frame", frame: v.value.frame } : { kind: "malformed", code: v.error.code, length: buf.length });
      }
    });
    socket.on("close", (code, reason) => {
      this.#close ??= { code, reason: reason.toString("utf8") };
      this.#wakeAll();
    });
    // A write after the node closed, or a reset: the close event says the rest.
    socket.on("error", () => {});
  }

  /**
   * Opens a WebSocket connection offering the given subprotocols (none when
   * empty). Resolves with the peer once upgraded, or with why it could not be.
   */
  static open(url: string, protocols: readonly string[], deadlineMs: number): Promise<{ readonly peer: WirePeer } | { readonly refused: string }> {
    return new Promise((resolve) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, protocols.length > 0 ? [...protocols] : undefined, { perMessageDeflate: false, handshakeTimeout: Math.ceil(deadlineMs), maxPayload: MAX_FRAME_BYTES });
      } catch (e) {
        resolve({ refused: (e as Error).message });
        return;
      }
      const peer = new WirePeer(socket);
      let settled = false;
      const settle = (v: { peer: WirePeer } | { refused: string }): void => {
        if (settled) return;
        settled = true;
        resolve(v);
      };
      socket.once("open", () => settle({ peer }));
      socket.once("unexpected-response", (request, response) => {
        settle({ refused: `HTTP ${response.statusCode ?? "?"} instead of a WebSocket upgrade` });
        request.destroy();
      });
      socket.once("error", (e) => settle({ refused: e.message }));
      socket.once("close", () => settle({ refused: "the connection closed during the upgrade" }));
    });
  }

  /** The subprotocol the node selected ("" for none). */
  get protocol(): string {
    return this.socket.protocol;
  }

  /** How the connection ended, once it has. */
  get closed(): WireClose | undefined {
    return this.#close;
  }

  /** The id the next frame sent with sendFrame gets (NET-013). */
  get nextId(): bigint {
    return this.#nextId;
  }

  /** Sends bytes as one binary message. */
  sendBytes(bytes: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: true });
  }

  /** Sends one text message (which no AP2P frame is, NET-002). */
  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text, { binary: false });
  }

  /** Sends a frame with the next id, or with the id given; returns the id. */
  sendFrame(fields: FrameFields, id: bigint = this.#nextId): bigint {
    this.#nextId = id + 1n;
    this.sendBytes(encodeFrame(id, fields));
    return id;
  }

  /** Counts an id as used by bytes the caller built itself. */
  useId(id: bigint): void {
    this.#nextId = id + 1n;
  }

  /** The next message not yet read, the close once every message is read, or a timeout. */
  async next(deadlineMs: number): Promise<Next> {
    const until = performance.now() + deadlineMs;
    for (;;) {
      const m = this.messages[this.#read];
      if (m !== undefined) {
        this.#read++;
        return m;
      }
      if (this.#close !== undefined) return { kind: "closed", close: this.#close };
      const left = until - performance.now();
      if (left <= 0) return { kind: "timeout" };
      await this.#wait(left);
    }
  }

  /**
   * Waits until the connection has closed, reading nothing; undefined if it
   * is still open at the deadline, or once a message satisfies `stop`.
   */
  async ended(deadlineMs: number, stop: (m: WireMessage) => boolean = () => false): Promise<WireClose | undefined> {
    const until = performance.now() + deadlineMs;
    while (this.#close === undefined) {
      if (this.messages.slice(this.#read).some(stop)) return undefined;
      const left = until - performance.now();
      if (left <= 0) return undefined;
      await this.#wait(left);
    }
    return this.#close;
  }

  /** The messages not yet read, marking them read. */
  drain(): WireMessage[] {
    const rest = this.messages.slice(this.#read);
    this.#read = this.messages.length;
    return rest;
  }

  /** Drops the connection at once; resolves when it is closed. */
  async terminate(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once("close", () => resolve()));
    this.socket.terminate();
    await closed;
  }

  #push(m: WireMessage): void {
    this.messages.push(m);
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  #wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(done);
    });
  }
}
