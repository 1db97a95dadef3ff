// The stateful node operations of the reference adapter (spec/13-conformance.md
// §13.10): a registry and a provider that live for the session and keep
// their state between calls, so that the harness can play the other peers of
// a behavioural scenario. Their clock is the session's test clock (DRV-007):
// nothing here reads the machine's clock.
import { create, fromJson, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import { sha256 } from "@noble/hashes/sha2.js";
import { CapabilitySchema, VerificationTier } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { ProviderAgent } from "../../../reference/src/agent/provider.js";
import { SHA256_TEST_CAPABILITY } from "../../../reference/src/canary/oracles.js";
import { answerCanary } from "../../../reference/src/canary/response.js";
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { DEFAULT_POLICY } from "../../../reference/src/descriptor/policy.js";
import { DEFAULT_REGISTRY_POLICY, type RegistryPolicy } from "../../../reference/src/discovery/policy.js";
import { Registry } from "../../../reference/src/discovery/registry.js";
import { misuse } from "../../../reference/src/errors.js";
import { TaskReplayGuard } from "../../../reference/src/task/replay.js";
import type { Json, JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";

type NodeOperation = (inputs: JsonObject) => Outcome | Promise<Outcome>;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function bytesOf(obj: JsonObject, name: string): Uint8Array {
  const v = obj[name];
  if (typeof v !== "string" || !/^(?:[0-9a-f]{2})*$/.test(v)) misuse(`input "${name}" must be lower-case hex`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

function textOf(obj: JsonObject, name: string): string {
  const v = obj[name];
  if (typeof v !== "string") misuse(`input "${name}" must be a string`);
  return v;
}

function bigOf(obj: JsonObject, name: string, fallback: bigint): bigint {
  const v = obj[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(v)) misuse(`input "${name}" must be a decimal string`);
  return BigInt(v);
}

function countOf(obj: JsonObject, name: string, fallback: number): number {
  const v = obj[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) misuse(`input "${name}" must be an integer`);
  return v;
}

/** A registry policy in the form of the registry vectors' shared inputs; absent keys take the defaults of DISC-023. */
function registryPolicyOf(p: JsonObject): Partial<RegistryPolicy> {
  const d = DEFAULT_REGISTRY_POLICY;
  return {
    descriptor: { maxTtlMs: bigOf(p, "max_ttl_ms", DEFAULT_POLICY.maxTtlMs), clockSkewMs: bigOf(p, "clock_skew_ms", DEFAULT_POLICY.clockSkewMs) },
    answerFreshnessMs: bigOf(p, "answer_freshness_ms", d.answerFreshnessMs),
    maxPeers: countOf(p, "max_peers", d.maxPeers),
    maxPeersPerOrigin: countOf(p, "max_peers_per_origin", d.maxPeersPerOrigin),
    maxDescriptorBytes: countOf(p, "max_descriptor_bytes", d.maxDescriptorBytes),
    peerRate: {
      capacityMilli: bigOf(p, "peer_bucket_capacity_milli", d.peerRate.capacityMilli),
      refillMilliPerSecond: bigOf(p, "peer_bucket_refill_milli_per_second", d.peerRate.refillMilliPerSecond),
    },
    originRate: {
      capacityMilli: bigOf(p, "origin_bucket_capacity_milli", d.originRate.capacityMilli),
      refillMilliPerSecond: bigOf(p, "origin_bucket_refill_milli_per_second", d.originRate.refillMilliPerSecond),
    },
    maxResultsPerOrigin: countOf(p, "max_results_per_origin", d.maxResultsPerOrigin),
  };
}

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

/**
 * The node operations of one session. `clock` is the session's test clock;
 * a node operation before the first clock request is caller misuse.
 */
export function nodeOperations(clock: () => bigint | undefined): Readonly<Record<string, NodeOperation>> {
  const now = (): bigint => clock() ?? misuse("the test clock has not been set (send clock first)");
  let registry: { readonly node: Registry; readonly secretKey: Uint8Array; readonly id: string } | undefined;
  let provider: { readonly agent: ProviderAgent; readonly secretKey: Uint8Array; readonly guard: TaskReplayGuard } | undefined;
  const theRegistry = () => registry ?? misuse("no registry: call registry-node.reset first");
  const theProvider = () => provider ?? misuse("no provider: call provider-node.reset first");

  return {
    "registry-node.reset": (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      const policy = inputs["policy"];
      if (policy !== undefined && (typeof policy !== "object" || policy === null || Array.isArray(policy))) misuse('input "policy" must be an object');
      const node = new Registry(policy === undefined ? {} : registryPolicyOf(policy as JsonObject));
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

    "provider-node.reset": (inputs) => {
      const secretKey = bytesOf(inputs, "secret_key");
      const agent = sha256Provider(secretKey, now);
      provider = { agent, secretKey, guard: new TaskReplayGuard() };
      return { result: "valid", output: { peer_id: agent.peerId } };
    },

    "provider-node.descriptor": (inputs) => {
      const p = theProvider();
      const ttlMs = bigOf(inputs, "ttl_ms", 60_000n);
      return { result: "valid", output: { descriptor: hex(p.agent.publish(ttlMs).bytes) } };
    },

    "provider-node.canary": (inputs) => {
      const p = theProvider();
      const challenge = bytesOf(inputs, "challenge");
      const response = p.agent.answerCanary(challenge);
      if (response !== undefined) return { result: "valid", output: { response: hex(response) } };
      // The agent declines without saying why; the same check, run again, names the code (CAN-006 to CAN-009).
      const why = answerCanary(p.secretKey, challenge, { bytes: new Uint8Array(0), mediaType: "application/octet-stream" }, now(), {
        offered: [SHA256_TEST_CAPABILITY.capability],
      });
      return why.ok ? misuse("the provider declined a challenge it could answer") : { result: "invalid", error: why.error.code, message: why.error.message };
    },

    "provider-node.task": async (inputs) => {
      const p = theProvider();
      const request = bytesOf(inputs, "request");
      const input = inputs["input"] === undefined ? undefined : bytesOf(inputs, "input");
      // The agent keeps its own replay memory; this guard sees the same requests
      // in the same order, so it refuses exactly what the agent refuses, and names the code (TASK-008 to TASK-011).
      const checked = p.guard.accept(request, { now: now(), provider: p.agent.peerId, offered: [create(CapabilitySchema, SHA256_OFFER)], ...(input ? { input } : {}) });
      if (!checked.ok) return { result: "invalid", error: checked.error.code, message: checked.error.message };
      const done = await p.agent.handleTask(request, input);
      if (done === undefined) misuse("the provider declined a request it had accepted");
      const output: Json = { result: hex(done.result), ...(done.output ? { output: hex(done.output) } : {}) };
      return { result: "valid", output };
    },
  };
}

/** The names of the node operations. */
export const NODE_OPERATIONS: readonly string[] = Object.keys(nodeOperations(() => undefined)).sort();
