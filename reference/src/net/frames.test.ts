// Frames on the wire (spec/14-connectivity.md §14.3, §14.4), on loopback.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { CanaryReplySchema, FrameKind, FrameSchema, HelloSchema, Method, TaskReplySchema, type Frame, type Hello } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishChange, PublishRequestSchema, PublishResponseSchema, QueryRequestSchema, type QueryRequest } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import { messageToCbor } from "../codec/to-cbor.js";
import { ErrorCode, accept, reject } from "../errors.js";
import { closeCodeFor, decodeFrame, encodeBody, encodeFrame, errorFromClose } from "./frames.js";
import { makeHello } from "./handshake.js";
import { Cleanup, RawPeer, authenticatedRaw, fakeServerHandshake, testDid, testKey, testRandom, waitFor } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const publishBody = encodeBody(PublishRequestSchema, publishRequest);
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });
const handlers = { publish: () => published };
const query: QueryRequest = create(QueryRequestSchema, { query: { namespace: "example", nonce: new Uint8Array(16), maxResults: 1 } });

async function refusal(peer: RawPeer): Promise<{ error: string | undefined; close: { code: number; reason: string } }> {
  const close = await peer.closed;
  const error = peer.frames.find((f) => f.kind === FrameKind.ERROR && f.replyTo === 0n);
  return { error: error === undefined ? undefined : ErrorCode[error.error], close };
}

/** The answer to the request with this id, once it arrives. */
async function answerTo(peer: RawPeer, id: bigint): Promise<Frame> {
  await waitFor(() => peer.frames.some((f) => f.replyTo === id) || peer.socket.readyState > 1);
  const frame = peer.frames.find((f) => f.replyTo === id);
  if (frame === undefined) throw new Error(`no answer to request ${id}`);
  return frame;
}

/** Checks that the server still serves an honest client. */
async function stillServes(url: string): Promise<void> {
  const v = await cleanup.client(url, { secretKey: testKey(7) });
  if (!v.ok) throw v.error;
  expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
}

