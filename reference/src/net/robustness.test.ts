// Robustness against hostile peers (spec/14-connectivity.md §14.6, §14.9), on
// loopback: random bytes as frames, and a publish flood from many identities
// against a registry that must keep serving an honest peer.
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { FrameKind, Method } from "../../../gen/ts/ap2p/v1/connectivity_pb.js";
import { PublishChange, PublishRequestSchema, PublishResponseSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { encodeCanonical } from "../cbor/encode.js";
import type { CborValue } from "../cbor/value.js";
import { issueDescriptor } from "../descriptor/issue.js";
import { Registry } from "../discovery/registry.js";
import { handlePublish } from "../discovery/wire.js";
import { ErrorCode, isErrorCodeName } from "../errors.js";
import { encodeBody } from "./frames.js";
import type { PeerClient } from "./client.js";
import type { NodeServer } from "./server.js";
import { Cleanup, RawPeer, authenticatedRaw, testClock, testKey, waitFor } from "./testing.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const publishRequest = create(PublishRequestSchema, { descriptor: { coseSign1: new Uint8Array([0xd2, 0x84]) } });
const publishBody = encodeBody(PublishRequestSchema, publishRequest);
const published = create(PublishResponseSchema, { change: PublishChange.PUBLISHED });

/** A probe id far above anything the property sends, to see whether the connection survived. */
const PROBE = 1n << 40n;

/**
 * Sends the bytes as a frame on an authenticated connection, then a valid
 * request; the server either answers the probe (the bytes were a frame it
 * could answer or ignore) or closes with a stable code after an ERROR frame.
 */
async function outcome(server: NodeServer, bytes: Uint8Array): Promise<string> {
  const peer = await authenticatedRaw(cleanup, server.url);
  peer.sendBytes(bytes);
  if (peer.socket.readyState === peer.socket.OPEN) peer.sendFrame({ kind: FrameKind.REQUEST, method: Method.PUBLISH, body: publishBody }, PROBE);
  await waitFor(() => peer.frames.some((f) => f.replyTo === PROBE) || peer.socket.readyState === peer.socket.CLOSED);
  const result = peer.frames.some((f) => f.replyTo === PROBE) ? "answered" : await closedWithCode(peer);
  await peer.close();
  return result;
}

async function closedWithCode(peer: RawPeer): Promise<string> {
  const close = await peer.closed;
  const error = peer.frames.find((f) => f.kind === FrameKind.ERROR && f.replyTo === 0n);
  expect(error).toBeDefined();
  const name = ErrorCode[error!.error]!;
  expect(isErrorCodeName(name)).toBe(true);
  expect(close.reason).toBe(name);
  return name;
}

const frameKeys = ["id", "kind", "method", "reply_to", "body", "error", "message", "extra"] as const;
const cborValue: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer({ min: -5, max: 2 ** 32 }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.boolean(),
);

describe("robustness", () => {
  it("NET-003: random bytes sent as a frame never crash the server: each gets an answer, or an ERROR and a close with its code", async () => {
    const server = await cleanup.server({ handlers: { publish: () => published } });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (bytes) => {
        // outcome() checks that a closed connection got an ERROR naming a registered code, and a close with that code.
        await outcome(server, bytes);
      }),
      { numRuns: 60, seed: 1406 },
    );
    await waitFor(() => server.connections === 0);
  });

  it("NET-003, NET-014, NET-018: random maps of frame fields never crash the server", async () => {
    const server = await cleanup.server({ handlers: { publish: () => published } });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...frameKeys), cborValue, { maxKeys: 6 }), async (fields) => {
        const map = new Map<string, CborValue>(Object.entries(fields));
        seen.add(await outcome(server, encodeCanonical(map)));
      }),
      { numRuns: 80, seed: 1406 },
    );
    // The property reached past the CBOR layer into the schema and frame rules.
    expect([...seen].some((c) => c.startsWith("SCHEMA_"))).toBe(true);
    await waitFor(() => server.connections === 0);
    const v = await cleanup.client(server.url);
    if (!v.ok) throw v.error;
    expect(await v.value.publish(publishRequest)).toEqual({ ok: true, value: published });
  });

  it("NET-021, NET-023: a publish flood from many identities leaves a registry serving an honest peer, and every call resolves", async () => {
    const registry = new Registry();
    // DISC-017: the origin is the /24 prefix of the address the transport reports.
    const origin = (address: string) => address.split(".").slice(0, 3).join(".");
    const server = await cleanup.server({
      handlers: { publish: (request, peer) => handlePublish(registry, request, testClock(), origin(peer.remoteAddress)) },
      limits: { maxConnections: 64 },
    });
    const descriptor = (key: Uint8Array, seq: bigint) =>
      issueDescriptor(key, { capabilities: [{ namespace: "example", id: "echo", version: "1.0.0" }] }, seq, { now: testClock(), ttlMs: 60_000n }).bytes;

    const attackers = 40;
    const perAttacker = 16;
    const outcomes = new Map<string, number>();
    const clients: PeerClient[] = [];
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    await Promise.all(
      Array.from({ length: attackers }, async (_, i) => {
        const key = new Uint8Array(32).fill(0).map((_, j) => (j === 0 ? 100 : j === 1 ? i : 7));
        const v = await cleanup.client(server.url, { secretKey: key, role: "provider", localAddress: "127.0.1.1" });
        if (!v.ok) return count(v.error.code);
        clients.push(v.value);
        const calls = Array.from({ length: perAttacker }, (_, s) => v.value.publish(create(PublishRequestSchema, { descriptor: { coseSign1: descriptor(key, BigInt(s + 1)) } })));
        for (const r of await Promise.all(calls)) count(r.ok ? (r.value.error === 0 ? "accepted" : ErrorCode[r.value.error]!) : r.error.code);
      }),
    );
    // Every call resolved with an outcome, and the flood was limited.
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(attackers * perAttacker);
    expect(outcomes.get("DISC_ORIGIN_RATE_LIMITED")).toBeGreaterThan(0);

    const honest = await cleanup.client(server.url, { secretKey: testKey(50), role: "provider", localAddress: "127.0.2.1" });
    if (!honest.ok) throw honest.error;
    const answer = await honest.value.publish(create(PublishRequestSchema, { descriptor: { coseSign1: descriptor(testKey(50), 1n) } }));
    expect(answer.ok && answer.value.change).toBe(PublishChange.PUBLISHED);
    await honest.value.close();
    await Promise.all(clients.map((c) => c.close()));
    // NET-023: per-connection state is released.
    await waitFor(() => server.connections === 0);
  });
});
