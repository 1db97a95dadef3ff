// delegation.json: the delegator's policy (spec/10-delegation.md): the tiers
// a verification level requires (§10.1), tier negotiation and the reputation
// floor for one candidate (TIER-001, DLG-004), the ranking of candidates
// (DLG-004), the risk policy's own rules (DLG-001), and the default risk class
// of a capability that acts in the world (DLG-002).
//
// Every expectation is stated from the specification: which tiers a level
// needs, which candidate is skipped with which code, the exact order. Nothing
// here is signed; vectors/independent/check.py recomputes every order and
// verdict in Python.
import { didFromPublicKey } from "../../../reference/src/crypto/did-key.js";
import { publicKeyFromSecret } from "../../../reference/src/crypto/ed25519.js";
import { derivedSecret } from "../constants.js";
import type { FlagName } from "../flags.js";
import { group, invalid, valid, type Json, type JsonObject, type TestVector, type VectorFileModule } from "../model.js";

const REPUTATION = "VERIFICATION_TIER_REPUTATION";
const CANARY = "VERIFICATION_TIER_CANARY";
const EVIDENCE = "VERIFICATION_TIER_EVIDENCE";
const LOW = "TASK_RISK_LOW";
const MEDIUM = "TASK_RISK_MEDIUM";
const HIGH = "TASK_RISK_HIGH";
const CRITICAL = "TASK_RISK_CRITICAL";

/** A RiskRule in proto3 JSON form. */
function rule(risk: string, level: string, minReputationPpm: number, maxAttempts: number, requireAttestation = false): JsonObject {
  const r: JsonObject = { risk, level };
  if (minReputationPpm !== 0) r["minReputationPpm"] = minReputationPpm;
  r["maxAttempts"] = maxAttempts;
  if (requireAttestation) r["requireAttestation"] = true;
  return r;
}

/** The default policy of spec §10.3, as printed there. */
const DEFAULT_RULES = {
  [LOW]: rule(LOW, REPUTATION, 200_000, 3),
  [MEDIUM]: rule(MEDIUM, CANARY, 200_000, 3),
  [HIGH]: rule(HIGH, EVIDENCE, 300_000, 4),
  [CRITICAL]: rule(CRITICAL, EVIDENCE, 500_000, 4, true),
};
const policy = (...rules: JsonObject[]): JsonObject => ({ rules });
const DEFAULT_POLICY = policy(DEFAULT_RULES[LOW], DEFAULT_RULES[MEDIUM], DEFAULT_RULES[HIGH], DEFAULT_RULES[CRITICAL]);

// ---------------------------------------------------------------------------
// risk-policy.check