describe("frames", () => {
  it("NET-003: an undecodable frame is answered with its CBOR code and closes the connection; the server serves others", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendBytes(new Uint8Array([0xa1, 0x62, 0x69]));
    expect(await refusal(peer)).toEqual({ error: "CBOR_MALFORMED", close: { code: 1002, reason: "CBOR_MALFORMED" } });
    await stillServes(server.url);
  });

  it("NET-003: a frame that is not in deterministic form is refused with its CBOR code", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    const bytes = encodeFrame(3n, { kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody });
    // "id": 3 re-encoded with a one-byte argument: 0x62 'i' 'd' 0x03 -> 0x62 'i' 'd' 0x18 0x03.
    const at = bytes.findIndex((_, i) => bytes[i] === 0x62 && bytes[i + 1] === 0x69 && bytes[i + 2] === 0x64 && bytes[i + 3] === 0x03);
    const bad = new Uint8Array([...bytes.subarray(0, at + 3), 0x18, 0x03, ...bytes.subarray(at + 4)]);
    peer.sendBytes(bad);
    expect(await refusal(peer)).toEqual({ error: "CBOR_NON_SHORTEST_HEAD", close: { code: 1002, reason: "CBOR_NON_SHORTEST_HEAD" } });
  });

  it("NET-003: a frame that breaks the Frame schema is refused with its SCHEMA code", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendBytes(encodeCanonical(new Map<string, number>([["kind", 3]])));
    expect(await refusal(peer)).toEqual({ error: "SCHEMA_REQUIRED_FIELD_MISSING", close: { code: 1002, reason: "SCHEMA_REQUIRED_FIELD_MISSING" } });
  });

  it("NET-002: a text message is refused with NET_TEXT_FRAME and close code 1003", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.socket.send("hello");
    expect(await refusal(peer)).toEqual({ error: "NET_TEXT_FRAME", close: { code: 1003, reason: "NET_TEXT_FRAME" } });
    await stillServes(server.url);
  });

  it("NET-018: a request for an undefined method is answered with NET_METHOD_UNKNOWN and the connection stays open", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    const map = messageToCbor(FrameSchema, create(FrameSchema, { id: 3n, kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }));
    map.set("method", 99);
    peer.sendBytes(encodeCanonical(map));
    const error = await answerTo(peer, 3n);
    expect([FrameKind[error.kind], ErrorCode[error.error]]).toEqual(["ERROR", "NET_METHOD_UNKNOWN"]);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 4n);
    expect((await answerTo(peer, 4n)).kind).toBe(FrameKind.RESPONSE);
  });

  it("NET-018: a request for a method the server does not offer is answered with NET_METHOD_NOT_SUPPORTED", async () => {
    const server = await cleanup.server({ handlers });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    const answer = await v.value.query(query);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_METHOD_NOT_SUPPORTED");
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-018: a request whose body does not decode is answered with the body's code and the connection stays open", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: new Uint8Array([0xa0]) }, 3n);
    const error = await answerTo(peer, 3n);
    expect(ErrorCode[error.error]).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 4n);
    expect((await answerTo(peer, 4n)).kind).toBe(FrameKind.RESPONSE);
  });

  it("NET-013: a frame id that repeats is refused with NET_FRAME_REPLAYED", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 3n);
    await answerTo(peer, 3n);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 3n);
    expect(await refusal(peer)).toEqual({ error: "NET_FRAME_REPLAYED", close: { code: 1002, reason: "NET_FRAME_REPLAYED" } });
  });

  it("NET-013: a frame id lower than the previous one is refused with NET_FRAME_REPLAYED", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 10n);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 5n);
    expect((await refusal(peer)).error).toBe("NET_FRAME_REPLAYED");
  });

  it("NET-013: the handshake frames count: a request with the id of the client's proof is a replay", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, 2n);
    expect((await refusal(peer)).error).toBe("NET_FRAME_REPLAYED");
  });

  it("NET-014: a frame whose fields do not fit its kind is refused with NET_FRAME_UNEXPECTED", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody, replyTo: 1n }, 3n);
    expect(await refusal(peer)).toEqual({ error: "NET_FRAME_UNEXPECTED", close: { code: 1002, reason: "NET_FRAME_UNEXPECTED" } });
  });

  it("NET-014: a RESPONSE from a client, and a second Hello, are refused with NET_FRAME_UNEXPECTED", async () => {
    const server = await cleanup.server({ handlers });
    const a = await authenticatedRaw(cleanup, server.url);
    a.sendFrame({ kind: FrameKind.RESPONSE, method: Method.PUBLISH, replyTo: 1n, body: encodeBody(PublishResponseSchema, published) }, 3n);
    expect((await refusal(a)).error).toBe("NET_FRAME_UNEXPECTED");
    const b = await authenticatedRaw(cleanup, server.url);
    b.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom(), server.url)) }, 3n);
    expect((await refusal(b)).error).toBe("NET_FRAME_UNEXPECTED");
  });

  it("NET-014: a client refuses a REQUEST from the server with NET_FRAME_UNEXPECTED and its pending calls resolve with it", async () => {
    const url = await cleanup.fake(async (peer) => {
      await fakeServerHandshake(peer);
      peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody });
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    const answer = await v.value.publish(publishRequest);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_FRAME_UNEXPECTED");
  });

  it("NET-016: a client ignores an answer to no pending request and takes the right one", async () => {
    const url = await cleanup.fake(async (peer) => {
      const request = await fakeServerHandshake(peer);
      const body = encodeBody(PublishResponseSchema, published);
      peer.sendFrame({ kind: FrameKind.RESPONSE, method: Method.PUBLISH, replyTo: 77n, body: encodeBody(PublishResponseSchema, create(PublishResponseSchema, { change: PublishChange.WITHDRAWN })) });
      peer.sendFrame({ kind: FrameKind.RESPONSE, method: Method.PUBLISH, replyTo: request.id, body });
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-016: a response of another method than the request's resolves NET_FRAME_UNEXPECTED", async () => {
    const url = await cleanup.fake(async (peer) => {
      const request = await fakeServerHandshake(peer);
      peer.sendFrame({ kind: FrameKind.RESPONSE, method: Method.QUERY, replyTo: request.id, body: encodeBody(CanaryReplySchema, create(CanaryReplySchema, { error: ErrorCode.CANARY_EXPIRED })) });
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    const answer = await v.value.publish(publishRequest);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_FRAME_UNEXPECTED");
  });

  it("NET-019: canary and task answers carry the signed reply or the handler's error code; a throwing handler gives NET_HANDLER_FAILED", async () => {
    const server = await cleanup.server({
      role: "provider",
      handlers: {
        canary: (challenge) => (challenge[0] === 1 ? accept(new Uint8Array([9, 9])) : reject("CANARY_EXPIRED", "too late")),
        task: (request, input) => {
          if (request[0] === 0) throw new Error("boom");
          return accept({ result: request, ...(input === undefined ? {} : { output: input }) });
        },
      },
    });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    expect(await v.value.canary(new Uint8Array([1]))).toEqual(accept(new Uint8Array([9, 9])));
    const expired = await v.value.canary(new Uint8Array([2]));
    expect(expired.ok ? undefined : [expired.error.code, expired.error.message]).toEqual(["CANARY_EXPIRED", "too late"]);
    expect(await v.value.task(new Uint8Array([5]), new Uint8Array([6, 7]))).toEqual(accept({ result: new Uint8Array([5]), output: new Uint8Array([6, 7]) }));
    expect(await v.value.task(new Uint8Array([5]))).toEqual(accept({ result: new Uint8Array([5]) }));
    const failed = await v.value.task(new Uint8Array([0]));
    expect(failed.ok ? undefined : failed.error.code).toBe("NET_HANDLER_FAILED");
    // The connection survives a failing handler.
    expect(await v.value.canary(new Uint8Array([1]))).toEqual(accept(new Uint8Array([9, 9])));
  });

  it("NET-019: a reply without a result or an error is refused", async () => {
    const url = await cleanup.fake(async (peer) => {
      const request = await fakeServerHandshake(peer, "provider");
      peer.sendFrame({ kind: FrameKind.RESPONSE, method: Method.TASK, replyTo: request.id, body: encodeBody(TaskReplySchema, create(TaskReplySchema, { message: "nothing" })) });
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    const answer = await v.value.task(new Uint8Array([1]));
    expect(answer.ok ? undefined : answer.error.code).toBe("SCHEMA_REQUIRED_FIELD_MISSING");
  });

  it("NET-020: an over-size message closes the connection with 1009; the server serves others", async () => {
    const server = await cleanup.server({ handlers, limits: { maxFrameBytes: 4096 } });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendBytes(new Uint8Array(5000));
    expect((await peer.closed).code).toBe(1009);
    await stillServes(server.url);
  });

  it("NET-020: a request longer than the client's frame limit resolves NET_FRAME_TOO_LARGE without being sent", async () => {
    const server = await cleanup.server({ handlers });
    const v = await cleanup.client(server.url, { limits: { maxFrameBytes: 4096 } });
    if (!v.ok) throw v.error;
    const big = await v.value.task(new Uint8Array(10), new Uint8Array(8000));
    expect(big.ok ? undefined : big.error.code).toBe("NET_FRAME_TOO_LARGE");
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-020: an answer longer than the server's frame limit is replaced by an ERROR NET_FRAME_TOO_LARGE", async () => {
    const server = await cleanup.server({ role: "provider", handlers: { task: () => accept({ result: new Uint8Array(10), output: new Uint8Array(8000) }) }, limits: { maxFrameBytes: 4096 } });
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    const answer = await v.value.task(new Uint8Array(10));
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_FRAME_TOO_LARGE");
  });

  it("NET-020: a client closes on an over-size message from the server and its pending call resolves NET_FRAME_TOO_LARGE", async () => {
    const url = await cleanup.fake(async (peer) => {
      await fakeServerHandshake(peer);
      peer.sendBytes(new Uint8Array(5000));
    });
    const v = await cleanup.client(url, { limits: { maxFrameBytes: 4096 } });
    if (!v.ok) throw v.error;
    const answer = await v.value.publish(publishRequest);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_FRAME_TOO_LARGE");
  });

  it("NET-004: a server listens on loopback unless told otherwise", async () => {
    const server = await cleanup.server({ handlers });
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("NET-015: a request before the client's proof is refused with NET_FRAME_UNEXPECTED", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await cleanup.raw(server.url);
    peer.sendFrame({ kind: FrameKind.HELLO, body: encodeBody(HelloSchema, makeHello({ secretKey: testKey(2), peerId: testDid(2) }, "delegator", testRandom(), server.url)) });
    await peer.waitFrames(2);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody });
    expect(await refusal(peer)).toEqual({ error: "NET_FRAME_UNEXPECTED", close: { code: 1002, reason: "NET_FRAME_UNEXPECTED" } });
  });

  it("NET-015: a server answers each request with exactly one frame naming its id and method", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    for (const id of [3n, 4n, 5n]) peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, id);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.QUERY, body: encodeBody(QueryRequestSchema, query) }, 6n);
    await answerTo(peer, 6n);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Answers may come in any order; each request gets exactly one.
    const answers = peer.frames
      .slice(2)
      .map((f) => [FrameKind[f.kind], f.replyTo, Method[f.method]] as const)
      .sort((a, b) => Number(a[1] - b[1]));
    expect(answers).toEqual([
      ["RESPONSE", 3n, "PUBLISH"],
      ["RESPONSE", 4n, "PUBLISH"],
      ["RESPONSE", 5n, "PUBLISH"],
      ["ERROR", 6n, "UNSPECIFIED"],
    ]);
    expect(peer.frames.map((f) => f.id)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });

  it("NET-017: a client reports the code of the server's ERROR with reply_to 0 as the reason its calls failed", async () => {
    const url = await cleanup.fake(async (peer) => {
      await fakeServerHandshake(peer);
      peer.sendFrame({ kind: FrameKind.ERROR, error: ErrorCode.NET_IDLE_TIMEOUT, message: "bye" });
      peer.socket.close(1000);
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    const answer = await v.value.publish(publishRequest);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_IDLE_TIMEOUT");
  });

  it("NET-027: close codes and reasons name the failure in both directions", async () => {
    expect(["NET_TEXT_FRAME", "NET_FRAME_TOO_LARGE", "NET_GOING_AWAY", "NET_TOO_MANY_CONNECTIONS", "NET_HANDLER_FAILED", "NET_IDLE_TIMEOUT", "SIG_INVALID", "CBOR_MALFORMED"].map((c) => closeCodeFor(c as never))).toEqual([
      1003, 1009, 1001, 1013, 1011, 1008, 1008, 1002,
    ]);
    expect(errorFromClose(1008, "NET_PEER_MISMATCH")).toBe("NET_PEER_MISMATCH");
    expect(errorFromClose(1009, "")).toBe("NET_FRAME_TOO_LARGE");
    expect(errorFromClose(1003, "")).toBe("NET_TEXT_FRAME");
    expect(errorFromClose(1001, "")).toBe("NET_GOING_AWAY");
    expect(errorFromClose(1013, "")).toBe("NET_TOO_MANY_CONNECTIONS");
    expect(errorFromClose(1002, "not a code")).toBeUndefined();
    // A close without a reason and with an unknown code reaches a pending call as NET_DISCONNECTED.
    const url = await cleanup.fake(async (peer) => {
      await fakeServerHandshake(peer);
      peer.socket.close(4000, "");
    });
    const v = await cleanup.client(url);
    if (!v.ok) throw v.error;
    const answer = await v.value.publish(publishRequest);
    expect(answer.ok ? undefined : answer.error.code).toBe("NET_DISCONNECTED");
  });

  it("NET-031: the id is checked before the frame's shape", async () => {
    const server = await cleanup.server({ handlers });
    const peer = await authenticatedRaw(cleanup, server.url);
    peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody, replyTo: 9n }, 1n);
    expect((await refusal(peer)).error).toBe("NET_FRAME_REPLAYED");
  });

  it("decodeFrame reports an unknown method only for an otherwise well-formed frame", () => {
    const map = messageToCbor(FrameSchema, create(FrameSchema, { id: 3n, kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }));
    map.set("method", 99);
    const ok = decodeFrame(encodeCanonical(map), 1 << 20);
    expect(ok.ok && ok.value.unknownMethod).toBe(99);
    map.set("reply_to", "x");
    const bad = decodeFrame(encodeCanonical(map), 1 << 20);
    expect(bad.ok ? undefined : bad.error.code).toBe("SCHEMA_UNKNOWN_ENUM_VALUE");
  });
});
