// The delegator node operation of the node adapter (spec/13-conformance.md
// §13.10): a NodeDelegator whose queries, challenges and task requests cross
// real connections (spec/14-connectivity.md) before they reach the peers the
// harness plays.
//
// The harness holds the keys of the registry and the providers it plays, so
// no node of the adapter can prove their identities in a handshake. The
// adapter therefore runs a gateway node for each delegation: the delegator
// connects to it as to the registry and to every provider, and the gateway
// hands each request to the harness as a PeerCall, routed by the peer the
// signed request names. Everything the delegator relies on is still checked
// end to end: the registry's answer against the registry's did:key, and each
// canary response and task result against the provider's (ARCH-001).
import { fromJson, toJsonString, create, type JsonValue } from "@bufbuild/protobuf";
import { DelegationStage, RiskPolicySchema, TaskRisk, TaskRiskSchema } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { QueryResponseSchema, QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerCallKind } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { parseChallenge } from "../../../reference/src/canary/challenge.js";
import { misuse, reject } from "../../../reference/src/errors.js";
import { listen } from "../../../reference/src/net/index.js";
import { NodeDelegator } from "../../../reference/src/node/delegator.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { parseTaskRequest } from "../../../reference/src/task/verify-request.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import type { OperationContext } from "../reference/dispatch.js";

/** The name of the operation. */
export const DELEGATE = "delegator-node.delegate";

const PEER_ID = /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/;
const GATEWAY_KEY = sha256(new TextEncoder().encode("ap2p node adapter gateway"));

function text(obj: JsonObject, name: string): string {
  const v = obj[name];
  if (typeof v !== "string") misuse(`input "${name}" must be a string`);
  return v;
}

function capabilityOf(v: unknown): { namespace: string; id: string; version: string } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) misuse('input "capability" must be an object {namespace, id, version}');
  const c = v as JsonObject;
  return { namespace: text(c, "namespace"), id: text(c, "id"), version: text(c, "version") };
}

function bytes(obj: JsonObject, name: string): Uint8Array {
  const v = text(obj, name);
  if (!/^(?:[0-9a-f]{2})*$/.test(v)) misuse(`input "${name}" must be lower-case hex`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

/**
 * delegator-node.delegate through the network: the same inputs and output
 * as the reference adapter's operation.
 */
export async function delegateOverNetwork(inputs: JsonObject, now: bigint, context: OperationContext): Promise<Outcome> {
  const secretKey = bytes(inputs, "secret_key");
  const registry = text(inputs, "registry");
  if (!PEER_ID.test(registry)) misuse('input "registry" must be a did:key');
  const riskName = text(inputs, "risk");
  const risk = TaskRiskSchema.values.find((v) => v.name === riskName)?.number as TaskRisk | undefined;
  if (risk === undefined || risk === TaskRisk.UNSPECIFIED) misuse(`input "risk" must name a TaskRisk, not ${JSON.stringify(riskName)}`);
  const policy = inputs["policy"] === undefined ? undefined : fromJson(RiskPolicySchema, inputs["policy"] as JsonValue);
  const verifiers = inputs["attestation_verifiers"];
  if (verifiers !== undefined && (!Array.isArray(verifiers) || verifiers.length > 0)) misuse("the node adapter appraises no platform attestation formats (EVD-020): attestation_verifiers must be []");
  const capability = capabilityOf(inputs["capability"]);
  const input = bytes(inputs, "input");
  const clock = (): bigint => now;

  // The gateway: a node that passes each request on to the peer the harness plays.
  const gateway = await listen({
    secretKey: GATEWAY_KEY,
    role: "registry",
    clock,
    random: secureRandom,
    handlers: {
      query: async (request) => {
        const answer = await context.peer({ peerId: registry, kind: PeerCallKind.QUERY, queryJson: toJsonString(QuerySchema, request.query!) });
        return create(QueryResponseSchema, answer === undefined ? { error: ErrorCode.DELEGATION_FAILED, message: "the registry did not answer" } : { answer: { coseSign1: answer.payload } });
      },
      canary: async (challenge) => {
        const parsed = parseChallenge(challenge);
        if (!parsed.ok) return parsed;
        const answer = await context.peer({ peerId: parsed.value.message.provider, kind: PeerCallKind.CANARY, payload: challenge });
        // A silent peer becomes a refusal at once, rather than a wait for the request timeout.
        return answer === undefined ? reject("CANARY_RESPONSE_LATE", "the provider did not answer") : { ok: true, value: answer.payload };
      },
      task: async (request, detached) => {
        const parsed = parseTaskRequest(request);
        if (!parsed.ok) return parsed;
        const answer = await context.peer({ peerId: parsed.value.message.provider, kind: PeerCallKind.TASK, payload: request, ...(detached ? { input: detached } : {}) });
        return answer === undefined ? reject("TASK_RESULT_LATE", "the provider did not answer") : { ok: true, value: { result: answer.payload, ...(answer.output ? { output: answer.output } : {}) } };
      },
    },
  });
  const via = { url: gateway.url, expectedPeer: gateway.peerId };
  const delegator = new NodeDelegator({
    secretKey,
    registry: { url: gateway.url, peerId: registry },
    registryConnection: via,
    resolve: () => via,
    clock,
    // A real delegator's nonces: the test needs no determinism here, only uniqueness.
    random: secureRandom,
    ...(policy === undefined ? {} : { policy }),
  });
  let out;
  try {
    out = await delegator.delegate(capability, input, risk);
  } finally {
    await delegator.close();
    await gateway.close();
  }
  const code = (c: ErrorCode): string => (c === ErrorCode.UNSPECIFIED ? "" : ErrorCode[c]!);
  return {
    result: "valid",
    output: {
      chosen: out.report.chosen,
      error: code(out.report.error),
      attempts: out.report.attempts.map((a) => ({ peer_id: a.peerId, stage: `DELEGATION_STAGE_${DelegationStage[a.stage]}`, error: code(a.error) })),
      attested: out.attestations.map((a) => a.attestation.provider),
    },
  };
}
