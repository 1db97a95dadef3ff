// Writes one experiment's outputs into its folder: data.csv, each chart's
// Vega-Lite source and SVG, and report.md. No timestamps, no machine names:
// the same results give the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Experiment, ExperimentResult } from "../experiments/experiment.js";
import { lineChartSpec, renderSvg } from "./charts.js";
import { toCsv } from "./csv.js";

/** Writes the outputs; returns the files written and whether the charts could be drawn. */
export async function writeExperiment(dir: string, e: Experiment, result: ExperimentResult): Promise<{ files: string[]; chartsDrawn: boolean }> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  put("data.csv", toCsv(result.rows));
  let chartsDrawn = true;
  for (const { file, chart } of result.charts) {
    const spec = lineChartSpec(chart);
    put(`${file}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
    const svg = chartsDrawn ? await renderSvg(spec) : undefined;
    if (svg === undefined) chartsDrawn = false;
    else put(`${file}.svg`, svg);
  }
  put("report.md", result.report(chartsDrawn));
  void e;
  return { files, chartsDrawn };
}

/** sim/results/README.md: the index of the experiments. */
export function resultsIndex(experiments: readonly Experiment[], seeds: number): string {
  return `# Simulation results

Regenerate everything with \`npm run sim:paper\` (or one experiment with \`npx ap2p sim <name>\`). Each folder holds \`data.csv\` (one row per configuration: every metric's mean and the half-width of its 95 % interval over ${seeds} replications), the charts as SVG with their Vega-Lite sources (\`*.vl.json\`), and \`report.md\` (setup, results, and a comparison with the paper's claims). The model is described in [../README.md](../README.md).

| experiment | what it asks |
|---|---|
${experiments.map((e) => `| [${e.name}](${e.name}/report.md) | ${e.title}: ${e.summary} |`).join("\n")}

Outputs are byte-identical across runs on the same Node.js major version (\`Math.log\` and \`Math.exp\` are not pinned by the JavaScript specification, so another version may differ in the last digits).
`;
}
