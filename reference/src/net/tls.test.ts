// The WebSocket binding over TLS and its channel binding (spec/14-connectivity.md
// §14.8), on loopback with a self-signed test certificate.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { PublishChange, PublishRequestSchema, PublishResponseSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { Cleanup, TEST_CERT, TEST_KEY } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });
const handlers = { publish: () => published };

describe("TLS", () => {
  it("NET-030: a wss: connection over TLS 1.3 authenticates both sides with the channel binding in the transcript", async () => {
    const server = await cleanup.server({ handlers, tls: { cert: TEST_CERT, key: TEST_KEY } });
    expect(server.url.startsWith("wss://127.0.0.1:")).toBe(true);
    const v = await cleanup.client(server.url, { expectedPeer: server.peerId, tls: { ca: TEST_CERT } });
    if (!v.ok) throw v.error;
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-030: a relay that terminates TLS with a certificate the client trusts fails with NET_TRANSCRIPT_MISMATCH", async () => {
    // The worst case: the server lists the relay's URI as its own (so NET-010
    // passes) and the relay forwards every frame unchanged. The two TLS
    // connections have different exporters, so the proofs do not match.
    let target = "";
    const relay = await cleanup.relay(() => target, { tls: true });
    const server = await cleanup.server({ handlers, tls: { cert: TEST_CERT, key: TEST_KEY }, endpoints: [relay] });
    target = server.url;
    const v = await cleanup.client(relay, { expectedPeer: server.peerId, tls: { ca: TEST_CERT } });
    expect(v.ok ? undefined : v.error.code).toBe("NET_TRANSCRIPT_MISMATCH");
  });

  it("NET-029: over plain ws: the same relay goes unnoticed, which is why connections beyond loopback use wss:", async () => {
    let target = "";
    const relay = await cleanup.relay(() => target);
    const server = await cleanup.server({ handlers, endpoints: [relay] });
    target = server.url;
    const v = await cleanup.client(relay, { expectedPeer: server.peerId });
    if (!v.ok) throw v.error;
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-030: a client refuses a server that offers only TLS below 1.3 with NET_CONNECT_FAILED", async () => {
    const { createServer } = await import("node:https");
    const { WebSocketServer } = await import("ws");
    const http = createServer({ cert: TEST_CERT, key: TEST_KEY, maxVersion: "TLSv1.2" });
    const wss = new WebSocketServer({ server: http, handleProtocols: () => "ap2p.v1" });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanup.add(() => new Promise<void>((resolve) => (wss.close(), http.close(() => resolve()))));
    const port = (http.address() as { port: number }).port;
    const v = await cleanup.client(`wss://127.0.0.1:${port}/`, { tls: { ca: TEST_CERT } });
    expect(v.ok ? undefined : v.error.code).toBe("NET_CONNECT_FAILED");
  });

  it("NET-012: over TLS, a connection that completes TLS and then sends nothing is dropped at the handshake deadline", async () => {
    const { connect } = await import("node:tls");
    const server = await cleanup.server({ handlers, tls: { cert: TEST_CERT, key: TEST_KEY }, limits: { handshakeTimeoutMs: 150 } });
    const socket = connect({ host: "127.0.0.1", port: Number(new URL(server.url).port), ca: TEST_CERT });
    cleanup.add(() => void socket.destroy());
    socket.on("error", () => {});
    await new Promise<void>((resolve) => socket.once("secureConnect", () => resolve()));
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(socket.destroyed).toBe(true);
  });
});
