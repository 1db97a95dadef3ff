// The delegator node operation of the reference adapter (spec/13-conformance.md
// §13.10): the reference delegation procedure (spec/10 §10.4) with a
// transport whose every query, challenge and task request becomes a PeerCall
// to a peer the harness plays. It runs at the session's test clock (DRV-007).
import { toJsonString } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerCallKind } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { testCapability } from "../../../reference/src/canary/oracles.js";
import { canariesOf, delegate, type CanarySource, type DelegatorTransport } from "../../../reference/src/delegation/delegate.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import type { OperationContext } from "./dispatch.js";
import { delegationInputs, delegationOutput } from "./inputs.js";

/** The name of the operation. */
export const DELEGATE = "delegator-node.delegate";

/** Canaries for the deterministic test capabilities of spec/08 §8.8: the only ones the adapter can judge. */
const testCanaries: CanarySource = canariesOf(testCapability);

/**
 * delegator-node.delegate: delegates one task (spec/10 §10.4) through the
 * registry and providers the harness plays. Output: the provider chosen
 * ("" when none), the error code of the delegation ("" when it succeeded),
 * every attempt in order, and the providers the delegator signed outcome
 * attestations about (DLG-006).
 */
export async function delegateOperation(inputs: JsonObject, now: bigint, context: OperationContext): Promise<Outcome> {
  const { secretKey, registry, risk, policy, capability, input } = delegationInputs(inputs, "reference adapter");

  const transport: DelegatorTransport = {
    query: async (query) => (await context.peer({ peerId: registry, kind: PeerCallKind.QUERY, queryJson: toJsonString(QuerySchema, query) }))?.payload,
    canary: async (provider, challenge) => (await context.peer({ peerId: provider.peerId, kind: PeerCallKind.CANARY, payload: challenge }))?.payload,
    task: async (provider, request, input) => {
      const answer = await context.peer({ peerId: provider.peerId, kind: PeerCallKind.TASK, payload: request, ...(input ? { input } : {}) });
      return answer === undefined ? undefined : { result: answer.payload, ...(answer.output ? { output: answer.output } : {}) };
    },
  };
  const out = await delegate(
    {
      secretKey,
      registry,
      clock: () => now,
      // A real delegator's nonces: the test needs no determinism here, only uniqueness.
      random: (n) => new Uint8Array(randomBytes(n)),
      transport,
      canaries: testCanaries,
      attestations: [],
      ...(policy === undefined ? {} : { policy }),
    },
    { capability, input, risk },
  );
  return delegationOutput(out);
}
