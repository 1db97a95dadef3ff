// The stateful node operations of the reference adapter (spec/13-conformance.md
// §13.10): a registry and a provider that live for the session, and a delegator whose peers the harness plays, and keep
// their state between calls, so that the harness can play the other peers of
// a behavioural scenario. Their clock is the session's test clock (DRV-007):
// nothing here reads the machine's clock.
import { fromJson, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { CapabilitySchema, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ProviderAgent } from "../../../reference/src/agent/provider.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { Registry } from "../../../reference/src/discovery/registry.js";
import { misuse } from "../../../reference/src/errors.js";
import type { Json, JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import { DELEGATE, delegateOperation } from "./delegator.js";
import type { OperationContext } from "./dispatch.js";
import { Endpoints, endpointOperations, providerHandlers, registryHandlers } from "./endpoints.js";
import { bigOf, bytesOf, registryPolicyOf, textOf } from "./inputs.js";

type NodeOperation = (inputs: JsonObject, shared?: JsonObject, context?: OperationContext) => Outcome | Promise<Outcome>;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");


/** The capability the provider offers: ap2p.test/sha256@1.0.0 (spec/08 §8.8) at every tier. */
const SHA256_OFFER: MessageInitShape<typeof CapabilitySchema> = {
  ...SHA256_TEST_CAPABILITY.capability,
  tags: ["hash"],
  supportedTiers: [VerificationTier.REPUTATION, VerificationTier.CANARY, VerificationTier.EVIDENCE],
};

/** The provider the adapter plays. */
function sha256Provider(secretKey: Uint8Array, clock: () => bigint): ProviderAgent {
  return new ProviderAgent({
    secretKey,
    clock,
    offers: [
      {
        capability: SHA256_OFFER,
        tools: [{ id: "ap2p.test/sha256@1", run: (input) => sha256(input) }],
        compute: SHA256_TEST_CAPABILITY.compute,
      },
    ],
  });
}

/** Where a session's nodes listen (§13.11). */
export interface NodeOptions {
  /** The session's endpoints; a new set, never closed, by default (enough for sessions that do not listen). */
  readonly endpoints?: Endpoints;
}

/**
 * The node operations of one session. `clock` is the session's test clock;
 * a node operation before the first clock request is caller misuse.
 */
export function nodeOperations(clock: () => bigint | undefined, options: NodeOptions = {}): Readonly<Record<string, NodeOperation>> {
  const now = (): bigint => clock() ?? misuse("the test clock has not been set (send clock first)");
  let registry: { readonly node: Registry; readonly secretKey: Uint8Array; readonly id: string } | undefined;
  let provider: { readonly agent: ProviderAgent; readonly secretKey: Uint8Array } | undefined;
  const theRegistry = () => registry ?? misuse("no registry: call registry-node.reset first");
  const theProvider = () => provider ?? misuse("no provider: call provider-node.reset first");
  const endpoints = options.endpoints ?? new Endpoints({ clock: () => clock() ?? 0n });

  return {
    "registry-node.reset": async (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      const policy = inputs["policy"];
      if (policy !== undefined && (typeof policy !== "object" || policy === null || Array.isArray(policy))) misuse('input "policy" must be an object');
      const node = new Registry(policy === undefined ? {} : registryPolicyOf(policy as JsonObject));
      // The endpoint of the node this one replaces goes with it.
      await endpoints.shutdown("registry");
      registry = { node, secretKey, id: didFromPublicKey(publicKeyFromSecret(secretKey)) };
      return { result: "valid", output: { registry_id: registry.id } };
    },

    "registry-node.publish": (inputs) => {
      const r = theRegistry();
      const published = r.node.publish(bytesOf(inputs, "descriptor"), now(), textOf(inputs, "origin"));
      if (!published.ok) return { result: "invalid", error: published.error.code, message: published.error.message };
      return { result: "valid", output: { change: `PUBLISH_CHANGE_${published.value.change.toUpperCase()}` } };
    },

    "registry-node.query": (inputs) => {
      const r = theRegistry();
      const q = inputs["query"];
      if (typeof q !== "object" || q === null || Array.isArray(q)) misuse('input "query" must be an object');
      const query = fromJson(QuerySchema, q as JsonValue);
      const answer = r.node.answer(query, now(), r.secretKey);
      if (!answer.ok) return { result: "invalid", error: answer.error.code, message: answer.error.message };
      return { result: "valid", output: { answer: hex(answer.value), registry_id: r.id } };
    },

    "provider-node.reset": async (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      const agent = sha256Provider(secretKey, now);
      await endpoints.shutdown("provider");
      provider = { agent, secretKey };
      return { result: "valid", output: { peer_id: agent.peerId } };
    },

    "provider-node.descriptor": (inputs) => {
      const p = theProvider();
      const ttlMs = bigOf(inputs, "ttl_ms", 60_000n);
      return { result: "valid", output: { descriptor: hex(p.agent.publish(ttlMs).bytes) } };
    },

    "provider-node.canary": (inputs) => {
      const response = theProvider().agent.answerCanary(bytesOf(inputs, "challenge"));
      if (response === undefined) return misuse("the reference provider does not answer");
      return response.ok ? { result: "valid", output: { response: hex(response.value) } } : { result: "invalid", error: response.error.code, message: response.error.message };
    },

    "provider-node.task": async (inputs) => {
      const request = bytesOf(inputs, "request");
      const input = inputs["input"] === undefined ? undefined : bytesOf(inputs, "input");
      const reply = await theProvider().agent.handleTask(request, input);
      if (reply === undefined) return misuse("the reference provider does not answer");
      if (!reply.ok) return { result: "invalid", error: reply.error.code, message: reply.error.message };
      const output: Json = { result: hex(reply.value.result), ...(reply.value.output ? { output: hex(reply.value.output) } : {}) };
      return { result: "valid", output };
    },

    // A delegator keeps no state between calls: each delegation is whole, its peers played by the harness.
    [DELEGATE]: (inputs, _shared, context) => delegateOperation(inputs, now(), context ?? misuse("this session cannot call peers")),

    // §13.11: the nodes above, on the wire.
    ...endpointOperations(endpoints, (role) => {
      if (role === "registry") {
        const r = theRegistry();
        return { secretKey: r.secretKey, handlers: registryHandlers(r.node, r.secretKey, now) };
      }
      const p = theProvider();
      return { secretKey: p.secretKey, handlers: providerHandlers(p.agent) };
    }),
  };
}

/** The names of the node operations. */
export const NODE_OPERATIONS: readonly string[] = Object.keys(nodeOperations(() => undefined)).sort();
