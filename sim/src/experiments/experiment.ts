// What an experiment is: a named function from options to rows, charts and a
// report. The registry of experiments is in index.ts.
import type { LineChart } from "../output/charts.js";
import type { Progress, Row } from "./runner.js";

export interface ExperimentOptions {
  /** Replications per configuration. */
  readonly seeds: number;
  /** Smaller grids and runs, for a quick look and for tests. */
  readonly quick: boolean;
  readonly progress?: Progress;
}

export interface ExperimentResult {
  readonly rows: readonly Row[];
  /** Charts by file stem (chart.svg and chart.vl.json). */
  readonly charts: readonly { readonly file: string; readonly chart: LineChart }[];
  /** The report's markdown; `chartsDrawn` says whether the SVGs exist. */
  readonly report: (chartsDrawn: boolean) => string;
}

export interface Experiment {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** Base seed from which the replication seeds are drawn. */
  readonly baseSeed: number;
  readonly run: (o: ExperimentOptions) => ExperimentResult;
}
