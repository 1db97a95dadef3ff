// The pool of outgoing connections: reuse, a bound on how many stay open, a new connection after a peer restarts.
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { QueryRequestSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerPool } from "./peers.js";
import { secureRandom, systemClock } from "./random.js";
import { RegistryService } from "./registry-service.js";
import { keyFrom, TEST_LIMITS } from "./testing.js";

const started: RegistryService[] = [];
const pools: PeerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(started.splice(0).map((r) => r.close()));
});

async function registry(label: string, port = 0): Promise<RegistryService> {
  const r = await RegistryService.start({ secretKey: keyFrom(label), port, limits: TEST_LIMITS, clock: systemClock, random: secureRandom });
  started.push(r);
  return r;
}

function pool(maxConnections?: number): PeerPool {
  const p = new PeerPool({ secretKey: keyFrom("client"), role: "delegator", limits: TEST_LIMITS, clock: systemClock, random: secureRandom, ...(maxConnections ? { maxConnections } : {}) });
  pools.push(p);
  return p;
}

const query = () => create(QueryRequestSchema, { query: { namespace: "ap2p.demo", nonce: secureRandom(16), maxResults: 1 } });

describe("PeerPool", () => {
  it("reuses one connection per peer, and keeps at most maxConnections open", async () => {
    const [a, b, c] = [await registry("a"), await registry("b"), await registry("c")];
    const p = pool(2);
    for (const r of [a, a, b]) expect((await p.call(r.url, r.peerId, (x) => x.query(query()))).ok).toBe(true);
    expect([a.stats().connections, b.stats().connections]).toEqual([1, 1]);
    // A third peer: the least recently used connection (to a) is closed.
    expect((await p.call(c.url, c.peerId, (x) => x.query(query()))).ok).toBe(true);
    while (a.stats().connections > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([a.stats().connections, b.stats().connections, c.stats().connections]).toEqual([0, 1, 1]);
  });

  it("refuses a peer that does not prove the expected identity, with NET_PEER_MISMATCH", async () => {
    const a = await registry("a");
    const v = await pool().call(a.url, (await registry("b")).peerId, (x) => x.query(query()));
    expect(!v.ok && v.error.code).toBe("NET_PEER_MISMATCH");
  });

  it("opens a new connection when the peer has restarted since the last call", async () => {
    const first = await registry("restarting");
    const port = Number(new URL(first.url).port);
    const p = pool();
    expect((await p.call(first.url, first.peerId, (x) => x.query(query()))).ok).toBe(true);
    await first.close();
    const second = await registry("restarting", port);
    const v = await p.call(second.url, second.peerId, (x) => x.query(query()));
    expect(v.ok).toBe(true);
  });

  it("fails every call after close with NET_GOING_AWAY", async () => {
    const a = await registry("a");
    const p = pool();
    await p.close();
    const v = await p.call(a.url, a.peerId, (x) => x.query(query()));
    expect(!v.ok && v.error.code).toBe("NET_GOING_AWAY");
  });
});
