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
import { toJsonString, create } from "@bufbuild/protobuf";
import { QueryResponseSchema, QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerCallKind } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { parseChallenge } from "../../../reference/src/canary/challenge.js";
import { reject } from "../../../reference/src/errors.js";
import { listen } from "../../../reference/src/net/index.js";
import { NodeDelegator } from "../../../reference/src/node/delegator.js";
import { secureRandom } from "../../../reference/src/node/random.js";
import { parseTaskRequest } from "../../../reference/src/task/verify-request.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import type { OperationContext } from "../reference/dispatch.js";
import { delegationInputs, delegationOutput } from "../reference/inputs.js";

/** The name of the operation. */
export const DELEGATE = "delegator-node.delegate";

const GATEWAY_KEY = sha256(new TextEncoder().encode("ap2p node adapter gateway"));

/**
 * delegator-node.delegate through the network: the same inputs and output
 * as the reference adapter's operation.
 */
export async function delegateOverNetwork(inputs: JsonObject, now: bigint, context: OperationContext): Promise<Outcome> {
  const { secretKey, registry, risk, policy, capability, input } = delegationInputs(inputs, "node adapter");
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
  return delegationOutput(out);
}
