// The stateful node operations of the node adapter (spec/13-conformance.md
// §13.10), run through real nodes: each registry and provider operation is a
// request over an authenticated loopback connection (spec/14-connectivity.md)
// to a RegistryService or an AgentService that the adapter runs in-process.
// The harness sees the same operations as with the reference adapter; what
// differs is that every answer has crossed the network layer.
//
// Origins: the harness names the origin of each publish (DISC-017). The
// registry node takes origins from connections, grouped by authenticated
// peer id, so the adapter opens one connection per harness origin, with a key
// derived from the origin's name: distinct origins stay distinct, and the
// same origin is always the same connection.
import { create, fromJson, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { CapabilitySchema, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { PublishChange, PublishRequestSchema, QueryRequestSchema, QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { misuse, type Verdict } from "../../../reference/src/errors.js";
import { AgentService } from "../../../reference/src/node/agent-service.js";
import { PeerPool } from "../../../reference/src/node/peers.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { RegistryService } from "../../../reference/src/node/registry-service.js";
import type { Json, JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import type { OperationContext } from "../reference/dispatch.js";
import { DELEGATE, delegateOverNetwork } from "./delegator.js";
import { Endpoints, endpointOperations, providerHandlers, registryHandlers } from "../reference/endpoints.js";
import { bigOf, bytesOf, registryPolicyOf, textOf } from "../reference/inputs.js";

type NodeOperation = (inputs: JsonObject, shared?: JsonObject, context?: OperationContext) => Outcome | Promise<Outcome>;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const utf8 = new TextEncoder();


/** The capability the provider offers: ap2p.test/sha256@1.0.0 (spec/08 §8.8) at every tier, as the reference adapter's. */
const SHA256_OFFER: MessageInitShape<typeof CapabilitySchema> = {
  ...SHA256_TEST_CAPABILITY.capability,
  tags: ["hash"],
  supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE],
};

/** The key of the adapter's connection for a harness origin, or for its own calls. */
const keyFor = (label: string): Uint8Array => sha256(utf8.encode(`ap2p node adapter connection: ${label}`));

/** A verdict from the network as an operation's outcome: a refusal or a failed call keeps its code. */
function invalid(v: Verdict<unknown> & { ok: false }): Outcome {
  return { result: "invalid", error: v.error.code, message: v.error.message };
}

/** The node operations of one session, and a way to stop the nodes behind them. */
export interface NetworkNodeOperations {
  readonly operations: Readonly<Record<string, NodeOperation>>;
  /** Stops every node and closes every connection of the session. */
  close(): Promise<void>;
}

/**
 * The node operations of one session. `clock` is the session's test clock
 * (DRV-007); an operation before the first clock request is caller misuse.
 */
export function networkNodeOperations(clock: () => bigint | undefined): NetworkNodeOperations {
  const now = (): bigint => clock() ?? misuse("the test clock has not been set (send clock first)");
  // The nodes read the same clock; the connection layer reads it for event times only.
  const nodeClock = (): bigint => clock() ?? 0n;
  let registry: { readonly service: RegistryService; readonly pool: PeerPool; readonly secretKey: Uint8Array } | undefined;
  let provider: { readonly service: AgentService; readonly pool: PeerPool; readonly secretKey: Uint8Array } | undefined;
  const theRegistry = () => registry ?? misuse("no registry: call registry-node.reset first");
  const theProvider = () => provider ?? misuse("no provider: call provider-node.reset first");
  // §13.11: further endpoints of the same nodes, with the limits the harness asks for.
  const endpoints = new Endpoints({ clock: nodeClock, random: secureRandom });
  const stopRegistry = async (): Promise<void> => {
    const r = registry;
    registry = undefined;
    if (r !== undefined) await Promise.all([r.pool.close(), r.service.close(), endpoints.shutdown("registry")]);
  };
  const stopProvider = async (): Promise<void> => {
    const p = provider;
    provider = undefined;
    if (p !== undefined) await Promise.all([p.pool.close(), p.service.close(), endpoints.shutdown("provider")]);
  };
  // One pool per node: connections to it, keyed by the harness origin they stand for.
  const poolFor = (role: "provider" | "delegator"): PeerPool => new PeerPool({ secretKey: keyFor("pool"), role, clock: nodeClock, random: secureRandom });

  const operations: Record<string, NodeOperation> = {
    "registry-node.reset": async (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      const policy = inputs["policy"];
      if (policy !== undefined && (typeof policy !== "object" || policy === null || Array.isArray(policy))) misuse('input "policy" must be an object');
      await stopRegistry();
      const service = await RegistryService.start({
        secretKey,
        policy: policy === undefined ? {} : registryPolicyOf(policy as JsonObject),
        origin: "peer",
        // The harness moves the test clock; a sweep on a real-time timer would act at arbitrary test times.
        sweepIntervalMs: 0,
        clock: nodeClock,
        random: secureRandom,
      });
      registry = { service, pool: poolFor("provider"), secretKey };
      return { result: "valid", output: { registry_id: service.peerId } };
    },

    "registry-node.publish": async (inputs) => {
      const r = theRegistry();
      const descriptor = bytesOf(inputs, "descriptor");
      const origin = textOf(inputs, "origin");
      now();
      // A connection per origin: its own key, so its own origin at the registry (see the top of this file).
      const v = await r.pool.callAs(keyFor(`origin ${origin}`), r.service.url, r.service.peerId, (c) => c.publish(create(PublishRequestSchema, { descriptor: { coseSign1: descriptor } })));
      if (!v.ok) return invalid(v);
      if (v.value.error !== ErrorCode.UNSPECIFIED) return { result: "invalid", error: ErrorCode[v.value.error]!, message: v.value.message };
      return { result: "valid", output: { change: `PUBLISH_CHANGE_${PublishChange[v.value.change]}` } };
    },

    "registry-node.query": async (inputs) => {
      const r = theRegistry();
      const q = inputs["query"];
      if (typeof q !== "object" || q === null || Array.isArray(q)) misuse('input "query" must be an object');
      const query = fromJson(QuerySchema, q as JsonValue);
      now();
      const v = await r.pool.call(r.service.url, r.service.peerId, (c) => c.query(create(QueryRequestSchema, { query })));
      if (!v.ok) return invalid(v);
      if (v.value.error !== ErrorCode.UNSPECIFIED || v.value.answer === undefined) return { result: "invalid", error: ErrorCode[v.value.error]!, message: v.value.message };
      return { result: "valid", output: { answer: hex(v.value.answer.coseSign1), registry_id: r.service.peerId } };
    },

    "provider-node.reset": async (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      await stopProvider();
      const service = await AgentService.start({
        secretKey,
        offers: [{ capability: SHA256_OFFER, tools: [{ id: "ap2p.test/sha256@1", run: (input) => sha256(input) }], compute: SHA256_TEST_CAPABILITY.compute }],
        clock: nodeClock,
        random: secureRandom,
      });
      provider = { service, pool: poolFor("delegator"), secretKey };
      return { result: "valid", output: { peer_id: service.peerId } };
    },

    "provider-node.descriptor": (inputs) => {
      const p = theProvider();
      const ttlMs = bigOf(inputs, "ttl_ms", 60_000n);
      now();
      return { result: "valid", output: { descriptor: hex(p.service.agent.publish(ttlMs).bytes) } };
    },

    "provider-node.canary": async (inputs) => {
      const p = theProvider();
      const challenge = bytesOf(inputs, "challenge");
      now();
      const v = await p.pool.call(p.service.url, p.service.peerId, (c) => c.canary(challenge));
      return v.ok ? { result: "valid", output: { response: hex(v.value) } } : invalid(v);
    },

    "provider-node.task": async (inputs) => {
      const p = theProvider();
      const request = bytesOf(inputs, "request");
      const input = inputs["input"] === undefined ? undefined : bytesOf(inputs, "input");
      now();
      const v = await p.pool.call(p.service.url, p.service.peerId, (c) => c.task(request, input));
      if (!v.ok) return invalid(v);
      const output: Json = { result: hex(v.value.result), ...(v.value.output ? { output: hex(v.value.output) } : {}) };
      return { result: "valid", output };
    },

    [DELEGATE]: (inputs, _shared, context) => delegateOverNetwork(inputs, now(), context ?? misuse("this session cannot call peers")),

    // The registry node's index and the provider node's agent, on an endpoint of their own.
    ...endpointOperations(endpoints, (role) => {
      if (role === "registry") {
        const r = theRegistry();
        return { secretKey: r.secretKey, handlers: registryHandlers(r.service.registry, r.secretKey, now) };
      }
      const p = theProvider();
      return { secretKey: p.secretKey, handlers: providerHandlers(p.service.agent) };
    }),
  };

  return {
    operations,
    close: async () => {
      await Promise.all([stopRegistry(), stopProvider(), endpoints.closeAll()]);
    },
  };
}
