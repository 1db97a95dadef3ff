// Step 4 of the reputation function (spec/07-reputation.md §7.5.6, REP-016):
// how much the evaluator trusts each rater. Trust starts at the evaluator and
// its explicitly trusted raters and flows, for at most `depth` hops, along
// net-positive experience: a rater passes on a damped share of its trust,
// split in proportion to its net positive evidence about each peer. A rater
// never passes on more than it holds, so identities that no trusted rater has
// good experience with receive nothing however many there are (§7.8).
import { capEvidence, type EvidenceTable } from "./evidence.js";
import { PPM, type ReputationParams } from "./params.js";

/** Trust per peer, in ppm of the evaluator's own. */
export type TrustMap = ReadonlyMap<string, bigint>;

const byId = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The trust that arrives at each peer after exactly k hops, for k = 0..depth
 * (t_0 … t_depth of REP-016). `excluded` is the provider being scored: its
 * attestations, and attestations about it, are left out, and it is not a source.
 */
export function trustLevels(evaluator: string, table: EvidenceTable, params: ReputationParams, excluded?: string): TrustMap[] {
  const sources = [evaluator, ...params.trustedRaters].filter((p) => p !== excluded);
  let level = new Map<string, bigint>(sources.map((p) => [p, PPM]));
  const levels: TrustMap[] = [level];
  for (let k = 1; k <= params.depth; k++) {
    const next = new Map<string, bigint>();
    for (const [j, tj] of [...level].sort(byId)) {
      if (tj === 0n || j === excluded) continue;
      const row = table.get(j);
      if (row === undefined) continue;
      // l_jx = max(R'_jx − S'_jx, 0), with the rater cap for raters other than the evaluator.
      const local: [string, bigint][] = [];
      let sum = 0n;
      for (const [x, e] of [...row].sort(byId)) {
        if (x === excluded) continue;
        const c = j === evaluator ? e : capEvidence(e, params.raterCap);
        const l = c.positive - c.negative;
        if (l > 0n) {
          local.push([x, l]);
          sum += l;
        }
      }
      const norm = sum > params.trustFloor ? sum : params.trustFloor;
      for (const [x, l] of local) {
        const flow = (tj * params.dampingPpm * l) / (PPM * norm);
        if (flow > 0n) next.set(x, (next.get(x) ?? 0n) + flow);
      }
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

/** Rater weights (REP-016): w(j) = min(PPM, t_0(j) + … + t_depth(j)); peers absent from the map weigh 0. */
export function raterWeights(evaluator: string, table: EvidenceTable, params: ReputationParams, excluded?: string): TrustMap {
  const total = new Map<string, bigint>();
  for (const level of trustLevels(evaluator, table, params, excluded)) {
    for (const [p, t] of level) total.set(p, (total.get(p) ?? 0n) + t);
  }
  const weights = new Map<string, bigint>();
  for (const [p, t] of [...total].sort(byId)) if (t > 0n) weights.set(p, t < PPM ? t : PPM);
  return weights;
}
