// The delegation-policy operations of the corpus (vectors/README.md; spec
// §10.1 to §10.4): checking a risk policy, the default risk class of a
// capability, the tiers a level requires, and screening and ranking
// candidates (steps 3 and 4 of the procedure, reference/src/delegation/rank.ts,
// the functions delegate() itself calls).
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { CapabilitySchema, VerificationTier, VerificationTierSchema } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { RiskPolicySchema, RiskRuleSchema, TaskRisk, type RiskRule } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { checkRiskPolicy, defaultRisk, tiersRequiredFor } from "../../../reference/src/delegation/policy.js";
import { rankCandidates, screenCandidate, type RankCandidate } from "../../../reference/src/delegation/rank.js";
import type { Json, JsonObject, Operation } from "../reference-operations.js";
import { count, object, objects, outcome, strings, text } from "./util.js";

function tierOf(name: string): VerificationTier {
  const value = VerificationTierSchema.values.find((v) => v.name === name);
  if (value === undefined) throw new Error(`"${name}" is not a VerificationTier`);
  return value.number as VerificationTier;
}
const tierName = (tier: VerificationTier): string => VerificationTierSchema.value[tier]!.name;

function candidateOf(c: JsonObject, peerId = ""): RankCandidate {
  return {
    peerId,
    position: c["position"] === undefined ? 0 : count(c, "position"),
    supportedTiers: strings(c, "supported_tiers").map(tierOf),
    reputation: BigInt(count(c, "reputation_ppm")),
  };
}

const ruleOf = (obj: JsonObject): RiskRule => fromJson(RiskRuleSchema, object(obj, "rule") as JsonValue);

/** risk-policy.*, delegation.* */
export const DELEGATION_OPERATIONS: Readonly<Record<string, Operation>> = {
  "risk-policy.check": (inputs) => outcome(checkRiskPolicy(fromJson(RiskPolicySchema, object(inputs, "json") as JsonValue))),

  // DLG-002 sets a floor (HIGH or above for an ACTION output), not a class, so
  // the output says only whether the default class reaches it.
  "delegation.default-risk": (inputs) => ({ result: "valid", output: { at_least_high: defaultRisk(fromJson(CapabilitySchema, object(inputs, "capability") as JsonValue)) >= TaskRisk.HIGH } }),

  "delegation.tiers": (inputs) => ({ result: "valid", output: { tiers: tiersRequiredFor(tierOf(text(inputs, "level"))).map(tierName) } }),

  "delegation.screen": (inputs, shared) => {
    const error = screenCandidate(ruleOf(shared), candidateOf(object(inputs, "candidate")));
    return error === undefined ? { result: "valid" } : { result: "invalid", error };
  },

  "delegation.rank": (inputs) => {
    const candidates = objects(inputs, "candidates").map((c) => candidateOf(c, text(c, "peer_id")));
    const { ranked, skipped } = rankCandidates(ruleOf(inputs), candidates);
    return { result: "valid", output: { ranked: ranked.map((c) => c.peerId), skipped: skipped.map((s): Json => ({ peer_id: s.candidate.peerId, error: s.error })) } };
  },
};
