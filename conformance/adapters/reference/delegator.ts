// The delegator node operation of the reference adapter (spec/13-conformance.md
// §13.10): the reference delegation procedure (spec/10 §10.4) with a
// transport whose every query, challenge and task request becomes a PeerCall
// to a peer the harness plays. It runs at the session's test clock (DRV-007).
import { fromJson, toJsonString, type JsonValue } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import { DelegationStage, RiskPolicySchema, TaskRisk, TaskRiskSchema } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { QuerySchema } from "../../../gen/ts/ap2p/v1/discovery_pb.js";
import { PeerCallKind } from "../../../gen/ts/ap2p/v1/driver_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import { testCapability } from "../../../reference/src/canary/oracles.js";
import { delegate, type CanarySource, type DelegatorTransport } from "../../../reference/src/delegation/delegate.js";
import { misuse } from "../../../reference/src/errors.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";
import type { OperationContext } from "./dispatch.js";

/** The name of the operation. */
export const DELEGATE = "delegator-node.delegate";

const PEER_ID = /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/;

/** Canaries for the deterministic test capabilities of spec/08 §8.8: the only ones the adapter can judge. */
const testCanaries: CanarySource = (capability, random) => {
  const t = testCapability(capability);
  if (t === undefined) return undefined;
  const input = t.sampleInput(random);
  return { input: { bytes: input, mediaType: t.inputMediaType }, oracle: t.oracle(input) };
};

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
 * delegator-node.delegate: delegates one task (spec/10 §10.4) through the
 * registry and providers the harness plays. Output: the provider chosen
 * ("" when none), the error code of the delegation ("" when it succeeded),
 * every attempt in order, and the providers the delegator signed outcome
 * attestations about (DLG-006).
 */
export async function delegateOperation(inputs: JsonObject, now: bigint, context: OperationContext): Promise<Outcome> {
  const secretKey = bytes(inputs, "secret_key");
  const registry = text(inputs, "registry");
  if (!PEER_ID.test(registry)) misuse('input "registry" must be a did:key');
  const riskName = text(inputs, "risk");
  const risk = TaskRiskSchema.values.find((v) => v.name === riskName)?.number as TaskRisk | undefined;
  if (risk === undefined || risk === TaskRisk.UNSPECIFIED) misuse(`input "risk" must name a TaskRisk, not ${JSON.stringify(riskName)}`);
  const policy = inputs["policy"] === undefined ? undefined : fromJson(RiskPolicySchema, inputs["policy"] as JsonValue);
  const verifiers = inputs["attestation_verifiers"];
  if (verifiers !== undefined && (!Array.isArray(verifiers) || verifiers.length > 0)) misuse("the reference adapter appraises no platform attestation formats (EVD-020): attestation_verifiers must be []");

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
    { capability: capabilityOf(inputs["capability"]), input: bytes(inputs, "input"), risk },
  );
  const code = (c: ErrorCode): string => (c === ErrorCode.UNSPECIFIED ? "" : ErrorCode[c]);
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
