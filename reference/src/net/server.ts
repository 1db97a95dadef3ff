// The accepting side of the connectivity plane (spec/14-connectivity.md):
// listen on loopback by default, authenticate each client (§14.2), dispatch
// its requests to the node's handlers (§14.4) within the limits of §14.6, and
// shut down gracefully (§14.7).
import { create, type Message } from "@bufbuild/protobuf";
import { createServer as createHttpServer, type IncomingMessage, type RequestListener } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { CanaryReplySchema, FrameKind, HelloSchema, Method, TaskReplySchema, type CanaryCall, type Hello, type TaskCall } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import type { PublishRequest, QueryRequest } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { Ap2pError, ErrorCode, misuse, type Verdict } from "../errors.js";
import { FrameConnection, codeName, type CloseInfo } from "./connection.js";
import { METHOD_MESSAGES, SUBPROTOCOL, checkFrameShape, closeCodeFor, decodeBody, encodeBody, frameMessage, type ReceivedFrame } from "./frames.js";
import { canonicalEndpoint, channelBindingOf, checkHello, identityOf, makeHello, roleFromEnum, roleToEnum, signProof, transcriptFor, verifyProof, type Identity, type NodeRole } from "./handshake.js";
import { resolveLimits, type NetLimits } from "./limits.js";
import type { NetEvent, PeerInfo, ServiceHandlers, TaskAnswer } from "./types.js";

/** How to listen. */
export interface ListenOptions {
  /** The node's Ed25519 secret key; its did:key is the server's peer id. */
  readonly secretKey: Uint8Array;
  /** The role the server announces. */
  readonly role: NodeRole;
  /** The methods the server offers. */
  readonly handlers: ServiceHandlers;
  /** The address to listen on: 127.0.0.1 unless set (NET-004). */
  readonly host?: string;
  /** The port; 0 (the default) takes an ephemeral one. */
  readonly port?: number;
  /** Overrides of DEFAULT_LIMITS. */
  readonly limits?: Partial<NetLimits>;
  /** Milliseconds since the Unix epoch, for event times. */
  readonly clock: () => bigint;
  /** Cryptographically secure random bytes, for handshake nonces (NET-006). */
  readonly random: (n: number) => Uint8Array;
  /** A log hook: connections opened, closed and rejected, with their codes. */
  readonly onEvent?: (event: NetEvent) => void;
  /** Further URIs that reach this server (a DNS name, a proxy), accepted as a client's endpoint besides `url` (NET-010). */
  readonly endpoints?: readonly string[];
  /** Serve wss: with this certificate and key (PEM), over TLS 1.3 only, with channel binding (NET-030). */
  readonly tls?: { readonly cert: string | Uint8Array; readonly key: string | Uint8Array };
}

/** A listening node. */
export interface NodeServer {
  /** The URL the server listens on, e.g. ws://127.0.0.1:40123/ (wss: with TLS). */
  readonly url: string;
  /** The server's did:key. */
  readonly peerId: string;
  /** WebSocket connections currently open, authenticated or not. */
  readonly connections: number;
  /** Shuts down gracefully (NET-026): resolves once every connection has closed. */
  close(): Promise<void>;
}

type Phase = "hello" | "proof" | "open";

/** One accepted WebSocket connection. */
class ServerSession {
  readonly conn: FrameConnection;
  #phase: Phase = "hello";
  #clientHello: Hello | undefined;
  #serverHello: Hello | undefined;
  #binding: Uint8Array = new Uint8Array(0);
  #peer: PeerInfo | undefined;
  #inFlight = 0;
  #goingAway = false;

  constructor(
    readonly node: NodeContext,
    socket: WebSocket,
    readonly tcp: Socket,
    readonly remoteAddress: string,
  ) {
    this.conn = new FrameConnection(socket, node.limits, {
      frame: (received) => this.#frame(received),
      closed: (info) => node.sessionClosed(this, info),
      busy: () => this.#inFlight > 0,
    }, { pauseOnBackpressure: true });
  }

