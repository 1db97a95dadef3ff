// Helpers for the connectivity tests: keys, a deterministic random source,
// a raw WebSocket peer that speaks frames by hand, and cleanup of everything
// a test opened. Loopback only.
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { FrameKind, FrameSchema, HelloSchema, type Frame, type Hello } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { sha256Bytes } from "../codec/hash.js";
import { encodeMessage } from "../codec/message-codec.js";
import { didFromPublicKey } from "../crypto/did-key.js";
import { publicKeyFromSecret } from "../crypto/ed25519.js";
import { connect, type ConnectOptions, type PeerClient } from "./client.js";
import { SUBPROTOCOL, decodeBody, decodeFrame, encodeBody, encodeFrame, type FrameFields } from "./frames.js";
import { makeHello, signProof, transcriptFor, type NodeRole } from "./handshake.js";
import { listen, type ListenOptions, type NodeServer } from "./server.js";
import { MAX_FRAME_BYTES } from "./limits.js";
import type { Verdict } from "../errors.js";

/** The self-signed test certificate for 127.0.0.1 and its key (testdata/README.md). */
export const TEST_CERT = readFileSync(new URL("./testdata/test-cert.pem", import.meta.url), "utf8");
export const TEST_KEY = readFileSync(new URL("./testdata/test-key.pem", import.meta.url), "utf8");

/** A fixed test secret key. */
export function testKey(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

/** The did:key of a test key. */
export function testDid(n: number): string {
  return didFromPublicKey(publicKeyFromSecret(testKey(n)));
}

/** A fixed clock. */
export const testClock = (): bigint => 1_767_225_600_000n;

let sources = 0;

/** A deterministic random source: SHA-256 of a label, the source's number and a counter, never repeating within a run. */
export function testRandom(name = "net"): (n: number) => Uint8Array {
  const label = `${name}/${sources++}`;
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) out.set(sha256Bytes(new TextEncoder().encode(`${label}/${counter++}`)).subarray(0, Math.min(32, n - i)), i);
    return out;
  };
}

/** Small timeouts for tests; limits not given keep their defaults. */
export const FAST = { handshakeTimeoutMs: 2_000, idleTimeoutMs: 10_000, requestTimeoutMs: 5_000, shutdownGraceMs: 2_000 } as const;

