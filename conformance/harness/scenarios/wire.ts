// Wire cases (spec/13-conformance.md §13.11): the implementation opens its
// node's WebSocket endpoint (spec/14-connectivity.md) with `registry-node.listen`
// or `provider-node.listen`, and the harness, with keys of its own, connects
// to it as a raw client. It runs the handshake by hand, sends well-formed and
// deliberately broken frames built with the reference's frame and handshake
// pieces, and classifies what the node does: the frames it answers with, the
// ERROR it reports, the close code and reason it closes with (NET-027).
//
// The same cases run against a node the harness did not start
// (`ap2p conformance --wire`): then nothing is reset, the node reads the
// machine's clock, and a case that needs a limit set gets `skipped`.
import { create } from "@bufbuild/protobuf";
import { connect as tcpConnect } from "node:net";
import { networkInterfaces } from "node:os";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  CanaryCallSchema,
  CanaryReplySchema,
  FrameKind,
  HelloSchema,
  Method,
  TaskCallSchema,
  TaskReplySchema,
  type CanaryReply,
  type Frame,
  type Hello,
  type TaskReply,
} from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { MatchMode, PublishChange, PublishRequestSchema, PublishResponseSchema, QueryRequestSchema, QueryResponseSchema, QuerySchema, type PublishResponse, type Query, type QueryResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { issueChallenge } from "../../../reference/src/canary/challenge.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { verifyCanaryResponse } from "../../../reference/src/canary/response.js";
import { encodeCanonical } from "../../../reference/src/cbor/encode.js";
import { issueDescriptor } from "../../../reference/src/descriptor/issue.js";
import { verifyRegistryAnswer } from "../../../reference/src/discovery/answer.js";
import { ErrorCode } from "../../../reference/src/errors.js";
import { SUBPROTOCOL, decodeBody, encodeBody, encodeFrame } from "../../../reference/src/net/frames.js";
import { canonicalEndpoint, makeHello, signProof, transcriptFor, verifyProof, type NodeRole } from "../../../reference/src/net/handshake.js";
import { MAX_FRAME_BYTES } from "../../../reference/src/net/limits.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { issueTaskRequest } from "../../../reference/src/task/issue-request.js";
import { verifyTaskResult } from "../../../reference/src/task/verify-result.js";
import type { Case, CaseContext } from "../case.js";
import type { RequirementIndex } from "../requirements.js";
import { Scenario, didOf, hex, testKey, type JsonObject, type ScenarioSpec, type Steps } from "./scenario.js";
import { WirePeer, type WireClose, type WireMessage } from "./wire-peer.js";

/** A node role with an endpoint. */
export type WireRole = "registry" | "provider";

/** Which wire cases to build, and against what. */
export interface WireOptions {
  /** The endpoint the cases that do not depend on a role run against. */
  readonly role: WireRole;
  /** The roles whose methods are called over the wire (registry-calls, provider-calls). */
  readonly calls: readonly WireRole[];
  /**
   * A node the harness did not start (`ap2p conformance --wire`): no reset,
   * the node's own clock (the machine's), and no limits can be set.
   */
  readonly standIn: boolean;
}

/** The wire cases of a run with a driver: the common cases against the registry, and the methods of both roles. */
export const DRIVER_WIRE_OPTIONS: WireOptions = { role: "registry", calls: ["registry", "provider"], standIn: false };

/** How long any one wait of a wire case may take beyond a limit the case set, before time scaling. */
export const WIRE_WAIT_MS = 2_000;
/** The small limits the cases set, in ms: long enough for a loaded machine to finish a handshake, short enough to keep the suite fast. */
const SHORT_TIMEOUT_MS = 300;

const KEYS: Readonly<Record<WireRole, Uint8Array>> = { registry: testKey("wire registry"), provider: testKey("wire provider") };
/** The harness's own identity as a client. */
const CLIENT_KEY = testKey("wire client");
/** A second identity, for a proof signed by a key other than the one the Hello names. */
const OTHER_KEY = testKey("wire other client");
const PUBLISHER_KEY = testKey("wire publisher");
const DELEGATOR_KEY = testKey("wire delegator");
const CAP = SHA256_TEST_CAPABILITY.capability;
/** The capability the registry-calls case publishes and queries: the harness's own, so that it matches nothing else. */
const WIRE_CAP = { namespace: "ap2p.test", id: "wire", version: "1.0.0", tags: ["wire"] };

const op = (role: WireRole, name: string): string => `${role}-node.${name}`;
const codeName = (code: ErrorCode): string => (ErrorCode[code] as string | undefined) ?? String(code);
const kindName = (kind: FrameKind): string => (FrameKind[kind] as string | undefined) ?? String(kind);
const describeClose = (c: WireClose): string => `close ${c.code}${c.reason === "" ? " without a reason" : ` "${c.reason}"`}`;

/** What a listen call answered. */
interface Endpoint {
  readonly role: WireRole;
  readonly url: string;
  /** The URL as WHATWG serializes it: what a client's Hello names (NET-006). */
  readonly endpoint: string;
  readonly peerId: string;
}

/** What a hand-run handshake exchanged. */
interface Handshake {
  readonly client: Hello;
  readonly server: Hello;
  readonly serverProof: Uint8Array;
  /** The frames of the server's HELLO and PROOF. */
  readonly frames: readonly Frame[];
}

/** One wire case's connections and settings; every connection is closed when the case ends. */
class Wire {
  readonly #peers: WirePeer[] = [];

  constructor(
    readonly s: Steps,
    readonly context: CaseContext,
    readonly options: WireOptions,
  ) {}

  /** The node's clock: the test clock, or the machine's for a node the harness did not start. */
  now(): bigint {
    return this.options.standIn ? BigInt(Date.now()) : this.s.now;
  }

  /** A deadline, in ms: `extra` (a limit the case set) plus the wait every step is allowed, scaled. */
  deadline(extra = 0): number {
    return (extra + WIRE_WAIT_MS) * this.context.timeScale;
  }

  /** Starts the role's node (unless it is a stand-in) and opens its endpoint with the given limits (DRV-028). */
  async endpoint(role: WireRole, limits: JsonObject = {}): Promise<Endpoint> {
    const s: Steps = this.s;
    const key = KEYS[role];
    if (!this.options.standIn) {
      s.step(`start a ${role} with the harness's key`);
      const out = await s.ok(op(role, "reset"), { secret_key: hex(key) }, `a fresh ${role}`);
      const id = s.text(out, role === "registry" ? "registry_id" : "peer_id", op(role, "reset"));
      s.expect(id === didOf(key), `the ${role} is ${id}, not the did:key of the key given, ${didOf(key)}`);
    }
    const shown = Object.entries(limits).map(([k, v]) => `${k} ${String(v)}`);
    s.step(`open the ${role}'s endpoint${shown.length === 0 ? "" : ` with ${shown.join(", ")}`}`);
    const out = await s.ok(op(role, "listen"), limits, "the URL and did:key of the endpoint (DRV-028)");
    const url = s.text(out, "url", op(role, "listen"));
    const peerId = s.text(out, "peer_id", op(role, "listen"));
    const endpoint = canonicalEndpoint(url);
    s.expect(endpoint !== undefined && endpoint.startsWith("ws:"), `url ${JSON.stringify(url)} is not a ws: URL (DRV-028)`);
    if (!this.options.standIn) s.expect(peerId === didOf(key), `peer_id is ${peerId}, not the did:key of the ${role}'s key, ${didOf(key)} (DRV-028)`);
    return { role, url, endpoint, peerId };
  }

  /** Opens a connection offering the given subprotocols; fails the case if the node does not upgrade it. */
  async connect(e: Endpoint, protocols: readonly string[] = [SUBPROTOCOL]): Promise<WirePeer> {
    const r = await WirePeer.open(e.url, protocols, this.deadline());
    if ("refused" in r) this.s.fail(`cannot open a WebSocket connection to ${e.url}: ${r.refused}`, "NET_CONNECT_FAILED");
    this.#peers.push(r.peer);
    return r.peer;
  }

  /** Closes every connection the case opened. */
  async close(): Promise<void> {
    await Promise.all(this.#peers.splice(0).map((p) => p.terminate()));
  }

  /** The client's Hello, honest unless changed: the harness's key, a fresh nonce, the endpoint dialed (NET-006). */
  hello(e: Endpoint, change: Partial<Omit<Hello, "$typeName">> = {}, role: NodeRole = "delegator", key = CLIENT_KEY): Hello {
    const honest = makeHello({ secretKey: key, peerId: didOf(key) }, role, secureRandom, e.endpoint);
    return create(HelloSchema, { ...honest, ...change });
  }

  /** Sends a client Hello, then reads the server's HELLO and PROOF (NET-006). */
  async exchangeHellos(peer: WirePeer, e: Endpoint, client: Hello, sent?: { readonly first: Frame }): Promise<Handshake> {
    if (sent === undefined) peer.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(client) });
    const hello = sent?.first ?? (await this.frame(peer, "the server's HELLO"));
    this.s.expect(hello.kind === FrameKind.HELLO, `the node answered the Hello with a ${kindName(hello.kind)} frame${this.#errorText(hello)}, not its HELLO (NET-006)`, this.#observed(hello));
    const decoded = decodeBody<Hello>(HelloSchema, hello.body, MAX_FRAME_BYTES);
    if (!decoded.ok) this.s.fail(`the server's Hello does not decode: ${decoded.error.code}: ${decoded.error.message} (NET-003)`, decoded.error.code);
    const server = decoded.value;
    const proof = await this.frame(peer, "the server's PROOF");
    this.s.expect(proof.kind === FrameKind.PROOF, `the node sent a ${kindName(proof.kind)} frame${this.#errorText(proof)} after its HELLO, not its PROOF (NET-006)`, this.#observed(proof));
    // NET-009: whatever the case does next, the server must have proved who it is.
    const verified = verifyProof(proof.body, transcriptFor(client, server, "server"), MAX_FRAME_BYTES);
    if (!verified.ok) this.s.fail(`the server's proof does not verify: ${verified.error.code}: ${verified.error.message} (NET-007, NET-008)`, verified.error.code);
    this.s.expect(server.peerId === e.peerId, `the server's Hello names ${server.peerId}, not the endpoint's peer_id ${e.peerId} (NET-009, DRV-028)`);
    return { client, server, serverProof: proof.body, frames: [hello, proof] };
  }

  /** Runs an honest client handshake on a new connection (NET-006 to NET-009). */
  async authenticated(e: Endpoint, role: NodeRole = "delegator", key = CLIENT_KEY): Promise<{ peer: WirePeer; handshake: Handshake; proof: Uint8Array }> {
    const peer = await this.connect(e);
    const handshake = await this.exchangeHellos(peer, e, this.hello(e, {}, role, key));
    const proof = signProof(transcriptFor(handshake.client, handshake.server, "client"), key);
    peer.sendFrame({ kind: FrameKind.PROOF, body: proof });
    return { peer, handshake, proof };
  }

  /** The next frame from the node; fails on a close, a timeout, or a message that is not a frame. */
  async frame(peer: WirePeer, what: string): Promise<Frame> {
    const m = await peer.next(this.deadline());
    if (m.kind === "frame") return m.frame;
    if (m.kind === "closed") this.s.fail(`the node closed the connection (${describeClose(m.close)}) where the harness expected ${what}`, m.close.reason || `close-${m.close.code}`);
    if (m.kind === "timeout") this.s.fail(`nothing arrived within ${this.deadline()} ms where the harness expected ${what}`, "timeout");
    this.s.fail(this.#messageText(m), m.kind === "malformed" ? m.code : "text");
  }

  /**
   * Sends a request and reads frames until the one that answers it (NET-015);
   * fails if the connection ends first. The request's body is given as bytes,
   * so that a case can send one that does not decode.
   */
  async request(peer: WirePeer, method: number, body: Uint8Array, what: string): Promise<Frame> {
    const id = peer.nextId;
    if (Method[method] === undefined) {
      // A method this version does not define: the reference's encoder refuses it, so the frame is built as a CBOR map.
      peer.sendBytes(encodeCanonical(new Map<string, bigint | number | Uint8Array>([["id", id], ["kind", FrameKind.REQUEST], ["method", method], ["body", body]])));
      peer.useId(id);
    } else peer.sendFrame({ kind: FrameKind.REQUEST, method, body });
    for (;;) {
      const f = await this.frame(peer, `the answer to ${what}`);
      if (f.kind === FrameKind.ERROR && f.replyTo === 0n) this.s.fail(`the node reported ${codeName(f.error)} for the connection${f.message ? ` ("${f.message}")` : ""} instead of answering ${what}`, codeName(f.error));
      if (f.replyTo === id) return f;
      this.s.expect(f.kind !== FrameKind.RESPONSE && f.kind !== FrameKind.ERROR, `a ${kindName(f.kind)} frame answers request ${f.replyTo}, which the harness did not send (NET-015)`);
    }
  }

  /** A request that must be answered with a RESPONSE of its method (NET-015); returns the RESPONSE body. */
  async answered(peer: WirePeer, method: Method, body: Uint8Array, what: string): Promise<Uint8Array> {
    const f = await this.request(peer, method, body, what);
    this.s.expect(f.kind === FrameKind.RESPONSE, `${what} was answered with a ${kindName(f.kind)} frame${this.#errorText(f)}, not a RESPONSE`, this.#observed(f));
    this.s.expect(f.method === method, `the RESPONSE to ${what} names method ${Method[f.method] ?? f.method}, not ${Method[method]} (NET-015)`);
    return f.body;
  }

  /** A request that must be answered with an ERROR of this code, the connection staying open (NET-017, NET-018). */
  async refusedRequest(peer: WirePeer, method: number, body: Uint8Array, code: string, what: string): Promise<void> {
    const f = await this.request(peer, method, body, what);
    this.s.expect(f.kind === FrameKind.ERROR, `${what} was answered with a ${kindName(f.kind)} frame, not an ERROR ${code}`, f.kind === FrameKind.RESPONSE ? "valid" : this.#observed(f));
    this.s.expect(codeName(f.error) === code, `${what} was answered with ERROR ${codeName(f.error)}, not ${code}`, codeName(f.error));
  }

  /**
   * A request that shows the connection is open and authenticated: a query
   * to a registry, a canary to a provider; any RESPONSE of its method will do.
   */
  async probe(peer: WirePeer, e: Endpoint): Promise<Frame> {
    const p = this.probeRequest(e);
    const f = await this.request(peer, p.method, p.body, p.what);
    this.s.expect(f.kind === FrameKind.RESPONSE, `${p.what} was answered with a ${kindName(f.kind)} frame${this.#errorText(f)}, not a RESPONSE`, this.#observed(f));
    this.s.expect(f.method === p.method, `the RESPONSE to ${p.what} names method ${Method[f.method] ?? f.method}, not ${Method[p.method]} (NET-015)`);
    return f;
  }

  /** The request of probe(). */
  probeRequest(e: Endpoint): { readonly method: Method; readonly body: Uint8Array; readonly what: string } {
    if (e.role === "registry") return { method: Method.QUERY, body: encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() })), what: "a query" };
    const challenge = issueChallenge(DELEGATOR_KEY, { provider: e.peerId, capability: CAP, input: { bytes: secureRandom(32), mediaType: "application/octet-stream" }, now: this.now(), windowMs: 5_000n, random: secureRandom });
    return { method: Method.CANARY, body: encodeBody(CanaryCallSchema, create(CanaryCallSchema, { challenge: { coseSign1: challenge.bytes } })), what: "a canary challenge" };
  }


  /**
   * The node must refuse the connection: an ERROR frame with `reply_to` 0 and
   * the code (unless `errorFrame` is false), then a close with the close code
   * of NET-027 and the code's name as reason. With `probe`, a request is sent
   * first, so that a node that accepted what it should have refused is caught
   * by its answer rather than by a timeout.
   */
  async refusal(peer: WirePeer, code: string, closeCode: number, why: string, options: { readonly extraMs?: number; readonly errorFrame?: boolean; readonly probe?: Endpoint } = {}): Promise<void> {
    if (options.probe !== undefined) {
      const e = options.probe;
      const body = e.role === "registry" ? encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() })) : encodeBody(CanaryCallSchema, create(CanaryCallSchema, { challenge: { coseSign1: new Uint8Array([0xd2]) } }));
      peer.sendFrame({ kind: FrameKind.REQUEST, method: e.role === "registry" ? Method.QUERY : Method.CANARY, body });
    }
    const answers = (m: WireMessage): boolean => m.kind === "frame" && (m.frame.kind === FrameKind.RESPONSE || (m.frame.kind === FrameKind.ERROR && m.frame.replyTo !== 0n));
    const close = await peer.ended(this.deadline(options.extraMs ?? 0), answers);
    const seen = peer.drain();
    const frames = seen.flatMap((m) => (m.kind === "frame" ? [m.frame] : []));
    const answered = frames.find((f) => f.kind === FrameKind.RESPONSE || (f.kind === FrameKind.ERROR && f.replyTo !== 0n));
    if (close === undefined) {
      this.s.fail(
        `expected ${code} (${why}); ${answered === undefined ? `the connection is still open after ${this.deadline(options.extraMs ?? 0)} ms` : `the connection stays open: the node answered a request with a ${kindName(answered.kind)} frame${this.#errorText(answered)}`}`,
        answered?.kind === FrameKind.RESPONSE ? "valid" : "open",
      );
    }
    const error = frames.find((f) => f.kind === FrameKind.ERROR && f.replyTo === 0n);
    const bad = seen.find((m) => m.kind !== "frame");
    if (bad !== undefined) this.s.fail(this.#messageText(bad), bad.kind === "malformed" ? bad.code : "text");
    if (options.errorFrame ?? true) {
      if (error === undefined) this.s.fail(`expected an ERROR frame ${code} before the close (${why}, NET-017); the node closed with ${describeClose(close)} and no ERROR frame`, close.reason || `close-${close.code}`);
      this.s.expect(codeName(error.error) === code, `expected ERROR ${code} (${why}); the node reported ${codeName(error.error)}${error.message ? ` ("${error.message}")` : ""}`, codeName(error.error));
    }
    this.s.expect(close.code === closeCode, `expected close code ${closeCode} for ${code} (NET-027); the node closed with ${describeClose(close)}`, `close-${close.code}`);
    // NET-027: the reason is the code's name; a 1009 close says it by its close code alone when the message was not read (§14.5).
    const reasons = closeCode === 1009 ? [code, ""] : [code];
    this.s.expect(reasons.includes(close.reason), `expected the close reason ${code} (NET-027); the node closed with ${describeClose(close)}`, close.reason || `close-${close.code}`);
  }

  #errorText(f: Frame): string {
    return f.kind === FrameKind.ERROR || f.kind === FrameKind.GOAWAY ? ` (${codeName(f.error)}${f.message ? `: ${f.message}` : ""})` : "";
  }

  #observed(f: Frame): string {
    return f.kind === FrameKind.ERROR ? codeName(f.error) : kindName(f.kind);
  }

  #messageText(m: WireMessage): string {
    if (m.kind === "text") return `the node sent a text message (NET-002): ${JSON.stringify(m.text.slice(0, 200))}`;
    if (m.kind === "malformed") return `the node sent a binary message of ${m.length} bytes that is not a well-formed frame: ${m.code} (NET-003)`;
    return `unexpected ${kindName(m.frame.kind)} frame`;
  }
}