  get peer(): PeerInfo | undefined {
    return this.#peer;
  }

  get authenticated(): boolean {
    return this.#phase === "open";
  }

  /** NET-026: announce the shutdown, answer what is in flight, then close. */
  goAway(): void {
    if (this.#phase !== "open") return this.conn.fail(new Ap2pError("NET_GOING_AWAY", "the server is shutting down"));
    if (this.#goingAway) return;
    this.#goingAway = true;
    this.conn.send({ kind: FrameKind.GOAWAY, error: ErrorCode.NET_GOING_AWAY, message: "the server is shutting down" });
    if (this.#inFlight === 0) this.conn.close(closeCodeFor("NET_GOING_AWAY"), "NET_GOING_AWAY");
  }

  #frame({ frame, unknownMethod }: ReceivedFrame): void {
    try {
      checkFrameShape(frame, unknownMethod !== undefined);
    } catch (e) {
      return this.conn.fail(e as Ap2pError);
    }
    // An ERROR frame from the client says why it is about to close; a
    // GOAWAY says it will send nothing more. Neither needs an answer.
    if (frame.kind === FrameKind.ERROR) return this.conn.noteError(new Ap2pError(codeName(frame.error), `the client reported: ${frame.message}`));
    if (frame.kind === FrameKind.GOAWAY && this.#phase === "open") return;
    switch (this.#phase) {
      case "hello":
        if (frame.kind !== FrameKind.HELLO) return this.#unexpected(frame.kind, "the client's Hello");
        return this.#hello(frame.body);
      case "proof":
        if (frame.kind !== FrameKind.PROOF) return this.#unexpected(frame.kind, "the client's proof");
        return this.#proof(frame.body);
      case "open":
        if (frame.kind !== FrameKind.REQUEST) return this.#unexpected(frame.kind, "a request");
        return this.#request(frame.id, frame.method, frame.body, unknownMethod);
    }
  }

  #unexpected(kind: FrameKind, wanted: string): void {
    this.conn.fail(new Ap2pError("NET_FRAME_UNEXPECTED", `a ${FrameKind[kind] ?? kind} frame where the server expects ${wanted} (NET-014)`));
  }

  #hello(body: Uint8Array): void {
    // NET-030: bind the transcript to the TLS connection beneath, if any.
    const binding = channelBindingOf(this.tcp);
    if (binding === undefined) return this.conn.fail(new Ap2pError("NET_VERSION_MISMATCH", "TLS below version 1.3 (NET-030)"));
    this.#binding = binding;
    const checked = checkHello(body, "client", this.node.limits.maxFrameBytes);
    if (!checked.ok) return this.conn.fail(checked.error);
    const client = checked.value;
    // NET-010: a handshake meant for another server, or relayed from one,
    // names an endpoint that is not ours.
    if (!this.node.endpoints.has(client.endpoint)) {
      return this.conn.fail(new Ap2pError("NET_ENDPOINT_MISMATCH", `the client dialed ${client.endpoint}, which is not an endpoint of this server`));
    }
    const server = makeHello(this.node.identity, this.node.role, this.node.random);
    this.#clientHello = client;
    this.#serverHello = server;
    this.#phase = "proof";
    this.conn.send({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, server) });
    this.conn.send({ kind: FrameKind.PROOF, body: signProof(transcriptFor(client, server, "server", binding), this.node.identity.secretKey) });
  }

