// Experiment "attacker" (not in the paper): a canary-aware attacker. Its
// Sybil identities answer canaries correctly — a canary is cheap to do
// honestly — and cheat on real tasks, returning made-up output with evidence
// copied from another task (the reference ProviderAgent's
// "forges-evidence"). Tier 2 cannot see it; Tier 3 catches every cheat at
// once; Tier 1 catches it only after outcomes are reported.
import { config, POLICIES, POLICY_LABELS, type PolicyName } from "../model/config.js";
import type { Experiment, ExperimentOptions, ExperimentResult } from "./experiment.js";
import { figure, find, pm, pointsOf, setupText, table } from "./common.js";
import { priorScore } from "../../../reference/src/reputation/score.js";
import { pairedDifference, replicate, seedsFor, type Row } from "./runner.js";

const CHEAT = [
  { key: "always", label: "cheats on every task", ppm: 1_000_000 },
  { key: "half", label: "cheats on half the tasks", ppm: 500_000 },
] as const;

export const attacker: Experiment = {
  name: "attacker",
  title: "A canary-aware attacker (beyond the paper)",
  summary: "Sybils that pass canaries and cheat on real tasks: what Tier 3 and Tier 1 add to Tier 2",
  baseSeed: 0xa77c,
  run(o: ExperimentOptions): ExperimentResult {
    const alphas = o.quick ? [0, 0.1] : [0, 0.05, 0.1, 0.15];
    const workflows = o.quick ? 800 : 3000;
    const points = CHEAT.flatMap((c) =>
      alphas.flatMap((alpha) =>
        POLICIES.map((policy) => ({
          params: { cheat: c.key, alpha, policy },
          config: config({ policy, sybilFraction: alpha, sybilBehaviour: "forges-evidence", cheatPpm: c.ppm, workflows }),
        })),
      ),
    );
    const rows = replicate(points, seedsFor(this.baseSeed, o.seeds), o.progress);
    const label = (r: Row) => POLICY_LABELS[r.params.policy as PolicyName];
    const charts = [
      {
        file: "success",
        chart: {
          title: "Success against a canary-aware attacker (N = 100, max_results 20)",
          x: { title: "attacker fraction α" },
          y: { title: "workflow success", domain: [0, 1] as const },
          points: pointsOf(rows, "alpha", "success", label, () => true, (r) => CHEAT.find((c) => c.key === r.params.cheat)!.label),
          series: POLICIES.map((p) => POLICY_LABELS[p]),
          panels: CHEAT.map((c) => c.label),
        },
      },
    ];
    return { rows, charts, report: (drawn) => report(rows, alphas, o.seeds, workflows, drawn) };
  },
};

function report(rows: readonly Row[], alphas: readonly number[], seeds: number, workflows: number, drawn: boolean): string {
  const at = (cheat: string, alpha: number, policy: PolicyName) => find(rows, { cheat, alpha, policy });
  const tbl = (cheat: string) =>
    table(
      ["policy", ...alphas.map((a) => `α = ${a}`), "kB/workflow at α = 0.1"],
      POLICIES.map((p) => [POLICY_LABELS[p], ...alphas.map((a) => pm(at(cheat, a, p), "success")), alphas.includes(0.1) ? pm(at(cheat, 0.1, p), "bytes_total", 1, 1 / 1000) : ""]),
    );
  const a = alphas.includes(0.1) ? 0.1 : alphas[alphas.length - 1]!;
  const d3 = pairedDifference(at("always", a, "tier123"), at("always", a, "tier12"), "success");
  const d1 = pairedDifference(at("always", a, "tier12"), at("always", a, "optimistic"), "success");
  const dA = pairedDifference(at("always", a, "tier123"), at("always", a, "adaptive"), "success");
  return `# A canary-aware attacker

This experiment is not in the paper. The Sybil experiment's attacker is easy prey for canaries because it cannot do the work at all. A cheaper attack passes canaries honestly — they are small and recognisable as tests only if the delegator lets them be — and cheats on real tasks, returning made-up output with evidence copied from elsewhere (the reference ProviderAgent's "forges-evidence" behaviour).

## Setup

${setupText(config(), seeds, workflows, `N = 100 agents, a fraction α of them the attacker's identities (each on its own origin, advertising the most attractive promise), with α·N below max_results = 20 so that honest agents remain in every answer. The attacker either cheats on every real task or on half of them; when it does the work, it succeeds like a healthy honest agent. Tier 3 rejects a cheat at once (the copied evidence does not bind the output, §9); Tier 1 learns of it when the delegator learns the step's true outcome, ${config().feedbackDelayMs / 1000} s after the workflow ends; Tier 2 sees nothing, since the attacker answers canaries correctly.`)}

## Results

${figure("success", "Workflow success against the attacker's fraction", drawn)}

Attacker cheats on every task:

${tbl("always")}

Attacker cheats on half the tasks:

${tbl("half")}

Paired differences at α = ${a} (attacker always cheats, same worlds): Tiers 1+2+3 minus Tiers 1+2: ${d3.mean.toFixed(3)} ± ${d3.half.toFixed(3)}; Tiers 1+2+3 minus risk-adaptive: ${dA.mean.toFixed(3)} ± ${dA.half.toFixed(3)}; Tiers 1+2 minus optimistic: ${d1.mean.toFixed(3)} ± ${d1.half.toFixed(3)}.

## What it shows

- **Canaries alone do not stop an attacker that can do the work.** Tiers 1+2 fare ${at("always", a, "tier12").mean.success < at("always", 0, "tier12").mean.success - 0.05 ? "clearly worse than without the attacker" : "about as well as without the attacker"}: the canary passes, the task is cheated, and only Tier 1's reputation — after the outcome is reported — moves the cheater down the ranking.
- **Evidence (Tier 3) turns each cheat into an immediate, visible failure** and a fallback to the next candidate, within the attempt budget; its cost is the evidence package (about 1.5 kB per task) and its check.
- **Risk-adaptive selection protects directly only what it classes as high risk.** It asks for evidence on the publish step (an action, DLG-002) but not on the generate step. Reputation is per provider, not per capability, so a cheat caught by evidence on the publish step also demotes that identity for generation: against an attacker that cheats on every task, risk-adaptive selection comes close to Tiers 1+2+3 (${pm(at("always", a, "adaptive"), "success")} against ${pm(at("always", a, "tier123"), "success")}); against one that cheats half the time it is caught less often and does worse (${pm(at("half", a, "adaptive"), "success")} against ${pm(at("half", a, "tier123"), "success")}).
- **An attacker that cheats only half the time defeats reputation ranking.** Its score settles near one half, above the prior (${(Number(priorScore()) / 1e6).toFixed(3)}) of every agent the delegator has not tried yet, so ranking by reputation (DLG-004), which never explores, keeps choosing it: Tier 1 and Tiers 1+2 succeed ${pm(at("half", a, "tier1"), "success")} and ${pm(at("half", a, "tier12"), "success")} at α = ${a}, no better than optimistic selection (${pm(at("half", a, "optimistic"), "success")}). Only evidence sees each cheat. This is a limit of the protocol's ranking rule as specified, not of the simulator: a floor on the score or some exploration of untried candidates would be needed to push such a provider out.
- **Reputation is what makes persistent cheating unprofitable**: every cheat discovered costs the identity its rank with that delegator. With ${config().delegators} delegators each learning alone, that lesson is learnt ${config().delegators} times; shared attestations (weighted by the trust graph of §7) would spread it, and are the next thing to model.
`;
}
