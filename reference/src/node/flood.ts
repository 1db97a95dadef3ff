// A publish flood: many identities publishing descriptors to one registry
// over a few connections, as a Sybil attacker does (spec/06 §6.8,
// spec/12-security-considerations.md). The demo and the robustness tests use
// it to show what the registry's limits admit and what they reject.
import { create } from "@bufbuild/protobuf";
import { PublishRequestSchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { connect, type PeerClient } from "../net/index.js";
import type { RegistryAddress } from "./agent-service.js";

/** How to flood. */
export interface FloodOptions {
  readonly registry: RegistryAddress;
  /** The keys of the connections the flood is sent over: one origin each when the registry groups origins by peer. */
  readonly connectionKeys: readonly Uint8Array[];
  /** The signed descriptors to publish, one per Sybil identity; sent round-robin over the connections. */
  readonly descriptors: readonly Uint8Array[];
  readonly clock: () => bigint;
  readonly random: (n: number) => Uint8Array;
  /** Publishes in flight per connection (default 8). */
  readonly concurrency?: number;
}

/** What the registry answered. */
export interface FloodOutcome {
  readonly accepted: number;
  /** Rejections by code: the registry's (DISC_*) and the connection's (NET_*). */
  readonly rejected: Readonly<Record<string, number>>;
  /** Descriptors not sent, because no connection could be opened (its code is in rejected). */
  readonly unsent: number;
}

/** Sends every descriptor and counts the answers. Never throws on what the registry does. */
export async function publishFlood(options: FloodOptions): Promise<FloodOutcome> {
  const rejected = new Map<string, number>();
  let accepted = 0;
  const count = (code: string): void => void rejected.set(code, (rejected.get(code) ?? 0) + 1);
  const clients: PeerClient[] = [];
  try {
    for (const secretKey of options.connectionKeys) {
      const c = await connect(options.registry.url, { secretKey, role: "provider", expectedPeer: options.registry.peerId, clock: options.clock, random: options.random });
      if (!c.ok) count(c.error.code); // counted per connection, not per descriptor
      else clients.push(c.value);
    }
    if (clients.length === 0) return { accepted, rejected: Object.fromEntries(rejected), unsent: options.descriptors.length };
    const queues: Uint8Array[][] = clients.map(() => []);
    options.descriptors.forEach((d, i) => queues[i % clients.length]!.push(d));
    const width = options.concurrency ?? 8;
    await Promise.all(
      clients.map(async (client, i) => {
        const queue = queues[i]!;
        const worker = async (): Promise<void> => {
          for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
            const v = await client.publish(create(PublishRequestSchema, { descriptor: { coseSign1: d } }));
            if (!v.ok) count(v.error.code);
            else if (v.value.error !== ErrorCode.UNSPECIFIED) count(ErrorCode[v.value.error] ?? String(v.value.error));
            else accepted++;
          }
        };
        await Promise.all(Array.from({ length: width }, worker));
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return { accepted, rejected: Object.fromEntries(rejected), unsent: 0 };
}