/** Closes everything a test opened. */
export class Cleanup {
  readonly #items: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.#items.push(close);
  }

  async server(options: Partial<ListenOptions> & Pick<ListenOptions, "handlers">): Promise<NodeServer> {
    const server = await listen({ secretKey: testKey(1), role: "registry", clock: testClock, random: testRandom("server"), ...options, limits: { ...FAST, ...options.limits } });
    this.add(() => server.close());
    return server;
  }

  async client(url: string, options: Partial<ConnectOptions> = {}): Promise<Verdict<PeerClient>> {
    const v = await connect(url, { secretKey: testKey(2), role: "delegator", clock: testClock, random: testRandom("client"), ...options, limits: { ...FAST, ...options.limits } });
    if (v.ok) this.add(() => v.value.close());
    return v;
  }

  async raw(url: string, protocols: string | string[] = SUBPROTOCOL): Promise<RawPeer> {
    const peer = await RawPeer.open(url, protocols);
    this.add(() => peer.close());
    return peer;
  }

  /** A scripted server: each connection is handed to the script as a raw peer. */
  async fake(script: (peer: RawPeer) => void | Promise<void>, options: { protocol?: string | false } = {}): Promise<string> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, handleProtocols: () => (options.protocol === undefined ? SUBPROTOCOL : options.protocol) });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    wss.on("connection", (socket) => void script(new RawPeer(socket)));
    this.add(
      () =>
        new Promise<void>((resolve) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => resolve());
        }),
    );
    return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  }

  /**
   * A relay: accepts WebSocket connections (over TLS with the test
   * certificate if `tls`) and forwards every message, unchanged, to a new
   * connection to the target and back.
   */
  async relay(target: () => string, options: { tls?: boolean } = {}): Promise<string> {
    const http = options.tls ? createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }) : createHttpServer();
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false, handleProtocols: () => SUBPROTOCOL });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    wss.on("connection", (down) => {
      const up = new WebSocket(target(), SUBPROTOCOL, { perMessageDeflate: false, ca: TEST_CERT });
      const queued: Buffer[] = [];
      down.on("message", (data) => (up.readyState === WebSocket.OPEN ? up.send(data as Buffer) : queued.push(data as Buffer)));
      up.on("open", () => queued.splice(0).forEach((d) => up.send(d)));
      up.on("message", (data) => down.readyState === WebSocket.OPEN && down.send(data as Buffer));
      const end = () => {
        up.terminate();
        down.terminate();
      };
      up.on("close", end);
      down.on("close", end);
      up.on("error", () => {});
      down.on("error", () => {});
    });
    this.add(
      () =>
        new Promise<void>((resolve) => {
          for (const c of wss.clients) c.terminate();
          wss.close();
          http.close(() => resolve());
        }),
    );
    return `${options.tls ? "wss" : "ws"}://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  }

  async run(): Promise<void> {
    const items = this.#items.splice(0).reverse();
    for (const close of items) await close();
  }
}

/** What a raw peer saw when its connection closed. */
export interface RawClose {
  readonly code: number;
  readonly reason: string;
}

/** A WebSocket peer driven by hand: sends arbitrary bytes, records decoded frames and the close. */
export class RawPeer {
  readonly frames: Frame[] = [];
  readonly sent: Uint8Array[] = [];
  readonly closed: Promise<RawClose>;
  #nextId = 1n;
  #waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })));
    socket.on("error", () => {});
    socket.on("message", (data) => {
      const v = decodeFrame(new Uint8Array(data as Buffer), MAX_FRAME_BYTES);
      if (v.ok) this.frames.push(v.value.frame);
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on("close", () => {
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  static open(url: string, protocols: string | string[]): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, { perMessageDeflate: false });
      socket.once("open", () => resolve(new RawPeer(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends bytes as one binary message. */
  sendBytes(bytes: Uint8Array): void {
    this.sent.push(bytes);
    this.socket.send(bytes, { binary: true });
  }

  /** Sends a frame with the next id, or the given one. */
  sendFrame(fields: FrameFields, id = this.#nextId): void {
    this.#nextId = id + 1n;
    this.sendBytes(encodeFrame(id, fields));
  }

  /** Waits until at least n frames have arrived or the connection closed. */
  async waitFrames(n: number): Promise<Frame[]> {
    while (this.frames.length < n && this.socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.frames;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.socket.terminate();
    return this.closed.then(() => undefined);
  }
}

/** Encodes a Hello for hand-made handshakes. */
export function helloBytes(hello: Partial<Omit<Hello, "$typeName">>): Uint8Array {
  return encodeMessage(HelloSchema, create(HelloSchema, hello as never));
}

/** Encodes a frame without the sender's checks, for hand-made frames. */
export function rawFrame(frame: Partial<Omit<Frame, "$typeName">>): Uint8Array {
  return encodeMessage(FrameSchema, create(FrameSchema, { kind: FrameKind.REQUEST, ...frame } as never));
}

/** What a hand-made client handshake exchanged. */
export interface RawHandshake {
  readonly client: Hello;
  readonly server: Hello;
  /** The server's PROOF body. */
  readonly serverProof: Uint8Array;
}

/**
 * Runs the client side of the handshake by hand on a raw peer. `proof` builds
 * the client's PROOF body; by default the honest one.
 */
export async function rawHandshake(
  peer: RawPeer,
  options: { endpoint: string; key?: Uint8Array; role?: NodeRole; hello?: Partial<Omit<Hello, "$typeName">>; proof?: (h: RawHandshake) => Uint8Array },
): Promise<RawHandshake> {
  const key = options.key ?? testKey(2);
  const identity = { secretKey: key, peerId: didFromPublicKey(publicKeyFromSecret(key)) };
  const client = create(HelloSchema, { ...makeHello(identity, options.role ?? "delegator", testRandom("raw"), options.endpoint), ...options.hello });
  const start = peer.frames.length;
  peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, client) });
  const frames = await peer.waitFrames(start + 2);
  const [hello, proof] = frames.slice(start);
  if (hello?.kind !== FrameKind.HELLO || proof?.kind !== FrameKind.PROOF) throw new Error("the server did not answer the Hello with HELLO and PROOF");
  const server = fromBytes<Hello>(HelloSchema, hello.body);
  const h: RawHandshake = { client, server, serverProof: proof.body };
  peer.sendFrame({ kind: FrameKind.PROOF, body: options.proof?.(h) ?? signProof(transcriptFor(client, server, "client"), key) });
  return h;
}

/**
 * Runs the server side of an honest handshake by hand on a fake server's peer
 * (key 1, in the given role), then waits for the client's PROOF and its first
 * request, which it returns.
 */
export async function fakeServerHandshake(peer: RawPeer, role: NodeRole = "registry"): Promise<Frame> {
  const [first] = await peer.waitFrames(1);
  const client = fromBytes<Hello>(HelloSchema, first!.body);
  const server = makeHello({ secretKey: testKey(1), peerId: testDid(1) }, role, testRandom());
  peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, server) });
  peer.sendFrame({ kind: FrameKind.PROOF, body: signProof(transcriptFor(client, server, "server"), testKey(1)) });
  const frames = await peer.waitFrames(3);
  return frames[2]!;
}

/** Decodes a frame body that the test trusts to be well-formed. */
export function fromBytes<T extends Message>(desc: DescMessage, bytes: Uint8Array): T {
  const v = decodeBody<T>(desc, bytes, MAX_FRAME_BYTES);
  if (!v.ok) throw v.error;
  return v.value;
}

/** A raw peer that has completed an honest client handshake with the server at url. */
export async function authenticatedRaw(cleanup: Cleanup, url: string, key = testKey(2)): Promise<RawPeer> {
  const peer = await cleanup.raw(url);
  await rawHandshake(peer, { endpoint: url, key });
  return peer;
}

/** Waits until the condition holds, polling. */
export async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A handler that holds every call until `release()`, answering each with `answer`; `started` counts the calls it has begun. */
export function heldHandler<T>(answer: T): { handler: () => Promise<T>; release: () => void; readonly started: number } {
  const gated = gate();
  const held = {
    started: 0,
    handler: async () => {
      held.started += 1;
      await gated.promise;
      return answer;
    },
    release: () => gated.open(),
  };
  return held;
}

/** A promise with its resolve function, for handlers that wait for the test. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
