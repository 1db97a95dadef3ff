// Experiment "sybil": Sybil index poisoning. A fraction α of the N = 100
// agents are Sybil identities that advertise the most attractive promise and
// fail every real task and canary; α runs from 0 to 0.5 (the paper's
// setting), for all five policies, under three registry situations.
import { config, POLICIES, POLICY_LABELS, type PolicyName } from "../model/config.js";
import type { Experiment, ExperimentOptions, ExperimentResult } from "./experiment.js";
import { figure, find, pm, pointsOf, setupText, table } from "./common.js";
import { pairedDifference, replicate, seedsFor, type Row } from "./runner.js";

const VARIANTS = [
  { key: "own-origins", label: "each Sybil on its own origin, max_results 20", sybilsPerOrigin: 1, maxResults: 20 },
  { key: "shared-origins", label: "16 Sybils per origin, max_results 20", sybilsPerOrigin: 16, maxResults: 20 },
  { key: "wide-query", label: "each Sybil on its own origin, max_results 100", sybilsPerOrigin: 1, maxResults: 100 },
] as const;

export const sybil: Experiment = {
  name: "sybil",
  title: "Sybil index poisoning (α = 0 … 0.5, N = 100)",
  summary: "success, latency and overhead of the five policies as Sybils flood the registry",
  baseSeed: 0x5b11,
  run(o: ExperimentOptions): ExperimentResult {
    const alphas = o.quick ? [0, 0.1, 0.3, 0.5] : Array.from({ length: 11 }, (_, i) => Math.round(i * 5) / 100);
    const workflows = o.quick ? 800 : 3000;
    const variants = o.quick ? VARIANTS.slice(0, 2) : VARIANTS;
    const points = variants.flatMap((v) =>
      alphas.flatMap((alpha) =>
        POLICIES.map((policy) => ({
          params: { variant: v.key, alpha, policy },
          config: config({ policy, agents: 100, sybilFraction: alpha, sybilsPerOrigin: v.sybilsPerOrigin, maxResults: v.maxResults, workflows }),
        })),
      ),
    );
    const rows = replicate(points, seedsFor(this.baseSeed, o.seeds), o.progress);
    const label = (r: Row) => POLICY_LABELS[r.params.policy as PolicyName];
    const main = (r: Row) => r.params.variant === "own-origins";
    const charts = [
      {
        file: "success",
        chart: {
          title: "End-to-end workflow success under Sybil poisoning (N = 100)",
          x: { title: "Sybil fraction α" },
          y: { title: "workflow success", domain: [0, 1] as const },
          points: pointsOf(rows, "alpha", "success", label, () => true, (r) => VARIANTS.find((v) => v.key === r.params.variant)!.label),
          series: POLICIES.map((p) => POLICY_LABELS[p]),
          panels: variants.map((v) => v.label),
        },
      },
      {
        file: "latency",
        chart: {
          title: "Discovery latency, mean (each Sybil on its own origin)",
          x: { title: "Sybil fraction α" },
          y: { title: "query to answer, ms", zero: false },
          points: pointsOf(rows, "alpha", "discovery_mean_ms", label, main),
          series: POLICIES.map((p) => POLICY_LABELS[p]),
        },
      },
      {
        file: "overhead",
        chart: {
          title: "Control-plane bytes per workflow (each Sybil on its own origin)",
          x: { title: "Sybil fraction α" },
          y: { title: "kB per workflow" },
          points: pointsOf(rows, "alpha", "bytes_total", label, main, undefined, 1 / 1000),
          series: POLICIES.map((p) => POLICY_LABELS[p]),
        },
      },
    ];
    return { rows, charts, report: (drawn) => report(rows, alphas, variants, o.seeds, workflows, drawn) };
  },
};

