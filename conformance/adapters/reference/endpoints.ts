// The listening endpoints of a session's nodes (spec/13-conformance.md
// §13.11): `registry-node.listen` and `provider-node.listen` open a node's
// WebSocket endpoint (spec/14-connectivity.md) on loopback, so that the
// harness can check the node's wire behaviour as a raw client; the matching
// `.shutdown` operations close it gracefully (§14.7). Both adapters use this
// module over their own nodes. Endpoints are closed when the session ends, so
// that a driver leaves no listening socket behind (DRV-029).
import type { Registry } from "../../../reference/src/discovery/registry.js";
import { handlePublish, handleQuery } from "../../../reference/src/discovery/wire.js";
import type { ProviderAgent } from "../../../reference/src/agent/provider.js";
import { misuse } from "../../../reference/src/errors.js";
import { listen, resolveLimits, type NetLimits, type NodeServer, type ServiceHandlers } from "../../../reference/src/net/index.js";
import { originOf } from "../../../reference/src/node/origin.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";

/** The node roles that have an endpoint. */
export type EndpointRole = "registry" | "provider";

/** The limits a listen call may set (spec §13.11), by input name. */
const LIMIT_INPUTS: Readonly<Record<string, keyof NetLimits>> = {
  handshake_timeout_ms: "handshakeTimeoutMs",
  idle_timeout_ms: "idleTimeoutMs",
  max_connections: "maxConnections",
};

/** The limits named by a listen call's inputs; INVALID_ARGUMENT on an unknown input or a value the connection layer refuses. */
export function limitsOf(inputs: JsonObject): Partial<NetLimits> {
  const limits: Partial<NetLimits> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const key = LIMIT_INPUTS[name];
    if (key === undefined) misuse(`unknown input "${name}" (a listen call takes ${Object.keys(LIMIT_INPUTS).join(", ")})`);
    if (typeof value !== "number" || !Number.isSafeInteger(value)) misuse(`input "${name}" must be an integer`);
    limits[key] = value;
  }
  resolveLimits(limits);
  return limits;
}

/** What a node serves on its endpoint. */
export interface EndpointNode {
  readonly secretKey: Uint8Array;
  readonly handlers: ServiceHandlers;
}

/** A registry's methods on the wire (§14.4): publishes labelled with the connection's origin (DISC-017), answers signed at `now`. */
export function registryHandlers(registry: Registry, secretKey: Uint8Array, now: () => bigint): ServiceHandlers {
  return {
    publish: (request, peer) => handlePublish(registry, request, now(), originOf("address", peer)),
    query: (request) => handleQuery(registry, request, now(), secretKey),
  };
}

/** A provider's methods on the wire (§14.4). */
export function providerHandlers(agent: ProviderAgent): ServiceHandlers {
  return {
    canary: (challenge) => agent.answerCanary(challenge),
    task: (request, input) => agent.handleTask(request, input),
  };
}

/** How a session's endpoints run. */
export interface EndpointOptions {
  /** The session's test clock, for the connection layer's event times; 0 before the first clock request. */
  readonly clock: () => bigint;
  /** The source of handshake nonces (NET-006); the machine's secure generator by default. */
  readonly random?: (n: number) => Uint8Array;
}

/** The endpoints of one session: at most one per role, each replaced by the next listen call. */
export class Endpoints {
  readonly #open = new Map<EndpointRole, NodeServer>();

  constructor(private readonly options: EndpointOptions) {}

  /** Opens the role's endpoint on 127.0.0.1 and an ephemeral port (NET-004), after closing the one before it. */
  async listen(role: EndpointRole, node: EndpointNode, limits: Partial<NetLimits>): Promise<NodeServer> {
    await this.shutdown(role);
    const server = await listen({
      secretKey: node.secretKey,
      role,
      handlers: node.handlers,
      host: "127.0.0.1",
      port: 0,
      limits,
      clock: this.options.clock,
      random: this.options.random ?? secureRandom,
    });
    this.#open.set(role, server);
    return server;
  }

  /** Shuts the role's endpoint down gracefully (NET-026); false if it has none. */
  async shutdown(role: EndpointRole): Promise<boolean> {
    const server = this.#open.get(role);
    if (server === undefined) return false;
    this.#open.delete(role);
    await server.close();
    return true;
  }

  /** Closes every endpoint of the session. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open.keys()].map((role) => this.shutdown(role)));
  }
}

/**
 * The listen and shutdown operations of both roles. `node` names the
 * session's current node of a role; it throws INVALID_ARGUMENT when there is
 * none (reset first).
 */
export function endpointOperations(endpoints: Endpoints, node: (role: EndpointRole) => EndpointNode): Record<string, (inputs: JsonObject) => Promise<Outcome>> {
  const operations: Record<string, (inputs: JsonObject) => Promise<Outcome>> = {};
  for (const role of ["registry", "provider"] as const) {
    operations[`${role}-node.listen`] = async (inputs) => {
      const limits = limitsOf(inputs);
      const server = await endpoints.listen(role, node(role), limits);
      return { result: "valid", output: { url: server.url, peer_id: server.peerId } };
    };
    operations[`${role}-node.shutdown`] = async () => {
      if (!(await endpoints.shutdown(role))) misuse(`no ${role} endpoint: call ${role}-node.listen first`);
      return { result: "valid", output: {} };
    };
  }
  return operations;
}
