// The handshake (spec/14-connectivity.md §14.2), on loopback.
import { create } from "@bufbuild/protobuf";
import { createServer } from "node:http";
import { connect as tcpConnect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FrameKind, HandshakeProofSchema, HandshakeTranscriptSchema, HelloSchema, type Frame, type Hello } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishChange, PublishRequestSchema, PublishResponseSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../errors.js";
import { signMessage } from "../signed/signed-message.js";
import { decodeFrame, encodeBody, encodeFrame } from "./frames.js";
import { makeHello, signProof, transcriptFor } from "./handshake.js";
import type { NetEvent, PeerInfo } from "./types.js";
import { Cleanup, RawPeer, fromBytes, rawHandshake, testClock, testDid, testKey, testRandom } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });
const handlers = { publish: () => published };

/** The ERROR frame a raw peer received and how its connection closed. */
async function refusal(peer: RawPeer): Promise<{ error: string | undefined; close: { code: number; reason: string } }> {
  const close = await peer.closed;
  const error = peer.frames.find((f) => f.kind === FrameKind.ERROR);
  return { error: error === undefined ? undefined : ErrorCode[error.error], close };
}

describe("handshake", () => {
  it("NET-006, NET-007, NET-008, NET-009: both sides are authenticated, and the server learns the client's did:key and role", async () => {
    const seen: PeerInfo[] = [];
    const events: NetEvent[] = [];
    const server = await cleanup.server({
      handlers: {
        publish: (_req, peer) => {
          seen.push(peer);
          return published;
        },
      },
      onEvent: (e) => events.push(e),
    });
    expect(server.peerId).toBe(testDid(1));
    const v = await cleanup.client(server.url, { expectedPeer: testDid(1) });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.peerId).toBe(testDid(1));
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
    expect(seen).toEqual([{ peerId: testDid(2), role: "delegator", remoteAddress: "127.0.0.1" }]);
    expect(events[0]).toEqual({ type: "opened", at: testClock(), peer: seen[0] });
  });

  it("NET-011: a client that expects another peer refuses the server with NET_PEER_MISMATCH", async () => {
    const events: NetEvent[] = [];
    const server = await cleanup.server({ handlers, onEvent: (e) => events.push(e) });
    const v = await cleanup.client(server.url, { expectedPeer: testDid(9) });
    expect(v.ok ? undefined : v.error.code).toBe("NET_PEER_MISMATCH");
    await waitFor(() => events.length > 0);
    expect(events[0]).toMatchObject({ type: "rejected", code: "NET_PEER_MISMATCH" });
    expect(server.connections).toBe(0);
  });

  it("NET-001: a server refuses a client that does not offer the subprotocol ap2p.v1 with NET_VERSION_MISMATCH", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url, []);
    expect(await refusal(peer)).toEqual({ error: "NET_VERSION_MISMATCH", close: { code: 1002, reason: "NET_VERSION_MISMATCH" } });
  });

  it("NET-001: a client refuses a server that does not select the subprotocol ap2p.v1 with NET_VERSION_MISMATCH", async () => {
    const url = await cleanup.fake(() => {}, { protocol: false });
    const v = await cleanup.client(url);
    expect(v.ok ? undefined : v.error.code).toBe("NET_VERSION_MISMATCH");
  });

  it("NET-005: a server refuses a Hello of another protocol version with NET_VERSION_MISMATCH", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    const hello = makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom(), server.url);
    peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, { ...hello, version: 2 }) });
    expect(await refusal(peer)).toEqual({ error: "NET_VERSION_MISMATCH", close: { code: 1002, reason: "NET_VERSION_MISMATCH" } });
  });

  it("NET-005: a client refuses a server Hello of another protocol version with NET_VERSION_MISMATCH", async () => {
    const url = await cleanup.fake(async (peer) => {
      await peer.waitFrames(1);
      const hello = makeHello({ secretKey: testKey(1), peerId: testDid(1) }, "registry", testRandom());
      peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, { ...hello, version: 2 }) });
    });
    const v = await cleanup.client(url);
    expect(v.ok ? undefined : v.error.code).toBe("NET_VERSION_MISMATCH");
  });

  it("NET-006: a server refuses a client Hello without an endpoint with NET_HANDSHAKE_INVALID", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    const hello = makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom());
    peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, hello) });
    expect(await refusal(peer)).toEqual({ error: "NET_HANDSHAKE_INVALID", close: { code: 1002, reason: "NET_HANDSHAKE_INVALID" } });
  });

  it("NET-006: a client refuses a server Hello that names an endpoint with NET_HANDSHAKE_INVALID", async () => {
    const url = await cleanup.fake(async (peer) => {
      await peer.waitFrames(1);
      const hello = makeHello({ secretKey: testKey(1), peerId: testDid(1) }, "registry", testRandom(), url);
      peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, hello) });
    });
    const v = await cleanup.client(url);
    expect(v.ok ? undefined : v.error.code).toBe("NET_HANDSHAKE_INVALID");
  });

  it("NET-006: a client that sends anything but a Hello first is refused with NET_FRAME_UNEXPECTED", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: 1, body: encodeBody(PublishRequestSchema, publishRequest) });
    expect(await refusal(peer)).toEqual({ error: "NET_FRAME_UNEXPECTED", close: { code: 1002, reason: "NET_FRAME_UNEXPECTED" } });
  });

  it("NET-009: a replayed handshake fails with NET_TRANSCRIPT_MISMATCH, because the server's nonce is fresh", async () => {
    const server = await cleanup.server({ handlers });
    // The first connection: an honest handshake by hand, recorded.
    const first = await cleanup.raw(server.url);
    await rawHandshake(first, { endpoint: server.url });
    const [hello, proof] = first.sent;
    // The same bytes on a new connection.
    const second = await cleanup.raw(server.url);
    second.sendBytes(hello!);
    await second.waitFrames(2);
    second.sendBytes(proof!);
    expect(await refusal(second)).toEqual({ error: "NET_TRANSCRIPT_MISMATCH", close: { code: 1008, reason: "NET_TRANSCRIPT_MISMATCH" } });
  });

  it("NET-009: a proof whose signature is reflected from the server fails with NET_TRANSCRIPT_MISMATCH (the signing side differs)", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    // Claim the server's own identity and role, and send back its own proof.
    await rawHandshake(peer, { endpoint: server.url, key: testKey(1), role: "registry", proof: (h) => h.serverProof });
    expect(await refusal(peer)).toEqual({ error: "NET_TRANSCRIPT_MISMATCH", close: { code: 1008, reason: "NET_TRANSCRIPT_MISMATCH" } });
  });

  it("NET-009: a proof with a bad signature fails with SIG_INVALID", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    await rawHandshake(peer, {
      endpoint: server.url,
      proof: (h) => {
        const cose = signMessage(HandshakeTranscriptSchema, transcriptFor(h.client, h.server, "client"), testKey(2));
        cose[cose.length - 40]! ^= 0x01;
        return encodeBody(HandshakeProofSchema, create(HandshakeProofSchema, { transcript: { coseSign1: cose } }));
      },
    });
    expect(await refusal(peer)).toEqual({ error: "SIG_INVALID", close: { code: 1008, reason: "SIG_INVALID" } });
  });

  it("NET-009: a proof signed by another key than the Hello's peer fails with COSE_KID_MISMATCH", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    await rawHandshake(peer, { endpoint: server.url, proof: (h) => signProof(transcriptFor(h.client, h.server, "client"), testKey(3)) });
    expect(await refusal(peer)).toEqual({ error: "COSE_KID_MISMATCH", close: { code: 1008, reason: "COSE_KID_MISMATCH" } });
  });

  it("NET-009: a client refuses a server proof over another transcript with NET_TRANSCRIPT_MISMATCH", async () => {
    const url = await cleanup.fake(async (peer) => {
      const [first] = await peer.waitFrames(1);
      const client = fromBytes<Hello>(HelloSchema, first!.body);
      const server = makeHello({ secretKey: testKey(1), peerId: testDid(1) }, "registry", testRandom());
      peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, server) });
      // Signs a transcript with another client nonce: a proof from another connection.
      peer.sendFrame({ kind: FrameKind.PROOF, body: signProof(transcriptFor({ ...client, nonce: new Uint8Array(32) }, server, "server"), testKey(1)) });
    });
    const v = await cleanup.client(url);
    expect(v.ok ? undefined : v.error.code).toBe("NET_TRANSCRIPT_MISMATCH");
  });

  it("NET-010: a handshake relayed through another node fails with NET_ENDPOINT_MISMATCH at the server", async () => {
    const server = await cleanup.server({ handlers });
    const relay = await cleanup.fake((peer) => relayTo(peer, server.url));
    const v = await cleanup.client(relay);
    expect(v.ok ? undefined : v.error.code).toBe("NET_ENDPOINT_MISMATCH");
  });

  it("NET-009, NET-010: a relay that rewrites the endpoint makes the client's proof fail with NET_TRANSCRIPT_MISMATCH", async () => {
    const server = await cleanup.server({ handlers });
    const relay = await cleanup.fake((peer) =>
      relayTo(peer, server.url, (frame) => {
        if (frame.kind !== FrameKind.HELLO) return frame;
        const hello = fromBytes<Hello>(HelloSchema, frame.body);
        return { ...frame, body: encodeBody(HelloSchema, { ...hello, endpoint: server.url }) };
      }),
    );
    // The relay passes the server's proof on unchanged: it names the server's
    // endpoint, not the relay's, so the client refuses it first.
    const v = await cleanup.client(relay);
    expect(v.ok ? undefined : v.error.code).toBe("NET_TRANSCRIPT_MISMATCH");
  });

  it("NET-011: a relay with its own key cannot pass itself off as the peer the client expects (NET_PEER_MISMATCH)", async () => {
    const target = await cleanup.server({ handlers });
    // An honest node with key 3 in front of the target: the client that
    // expects the target's did:key refuses it.
    const relay = await cleanup.server({ handlers, secretKey: testKey(3) });
    const v = await cleanup.client(relay.url, { expectedPeer: target.peerId });
    expect(v.ok ? undefined : v.error.code).toBe("NET_PEER_MISMATCH");
  });

  it("NET-010: a server accepts a client that dialed one of its configured endpoints", async () => {
    const server = await cleanup.server({ handlers, endpoints: ["wss://registry.example/ap2p"] });
    const peer = await cleanup.raw(server.url);
    await rawHandshake(peer, { endpoint: "wss://registry.example/ap2p" });
    peer.sendFrame({ kind: FrameKind.REQUEST, method: 1, body: encodeBody(PublishRequestSchema, publishRequest) });
    const frames = await peer.waitFrames(3);
    expect(frames[2]?.kind).toBe(FrameKind.RESPONSE);
  });

  it("NET-012: a server closes a connection that says nothing with NET_HANDSHAKE_TIMEOUT", async () => {
    const server = await cleanup.server({ handlers, limits: { handshakeTimeoutMs: 100 } });
    const peer = await cleanup.raw(server.url);
    expect(await refusal(peer)).toEqual({ error: "NET_HANDSHAKE_TIMEOUT", close: { code: 1008, reason: "NET_HANDSHAKE_TIMEOUT" } });
    await waitFor(() => server.connections === 0);
  });

  it("NET-012: a server closes a connection that sends a Hello and then nothing with NET_HANDSHAKE_TIMEOUT", async () => {
    const server = await cleanup.server({ handlers, limits: { handshakeTimeoutMs: 100 } });
    const peer = await cleanup.raw(server.url);
    peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom(), server.url)) });
    expect(await refusal(peer)).toEqual({ error: "NET_HANDSHAKE_TIMEOUT", close: { code: 1008, reason: "NET_HANDSHAKE_TIMEOUT" } });
  });

  it("NET-012: a server closes a connection that drips its Hello one fragment at a time with NET_HANDSHAKE_TIMEOUT", async () => {
    const server = await cleanup.server({ handlers, limits: { handshakeTimeoutMs: 150 } });
    const peer = await cleanup.raw(server.url);
    const hello = encodeBody(HelloSchema, makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom(), server.url));
    let i = 0;
    const drip = setInterval(() => {
      if (peer.socket.readyState !== WebSocket.OPEN || i >= hello.length - 1) return;
      peer.socket.send(hello.subarray(i, i + 1), { binary: true, fin: false });
      i += 1;
    }, 10);
    cleanup.add(() => clearInterval(drip));
    expect((await peer.closed).reason).toBe("NET_HANDSHAKE_TIMEOUT");
  });

  it("NET-012: a server drops a TCP connection that drips its HTTP upgrade request byte by byte", async () => {
    const events: NetEvent[] = [];
    const server = await cleanup.server({ handlers, limits: { handshakeTimeoutMs: 150 }, onEvent: (e) => events.push(e) });
    const port = Number(new URL(server.url).port);
    const socket = tcpConnect(port, "127.0.0.1");
    cleanup.add(() => void socket.destroy());
    const request = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`;
    let i = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && i < request.length) socket.write(request[i++]!);
    }, 10);
    cleanup.add(() => clearInterval(drip));
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(i).toBeLessThan(request.length);
    expect(events).toMatchObject([{ type: "rejected", code: "NET_HANDSHAKE_TIMEOUT" }]);
  });

  it("NET-012: a client gives up on a server that never answers its Hello with NET_HANDSHAKE_TIMEOUT", async () => {
    const url = await cleanup.fake(() => {});
    const v = await cleanup.client(url, { limits: { handshakeTimeoutMs: 100 } });
    expect(v.ok ? undefined : v.error.code).toBe("NET_HANDSHAKE_TIMEOUT");
  });

  it("NET-001: a refused connection, a URL that is not ws: or wss:, and an HTTP answer without upgrade give NET_CONNECT_FAILED", async () => {
    const gone = await cleanup.server({ handlers });
    const url = gone.url;
    await gone.close();
    const refused = await cleanup.client(url);
    expect(refused.ok ? undefined : refused.error.code).toBe("NET_CONNECT_FAILED");
    const notWs = await cleanup.client("http://127.0.0.1:1/");
    expect(notWs.ok ? undefined : notWs.error.code).toBe("NET_CONNECT_FAILED");
    const http = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanup.add(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const plain = await cleanup.client(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    expect(plain.ok ? undefined : plain.error.code).toBe("NET_CONNECT_FAILED");
  });
});

/** Forwards frames between a raw peer and a new connection to the target, rewriting client frames on the way. */
async function relayTo(peer: RawPeer, target: string, rewrite: (frame: ReturnType<typeof fromFrame>) => ReturnType<typeof fromFrame> = (f) => f): Promise<void> {
  const upstream = await RawPeer.open(target, "ap2p.v1");
  cleanup.add(() => upstream.close());
  peer.socket.on("message", (data) => {
    const frame = fromFrame(new Uint8Array(data as Buffer));
    upstream.socket.send(encodeFrameFields(rewrite(frame)), { binary: true });
  });
  upstream.socket.on("message", (data) => peer.socket.readyState === WebSocket.OPEN && peer.socket.send(data, { binary: true }));
  upstream.socket.on("close", (code, reason) => {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    if (code === 1005 || code === 1006) peer.socket.terminate();
    else peer.socket.close(code, reason);
  });
  peer.socket.on("close", () => upstream.socket.terminate());
  // Frames that arrived before the upstream opened.
  for (const f of peer.frames) upstream.socket.send(encodeFrameFields(rewrite(f)), { binary: true });
}

function fromFrame(bytes: Uint8Array): Frame {
  const v = decodeFrame(bytes, 1 << 24);
  if (!v.ok) throw v.error;
  return v.value.frame;
}

function encodeFrameFields(frame: Frame): Uint8Array {
  const { id, $typeName: _t, $unknown: _u, ...fields } = frame;
  return encodeFrame(id, fields);
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
