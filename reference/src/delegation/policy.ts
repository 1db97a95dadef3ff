// Risk policy (spec/10-delegation.md §10.3): what each risk class requires.
import { create } from "@bufbuild/protobuf";
import { Modality, VerificationTier, type Capability } from "../../../gen/ts/ap2p/v1/descriptor_pb.js";
import { RiskPolicySchema, TaskRisk, type RiskPolicy, type RiskRule } from "../../../gen/ts/ap2p/v1/delegation_pb.js";
import { Ap2pError, toVerdict, type Verdict } from "../errors.js";
import { checkRules } from "../codec/rules.js";

/** Verification level of each tier when used as a level (§10.1). */
export function levelOf(tier: VerificationTier): 1 | 2 | 3 {
  switch (tier) {
    case VerificationTier.REPUTATION:
      return 1;
    case VerificationTier.CANARY:
      return 2;
    case VerificationTier.EVIDENCE:
      return 3;
    default:
      throw new Ap2pError("RISK_POLICY_INVALID", `tier ${tier} is not a verification level`);
  }
}

/** The tiers a provider must list in supported_tiers for a level (§10.1, TIER-001). */
export function tiersRequiredFor(level: VerificationTier): VerificationTier[] {
  const n = levelOf(level);
  return n === 1 ? [] : n === 2 ? [VerificationTier.CANARY] : [VerificationTier.CANARY, VerificationTier.EVIDENCE];
}

/**
 * The default policy. LOW rests on reputation alone; MEDIUM adds a canary;
 * HIGH adds evidence; CRITICAL also requires platform attestation. The
 * reputation floors sit below the prior for newcomers (333,333 ppm, §7) at
 * LOW and MEDIUM, so new providers can earn a reputation, and above it at
 * HIGH and CRITICAL, where a provider must have earned one first.
 */
export const DEFAULT_RISK_POLICY: RiskPolicy = deepFreeze(create(RiskPolicySchema, {
  rules: [
    { risk: TaskRisk.LOW, level: VerificationTier.REPUTATION, minReputationPpm: 200_000, maxAttempts: 3 },
    { risk: TaskRisk.MEDIUM, level: VerificationTier.CANARY, minReputationPpm: 200_000, maxAttempts: 3 },
    { risk: TaskRisk.HIGH, level: VerificationTier.EVIDENCE, minReputationPpm: 300_000, maxAttempts: 4 },
    { risk: TaskRisk.CRITICAL, level: VerificationTier.EVIDENCE, minReputationPpm: 500_000, maxAttempts: 4, requireAttestation: true },
  ],
}));

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Checks a policy (DLG-001): one rule per class, levels never decreasing with risk. */
export function checkRiskPolicy(policy: RiskPolicy): Verdict<Map<TaskRisk, RiskRule>> {
  return toVerdict(() => {
    try {
      checkRules(RiskPolicySchema, policy);
    } catch (e) {
      throw new Ap2pError("RISK_POLICY_INVALID", `risk policy is ill-formed: ${(e as Error).message}`, { cause: e });
    }
    const byRisk = new Map<TaskRisk, RiskRule>();
    for (const rule of policy.rules) {
      if (byRisk.has(rule.risk)) throw new Ap2pError("RISK_POLICY_INVALID", `two rules for ${TaskRisk[rule.risk]}`);
      byRisk.set(rule.risk, rule);
    }
    let previous = 0;
    for (const risk of [TaskRisk.LOW, TaskRisk.MEDIUM, TaskRisk.HIGH, TaskRisk.CRITICAL]) {
      const rule = byRisk.get(risk);
      if (!rule) throw new Ap2pError("RISK_POLICY_INVALID", `no rule for ${TaskRisk[risk]}`);
      const level = levelOf(rule.level);
      if (level < previous) throw new Ap2pError("RISK_POLICY_INVALID", `${TaskRisk[risk]} has a lower level than a lower risk class`);
      previous = level;
    }
    return byRisk;
  });
}

/**
 * A default risk class for a capability (DLG-002): anything with a side effect
 * in the world (an output of modality ACTION) is HIGH; everything else MEDIUM.
 * A delegator may always classify a task higher.
 */
export function defaultRisk(capability: Capability): TaskRisk {
  return capability.outputs.some((o) => o.modality === Modality.ACTION) ? TaskRisk.HIGH : TaskRisk.MEDIUM;
}
