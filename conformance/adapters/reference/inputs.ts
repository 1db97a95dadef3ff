// Reading the inputs of the stateful node operations (spec/13-conformance.md
// §13.10, §13.11) and writing the delegation's output, shared by the
// reference adapter and the node adapter so that both read the harness's
// calls the same way. A malformed input is the harness's mistake, not a
// verdict: the readers throw through misuse().
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { DelegationStage, RiskPolicySchema, TaskRisk, TaskRiskSchema, type RiskPolicy } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { ErrorCode } from "../../../gen/ts/ap2p/v1/errors_pb.js";
import type { DelegationOutcome } from "../../../reference/src/delegation/delegate.js";
import { DEFAULT_POLICY } from "../../../reference/src/descriptor/policy.js";
import { DEFAULT_REGISTRY_POLICY, type RegistryPolicy } from "../../../reference/src/discovery/policy.js";
import { misuse } from "../../../reference/src/errors.js";
import type { JsonObject, Outcome } from "../../../vectors/runner/reference-operations.js";

const PEER_ID = /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{43,44}$/;

/** A string input. */
export function textOf(obj: JsonObject, name: string): string {
  const v = obj[name];
  if (typeof v !== "string") misuse(`input "${name}" must be a string`);
  return v;
}

/** A byte input: lower-case hex. */
export function bytesOf(obj: JsonObject, name: string): Uint8Array {
  const v = obj[name];
  if (typeof v !== "string" || !/^(?:[0-9a-f]{2})*$/.test(v)) misuse(`input "${name}" must be lower-case hex`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

/** An optional 64-bit integer input (a decimal string), or the fallback. */
export function bigOf(obj: JsonObject, name: string, fallback: bigint): bigint {
  const v = obj[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(v)) misuse(`input "${name}" must be a decimal string`);
  return BigInt(v);
}

/** An optional small integer input (a JSON number), or the fallback. */
export function countOf(obj: JsonObject, name: string, fallback: number): number {
  const v = obj[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) misuse(`input "${name}" must be an integer`);
  return v;
}

/** A registry policy in the form of the registry vectors' shared inputs; absent keys take the defaults of DISC-023. */
export function registryPolicyOf(p: JsonObject): Partial<RegistryPolicy> {
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

/** The inputs of delegator-node.delegate. */
export interface DelegationInputs {
  readonly secretKey: Uint8Array;
  /** The registry's did:key. */
  readonly registry: string;
  readonly risk: TaskRisk;
  readonly policy?: RiskPolicy;
  readonly capability: { readonly namespace: string; readonly id: string; readonly version: string };
  readonly input: Uint8Array;
}

/** Reads the inputs of delegator-node.delegate; `adapter` names the adapter in its refusal of attestation formats. */
export function delegationInputs(inputs: JsonObject, adapter: string): DelegationInputs {
  const registry = textOf(inputs, "registry");
  if (!PEER_ID.test(registry)) misuse('input "registry" must be a did:key');
  const riskName = textOf(inputs, "risk");
  const risk = TaskRiskSchema.values.find((v) => v.name === riskName)?.number as TaskRisk | undefined;
  if (risk === undefined || risk === TaskRisk.UNSPECIFIED) misuse(`input "risk" must name a TaskRisk, not ${JSON.stringify(riskName)}`);
  const verifiers = inputs["attestation_verifiers"];
  if (verifiers !== undefined && (!Array.isArray(verifiers) || verifiers.length > 0)) misuse(`the ${adapter} appraises no platform attestation formats (EVD-020): attestation_verifiers must be []`);
  const c = inputs["capability"];
  if (typeof c !== "object" || c === null || Array.isArray(c)) misuse('input "capability" must be an object {namespace, id, version}');
  return {
    secretKey: bytesOf(inputs, "secret_key"),
    registry,
    risk,
    ...(inputs["policy"] === undefined ? {} : { policy: fromJson(RiskPolicySchema, inputs["policy"] as JsonValue) }),
    capability: { namespace: textOf(c, "namespace"), id: textOf(c, "id"), version: textOf(c, "version") },
    input: bytesOf(inputs, "input"),
  };
}

/**
 * The output of delegator-node.delegate: the provider chosen ("" when none),
 * the error code of the delegation ("" when it succeeded), every attempt in
 * order, and the providers the delegator signed outcome attestations about
 * (DLG-006).
 */
export function delegationOutput(out: DelegationOutcome): Outcome {
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
