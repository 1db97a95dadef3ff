// Graceful shutdown (spec/14-connectivity.md §14.7), on loopback.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { FrameKind, Method } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishChange, PublishRequestSchema, PublishResponseSchema, type PublishResponse } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode, type Verdict } from "../errors.js";
import { encodeBody } from "./frames.js";
import { Cleanup, authenticatedRaw, heldHandler, waitFor } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const publishBody = encodeBody(PublishRequestSchema, publishRequest);
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });
const codeOf = (v: Verdict<unknown>) => (v.ok ? "ok" : v.error.code);

describe("shutdown", () => {
  it("NET-026: a closing server announces GOAWAY, refuses new connections and requests, lets in-flight requests finish, then closes", async () => {
    const held = heldHandler(published);
    const server = await cleanup.server({
      handlers: { publish: held.handler },
      limits: { shutdownGraceMs: 30_000 },
    });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    const raw = await authenticatedRaw(cleanup, server.url);
    const inFlight = v.value.publish(publishRequest);
    raw.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 3n);
    await waitFor(() => held.started === 2);

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    const late = await cleanup.client(server.url);
    expect(codeOf(late)).toBe("NET_CONNECT_FAILED");
    await waitFor(() => raw.frames.some((f) => f.kind === FrameKind.GOAWAY));
    expect(ErrorCode[raw.frames.find((f) => f.kind === FrameKind.GOAWAY)!.error]).toBe("NET_GOING_AWAY");
    raw.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 4n);
    await waitFor(() => raw.frames.some((f) => f.replyTo === 4n));
    expect(ErrorCode[raw.frames.find((f) => f.replyTo === 4n)!.error]).toBe("NET_GOING_AWAY");
    expect(codeOf(await v.value.publish(publishRequest))).toBe("NET_GOING_AWAY");
    expect(closed).toBe(false);

    held.release();
    expect(await inFlight).toEqual({ ok: true, value: published });
    await waitFor(() => raw.frames.some((f) => f.replyTo === 3n));
    expect(raw.frames.find((f) => f.replyTo === 3n)!.kind).toBe(FrameKind.RESPONSE);
    await closing;
    expect((await raw.closed).code).toBe(1001);
    expect(server.connections).toBe(0);
  });

  it("NET-026: requests still in flight when the grace period ends resolve NET_GOING_AWAY, and close() resolves", async () => {
    const server = await cleanup.server({ handlers: { publish: () => new Promise<PublishResponse>(() => {}) }, limits: { shutdownGraceMs: 100 } });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    const pending = v.value.publish(publishRequest);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await server.close();
    expect(codeOf(await pending)).toBe("NET_GOING_AWAY");
    expect(server.connections).toBe(0);
  });

  it("NET-026: a server with connections in the handshake closes them at once with NET_GOING_AWAY", async () => {
    const server = await cleanup.server({ handlers: {} });
    const raw = await cleanup.raw(server.url);
    await waitFor(() => server.connections === 1);
    await server.close();
    const close = await raw.closed;
    expect([close.code, close.reason]).toEqual([1001, "NET_GOING_AWAY"]);
  });

  it("close() is idempotent", async () => {
    const server = await cleanup.server({ handlers: {} });
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });
});