  #proof(body: Uint8Array): void {
    const client = this.#clientHello!;
    const verified = verifyProof(body, transcriptFor(client, this.#serverHello!, "client", this.#binding), this.node.limits.maxFrameBytes);
    if (!verified.ok) return this.conn.fail(verified.error);
    this.#phase = "open";
    this.#peer = { peerId: client.peerId, role: roleFromEnum(client.role), remoteAddress: this.remoteAddress };
    this.node.authenticated(this);
    this.conn.startIdleTimer();
  }

  #request(id: bigint, method: Method, body: Uint8Array, unknownMethod: number | undefined): void {
    if (this.#goingAway) return this.conn.sendError(id, new Ap2pError("NET_GOING_AWAY", "the server is shutting down and accepts no new request (NET-026)"));
    if (unknownMethod !== undefined) return this.conn.sendError(id, new Ap2pError("NET_METHOD_UNKNOWN", `method ${unknownMethod} is not defined (NET-018)`));
    if (this.#inFlight >= this.node.limits.maxInFlight) {
      return this.conn.sendError(id, new Ap2pError("NET_TOO_MANY_IN_FLIGHT", `${this.#inFlight} requests are in flight, the limit is ${this.node.limits.maxInFlight} (NET-021)`));
    }
    const m = method as Exclude<Method, Method.UNSPECIFIED>;
    if (!this.node.offers(m)) return this.conn.sendError(id, new Ap2pError("NET_METHOD_NOT_SUPPORTED", `this server does not offer ${Method[m]} (NET-018)`));
    const call = decodeBody<Message>(METHOD_MESSAGES[m].call, body, this.node.limits.maxFrameBytes);
    if (!call.ok) return this.conn.sendError(id, call.error);
    this.#inFlight += 1;
    void this.#answer(id, m, call.value).finally(() => {
      this.#inFlight -= 1;
      if (this.#goingAway && this.#inFlight === 0) this.conn.close(closeCodeFor("NET_GOING_AWAY"), "NET_GOING_AWAY");
    });
  }

  async #answer(id: bigint, method: Exclude<Method, Method.UNSPECIFIED>, call: Message): Promise<void> {
    const peer = this.#peer!;
    let body: Uint8Array | undefined;
    try {
      const reply = await this.node.invoke(method, call, peer);
      if (reply === undefined) return;
      body = encodeBody(METHOD_MESSAGES[method].reply, reply);
    } catch (e) {
      this.node.emit({ type: "handler-failed", at: this.node.clock(), peer, method: Method[method], message: e instanceof Error ? e.message : String(e) });
      return this.conn.sendError(id, new Ap2pError("NET_HANDLER_FAILED", `the server failed to handle the ${Method[method]} request (NET-019)`));
    }
    if (this.conn.closing) return;
    const sent = this.conn.send({ kind: FrameKind.RESPONSE, method, replyTo: id, body });
    if (sent === undefined) this.conn.sendError(id, new Ap2pError("NET_FRAME_TOO_LARGE", `the answer is longer than the frame limit of ${this.node.limits.maxFrameBytes} bytes (NET-020)`));
  }
}

/** The error fields of a reply message (CanaryReply, TaskReply). */
function errorFields(e: Ap2pError): { error: ErrorCode; message: string } {
  return { error: ErrorCode[e.code], message: frameMessage(e.message) };
}

/** What the sessions of one server share. */
class NodeContext {
  readonly sessions = new Set<ServerSession>();
  constructor(
    readonly identity: Identity,
    readonly role: NodeRole,
    readonly handlers: ServiceHandlers,
    readonly limits: Readonly<NetLimits>,
    readonly endpoints: ReadonlySet<string>,
    readonly clock: () => bigint,
    readonly random: (n: number) => Uint8Array,
    readonly onEvent: ((event: NetEvent) => void) | undefined,
    readonly hooks: { readonly authenticated: (session: ServerSession) => void; readonly gone: () => void },
  ) {}

