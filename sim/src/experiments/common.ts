// Helpers shared by the experiments: points of a chart from rows, markdown
// tables, and the standard paragraphs every report carries.
import { num } from "../output/csv.js";
import type { Point } from "../output/charts.js";
import { DEFAULT_CONFIG, type SimConfig } from "../model/config.js";
import type { Metric, Row } from "./runner.js";

/** Points (x, metric ± interval) of the rows that pass `keep`, one series per `seriesOf`. */
export function pointsOf(rows: readonly Row[], x: string, metric: Metric, seriesOf: (r: Row) => string, keep: (r: Row) => boolean = () => true, panelOf?: (r: Row) => string, scale = 1): Point[] {
  return rows.filter(keep).map((r) => {
    const y = r.mean[metric] * scale;
    const h = r.half[metric] * scale;
    return { x: Number(r.params[x]), y, lo: y - h, hi: y + h, series: seriesOf(r), ...(panelOf ? { panel: panelOf(r) } : {}) };
  });
}

/** A value with its interval, e.g. "0.912 ± 0.004". */
export function pm(r: Row, m: Metric, digits = 3, scale = 1): string {
  return `${(r.mean[m] * scale).toFixed(digits)} ± ${(r.half[m] * scale).toFixed(digits)}`;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** The first row matching all the given parameters. */
export function find(rows: readonly Row[], params: Record<string, string | number>): Row {
  const r = rows.find((row) => Object.entries(params).every(([k, v]) => row.params[k] === v));
  if (r === undefined) throw new Error(`no row with ${JSON.stringify(params)}`);
  return r;
}

/** How the charts are embedded, or why they are not. */
export function figure(file: string, caption: string, drawn: boolean): string {
  return drawn ? `![${caption}](${file}.svg)\n\n*${caption}* (Vega-Lite source: [${file}.vl.json](${file}.vl.json))` : `*${caption}*: not drawn (vega is not installed); the data are in data.csv and the chart's source in ${file}.vl.json.`;
}

/** The setup paragraph common to every report. */
export function setupText(c: SimConfig, seeds: number, workflows: number | string, extra: string): string {
  const d = DEFAULT_CONFIG;
  return [
    `Each configuration ran ${seeds} independent replications of ${typeof workflows === "number" ? workflows.toLocaleString("en-US") : workflows} workflows (the first ${Math.round(c.warmupFraction * 100)} % discarded as warm-up; the registry starts full). Intervals are 95 % confidence intervals across replications, mean ± t(0.975, n−1)·s/√n with n = ${seeds}. All policies of a configuration see the same world (common random numbers).`,
    extra,
    `Fixed unless stated: ${c.delegators} delegators, each ranking by its own attestations only; workflows arrive as a Poisson process; one-way network delay lognormal (median ${d.networkMedianMs} ms, σ ${d.networkSigma}); one registry, a FIFO server with exponential service times of mean ${d.registry.publishServiceMs} ms per publish and ${d.registry.queryServiceMs} ms per query; descriptors refreshed every TTL/2 ±10 %; the default risk policy (max attempts 3 at LOW and MEDIUM, 4 at HIGH); queries ask for max_results ${d.maxResults}. The model and every assumption: [sim/README.md](../../README.md).`,
  ].join("\n\n");
}