function policyGroup() {
  const accepts = (id: string, comment: string, p: JsonObject, flags: FlagName[] = []): TestVector => valid(id, { requirements: ["DLG-001"], comment, flags, inputs: { json: p } });
  const refuses = (id: string, comment: string, p: JsonObject): TestVector => invalid(id, "RISK_POLICY_INVALID", { requirements: ["DLG-001"], comment, flags: ["RiskPolicyShape"], inputs: { json: p } });
  const [low, medium, high, critical] = [DEFAULT_RULES[LOW], DEFAULT_RULES[MEDIUM], DEFAULT_RULES[HIGH], DEFAULT_RULES[CRITICAL]];
  const at = (r: JsonObject, level: string) => ({ ...r, level });
  return group("risk-policy.check", "A delegator's risk policy (DLG-001): exactly one rule for each risk class, and a level that never falls as the risk rises. A policy that breaks either rule is refused with RISK_POLICY_INVALID.", {}, [
    accepts("delegation/risk-policy/default-001", "the default policy of spec §10.3", DEFAULT_POLICY),
    accepts("delegation/risk-policy/any-order-001", "the default rules listed from CRITICAL down to LOW: the order of the list does not matter", policy(critical, high, medium, low)),
    accepts("delegation/risk-policy/all-reputation-001", "every class at level 1: equal levels do not fall", policy(at(low, REPUTATION), at(medium, REPUTATION), at(high, REPUTATION), at(critical, REPUTATION))),
    accepts("delegation/risk-policy/all-evidence-001", "every class at level 3", policy(at(low, EVIDENCE), at(medium, EVIDENCE), at(high, EVIDENCE), at(critical, EVIDENCE))),
    accepts("delegation/risk-policy/steps-001", "LOW at 1, MEDIUM and HIGH at 2, CRITICAL at 3", policy(low, medium, at(high, CANARY), critical)),
    accepts("delegation/risk-policy/no-floor-001", "no reputation floor anywhere (min_reputation_ppm 0, absent)", policy(rule(LOW, REPUTATION, 0, 1), rule(MEDIUM, CANARY, 0, 1), rule(HIGH, EVIDENCE, 0, 1), rule(CRITICAL, EVIDENCE, 0, 1))),
    refuses("delegation/risk-policy/missing-critical-001", "no rule for TASK_RISK_CRITICAL", policy(low, medium, high)),
    refuses("delegation/risk-policy/missing-low-001", "no rule for TASK_RISK_LOW", policy(medium, high, critical)),
    refuses("delegation/risk-policy/only-low-001", "a rule for TASK_RISK_LOW only", policy(low)),
    refuses("delegation/risk-policy/repeated-high-001", "two rules for TASK_RISK_HIGH (and so none for CRITICAL, within the limit of four rules)", policy(low, medium, high, { ...high, minReputationPpm: 400_000 })),
    refuses("delegation/risk-policy/repeated-identical-001", "the LOW rule twice, identical, and no rule for CRITICAL", policy(low, low, medium, high)),
    refuses("delegation/risk-policy/unspecified-class-001", "a rule for TASK_RISK_UNSPECIFIED in place of CRITICAL's", policy(low, medium, high, { ...critical, risk: "TASK_RISK_UNSPECIFIED" })),
    refuses("delegation/risk-policy/falling-medium-001", "LOW at level 2, MEDIUM at level 1", policy(at(low, CANARY), at(medium, REPUTATION), high, critical)),
    refuses("delegation/risk-policy/falling-critical-001", "HIGH at level 3, CRITICAL at level 2", policy(low, medium, high, at(critical, CANARY))),
    refuses("delegation/risk-policy/falling-skip-001", "LOW at level 3, MEDIUM and HIGH at level 3, CRITICAL at level 1", policy(at(low, EVIDENCE), at(medium, EVIDENCE), high, at(critical, REPUTATION))),
    refuses("delegation/risk-policy/falling-listed-backwards-001", "listed from CRITICAL down: CRITICAL at 3, HIGH at 1, MEDIUM at 2, LOW at 1 (MEDIUM above HIGH)", policy(critical, at(high, REPUTATION), medium, low)),
  ]);
}

// ---------------------------------------------------------------------------
// delegation.default-risk

function defaultRiskGroup() {
  const ACTION = "MODALITY_ACTION";
  const io = (name: string, modality: string, optional = false): JsonObject => (optional ? { name, modality, optional } : { name, modality });
  const capability = (namespace: string, id: string, outputs: JsonObject[], extra: JsonObject = {}): JsonObject => ({ namespace, id, version: "1.0.0", ...extra, outputs });
  // DLG-002 is a SHOULD: these tests cite it alone, so they are recommended, not required (spec §13.7).
  const high = (id: string, comment: string, cap: JsonObject): TestVector => valid(id, { requirements: ["DLG-002"], comment, flags: ["SideEffect"], inputs: { capability: cap }, output: { at_least_high: true } });
  return group(
    "delegation.default-risk",
    "The risk class a delegator gives a task of a capability by default (DLG-002): one whose capability has an output of modality MODALITY_ACTION is TASK_RISK_HIGH or above. output.at_least_high says whether the default class is HIGH or CRITICAL. DLG-002 sets no class for other capabilities, so no test asks about one.",
    {},
    [
      high("delegation/default-risk/action-only-001", "a capability whose only output is an action (posting a message)", capability("social", "post", [io("posted", ACTION)])),
      high("delegation/default-risk/action-not-first-001", "an image and then an action among the outputs: any output counts, not only the first", capability("ai.image", "generate-and-send", [io("image", "MODALITY_IMAGE"), io("sent", ACTION)])),
      high("delegation/default-risk/action-optional-001", "an action output marked optional: a side effect that may happen still counts", capability("payments", "send", [io("receipt", "MODALITY_STRUCTURED"), io("payment", ACTION, true)])),
      high("delegation/default-risk/action-with-constraints-001", "an action on the device, with a price and an ACTION-free input: neither the constraints nor the inputs lower the class", capability("home.lights", "switch", [io("switched", ACTION)], { inputs: [io("room", "MODALITY_TEXT")], constraints: { onDevice: true, price: { currency: "EUR", amountMicros: "1000", unit: "PRICE_UNIT_CALL" } } })),
    ],
  );
}