/**
 * A Hello's deterministic CBOR, without the sender's schema checks, so that
 * a case can send one that breaks them (a short nonce). Fields at their
 * default value are left out, as §3.2 requires.
 */
function helloBytes(h: Hello): Uint8Array {
  const map = new Map<string, number | string | Uint8Array>();
  if (h.version !== 0) map.set("version", h.version);
  if (h.role !== 0) map.set("role", h.role);
  if (h.peerId !== "") map.set("peer_id", h.peerId);
  if (h.nonce.length > 0) map.set("nonce", h.nonce);
  if (h.endpoint !== "") map.set("endpoint", h.endpoint);
  return encodeCanonical(map);
}

let queries = 0;
/** A query for the harness's own capability, with a fresh nonce (DISC-007). */
function wireQuery(): Query {
  queries++;
  return create(QuerySchema, { namespace: WIRE_CAP.namespace, id: WIRE_CAP.id, idMatch: MatchMode.EXACT, maxResults: 10, nonce: sha256(new TextEncoder().encode(`wire query ${queries} ${hex(secureRandom(16))}`)).slice(0, 16) });
}

/** True for a host name that is a loopback address (NET-004). */
function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Whether a TCP connection to address:port opens within the deadline. */
function tcpOpens(address: string, port: number, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: address, port });
    const done = (open: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => done(false), deadlineMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A wire case: its steps get a Wire, whose connections are closed however the case ends. */
function wireCase(options: WireOptions, spec: Omit<ScenarioSpec, "script" | "operations"> & { readonly role: WireRole; readonly extraOperations?: readonly string[]; readonly script: (w: Wire) => Promise<void> }): ScenarioSpec {
  const operations = [...(options.standIn ? [] : [op(spec.role, "reset")]), op(spec.role, "listen"), ...(spec.extraOperations ?? [])];
  return {
    id: spec.id,
    requirements: spec.requirements,
    operations,
    expectation: spec.expectation,
    script: async (s, context) => {
      const w = new Wire(s, context, options);
      try {
        await spec.script(w);
      } finally {
        await w.close();
      }
    },
  };
}

/** The cases that do not depend on the node's role, against the endpoint of options.role. */
function commonCases(o: WireOptions): ScenarioSpec[] {
  const role = o.role;
  const serverRole = role === "registry" ? 1 : 2;
  const c = (spec: Omit<Parameters<typeof wireCase>[1], "role">): ScenarioSpec => wireCase(o, { ...spec, role });
  return [
    c({
      id: "scenario/wire/handshake-001",
      requirements: ["DRV-028", "NET-001", "NET-006", "NET-007", "NET-008", "NET-009", "NET-013", "NET-015"],
      expectation: "subprotocol ap2p.v1 selected; the server's HELLO (id 1) and PROOF (id 2) verify for its peer_id; after the client's proof a request is answered (id 3)",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("connect offering the subprotocol ap2p.v1");
        const peer = await w.connect(e);
        w.s.expect(peer.protocol === SUBPROTOCOL, `the node selected the subprotocol ${JSON.stringify(peer.protocol)}, not ${SUBPROTOCOL} (NET-001)`, "NET_VERSION_MISMATCH");
        w.s.step("send an honest Hello; read the server's HELLO and PROOF");
        const client = w.hello(e);
        const h = await w.exchangeHellos(peer, e, client);
        const server = h.server;
        w.s.expect(server.version === 1, `the server's Hello announces version ${server.version}, not 1 (NET-005)`);
        w.s.expect(server.role === serverRole, `the server's Hello announces role ${server.role}, not ${serverRole} (the ${role}'s, NET-007)`);
        w.s.expect(server.endpoint === "", `the server's Hello names the endpoint ${JSON.stringify(server.endpoint)}; it must be empty (NET-006)`, "NET_HANDSHAKE_INVALID");
        w.s.expect(server.nonce.length >= 32, `the server's nonce has ${server.nonce.length} bytes, fewer than 32 (NET-006)`);
        w.s.expect(h.frames[0]!.id === 1n && h.frames[1]!.id === 2n, `the server's HELLO and PROOF have ids ${h.frames[0]!.id} and ${h.frames[1]!.id}, not 1 and 2 (NET-013)`);
        w.s.step("send the client's proof, then a request");
        peer.sendFrame({ kind: FrameKind.PROOF, body: signProof(transcriptFor(client, server, "client"), CLIENT_KEY) });
        const f = await w.probe(peer, e);
        w.s.expect(f.id === 3n, `the node's third frame has id ${f.id}, not 3 (NET-013)`);
      },
    }),
    c({
      id: "scenario/wire/loopback-001",
      requirements: ["DRV-028", "NET-004"],
      expectation: "the endpoint is on a loopback address, and its port accepts no connection on the machine's other addresses",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        const url = new URL(e.url);
        w.s.step(`check that ${url.hostname} is a loopback address`);
        if (!isLoopbackHost(url.hostname)) {
          if (o.standIn) w.s.skip(`the node listens on ${url.hostname}, an address its operator chose (NET-004)`);
          w.s.fail(`the endpoint ${e.url} is not on a loopback address (NET-004, DRV-028)`);
        }
        const port = Number(url.port || 80);
        const others = Object.values(networkInterfaces())
          .flat()
          .filter((a) => a !== undefined && !a.internal && !a.address.toLowerCase().startsWith("fe80:"))
          .map((a) => a!.address);
        w.s.step(`try port ${port} on the machine's other addresses (${others.length === 0 ? "none" : others.join(", ")})`);
        for (const address of others) {
          const open = await tcpOpens(address, port, 500 * w.context.timeScale);
          w.s.expect(!open, `port ${port} also accepts TCP connections on ${address}: the node listens beyond loopback (NET-004)`, "open");
        }
      },
    }),
    c({
      id: "scenario/wire/version-001",
      requirements: ["NET-001", "NET-005", "NET-017", "NET-027"],
      expectation: "a connection without the subprotocol ap2p.v1, and a Hello of version 2, each refused with NET_VERSION_MISMATCH and close 1002",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("connect offering no subprotocol");
        await w.refusal(await w.connect(e, []), "NET_VERSION_MISMATCH", 1002, "the client did not offer ap2p.v1 (NET-001)");
        w.s.step("send a Hello of version 2");
        const peer = await w.connect(e);
        peer.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(w.hello(e, { version: 2 })) });
        await w.refusal(peer, "NET_VERSION_MISMATCH", 1002, "the Hello announces version 2 (NET-005)");
      },
    }),
    c({
      id: "scenario/wire/hello-001",
      requirements: ["NET-003", "NET-006", "NET-014"],
      expectation: "a PROOF before the Hello (NET_FRAME_UNEXPECTED), a Hello with a 16-byte nonce (SCHEMA_LENGTH_OUT_OF_RANGE) and one without an endpoint (NET_HANDSHAKE_INVALID), each refused with close 1002",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("send a PROOF as the first frame");
        let peer = await w.connect(e);
        peer.sendFrame({ kind: FrameKind.PROOF, body: new Uint8Array([0xa0]) });
        await w.refusal(peer, "NET_FRAME_UNEXPECTED", 1002, "the first frame is not a HELLO (NET-006)");
        w.s.step("send a Hello whose nonce has 16 bytes");
        peer = await w.connect(e);
        peer.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(w.hello(e, { nonce: secureRandom(16) })) });
        await w.refusal(peer, "SCHEMA_LENGTH_OUT_OF_RANGE", 1002, "the Hello's nonce is shorter than 32 bytes (NET-003, NET-006)");
        w.s.step("send a Hello without an endpoint");
        peer = await w.connect(e);
        peer.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(w.hello(e, { endpoint: "" })) });
        await w.refusal(peer, "NET_HANDSHAKE_INVALID", 1002, "the client's Hello names no endpoint (NET-006)");
      },
    }),
    c({
      id: "scenario/wire/proof-001",
      requirements: ["NET-009", "NET-017", "NET-027"],
      expectation: "a client proof with a broken signature refused with SIG_INVALID, one signed by another key than the Hello's with COSE_KID_MISMATCH, each with close 1008",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("complete the Hellos, then send a proof whose signature has one bit flipped");
        let peer = await w.connect(e);
        let h = await w.exchangeHellos(peer, e, w.hello(e));
        const proof = signProof(transcriptFor(h.client, h.server, "client"), CLIENT_KEY);
        // The signature is the last 64 bytes of the COSE_Sign1, which ends the proof's body.
        const flipped = Uint8Array.from(proof);
        flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x01;
        peer.sendFrame({ kind: FrameKind.PROOF, body: flipped });
        await w.refusal(peer, "SIG_INVALID", 1008, "the proof's signature does not verify (NET-009)", { probe: e });
        w.s.step("complete the Hellos, then send a proof signed by another key than the one the Hello names");
        peer = await w.connect(e);
        h = await w.exchangeHellos(peer, e, w.hello(e));
        peer.sendFrame({ kind: FrameKind.PROOF, body: signProof(transcriptFor(h.client, h.server, "client"), OTHER_KEY) });
        await w.refusal(peer, "COSE_KID_MISMATCH", 1008, "the proof is not signed by the peer the Hello names (NET-009)", { probe: e });
      },
    }),
    c({
      id: "scenario/wire/reflected-proof-001",
      requirements: ["NET-007", "NET-009"],
      expectation: "a client that claims the server's identity and sends back the server's own proof is refused with NET_TRANSCRIPT_MISMATCH and close 1008",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("send a Hello that claims the server's did:key");
        const peer = await w.connect(e);
        const h = await w.exchangeHellos(peer, e, w.hello(e, { peerId: e.peerId }));
        w.s.step("send the server's own proof back as the client's");
        peer.sendFrame({ kind: FrameKind.PROOF, body: h.serverProof });
        await w.refusal(peer, "NET_TRANSCRIPT_MISMATCH", 1008, "the reflected proof signs the server's side of the transcript (NET-007, NET-009)", { probe: e });
      },
    }),
    c({
      id: "scenario/wire/replay-001",
      requirements: ["NET-006", "NET-009"],
      expectation: "a handshake recorded on one connection and replayed on the next is refused with NET_TRANSCRIPT_MISMATCH and close 1008; the server's nonces differ",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("complete an honest handshake and record the client's Hello and proof");
        const first = await w.authenticated(e);
        await w.probe(first.peer, e);
        await first.peer.terminate();
        w.s.step("on a new connection, send the recorded Hello and, after the server's, the recorded proof");
        const peer = await w.connect(e);
        const h = await w.exchangeHellos(peer, e, first.handshake.client);
        peer.sendFrame({ kind: FrameKind.PROOF, body: first.proof });
        await w.refusal(peer, "NET_TRANSCRIPT_MISMATCH", 1008, "the recorded proof signs the nonce of the earlier connection (NET-009)", { probe: e });
        w.s.step("compare the server's nonces");
        w.s.expect(hex(h.server.nonce) !== hex(first.handshake.server.nonce), "the server drew the same nonce on both connections (NET-006)");
      },
    }),
    c({
      id: "scenario/wire/endpoint-001",
      requirements: ["NET-010", "NET-027"],
      expectation: "a Hello naming another endpoint than the one dialed is refused with NET_ENDPOINT_MISMATCH and close 1008",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        const url = new URL(e.endpoint);
        url.port = String(Number(url.port || 80) === 65535 ? 65534 : Number(url.port || 80) + 1);
        w.s.step(`send a Hello that names ${url.href}, as a relay's client would`);
        const peer = await w.connect(e);
        peer.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(w.hello(e, { endpoint: url.href })) });
        await w.refusal(peer, "NET_ENDPOINT_MISMATCH", 1008, "the client dialed another endpoint (NET-010)");
      },
    }),
    c({
      id: "scenario/wire/handshake-timeout-001",
      requirements: ["NET-012", "NET-027"],
      expectation: `with a handshake timeout of ${SHORT_TIMEOUT_MS} ms, a client that sends nothing is refused with NET_HANDSHAKE_TIMEOUT and close 1008`,
      script: async (w: Wire) => {
        const e = await w.endpoint(role, { handshake_timeout_ms: SHORT_TIMEOUT_MS });
        w.s.step("connect and send nothing");
        await w.refusal(await w.connect(e), "NET_HANDSHAKE_TIMEOUT", 1008, "no handshake within the handshake timeout (NET-012)", { extraMs: SHORT_TIMEOUT_MS });
      },
    }),
    c({
      id: "scenario/wire/idle-timeout-001",
      requirements: ["NET-024", "NET-027"],
      expectation: `with an idle timeout of ${SHORT_TIMEOUT_MS} ms, an authenticated connection without frames is closed with NET_IDLE_TIMEOUT and close 1008`,
      script: async (w: Wire) => {
        const e = await w.endpoint(role, { idle_timeout_ms: SHORT_TIMEOUT_MS });
        w.s.step("complete a handshake, then send nothing");
        const { peer } = await w.authenticated(e);
        await w.refusal(peer, "NET_IDLE_TIMEOUT", 1008, "no frame within the idle timeout (NET-024)", { extraMs: SHORT_TIMEOUT_MS });
      },
    }),
    c({
      id: "scenario/wire/text-frame-001",
      requirements: ["NET-002", "NET-017", "NET-027"],
      expectation: "a text message on an authenticated connection is refused with NET_TEXT_FRAME and close 1003",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("complete a handshake, then send a text message");
        const { peer } = await w.authenticated(e);
        peer.sendText("hello");
        await w.refusal(peer, "NET_TEXT_FRAME", 1003, "frames are binary messages (NET-002)");
      },
    }),
    c({
      id: "scenario/wire/malformed-frame-001",
      requirements: ["NET-003", "NET-027"],
      expectation: "a frame with a non-shortest CBOR head (CBOR_NON_SHORTEST_HEAD) and one with an unknown field (SCHEMA_UNKNOWN_FIELD), each refused with close 1002",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        const body = encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() }));
        w.s.step("complete a handshake, then send a frame whose id is encoded in two bytes instead of one");
        let peer = (await w.authenticated(e)).peer;
        // "id" sorts first among the frame's keys (§3.2): 0x62 'i' 'd', then the id 3 as 0x03, here as 0x18 0x03.
        const canonical = encodeFrame(3n, { kind: FrameKind.REQUEST, method: Method.QUERY, body });
        w.s.expect(hex(canonical.subarray(1, 5)) === "62696403", "harness bug: the frame does not start with the id", "harness");
        peer.sendBytes(Uint8Array.from([canonical[0]!, 0x62, 0x69, 0x64, 0x18, 0x03, ...canonical.subarray(5)]));
        await w.refusal(peer, "CBOR_NON_SHORTEST_HEAD", 1002, "the frame is not deterministic CBOR (NET-003)");
        w.s.step("complete a handshake, then send a frame with a field Frame does not have");
        peer = (await w.authenticated(e)).peer;
        peer.sendBytes(encodeCanonical(new Map<string, bigint | number | Uint8Array>([["id", 3n], ["kind", FrameKind.REQUEST], ["method", Method.QUERY], ["body", body], ["extra", 1]])));
        await w.refusal(peer, "SCHEMA_UNKNOWN_FIELD", 1002, "the frame does not decode as a Frame (NET-003)");
      },
    }),
    c({
      id: "scenario/wire/frame-too-large-001",
      requirements: ["NET-020", "NET-027"],
      expectation: `a message of ${MAX_FRAME_BYTES + 1} bytes, longer than any frame limit, closes the connection with close 1009`,
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step(`complete a handshake, then send a message of ${MAX_FRAME_BYTES + 1} bytes`);
        const { peer } = await w.authenticated(e);
        peer.sendBytes(new Uint8Array(MAX_FRAME_BYTES + 1));
        await w.refusal(peer, "NET_FRAME_TOO_LARGE", 1009, "the message is longer than the frame limit (NET-020)", { errorFrame: false });
      },
    }),
    c({
      id: "scenario/wire/replayed-frame-001",
      requirements: ["NET-013", "NET-017", "NET-027"],
      expectation: "a second frame with the id of the one before is refused with NET_FRAME_REPLAYED and close 1002",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("complete a handshake and send a request with id 3");
        const { peer } = await w.authenticated(e);
        await w.probe(peer, e);
        w.s.step("send another request with id 3");
        const body = encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() }));
        peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.QUERY, body }, 3n);
        await w.refusal(peer, "NET_FRAME_REPLAYED", 1002, "the frame's id is not greater than the previous one (NET-013)");
      },
    }),
    c({
      id: "scenario/wire/unexpected-frame-001",
      requirements: ["NET-014", "NET-015"],
      expectation: "a request before the client's proof, and a REQUEST frame that carries reply_to, each refused with NET_FRAME_UNEXPECTED and close 1002",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        const body = encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() }));
        w.s.step("complete the Hellos, then send a request instead of the client's proof");
        let peer = await w.connect(e);
        await w.exchangeHellos(peer, e, w.hello(e));
        peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.QUERY, body });
        await w.refusal(peer, "NET_FRAME_UNEXPECTED", 1002, "a request before the client's proof (NET-015)");
        w.s.step("complete a handshake, then send a REQUEST frame that carries reply_to");
        peer = (await w.authenticated(e)).peer;
        peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.QUERY, body, replyTo: 1n });
        await w.refusal(peer, "NET_FRAME_UNEXPECTED", 1002, "a REQUEST frame carries a method and a body only (NET-014)");
      },
    }),
    c({
      id: "scenario/wire/methods-001",
      requirements: ["NET-017", "NET-018"],
      expectation: "method 99 answered NET_METHOD_UNKNOWN, a method of the other role NET_METHOD_NOT_SUPPORTED, a body that is not the call message SCHEMA_REQUIRED_FIELD_MISSING, each as an ERROR answer, the connection kept open",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("complete a handshake, then send a request for method 99");
        const { peer } = await w.authenticated(e);
        const queryBody = encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query: wireQuery() }));
        await w.refusedRequest(peer, 99, queryBody, "NET_METHOD_UNKNOWN", "a request for method 99, which this version does not define (NET-018)");
        const [other, otherBody] =
          role === "registry"
            ? [Method.CANARY, encodeBody(CanaryCallSchema, create(CanaryCallSchema, { challenge: { coseSign1: new Uint8Array([0xd2]) } }))]
            : [Method.QUERY, queryBody];
        w.s.step(`send a ${Method[other]} request, which a ${role} does not offer`);
        await w.refusedRequest(peer, other, otherBody, "NET_METHOD_NOT_SUPPORTED", `a ${Method[other]} request to a ${role} (NET-018)`);
        const own = role === "registry" ? Method.QUERY : Method.CANARY;
        w.s.step(`send a ${Method[own]} request whose body is an empty map`);
        await w.refusedRequest(peer, own, new Uint8Array([0xa0]), "SCHEMA_REQUIRED_FIELD_MISSING", `a ${Method[own]} request without its required field (NET-018)`);
        w.s.step("send a well-formed request on the same connection");
        await w.probe(peer, e);
      },
    }),
    c({
      id: "scenario/wire/connection-limit-001",
      requirements: ["NET-023", "NET-027"],
      expectation: "with max_connections 2, a third connection is refused with NET_TOO_MANY_CONNECTIONS and close 1013; once one closes, a new one is accepted",
      script: async (w: Wire) => {
        const e = await w.endpoint(role, { max_connections: 2 });
        w.s.step("open an authenticated connection and one that has not started its handshake");
        const a = await w.authenticated(e);
        await w.probe(a.peer, e);
        const b = await w.connect(e);
        w.s.step("open a third connection");
        await w.refusal(await w.connect(e), "NET_TOO_MANY_CONNECTIONS", 1013, "the node holds its limit of 2 connections (NET-023)");
        w.s.step("close the second connection, then open another and complete its handshake");
        await b.terminate();
        // The node learns of the close a moment after the harness does: a refusal is tried again until the deadline.
        const until = performance.now() + w.deadline();
        for (;;) {
          const d = await w.connect(e);
          const client = w.hello(e);
          d.sendFrame({ kind: FrameKind.HELLO, body: helloBytes(client) });
          const first = await w.frame(d, "the server's HELLO, or a refusal of the connection");
          if (first.kind === FrameKind.ERROR && codeName(first.error) === "NET_TOO_MANY_CONNECTIONS") {
            await d.terminate();
            w.s.expect(performance.now() < until, "a new connection is still refused after one of the two has closed: the node did not release it (NET-023)", "NET_TOO_MANY_CONNECTIONS");
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          const h = await w.exchangeHellos(d, e, client, { first });
          d.sendFrame({ kind: FrameKind.PROOF, body: signProof(transcriptFor(h.client, h.server, "client"), CLIENT_KEY) });
          await w.probe(d, e);
          break;
        }
      },
    }),
    c({
      id: "scenario/wire/goaway-001",
      requirements: ["DRV-029", "NET-026", "NET-027"],
      extraOperations: [op(role, "shutdown")],
      expectation: "on shutdown an authenticated connection gets GOAWAY NET_GOING_AWAY and close 1001, one in its handshake ERROR NET_GOING_AWAY and close 1001; then the endpoint accepts no connection",
      script: async (w: Wire) => {
        const e = await w.endpoint(role);
        w.s.step("open an authenticated connection, and one that has sent its Hello only");
        const a = await w.authenticated(e);
        await w.probe(a.peer, e);
        const b = await w.connect(e);
        await w.exchangeHellos(b, e, w.hello(e));
        w.s.step(`shut the endpoint down (${op(role, "shutdown")})`);
        const stopping = w.s.call(op(role, "shutdown"), {});
        // The answer comes once every connection has closed, so the harness reads both while it waits.
        const goaway = await w.frame(a.peer, "a GOAWAY frame");
        w.s.expect(goaway.kind === FrameKind.GOAWAY, `the authenticated connection got a ${kindName(goaway.kind)} frame, not a GOAWAY (NET-026)`, kindName(goaway.kind));
        w.s.expect(codeName(goaway.error) === "NET_GOING_AWAY", `the GOAWAY carries ${codeName(goaway.error)}, not NET_GOING_AWAY (NET-026)`, codeName(goaway.error));
        await w.refusal(a.peer, "NET_GOING_AWAY", 1001, "the server shuts down (NET-026)", { errorFrame: false });
        await w.refusal(b, "NET_GOING_AWAY", 1001, "the server shuts down during the handshake (NET-026)");
        const answer = await stopping;
        if ("error" in answer) w.s.fail(`${op(role, "shutdown")} answered error ${answer.error}: ${answer.message}`, answer.error);
        w.s.step("try to connect again");
        const again = await WirePeer.open(e.url, [SUBPROTOCOL], w.deadline());
        if ("peer" in again) {
          await again.peer.terminate();
          w.s.fail("the endpoint still accepts connections after its shutdown was answered (NET-026, DRV-029)", "open");
        }
      },
    }),
  ];
}

