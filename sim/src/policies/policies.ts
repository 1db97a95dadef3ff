// The selection policies, as rules of the reference implementation: each
// policy names the risk rule (spec/10-delegation.md §10.3) it applies to a
// step, and the simulator then screens and ranks with rankCandidates (DLG-003,
// DLG-004), verifies by the rule's level (levelOf) and falls back with
// runFallback under the rule's max_attempts (CAN-028 to CAN-031). Nothing here
// restates those rules.
import type { Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { TaskRisk, type RiskPolicy, type RiskRule } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { checkRiskPolicy, defaultRisk, levelOf } from "../../../reference/src/delegation/policy.js";
import type { PolicyName } from "../model/config.js";

/** How a policy treats one step. */
export interface StepPolicy {
  /** The risk rule applied; undefined for optimistic selection, which applies none. */
  readonly rule: RiskRule | undefined;
  /** Verification level: 0 (none), 1 reputation, 2 canary, 3 evidence. */
  readonly level: 0 | 1 | 2 | 3;
  /** Most candidates tried. */
  readonly budget: number;
}

/** The risk class whose rule a policy applies to a step of capability `capability`. */
export function riskFor(policy: PolicyName, capability: Capability): TaskRisk | undefined {
  switch (policy) {
    case "optimistic":
      return undefined;
    case "tier1":
      return TaskRisk.LOW; // level REPUTATION in the default policy
    case "tier12":
      return TaskRisk.MEDIUM; // level CANARY
    case "tier123":
      return TaskRisk.HIGH; // level EVIDENCE
    case "adaptive":
      return defaultRisk(capability); // DLG-002: HIGH for an action, else MEDIUM
  }
}

/** The step policy of `policy` for a capability, under a risk policy checked by checkRiskPolicy (DLG-001). */
export function stepPolicy(policy: PolicyName, capability: Capability, riskPolicy: RiskPolicy): StepPolicy {
  const risk = riskFor(policy, capability);
  // Optimistic selection: the registry's first result, one attempt, nothing verified.
  if (risk === undefined) return { rule: undefined, level: 0, budget: 1 };
  const rules = checkRiskPolicy(riskPolicy);
  if (!rules.ok) throw rules.error;
  const rule = rules.value.get(risk)!;
  return { rule, level: levelOf(rule.level), budget: rule.maxAttempts };
}