// ---------------------------------------------------------------------------
// delegation.tiers

function tiersGroup() {
  const needs = (id: string, comment: string, level: string, tiers: string[]): TestVector => valid(id, { requirements: ["TIER-001"], comment, inputs: { level }, output: { tiers } });
  return group("delegation.tiers", "The tiers a provider's capability must list in supported_tiers for a task at a verification level (§10.1), in the order of their numbers. The level is given as the highest tier applied, as RiskRule.level names it.", {}, [
    needs("delegation/tiers/level-1-001", "level 1 (reputation): nothing, since the delegator computes reputation itself", REPUTATION, []),
    needs("delegation/tiers/level-2-001", "level 2 (reputation, canary)", CANARY, [CANARY]),
    needs("delegation/tiers/level-3-001", "level 3 (reputation, canary, evidence): both tiers the provider takes part in", EVIDENCE, [CANARY, EVIDENCE]),
  ]);
}

// ---------------------------------------------------------------------------
// delegation.screen

function screenGroups() {
  type Cand = { readonly supported_tiers: string[]; readonly reputation_ppm: number };
  const cand = (supported_tiers: string[], reputation_ppm: number): Cand => ({ supported_tiers, reputation_ppm });
  const passes = (id: string, requirements: string[], comment: string, c: Cand, flags: FlagName[] = []): TestVector => valid(id, { requirements, comment, flags, inputs: { candidate: { ...c } } });
  const skips = (id: string, error: string, requirements: string[], comment: string, c: Cand, flags: FlagName[]): TestVector => invalid(id, error, { requirements, comment, flags, inputs: { candidate: { ...c } } });
  const TNS = "TIER_NOT_SUPPORTED";
  const RBT = "REPUTATION_BELOW_THRESHOLD";
  const ALL = [REPUTATION, CANARY, EVIDENCE];
  const screen = (rule: JsonObject, level: string, tests: TestVector[]) => group("delegation.screen", `Steps 3 and 4 of §10.4 for one candidate under shared.rule (${level}, floor ${String(rule["minReputationPpm"] ?? 0)} ppm): valid if it is ranked; otherwise the code it is skipped with. Tier negotiation (step 3) comes before the reputation floor (step 4).`, { rule }, tests);
  return [
    screen(DEFAULT_RULES[LOW], "level 1", [
      passes("delegation/screen/level-1/no-tiers-001", ["TIER-001"], "a capability listing no tier at all: level 1 asks nothing of the provider", cand([], 500_000)),
      passes("delegation/screen/level-1/reputation-listed-001", ["TIER-001"], "a capability listing only VERIFICATION_TIER_REPUTATION: the listing has no effect", cand([REPUTATION], 500_000)),
      passes("delegation/screen/level-1/newcomer-001", ["DLG-004"], "a newcomer at the default prior (333,333) against the floor of 200,000", cand([], 333_333), ["Newcomer"]),
      passes("delegation/screen/level-1/at-floor-001", ["DLG-004"], "reputation exactly 200,000: not below the floor", cand([], 200_000), ["ReputationFloor"]),
      skips("delegation/screen/level-1/below-floor-001", RBT, ["DLG-004"], "reputation 199,999: one below the floor", cand(ALL, 199_999), ["ReputationFloor"]),
      skips("delegation/screen/level-1/zero-001", RBT, ["DLG-004"], "reputation 0", cand(ALL, 0), ["ReputationFloor"]),
    ]),
    screen(DEFAULT_RULES[MEDIUM], "level 2", [
      passes("delegation/screen/level-2/canary-001", ["TIER-001"], "lists CANARY", cand([CANARY], 500_000)),
      passes("delegation/screen/level-2/all-001", ["TIER-001"], "lists every tier", cand(ALL, 500_000)),
      skips("delegation/screen/level-2/none-001", TNS, ["TIER-001"], "lists no tier", cand([], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-2/reputation-only-001", TNS, ["TIER-001"], "lists only REPUTATION", cand([REPUTATION], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-2/evidence-only-001", TNS, ["TIER-001"], "lists EVIDENCE but not CANARY: level 2 needs a canary, and evidence does not stand in for it", cand([EVIDENCE], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-2/below-floor-001", RBT, ["DLG-004"], "lists CANARY, reputation 199,999", cand([CANARY], 199_999), ["ReputationFloor"]),
      skips("delegation/screen/level-2/tiers-before-reputation-001", TNS, ["TIER-001", "DLG-003"], "lists no tier and is below the floor: step 3 skips it before step 4 looks at its reputation", cand([], 100_000), ["TierDowngrade", "DefectOrder"]),
    ]),
    screen(DEFAULT_RULES[HIGH], "level 3", [
      passes("delegation/screen/level-3/both-001", ["TIER-001"], "lists CANARY and EVIDENCE", cand([CANARY, EVIDENCE], 400_000)),
      passes("delegation/screen/level-3/both-reversed-001", ["TIER-001"], "lists EVIDENCE and CANARY, in that order", cand([EVIDENCE, CANARY], 400_000)),
      passes("delegation/screen/level-3/newcomer-001", ["DLG-004"], "a newcomer at the prior (333,333) against the HIGH floor of 300,000", cand(ALL, 333_333), ["Newcomer"]),
      skips("delegation/screen/level-3/canary-only-001", TNS, ["TIER-001"], "lists CANARY only: no evidence package would come back", cand([CANARY], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-3/evidence-only-001", TNS, ["TIER-001"], "lists EVIDENCE only: level 3 applies a canary too", cand([EVIDENCE], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-3/none-001", TNS, ["TIER-001"], "lists no tier", cand([], 900_000), ["TierDowngrade"]),
      skips("delegation/screen/level-3/below-floor-001", RBT, ["DLG-004"], "lists both tiers, reputation 299,999", cand([CANARY, EVIDENCE], 299_999), ["ReputationFloor"]),
    ]),
    screen(DEFAULT_RULES[CRITICAL], "level 3", [
      skips("delegation/screen/critical/newcomer-001", RBT, ["DLG-004"], "a newcomer at the prior (333,333) against the CRITICAL floor of 500,000: a critical task goes to a provider that has earned a reputation", cand(ALL, 333_333), ["Newcomer", "ReputationFloor"]),
      passes("delegation/screen/critical/at-floor-001", ["DLG-004"], "reputation exactly 500,000", cand(ALL, 500_000), ["ReputationFloor"]),
    ]),
  ];
}

// ---------------------------------------------------------------------------
// delegation.rank

function rankGroups() {
  const did = (label: string) => didFromPublicKey(publicKeyFromSecret(derivedSecret(label)));
  // Fixed peers. rank-35 and rank-34 differ first at "S" (0x53) and "f" (0x66):
  // bytewise rank-35 comes first, case-insensitively rank-34 does.
  const [p1, p2, p3, p4, p5, p6] = ["rank-0", "rank-1", "rank-2", "rank-3", "rank-4", "rank-5"].map(did) as [string, string, string, string, string, string];
  const upper = did("rank-35");
  const lower = did("rank-34");
  if (!(Buffer.compare(Buffer.from(upper), Buffer.from(lower)) < 0 && upper.toLowerCase() > lower.toLowerCase())) throw new Error("the tie-break peers no longer differ in case order");
  // The peers of spec §7.9, with the scores §7.9 computes for them.
  const P = "did:key:z6MkiaMbhXHNA4eJVCCj8dbzKzTgYDKf6crKgHVHid1F1WCT";
  const Q = "did:key:z6MkwSD8dBdqcXQzKJZQFPy2hh2izzxskndKCjdmC2dBpfME";
  const X = "did:key:z6Mkh7U7jBwoMro3UeHmXes4tKtFbZhMRWejbtunbU4hhvjP";

  type Cand = { peer_id: string; position: number; supported_tiers: string[]; reputation_ppm: number };
  const c = (peer_id: string, position: number, reputation_ppm: number, supported_tiers: string[] = [CANARY, EVIDENCE]): Cand => ({ peer_id, position, supported_tiers, reputation_ppm });
  const ranks = (id: string, requirements: string[], comment: string, rule: JsonObject, candidates: Cand[], ranked: string[], skipped: [string, string][], flags: FlagName[] = []): TestVector =>
    valid(id, {
      requirements,
      comment,
      flags,
      inputs: { rule, candidates: candidates.map((x) => ({ ...x }) as Json) },
      output: { ranked, skipped: skipped.map(([peer_id, error]) => ({ peer_id, error })) },
    });
  const TNS = "TIER_NOT_SUPPORTED";
  const RBT = "REPUTATION_BELOW_THRESHOLD";
  const low = DEFAULT_RULES[LOW];
  const medium = DEFAULT_RULES[MEDIUM];
  const high = DEFAULT_RULES[HIGH];
  const critical = DEFAULT_RULES[CRITICAL];

  return [
    group("delegation.rank", "Ranking (DLG-004): reputation, highest first; then the position in the registry's answer; then peer_id in bytewise order. Candidates are skipped first for tiers (step 3, TIER-001), then for reputation (step 4); skipped lists the decisions in the order they are made: every step-3 skip, then every step-4 skip, each in input order.", {}, [
      ranks("delegation/rank/by-reputation-001", ["DLG-004"], "three candidates in registry order with rising reputation: ranked in reverse", low, [c(p1, 0, 300_000), c(p2, 1, 400_000), c(p3, 2, 500_000)], [p3, p2, p1], []),
      ranks("delegation/rank/example-001", ["DLG-004"], "the peers of spec §7.9 with the scores computed there (P 457,516, Q 555,555, X the prior), at level 2: Q, P, X", medium, [c(X, 0, 333_333), c(P, 1, 457_516), c(Q, 2, 555_555)], [Q, P, X], [], ["SpecExample"]),
      ranks("delegation/rank/position-tie-001", ["DLG-004"], "equal reputation: registry order decides", low, [c(p3, 2, 400_000), c(p1, 0, 400_000), c(p2, 1, 400_000)], [p1, p2, p3], [], ["TieBreak"]),
      ranks("delegation/rank/reputation-over-position-001", ["DLG-004", "DISC-025"], "the last of twenty results has the best reputation: it ranks first", low, [c(p1, 0, 400_000), c(p2, 1, 400_001), c(p3, 19, 900_000)], [p3, p2, p1], []),
      ranks("delegation/rank/peer-id-tie-001", ["DLG-004"], "equal reputation and position (answers of two registries): peer_id in bytewise order, in which upper-case letters come before lower-case ones (a case-insensitive comparison gets it wrong)", low, [c(lower, 0, 400_000), c(upper, 0, 400_000)], [upper, lower], [], ["TieBreak"]),
      ranks("delegation/rank/all-keys-001", ["DLG-004"], "all three keys at work: 600,000 first; then two at 400,000 at position 1, by peer_id; then one at 400,000 at position 2; then 300,000", low, [c(p4, 2, 400_000), c(lower, 1, 400_000), c(p5, 0, 300_000), c(upper, 1, 400_000), c(p6, 3, 600_000)], [p6, upper, lower, p4, p5], [], ["TieBreak"]),
      ranks("delegation/rank/skip-tier-001", ["TIER-001", "DLG-004"], "level 2: the candidates that do not list CANARY are skipped, whatever their reputation", medium, [c(p1, 0, 900_000, [REPUTATION]), c(p2, 1, 400_000, [CANARY]), c(p3, 2, 800_000, []), c(p4, 3, 500_000, [CANARY, EVIDENCE])], [p4, p2], [[p1, TNS], [p3, TNS]], ["TierDowngrade"]),
      ranks("delegation/rank/skip-tier-level-3-001", ["TIER-001", "DLG-004"], "level 3: CANARY alone or EVIDENCE alone is not enough", high, [c(p1, 0, 900_000, [CANARY]), c(p2, 1, 900_000, [EVIDENCE]), c(p3, 2, 400_000, [EVIDENCE, CANARY])], [p3], [[p1, TNS], [p2, TNS]], ["TierDowngrade"]),
      ranks("delegation/rank/skip-reputation-001", ["DLG-004"], "level 1, floor 200,000: 199,999 is skipped, 200,000 is ranked last", low, [c(p1, 0, 199_999), c(p2, 1, 200_000), c(p3, 2, 333_333)], [p3, p2], [[p1, RBT]], ["ReputationFloor"]),
      ranks("delegation/rank/skip-both-001", ["TIER-001", "DLG-004", "DLG-003"], "level 2: one candidate lacks CANARY and is below the floor (skipped for its tiers, step 3), one is below the floor only, one lacks CANARY only", medium, [c(p1, 0, 100_000, []), c(p2, 1, 150_000, [CANARY]), c(p3, 2, 700_000, []), c(p4, 3, 250_000, [CANARY])], [p4], [[p1, TNS], [p3, TNS], [p2, RBT]], ["TierDowngrade", "ReputationFloor", "DefectOrder"]),
      ranks("delegation/rank/critical-newcomers-001", ["DLG-004"], "CRITICAL (floor 500,000): newcomers at the prior are skipped, an established provider is ranked", critical, [c(p1, 0, 333_333), c(p2, 1, 333_333), c(p3, 2, 610_000)], [p3], [[p1, RBT], [p2, RBT]], ["Newcomer"]),
      ranks("delegation/rank/all-skipped-001", ["TIER-001", "DLG-004"], "every candidate skipped: nothing to rank", high, [c(p1, 0, 900_000, [CANARY]), c(p2, 1, 100_000)], [], [[p1, TNS], [p2, RBT]]),
      ranks("delegation/rank/no-candidates-001", ["DLG-004"], "an empty answer", low, [], [], []),
      ranks("delegation/rank/input-order-001", ["DLG-004"], "candidates given out of registry order: the output depends on positions, not on the order of the input; skipped lists the step-3 decisions before the step-4 ones, each in input order", medium, [c(p3, 2, 500_000, [CANARY]), c(p5, 4, 100_000, [CANARY]), c(p1, 0, 500_000, [CANARY]), c(p4, 3, 600_000, []), c(p2, 1, 500_000, [CANARY])], [p1, p2, p3], [[p4, TNS], [p5, RBT]], ["TieBreak"]),
      ranks("delegation/rank/no-floor-001", ["DLG-004"], "a rule without a floor ranks reputation 0 too", rule(LOW, REPUTATION, 0, 3), [c(p1, 0, 0), c(p2, 1, 1)], [p2, p1], []),
    ]),
  ];
}

function build() {
  return {
    name: "delegation",
    description:
      "The delegator's policy (spec/10-delegation.md): the risk policy's rules (risk-policy.check), the default risk class of a capability that acts in the world (delegation.default-risk), the tiers a verification level requires (delegation.tiers), tier negotiation and the reputation floor for one candidate (delegation.screen), and the ranking of candidates (delegation.rank). Rules and policies are in proto3 JSON form; tiers by enum value name.",
    groups: [policyGroup(), defaultRiskGroup(), tiersGroup(), ...screenGroups(), ...rankGroups()],
  };
}

export const delegationFile: VectorFileModule = { name: "delegation", build };
