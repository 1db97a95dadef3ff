// Limits and timeouts (spec/14-connectivity.md §14.6), on loopback.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { FrameKind, Method, TaskCallSchema } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishChange, PublishRequestSchema, PublishResponseSchema, type PublishResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode, accept, type Verdict } from "../errors.js";
import { encodeBody } from "./frames.js";
import { DEFAULT_LIMITS, resolveLimits } from "./limits.js";
import type { NetEvent } from "./types.js";
import { Cleanup, authenticatedRaw, fakeServerHandshake, gate, heldHandler, waitFor } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const publishBody = encodeBody(PublishRequestSchema, publishRequest);
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (v: Verdict<unknown>) => (v.ok ? "ok" : v.error.code);

describe("limits", () => {
  it("NET-028: DEFAULT_LIMITS are the values of §14.6, and a limit that is not a positive integer is a caller error", () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxFrameBytes: 1_048_576,
      handshakeTimeoutMs: 5_000,
      idleTimeoutMs: 60_000,
      requestTimeoutMs: 30_000,
      maxInFlight: 32,
      maxConnections: 256,
      highWaterMarkBytes: 4_194_304,
      shutdownGraceMs: 5_000,
    });
    expect(resolveLimits({ maxInFlight: 2 }).maxInFlight).toBe(2);
    expect(() => resolveLimits({ maxInFlight: 0 })).toThrow(/maxInFlight/);
    expect(() => resolveLimits({ idleTimeoutMs: 1.5 })).toThrow(/idleTimeoutMs/);
  });

  it("NET-021: a server answers a request beyond its in-flight limit with NET_TOO_MANY_IN_FLIGHT and keeps the connection", async () => {
    const held = heldHandler(published);
    const server = await cleanup.server({
      handlers: { publish: held.handler },
      limits: { maxInFlight: 2 },
    });
    const v = await cleanup.client(server.url, { limits: { maxInFlight: 10 } });
    if (!v.ok) throw v.error;
    const first = v.value.publish(publishRequest);
    const second = v.value.publish(publishRequest);
    await waitFor(() => held.started === 2);
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_TOO_MANY_IN_FLIGHT");
    held.release();
    expect([codeOf(await first), codeOf(await second)]).toEqual(["ok", "ok"]);
    expect(codeOf(await v.value.publish(publishRequest))).toBe("ok");
  });

  it("NET-021: a client does not send beyond its own in-flight limit and resolves NET_TOO_MANY_IN_FLIGHT", async () => {
    const release = gate();
    const server = await cleanup.server({ handlers: { publish: async () => (await release.promise, published) } });
    const v = await cleanup.client(server.url, { limits: { maxInFlight: 1 } });
    if (!v.ok) throw v.error;
    const first = v.value.publish(publishRequest);
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_TOO_MANY_IN_FLIGHT");
    release.open();
    expect(codeOf(await first)).toBe("ok");
  });

  it("NET-022: a server stops reading from a client that does not read its answers, and resumes when it does", async () => {
    let handled = 0;
    const output = new Uint8Array(900_000);
    const server = await cleanup.server({
      role: "provider",
      handlers: {
        task: (request) => {
          handled += 1;
          return accept({ result: request, output });
        },
      },
      limits: { highWaterMarkBytes: 65_536, maxInFlight: 1_000 },
    });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.socket.pause();
    const total = 30;
    const body = encodeBody(TaskCallSchema, create(TaskCallSchema, { request: { coseSign1: new Uint8Array([1]) } }));
    for (let i = 0; i < total; i++) {
      peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.TASK, body });
      await sleep(3);
    }
    // Wait until the server has stopped handling requests.
    let last = -1;
    while (handled !== last) {
      last = handled;
      await sleep(100);
    }
    expect(handled).toBeLessThan(total);
    peer.socket.resume();
    await waitFor(() => peer.frames.filter((f) => f.kind === FrameKind.RESPONSE).length === total);
    expect(handled).toBe(total);
  });

  it("NET-022: a client keeps reading answers while its own requests are queued, so that pipelined large transfers finish", async () => {
    const output = new Uint8Array(900_000);
    const limits = { highWaterMarkBytes: 65_536, maxInFlight: 64 };
    const server = await cleanup.server({ role: "provider", handlers: { task: (request) => accept({ result: request, output }) }, limits });
    const v = await cleanup.client(server.url, { limits });
    if (!v.ok) throw v.error;
    const input = new Uint8Array(900_000);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => v.value.task(new Uint8Array([i]), input)));
    expect(answers.map(codeOf)).toEqual(Array(40).fill("ok"));
  });

  it("NET-023: a server refuses a connection beyond its limit with NET_TOO_MANY_CONNECTIONS and accepts again once one closes", async () => {
    const events: NetEvent[] = [];
    const server = await cleanup.server({ handlers: { publish: () => published }, limits: { maxConnections: 2 }, onEvent: (e) => events.push(e) });
    const a = await cleanup.client(server.url);
    const b = await cleanup.client(server.url);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const c = await cleanup.client(server.url);
    expect(codeOf(c)).toBe("NET_TOO_MANY_CONNECTIONS");
    await waitFor(() => events.some((e) => e.type === "rejected" && e.code === "NET_TOO_MANY_CONNECTIONS"));
    if (a.ok) await a.value.close();
    await waitFor(() => server.connections === 1);
    const d = await cleanup.client(server.url);
    expect(d.ok).toBe(true);
    if (d.ok) expect(codeOf(await d.value.publish(publishRequest))).toBe("ok");
  });

  it("NET-024: a server closes an authenticated connection that stays idle with NET_IDLE_TIMEOUT", async () => {
    const events: NetEvent[] = [];
    const server = await cleanup.server({ handlers: { publish: () => published }, limits: { idleTimeoutMs: 100 }, onEvent: (e) => events.push(e) });
    const peer = await authenticatedRaw(cleanup, server.url);
    const close = await peer.closed;
    expect([close.code, close.reason]).toEqual([1008, "NET_IDLE_TIMEOUT"]);
    expect(peer.frames.map((f) => ErrorCode[f.error]).at(-1)).toBe("NET_IDLE_TIMEOUT");
    await waitFor(() => events.some((e) => e.type === "closed"));
    expect(events.find((e) => e.type === "closed")).toMatchObject({ code: "NET_IDLE_TIMEOUT", closeCode: 1008 });
  });

  it("NET-024: pings keep a connection alive, and a connection with a request in flight is not idle", async () => {
    const release = gate();
    const server = await cleanup.server({ handlers: { publish: async () => (await release.promise, published) }, limits: { idleTimeoutMs: 250 } });
    const peer = await authenticatedRaw(cleanup, server.url);
    for (let i = 0; i < 16; i++) {
      peer.socket.ping();
      await sleep(25);
    }
    expect(peer.socket.readyState).toBe(peer.socket.OPEN);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody });
    await sleep(600);
    expect(peer.socket.readyState).toBe(peer.socket.OPEN);
    release.open();
    await waitFor(() => peer.frames.some((f) => f.kind === FrameKind.RESPONSE));
    expect((await peer.closed).reason).toBe("NET_IDLE_TIMEOUT");
  });

  it("NET-025: a request without an answer resolves NET_REQUEST_TIMEOUT; a late answer is dropped", async () => {
    const late = gate();
    const server = await cleanup.server({
      role: "provider",
      handlers: {
        canary: async (challenge) => {
          if (challenge[0] === 0) return undefined;
          await late.promise;
          return accept(challenge);
        },
      },
    });
    const v = await cleanup.client(server.url, { limits: { requestTimeoutMs: 200 } });
    if (!v.ok) throw v.error;
    expect(codeOf(await v.value.canary(new Uint8Array([0])))).toBe("NET_REQUEST_TIMEOUT");
    expect(codeOf(await v.value.canary(new Uint8Array([1])))).toBe("NET_REQUEST_TIMEOUT");
    late.open();
    await sleep(20);
    // The connection is still usable after the late answer arrived and was dropped.
    const again = v.value.canary(new Uint8Array([2]));
    expect(await again).toEqual(accept(new Uint8Array([2])));
  });

  it("NET-025: when the server drops the connection, pending and later calls resolve NET_DISCONNECTED", async () => {
    const url = await cleanup.fake(async (peer) => {
      await fakeServerHandshake(peer);
      peer.socket.terminate();
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_DISCONNECTED");
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_DISCONNECTED");
  });

  it("NET-025: closing a client resolves its pending calls with NET_DISCONNECTED", async () => {
    const server = await cleanup.server({ handlers: { publish: () => new Promise<PublishResponse>(() => {}) } });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    const pending = v.value.publish(publishRequest);
    await sleep(10);
    await v.value.close();
    expect(codeOf(await pending)).toBe("NET_DISCONNECTED");
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_DISCONNECTED");
  });

  it("NET-025: a server survives a client that disconnects abruptly with requests in flight, and releases the connection", async () => {
    const held = heldHandler(published);
    const events: NetEvent[] = [];
    const server = await cleanup.server({
      handlers: { publish: held.handler },
      onEvent: (e) => events.push(e),
    });
    const peer = await authenticatedRaw(cleanup, server.url);
    for (let i = 0; i < 5; i++) peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody });
    await waitFor(() => held.started === 5);
    peer.socket.terminate();
    await waitFor(() => server.connections === 0);
    held.release();
    await sleep(10);
    expect(events.find((e) => e.type === "closed")).toMatchObject({ code: "NET_DISCONNECTED", closeCode: 1006 });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    expect(codeOf(await v.value.publish(publishRequest))).toBe("ok");
  });
});