function report(rows: readonly Row[], alphas: readonly number[], variants: readonly (typeof VARIANTS)[number][], seeds: number, workflows: number, drawn: boolean): string {
  const at = (variant: string, alpha: number, policy: PolicyName) => find(rows, { variant, alpha, policy });
  const shown = alphas.filter((a) => [0, 0.1, 0.2, 0.3, 0.5].includes(a));
  const successTable = (variant: string) =>
    table(
      ["policy", ...shown.map((a) => `α = ${a}`)],
      POLICIES.map((p) => [POLICY_LABELS[p], ...shown.map((a) => pm(at(variant, a, p), "success"))]),
    );
  // The smallest α at which a policy's success falls below one half.
  const collapse = (variant: string, policy: PolicyName) => alphas.find((a) => at(variant, a, policy).mean.success < 0.5);
  const cliff = (variant: string, policy: PolicyName) => {
    const a = collapse(variant, policy);
    return a === undefined ? "never below 0.5" : `below 0.5 from α = ${a}`;
  };
  const lat = alphas.map((a) => at("own-origins", a, "adaptive").mean.discovery_mean_ms);
  const latMin = Math.min(...lat);
  const latMax = Math.max(...lat);
  const d01 = alphas.includes(0.1) ? pairedDifference(at("own-origins", 0.1, "tier12"), at("own-origins", 0.1, "optimistic"), "success") : undefined;
  const bytes = (p: PolicyName) => at("own-origins", 0, p).mean.bytes_total / 1000;
  return `# Sybil index poisoning

## Setup

${setupText(config(), seeds, workflows, `N = 100 agents, of which round(α·N) are Sybil identities. A Sybil advertises both capabilities with a promised latency below every honest agent's, so it ranks first in the registry's order (DISC-011), and it answers canaries and tasks with made-up output (the reference ProviderAgent's "lacks-capability"). Honest agents drift slowly (a degradation every 30 min, 6 min on average). TTL 60 s. Three registry situations: every Sybil on its own network origin (a botnet: the per-origin limits never bind) with the delegate() default max_results = 20; 16 Sybils per origin (the most DISC-020 admits), so DISC-022 lets at most 3 of them into one answer; and every Sybil on its own origin with max_results = 100, the schema's maximum, of which 70 results fit in one signed answer (DISC-014 sends the longest prefix within SIG-001's 64 KiB).`)}

## Results

${figure("success", "Workflow success against the Sybil fraction, per policy and registry situation", drawn)}

Success, each Sybil on its own origin (max_results 20):

${successTable("own-origins")}

${variants.some((v) => v.key === "shared-origins") ? `Success, 16 Sybils per origin:\n\n${successTable("shared-origins")}\n` : ""}
${variants.some((v) => v.key === "wide-query") ? `Success, max_results 100:\n\n${successTable("wide-query")}\n` : ""}
Where each policy falls below a success of 0.5: ${variants.map((v) => `*${v.label}*: ${POLICIES.map((p) => `${POLICY_LABELS[p]} ${cliff(v.key, p)}`).join("; ")}`).join(". ")}.
${d01 ? `\nAt α = 0.1 (own origins), the paired difference in success, Tiers 1+2 minus optimistic over the same worlds, is ${d01.mean.toFixed(3)} ± ${d01.half.toFixed(3)}.\n` : ""}
${figure("latency", "Discovery latency (query sent to answer received) against α", drawn)}

Mean discovery latency of the risk-adaptive policy stays between ${latMin.toFixed(1)} and ${latMax.toFixed(1)} ms over the sweep: discovery is one registry round trip, and Sybils change what the answer holds, not how long it takes. The p95 of every configuration is in data.csv.

${figure("overhead", "Control-plane bytes per workflow against α", drawn)}

Bytes per workflow at α = 0: optimistic ${bytes("optimistic").toFixed(1)} kB, Tier 1 ${bytes("tier1").toFixed(1)} kB, Tiers 1+2 ${bytes("tier12").toFixed(1)} kB, Tiers 1+2+3 ${bytes("tier123").toFixed(1)} kB, risk-adaptive ${bytes("adaptive").toFixed(1)} kB. The signed registry answer (20 descriptors, about 18.8 kB) dominates every policy's traffic; a canary adds about 0.9 kB per attempt and an evidence package about 1.5 kB.

## Comparison with the paper

- **Optimistic selection collapses under index poisoning: agrees.** One Sybil is enough: it ranks first and optimistic selection takes the first result, so success drops from ${at("own-origins", 0, "optimistic").mean.success.toFixed(2)} at α = 0 to ${alphas.includes(0.05) ? at("own-origins", 0.05, "optimistic").mean.success.toFixed(2) : "0"} at α = 0.05.
- **Tiered verification sustains success up to α = 0.5: agrees only while honest agents reach the answer.** With the protocol's own rules a delegator ranks and verifies only what the registry returns. When Sybils on distinct origins outnumber max_results (here round(α·100) ≥ 20, from α = 0.2), every answer is all Sybils: canaries catch each one and reputation pushes them below the floor, but no honest candidate is left${alphas.includes(0.2) ? `, and the tiered policies' success at α = 0.2 is ${((["tier1", "tier12", "tier123", "adaptive"] as const).map((p) => at("own-origins", 0.2, p).mean.success.toFixed(3))).join(", ")} (Tier 1, Tiers 1+2, Tiers 1+2+3, risk-adaptive)` : ""}. The paper's claim holds when the per-origin limits bind (16 Sybils per origin: at most 3 per origin in an answer) or when the delegator asks for more results than there are Sybils (max_results 100, of which 70 fit in an answer, against at most 50 Sybils here; the answer then costs about 65 kB). The defence against a Sybil flood on many origins is in discovery (DISC-020, DISC-022, answer diversity), not in the verification tiers.
- **Discovery latency near-constant: agrees.** It does not depend on α at all in this model.
- **Overhead modest: agrees, with a number.** Tiers add canary and evidence bytes on top of a registry answer that costs far more; the risk-adaptive policy pays evidence only on the publish step.
- Tier 1 alone (reputation, learned from outcomes reported ${config().feedbackDelayMs / 1000} s after each workflow) recovers part of the loss at small α, but every delegator pays with failed workflows for every Sybil before it learns (an outcome arrives only after its workflow ends, and workflows started meanwhile go to the same Sybil), and with ${config().delegators} delegators holding only their own attestations that learning is repeated ${config().delegators} times.
`;
}