  emit(event: NetEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A failing log hook must not take the connection down.
    }
  }

  offers(method: Exclude<Method, Method.UNSPECIFIED>): boolean {
    const h = this.handlers;
    return (method === Method.PUBLISH ? h.publish : method === Method.QUERY ? h.query : method === Method.CANARY ? h.canary : h.task) !== undefined;
  }

  /** Runs the handler of a method; undefined means no answer. Throws whatever the handler throws. */
  async invoke(method: Exclude<Method, Method.UNSPECIFIED>, call: Message, peer: PeerInfo): Promise<Message | undefined> {
    const h = this.handlers;
    switch (method) {
      case Method.PUBLISH:
        return await h.publish!(call as PublishRequest, peer);
      case Method.QUERY:
        return await h.query!(call as QueryRequest, peer);
      case Method.CANARY: {
        const c = call as CanaryCall;
        const v: Verdict<Uint8Array> | undefined = await h.canary!(c.challenge!.coseSign1, peer);
        if (v === undefined) return undefined;
        return create(CanaryReplySchema, v.ok ? { response: { coseSign1: v.value } } : errorFields(v.error));
      }
      case Method.TASK: {
        const c = call as TaskCall;
        const v: Verdict<TaskAnswer> | undefined = await h.task!(c.request!.coseSign1, c.input, peer);
        if (v === undefined) return undefined;
        return create(TaskReplySchema, v.ok ? { result: { coseSign1: v.value.result }, ...(v.value.output === undefined ? {} : { output: v.value.output }) } : errorFields(v.error));
      }
    }
  }

  authenticated(session: ServerSession): void {
    this.hooks.authenticated(session);
    this.emit({ type: "opened", at: this.clock(), peer: session.peer! });
  }

  sessionClosed(session: ServerSession, info: CloseInfo): void {
    this.sessions.delete(session);
    const at = this.clock();
    const error = info.error;
    if (session.peer !== undefined) {
      this.emit({ type: "closed", at, peer: session.peer, closeCode: info.closeCode, ...(error === undefined ? {} : { code: error.code, message: error.message }) });
    } else {
      const code = error?.code ?? "NET_DISCONNECTED";
      this.emit({ type: "rejected", at, remoteAddress: session.remoteAddress, closeCode: info.closeCode, code, message: error?.message ?? "the connection closed during the handshake" });
    }
    this.hooks.gone();
  }
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

/** PEM text from a string or bytes. */
function toPem(value: string | Uint8Array): string {
  return typeof value === "string" ? value : Buffer.from(value).toString("utf8");
}

/** The host part of a URL for an address. */
function urlHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * Starts a node's server (spec/14-connectivity.md). Listens on 127.0.0.1 and
 * an ephemeral port unless told otherwise (NET-004).
 */