/** PUBLISH and QUERY over the wire to a registry (spec/06-discovery.md §6.2, §6.6). */
function registryCalls(o: WireOptions): ScenarioSpec {
  return wireCase(o, {
    id: "scenario/wire/registry-calls-001",
    role: "registry",
    requirements: ["NET-015", "NET-003"],
    expectation: "a PUBLISH answered with a RESPONSE whose PublishResponse accepts the descriptor; a QUERY answered with a signed answer that verifies for the query and lists it",
    script: async (w: Wire) => {
      const e = await w.endpoint("registry");
      const now = w.now();
      // A node that runs on: a later run's descriptor must have a higher seq than this one's.
      const seq = o.standIn ? now : 1n;
      const descriptor = issueDescriptor(PUBLISHER_KEY, { capabilities: [WIRE_CAP] }, seq, { now, ttlMs: 60_000n });
      w.s.step("connect as a provider and publish a descriptor");
      const publisher = await w.authenticated(e, "provider", PUBLISHER_KEY);
      const published = decodeBody<PublishResponse>(PublishResponseSchema, await w.answered(publisher.peer, Method.PUBLISH, encodeBody(PublishRequestSchema, create(PublishRequestSchema, { descriptor: { coseSign1: descriptor.bytes } })), "the PUBLISH request"), MAX_FRAME_BYTES);
      if (!published.ok) w.s.fail(`the RESPONSE body is not a PublishResponse: ${published.error.code}: ${published.error.message} (NET-003)`, published.error.code);
      const p = published.value;
      w.s.expect(p.error === ErrorCode.UNSPECIFIED, `the registry refused the descriptor: ${codeName(p.error)}${p.message ? `: ${p.message}` : ""}`, codeName(p.error));
      w.s.expect(p.change === PublishChange.PUBLISHED || p.change === PublishChange.REFRESHED, `the PublishResponse's change is ${PublishChange[p.change] ?? p.change}, not PUBLISHED`);
      w.s.step("connect as a delegator and query for the descriptor's capability");
      const client = await w.authenticated(e, "delegator", DELEGATOR_KEY);
      const query = wireQuery();
      const answered = decodeBody<QueryResponse>(QueryResponseSchema, await w.answered(client.peer, Method.QUERY, encodeBody(QueryRequestSchema, create(QueryRequestSchema, { query })), "the QUERY request"), MAX_FRAME_BYTES);
      if (!answered.ok) w.s.fail(`the RESPONSE body is not a QueryResponse: ${answered.error.code}: ${answered.error.message} (NET-003)`, answered.error.code);
      const a = answered.value;
      if (a.answer === undefined) w.s.fail(`the registry answered the query with ${codeName(a.error)}${a.message ? `: ${a.message}` : ""}, not a signed answer`, codeName(a.error));
      const v = verifyRegistryAnswer(a.answer.coseSign1, {
        query,
        expectedRegistry: e.peerId,
        now: w.now(),
        policy: { descriptor: { maxTtlMs: 3_600_000n, clockSkewMs: 5_000n }, maxFreshnessMs: 300_000n },
      });
      if (!v.ok) w.s.fail(`the signed answer does not verify for the harness's query (DISC-012, DISC-015): ${v.error.code}: ${v.error.message}`, v.error.code);
      const peers = v.value.results.map((r) => r.descriptor.peerId);
      w.s.expect(peers.includes(didOf(PUBLISHER_KEY)), `the answer lists [${peers.join(", ")}], not the peer just published, ${didOf(PUBLISHER_KEY)}`);
    },
  });
}

