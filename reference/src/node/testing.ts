// A network of real nodes on 127.0.0.1 for tests: a registry service,
// provider services with chosen behaviours, and delegators, each with a key
// from a label. Everything started is stopped by stop(). Test utility, not
// public API.
import { sha256 } from "@noble/hashes/sha2.js";
import type { ProviderBehaviour } from "../agent/provider.js";
import type { RegistryPolicy } from "../discovery/policy.js";
import type { NetLimits } from "../net/index.js";
import { AgentService, type AgentServiceOptions } from "./agent-service.js";
import { BUILTIN_CAPABILITIES, offerOf } from "./capabilities.js";
import { NodeDelegator, type NodeDelegatorOptions } from "./delegator.js";
import { secureRandom, seededRandom, systemClock } from "./random.js";
import { RegistryService, type NodeEvent } from "./registry-service.js";

/** A secret key from a label: for tests only. */
export const keyFrom = (label: string): Uint8Array => sha256(new TextEncoder().encode(`ap2p node test key: ${label}`));

/** Short limits, so that nothing in a test waits long. */
export const TEST_LIMITS: Partial<NetLimits> = { handshakeTimeoutMs: 2_000, requestTimeoutMs: 5_000, shutdownGraceMs: 200 };

/** Nodes started by a test, and how to stop them all. */
export class TestNetwork {
  registry!: RegistryService;
  readonly agents: AgentService[] = [];
  readonly delegators: NodeDelegator[] = [];
  readonly events: NodeEvent[] = [];

  /** Starts the registry (origins grouped by peer: every test node shares 127.0.0.1). */
  async startRegistry(options: { policy?: Partial<RegistryPolicy>; port?: number; label?: string } = {}): Promise<RegistryService> {
    this.registry = await RegistryService.start({
      secretKey: keyFrom(options.label ?? "registry"),
      origin: "peer",
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.port === undefined ? {} : { port: options.port }),
      limits: TEST_LIMITS,
      clock: systemClock,
      random: secureRandom,
      onEvent: (e) => this.events.push(e),
    });
    return this.registry;
  }

  /** Starts a provider of every built-in capability and waits for its first publish. */
  async startAgent(label: string, behaviour: ProviderBehaviour = "honest", options: Partial<AgentServiceOptions> & { latencyMs?: number } = {}): Promise<AgentService> {
    const agent = await AgentService.start({
      secretKey: keyFrom(label),
      offers: BUILTIN_CAPABILITIES.map((b) => offerOf(b, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs })),
      behaviour,
      displayName: label,
      registry: { url: this.registry.url, peerId: this.registry.peerId },
      limits: TEST_LIMITS,
      clock: systemClock,
      random: secureRandom,
      ...options,
    });
    this.agents.push(agent);
    const first = agent.lastPublishOutcome ?? (await agent.published());
    if (!first.ok) throw first.error;
    return agent;
  }

  /** A delegator on the network, with a seeded random source. */
  delegator(label: string, options: Partial<NodeDelegatorOptions> = {}): NodeDelegator {
    const d = new NodeDelegator({
      secretKey: keyFrom(label),
      registry: { url: this.registry.url, peerId: this.registry.peerId },
      clock: systemClock,
      random: seededRandom(label),
      connectionRandom: secureRandom,
      limits: TEST_LIMITS,
      ...options,
    });
    this.delegators.push(d);
    return d;
  }

  /** Stops every node and connection the test started. */
  async stop(): Promise<void> {
    await Promise.all(this.delegators.map((d) => d.close()));
    await Promise.all(this.agents.map((a) => a.close()));
    await this.registry?.close();
  }
}