export async function listen(options: ListenOptions): Promise<NodeServer> {
  const identity = identityOf(options.secretKey);
  roleToEnum(options.role);
  const limits = resolveLimits(options.limits);
  const host = options.host ?? "127.0.0.1";
  if (typeof options.clock !== "function" || typeof options.random !== "function") misuse("listen needs a clock and a random source");

  const answerPlainHttp: RequestListener = (_req, res) => {
    res.writeHead(426, { "content-type": "text/plain", upgrade: "websocket", connection: "close" });
    res.end(`an AP2P node: connect with WebSocket, subprotocol ${SUBPROTOCOL}\n`);
  };
  // NET-030: TLS 1.3 only, so that the tls-exporter binding exists; the TLS
  // handshake gets the same deadline as ours (NET-012).
  const http =
    options.tls === undefined
      ? createHttpServer(answerPlainHttp)
      : createHttpsServer({ cert: toPem(options.tls.cert), key: toPem(options.tls.key), minVersion: "TLSv1.3", handshakeTimeout: limits.handshakeTimeoutMs }, answerPlainHttp);
  // NET-012: the HTTP upgrade is part of the handshake and gets no more time.
  http.headersTimeout = limits.handshakeTimeoutMs;
  http.requestTimeout = limits.handshakeTimeoutMs;
  // NET-023: a hard bound on TCP connections, beyond which the kernel's
  // backlog holds them; the WebSocket-level limit answers with a code.
  http.maxConnections = 2 * limits.maxConnections;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const scheme = options.tls === undefined ? "ws" : "wss";
  const url = `${scheme}://${urlHost(address.address)}:${address.port}/`;
  const endpoints = new Set<string>([url]);
  for (const e of options.endpoints ?? []) {
    const c = canonicalEndpoint(e);
    if (c === undefined) misuse(`endpoint ${JSON.stringify(e)} is not a ws: or wss: URL`);
    endpoints.add(c);
  }
  if (LOOPBACK.test(host)) endpoints.add(`${scheme}://localhost:${address.port}/`);

  const sockets = new Map<Socket, NodeJS.Timeout>();
  const sessionOf = new Map<Socket, ServerSession>();
  let closing = false;
  let settleClose: (() => void) | undefined;
  const maybeClosed = (): void => {
    if (closing && sockets.size === 0 && node.sessions.size === 0) settleClose?.();
  };
  const node = new NodeContext(identity, options.role, options.handlers, limits, endpoints, options.clock, options.random, options.onEvent, {
    // Once the handshake completes, the deadline of NET-012 no longer applies.
    authenticated: (session) => clearTimeout(sockets.get(session.tcp)),
    gone: maybeClosed,
  });

  // NET-012: one deadline from the TCP connection to a completed handshake.
  // With TLS, the TLS handshake is bounded by the TLS server's own timeout,
  // and the rest gets what is left of the deadline: the TLS socket is found
  // again by its remote address and port.
  const acceptedAt = new Map<string, number>();
  const peerKey = (socket: Socket) => `${socket.remoteAddress ?? ""}|${socket.remotePort ?? ""}`;
  if (options.tls !== undefined) {
    http.on("connection", (socket: Socket) => {
      const key = peerKey(socket);
      acceptedAt.set(key, performance.now());
      socket.once("close", () => acceptedAt.delete(key));
    });
  }
  http.on(options.tls === undefined ? "connection" : "secureConnection", (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const since = acceptedAt.get(peerKey(socket));
    const remaining = since === undefined ? limits.handshakeTimeoutMs : Math.max(0, limits.handshakeTimeoutMs - (performance.now() - since));
    const timer = setTimeout(() => {
      const session = sessionOf.get(socket);
      if (session === undefined) {
        socket.destroy();
        node.emit({ type: "rejected", at: node.clock(), remoteAddress: socket.remoteAddress ?? "", closeCode: 1006, code: "NET_HANDSHAKE_TIMEOUT", message: "no WebSocket upgrade within the handshake timeout (NET-012)" });
      } else if (!session.authenticated) session.conn.fail(new Ap2pError("NET_HANDSHAKE_TIMEOUT", `no completed handshake within ${limits.handshakeTimeoutMs} ms (NET-012)`));
    }, remaining);
    sockets.set(socket, timer);
    socket.once("close", () => {
      clearTimeout(sockets.get(socket));
      sockets.delete(socket);
      sessionOf.delete(socket);
      maybeClosed();
    });
  });

  http.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (closing) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ServerSession(node, ws, socket, req.socket.remoteAddress ?? "");
      node.sessions.add(session);
      sessionOf.set(socket, session);
      if (node.sessions.size > limits.maxConnections) {
        return session.conn.fail(new Ap2pError("NET_TOO_MANY_CONNECTIONS", `the server holds its limit of ${limits.maxConnections} connections (NET-023)`));
      }
      if (ws.protocol !== SUBPROTOCOL) {
        return session.conn.fail(new Ap2pError("NET_VERSION_MISMATCH", `the client did not offer the subprotocol ${SUBPROTOCOL} (NET-001)`));
      }
    });
  });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      let grace: NodeJS.Timeout | undefined;
      let listening = true;
      const done = (): void => {
        if (listening || sockets.size > 0 || node.sessions.size > 0) return;
        clearTimeout(grace);
        resolve();
      };
      settleClose = done;
      http.close(() => {
        listening = false;
        done();
      });
      for (const socket of sockets.keys()) if (!sessionOf.has(socket)) socket.destroy();
      for (const session of node.sessions) session.goAway();
      grace = setTimeout(() => {
        for (const session of node.sessions) session.conn.close(closeCodeFor("NET_GOING_AWAY"), "NET_GOING_AWAY");
      }, limits.shutdownGraceMs);
      done();
    });
    return closed;
  };

  return {
    url,
    peerId: identity.peerId,
    get connections() {
      return node.sessions.size;
    },
    close,
  };
}