/** CANARY and TASK over the wire to a provider (spec/08-canaries.md, spec/09-tasks-and-evidence.md). */
function providerCalls(o: WireOptions): ScenarioSpec {
  return wireCase(o, {
    id: "scenario/wire/provider-calls-001",
    role: "provider",
    requirements: ["NET-015", "NET-019"],
    expectation: `a CANARY and a TASK for ${CAP.namespace}/${CAP.id}@${CAP.version}, each answered with a RESPONSE whose reply carries the signed object or an error, never both; the signed objects verify`,
    script: async (w: Wire) => {
      const e = await w.endpoint("provider");
      w.s.step("connect as a delegator and send a canary challenge");
      const { peer } = await w.authenticated(e, "delegator", DELEGATOR_KEY);
      const input = secureRandom(48);
      const issued = issueChallenge(DELEGATOR_KEY, { provider: e.peerId, capability: CAP, input: { bytes: input, mediaType: "application/octet-stream" }, now: w.now(), windowMs: 5_000n, random: secureRandom });
      const canary = decodeBody<CanaryReply>(CanaryReplySchema, await w.answered(peer, Method.CANARY, encodeBody(CanaryCallSchema, create(CanaryCallSchema, { challenge: { coseSign1: issued.bytes } })), "the CANARY request"), MAX_FRAME_BYTES);
      if (!canary.ok) w.s.fail(`the RESPONSE body is not a CanaryReply: ${canary.error.code}: ${canary.error.message} (NET-003)`, canary.error.code);
      const c = canary.value;
      w.s.expect((c.response === undefined) !== (c.error === ErrorCode.UNSPECIFIED), `the CanaryReply carries ${c.response === undefined ? "neither a response nor an error" : "both a response and an error"} (NET-019)`, c.response === undefined ? "SCHEMA_REQUIRED_FIELD_MISSING" : "output");
      if (c.response === undefined) {
        // A node of the driver offers the test capability (§13.10); a running node may not.
        if (!o.standIn) w.s.fail(`the provider refused the canary: ${codeName(c.error)}${c.message ? `: ${c.message}` : ""}`, codeName(c.error));
        w.s.note(`the provider refused the canary: ${codeName(c.error)}`);
      } else {
        const v = verifyCanaryResponse(c.response.coseSign1, { challenge: issued, oracle: SHA256_TEST_CAPABILITY.oracle(input), now: w.now() });
        if (!v.ok) w.s.fail(`the canary response does not verify for the harness's challenge (CAN-010): ${v.error.code}: ${v.error.message}`, v.error.code);
      }
      w.s.step("send a task request on the same connection");
      const taskInput = new TextEncoder().encode("conformance: hash me over the wire");
      const request = issueTaskRequest(DELEGATOR_KEY, { provider: e.peerId, capability: CAP, input: taskInput, requiredTier: VerificationTier.REPUTATION }, { now: w.now(), timeoutMs: 60_000n, random: secureRandom });
      const task = decodeBody<TaskReply>(TaskReplySchema, await w.answered(peer, Method.TASK, encodeBody(TaskCallSchema, create(TaskCallSchema, { request: { coseSign1: request.bytes } })), "the TASK request"), MAX_FRAME_BYTES);
      if (!task.ok) w.s.fail(`the RESPONSE body is not a TaskReply: ${task.error.code}: ${task.error.message} (NET-003)`, task.error.code);
      const t = task.value;
      w.s.expect((t.result === undefined) !== (t.error === ErrorCode.UNSPECIFIED), `the TaskReply carries ${t.result === undefined ? "neither a result nor an error" : "both a result and an error"} (NET-019)`, t.result === undefined ? "SCHEMA_REQUIRED_FIELD_MISSING" : "output");
      if (t.result === undefined) {
        if (!o.standIn) w.s.fail(`the provider refused the task: ${codeName(t.error)}${t.message ? `: ${t.message}` : ""}`, codeName(t.error));
        w.s.note(`the provider refused the task: ${codeName(t.error)}`);
        return;
      }
      const v = verifyTaskResult(t.result.coseSign1, { request: request.bytes, now: w.now(), ...(t.output === undefined ? {} : { output: t.output }) });
      if (!v.ok) w.s.fail(`the task result does not verify for the harness's request (TASK-012): ${v.error.code}: ${v.error.message}`, v.error.code);
      const want = hex(sha256(taskInput));
      w.s.expect(v.value.output !== undefined && hex(v.value.output) === want, `the output is ${v.value.output === undefined ? "missing" : hex(v.value.output)}, not SHA-256 of the input ${want}`);
    },
  });
}

/** The wire case specs for the options. */
export function wireScenarios(options: WireOptions): ScenarioSpec[] {
  return [...commonCases(options), ...(options.calls.includes("registry") ? [registryCalls(options)] : []), ...(options.calls.includes("provider") ? [providerCalls(options)] : [])];
}

/** The wire cases (§13.11) as conformance cases, at the level of the requirements each cites. */
export function wireCases(index: RequirementIndex, options: WireOptions = DRIVER_WIRE_OPTIONS): Case[] {
  return wireScenarios(options).map((spec) => new Scenario(spec, index));
}
