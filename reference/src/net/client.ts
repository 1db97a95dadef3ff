// The dialing side of the connectivity plane (spec/14-connectivity.md):
// connect, authenticate the server and prove our own identity (§14.2), then
// make requests that each resolve to a verdict, never hang and never throw
// on what the network or the peer does (§14.5, §14.6).
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { Socket } from "node:net";
import WebSocket from "ws";
import { CanaryCallSchema, FrameKind, HelloSchema, Method, TaskCallSchema, type CanaryReply, type Frame, type Hello, type TaskReply } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import type { PublishRequest, PublishResponse, QueryRequest, QueryResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { Ap2pError, accept, misuse, reject, toVerdict, type Verdict } from "../errors.js";
import { FrameConnection, codeName, type CloseInfo } from "./connection.js";
import { METHOD_MESSAGES, SUBPROTOCOL, checkFrameShape, decodeBody, encodeBody, type ReceivedFrame } from "./frames.js";
import { canonicalEndpoint, channelBindingOf, checkHello, identityOf, makeHello, roleToEnum, signProof, transcriptFor, verifyProof, type NodeRole } from "./handshake.js";
import { resolveLimits, type NetLimits } from "./limits.js";
import type { TaskAnswer } from "./types.js";

/** How to connect. */
export interface ConnectOptions {
  /** The node's Ed25519 secret key; its did:key is proven to the server. */
  readonly secretKey: Uint8Array;
  /** The role the client announces. */
  readonly role: NodeRole;
  /** The did:key the server must have; any other is refused with NET_PEER_MISMATCH (NET-011). */
  readonly expectedPeer?: string;
  /** Overrides of DEFAULT_LIMITS. */
  readonly limits?: Partial<NetLimits>;
  /** Milliseconds since the Unix epoch. */
  readonly clock: () => bigint;
  /** Cryptographically secure random bytes, for the handshake nonce (NET-006). */
  readonly random: (n: number) => Uint8Array;
  /** The local address to connect from, if not the system's choice. */
  readonly localAddress?: string;
  /** For wss: the certificate authorities to trust (PEM), instead of the system's. */
  readonly tls?: { readonly ca?: string | Uint8Array };
}

/** An authenticated connection to a peer. Every call resolves a verdict and never hangs. */
export interface PeerClient {
  /** The authenticated remote did:key. */
  readonly peerId: string;
  publish(request: PublishRequest): Promise<Verdict<PublishResponse>>;
  query(request: QueryRequest): Promise<Verdict<QueryResponse>>;
  /** Sends the COSE_Sign1 of a CanaryChallenge; resolves the COSE_Sign1 of the CanaryResponse. */
  canary(challenge: Uint8Array): Promise<Verdict<Uint8Array>>;
  /** Sends the COSE_Sign1 of a TaskRequest and its detached input; resolves the signed TaskResult and detached output. */
  task(request: Uint8Array, input?: Uint8Array): Promise<Verdict<TaskAnswer>>;
  /** Closes the connection; calls still pending resolve NET_DISCONNECTED. */
  close(): Promise<void>;
  /**
   * Resolves once the connection has ended, with the reason (NET-027):
   * NET_DISCONNECTED when it dropped or either side closed it normally. A
   * node uses it to notice a peer that went away between its own calls.
   */
  readonly ended: Promise<Ap2pError>;
}

interface Pending {
  readonly method: Exclude<Method, Method.UNSPECIFIED>;
  readonly resolve: (v: Verdict<Message>) => void;
  readonly timer: NodeJS.Timeout;
}

class Client implements PeerClient {
  readonly #pending = new Map<bigint, Pending>();
  #goingAway = false;
  #closedError: Ap2pError | undefined;
  #closed: Promise<void>;
  #settleClosed!: () => void;
  readonly ended: Promise<Ap2pError>;
  #settleEnded!: (error: Ap2pError) => void;

  constructor(
    readonly peerId: string,
    readonly conn: FrameConnection,
    readonly limits: Readonly<NetLimits>,
  ) {
    this.#closed = new Promise((resolve) => (this.#settleClosed = resolve));
    this.ended = new Promise((resolve) => (this.#settleEnded = resolve));
  }

  publish(request: PublishRequest): Promise<Verdict<PublishResponse>> {
    return this.#call(Method.PUBLISH, request) as Promise<Verdict<PublishResponse>>;
  }

  query(request: QueryRequest): Promise<Verdict<QueryResponse>> {
    return this.#call(Method.QUERY, request) as Promise<Verdict<QueryResponse>>;
  }

  async canary(challenge: Uint8Array): Promise<Verdict<Uint8Array>> {
    const v = await this.#call(Method.CANARY, create(CanaryCallSchema, { challenge: { coseSign1: challenge } }));
    if (!v.ok) return v;
    const reply = v.value as CanaryReply;
    if (reply.error !== 0) return reject(codeName(reply.error), reply.message);
    if (reply.response === undefined) return reject("SCHEMA_REQUIRED_FIELD_MISSING", "response: a CanaryReply without a response or an error (NET-019)", { path: "response" });
    return accept(reply.response.coseSign1);
  }

  async task(request: Uint8Array, input?: Uint8Array): Promise<Verdict<TaskAnswer>> {
    const v = await this.#call(Method.TASK, create(TaskCallSchema, { request: { coseSign1: request }, ...(input === undefined ? {} : { input }) }));
    if (!v.ok) return v;
    const reply = v.value as TaskReply;
    if (reply.error !== 0) return reject(codeName(reply.error), reply.message);
    if (reply.result === undefined) return reject("SCHEMA_REQUIRED_FIELD_MISSING", "result: a TaskReply without a result or an error (NET-019)", { path: "result" });
    return accept(reply.output === undefined ? { result: reply.result.coseSign1 } : { result: reply.result.coseSign1, output: reply.output });
  }

  close(): Promise<void> {
    this.conn.close(1000, "");
    return this.#closed;
  }

  #call(method: Exclude<Method, Method.UNSPECIFIED>, message: Message): Promise<Verdict<Message>> {
    if (this.#closedError !== undefined || this.conn.closing) return Promise.resolve({ ok: false, error: this.#closedError ?? new Ap2pError("NET_DISCONNECTED", "the connection is closed") });
    if (this.#goingAway) return Promise.resolve(reject("NET_GOING_AWAY", "the server is shutting down and accepts no new request (NET-026)"));
    if (this.#pending.size >= this.limits.maxInFlight) {
      return Promise.resolve(reject("NET_TOO_MANY_IN_FLIGHT", `${this.#pending.size} requests are in flight, the limit is ${this.limits.maxInFlight} (NET-021)`));
    }
    const body = toVerdict(() => encodeBody(METHOD_MESSAGES[method].call, message));
    if (!body.ok) return Promise.resolve(body);
    const id = this.conn.send({ kind: FrameKind.REQUEST, method, body: body.value });
    if (id === undefined) return Promise.resolve(reject("NET_FRAME_TOO_LARGE", `the request is longer than the frame limit of ${this.limits.maxFrameBytes} bytes (NET-020)`));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(reject("NET_REQUEST_TIMEOUT", `no answer within ${this.limits.requestTimeoutMs} ms (NET-025)`));
      }, this.limits.requestTimeoutMs);
      this.#pending.set(id, { method, resolve, timer });
    });
  }

  #settle(id: bigint, v: Verdict<Message>): void {
    const p = this.#pending.get(id);
    // NET-016: an answer to no pending request is dropped; it may answer a
    // request that has already timed out.
    if (p === undefined) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(v);
  }

  frame({ frame, unknownMethod }: ReceivedFrame): void {
    try {
      checkFrameShape(frame, unknownMethod !== undefined);
    } catch (e) {
      return this.conn.fail(e as Ap2pError);
    }
    switch (frame.kind) {
      case FrameKind.RESPONSE:
        return this.#response(frame, unknownMethod);
      case FrameKind.ERROR: {
        const error = new Ap2pError(codeName(frame.error), frame.message);
        if (frame.replyTo === 0n) return this.conn.noteError(error);
        return this.#settle(frame.replyTo, { ok: false, error });
      }
      case FrameKind.GOAWAY:
        this.#goingAway = true;
        return;
      default:
        return this.conn.fail(new Ap2pError("NET_FRAME_UNEXPECTED", `a ${FrameKind[frame.kind] ?? frame.kind} frame from the server after the handshake (NET-014)`));
    }
  }

  #response(frame: Frame, unknownMethod: number | undefined): void {
    const p = this.#pending.get(frame.replyTo);
    if (p === undefined) return;
    if (unknownMethod !== undefined || frame.method !== p.method) {
      return this.#settle(frame.replyTo, reject("NET_FRAME_UNEXPECTED", `a ${Method[frame.method] ?? unknownMethod} response to a ${Method[p.method]} request (NET-016)`));
    }
    this.#settle(frame.replyTo, decodeBody<Message>(METHOD_MESSAGES[p.method].reply, frame.body, this.limits.maxFrameBytes));
  }

  closed(info: CloseInfo): void {
    // NET-025: nothing pending outlives the connection.
    const error = info.error?.code === "NET_DISCONNECTED" || info.error === undefined ? new Ap2pError("NET_DISCONNECTED", info.error?.message ?? "the connection closed") : info.error;
    this.#closedError = error;
    for (const id of [...this.#pending.keys()]) this.#settle(id, { ok: false, error });
    this.#settleClosed();
    this.#settleEnded(error);
  }
}

/**
 * Connects to a peer, runs the handshake (§14.2) and resolves an
 * authenticated client, or the reason it failed. Never throws on what the
 * network or the peer does; throws INVALID_ARGUMENT on bad options.
 */
export function connect(url: string, options: ConnectOptions): Promise<Verdict<PeerClient>> {
  const identity = identityOf(options.secretKey);
  roleToEnum(options.role);
  const limits = resolveLimits(options.limits);
  if (typeof options.clock !== "function" || typeof options.random !== "function") misuse("connect needs a clock and a random source");
  const endpoint = canonicalEndpoint(url);
  if (endpoint === undefined) return Promise.resolve(reject("NET_CONNECT_FAILED", `${JSON.stringify(url)} is not a ws: or wss: URL (NET-001)`));
  const ownHello = makeHello(identity, options.role, options.random, endpoint);

  return new Promise((resolve) => {
    let settled = false;
    let socket: WebSocket;
    try {
      socket = new WebSocket(endpoint, SUBPROTOCOL, {
        perMessageDeflate: false,
        maxPayload: limits.maxFrameBytes,
        handshakeTimeout: limits.handshakeTimeoutMs,
        followRedirects: false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        // NET-030: TLS 1.3, for the tls-exporter channel binding.
        ...(endpoint.startsWith("wss:") ? { minVersion: "TLSv1.3" as const } : {}),
        ...(options.tls?.ca === undefined ? {} : { ca: typeof options.tls.ca === "string" ? options.tls.ca : Buffer.from(options.tls.ca).toString("utf8") }),
      });
    } catch (e) {
      resolve(reject("NET_CONNECT_FAILED", `cannot connect to ${endpoint}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    let conn: FrameConnection | undefined;
    let client: Client | undefined;
    let serverHello: Hello | undefined;
    let handshakeError: Ap2pError | undefined;
    let tcp: Socket | undefined;
    let binding: Uint8Array = new Uint8Array(0);

    const finish = (v: Verdict<PeerClient>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(v);
    };
    const fail = (error: Ap2pError): void => {
      handshakeError ??= error;
      if (conn !== undefined) conn.fail(error);
      else socket.terminate();
      finish({ ok: false, error });
    };
    // NET-012: the whole handshake, TCP and TLS included, within one deadline.
    const deadline = setTimeout(() => fail(new Ap2pError("NET_HANDSHAKE_TIMEOUT", `no completed handshake within ${limits.handshakeTimeoutMs} ms (NET-012)`)), limits.handshakeTimeoutMs);

    socket.on("unexpected-response", (_req, res) => {
      res.resume();
      fail(new Ap2pError("NET_CONNECT_FAILED", `${endpoint} answered HTTP ${res.statusCode} instead of a WebSocket upgrade`));
    });
    socket.on("error", (e) => {
      if (conn !== undefined) return;
      // The ws library refuses a server that does not select our subprotocol.
      const code = /subprotocol/i.test(e.message) ? "NET_VERSION_MISMATCH" : "NET_CONNECT_FAILED";
      fail(new Ap2pError(code, `cannot connect to ${endpoint}: ${e.message}`));
    });
    socket.on("upgrade", (res) => (tcp = res.socket));
    socket.on("open", () => {
      const b = channelBindingOf(tcp);
      if (b === undefined) return fail(new Ap2pError("NET_VERSION_MISMATCH", "TLS below version 1.3 (NET-030)"));
      binding = b;
      conn = new FrameConnection(socket, limits, {
        frame: (received) => (client !== undefined ? client.frame(received) : handshakeFrame(received)),
        closed: (info) => {
          if (client !== undefined) return client.closed(info);
          finish({ ok: false, error: handshakeError ?? (info.error?.code === "NET_DISCONNECTED" || info.error === undefined ? new Ap2pError("NET_DISCONNECTED", `the server closed the connection during the handshake (${info.closeCode})`) : info.error) });
        },
      }, { pauseOnBackpressure: false });
      conn.send({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, ownHello) });
    });

    const handshakeFrame = ({ frame, unknownMethod }: ReceivedFrame): void => {
      try {
        checkFrameShape(frame, unknownMethod !== undefined);
      } catch (e) {
        return fail(e as Ap2pError);
      }
      if (frame.kind === FrameKind.ERROR) {
        // The server refused the handshake and says why (NET-017).
        handshakeError ??= new Ap2pError(codeName(frame.error), frame.message);
        conn!.noteError(handshakeError);
        return;
      }
      if (serverHello === undefined) {
        if (frame.kind !== FrameKind.HELLO) return fail(new Ap2pError("NET_FRAME_UNEXPECTED", `a ${FrameKind[frame.kind]} frame where the client expects the server's Hello (NET-014)`));
        const checked = checkHello(frame.body, "server", limits.maxFrameBytes);
        if (!checked.ok) return fail(checked.error);
        if (options.expectedPeer !== undefined && checked.value.peerId !== options.expectedPeer) {
          return fail(new Ap2pError("NET_PEER_MISMATCH", `the server is ${checked.value.peerId}, not the expected ${options.expectedPeer} (NET-011)`));
        }
        serverHello = checked.value;
        return;
      }
      if (frame.kind !== FrameKind.PROOF) return fail(new Ap2pError("NET_FRAME_UNEXPECTED", `a ${FrameKind[frame.kind]} frame where the client expects the server's proof (NET-014)`));
      const verified = verifyProof(frame.body, transcriptFor(ownHello, serverHello, "server", binding), limits.maxFrameBytes);
      if (!verified.ok) return fail(verified.error);
      conn!.send({ kind: FrameKind.PROOF, body: signProof(transcriptFor(ownHello, serverHello, "client", binding), identity.secretKey) });
      client = new Client(serverHello.peerId, conn!, limits);
      finish(accept(client));
    };
  });
}
