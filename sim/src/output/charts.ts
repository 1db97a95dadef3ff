// Charts: a Vega-Lite specification per chart, kept next to its SVG so that
// anyone can re-render or restyle it, and the SVG rendered headless with vega
// (no browser, no canvas). vega and vega-lite are development dependencies,
// loaded only when a chart is drawn; without them the caller writes the CSV
// and the report and says that the charts were skipped.

/** One point of a series, with its 95 % interval. */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly lo: number;
  readonly hi: number;
  readonly series: string;
  /** Optional panel (one small chart per value). */
  readonly panel?: string;
}

export interface LineChart {
  readonly title: string;
  readonly x: { readonly title: string; readonly log?: boolean };
  readonly y: { readonly title: string; readonly log?: boolean; readonly zero?: boolean; readonly domain?: readonly [number, number] };
  readonly points: readonly Point[];
  /** Order of the series in the legend. */
  readonly series: readonly string[];
  readonly panels?: readonly string[];
}

/** The Vega-Lite specification of a line chart with interval bands. */
export function lineChartSpec(c: LineChart): Record<string, unknown> {
  const x = { field: "x", type: "quantitative", title: c.x.title, scale: c.x.log ? { type: "log", nice: false } : { zero: false, nice: false } };
  const yScale: Record<string, unknown> = c.y.log ? { type: "log", nice: false } : { zero: c.y.zero ?? true };
  if (c.y.domain) yScale.domain = [...c.y.domain];
  const color = { field: "series", type: "nominal", title: null, sort: [...c.series] };
  const layer = [
    { mark: { type: "line", point: { size: 30 } }, encoding: { x, y: { field: "y", type: "quantitative", scale: yScale, title: c.y.title }, color: { ...color, legend: { symbolType: "stroke", symbolStrokeWidth: 2 } } } },
    { mark: { type: "area", opacity: 0.18 }, encoding: { x, y: { field: "lo", type: "quantitative", scale: yScale, title: c.y.title }, y2: { field: "hi" }, color } },
  ];
  const data = { values: c.points.map((p) => ({ x: p.x, y: p.y, lo: p.lo, hi: p.hi, series: p.series, ...(p.panel === undefined ? {} : { panel: p.panel }) })) };
  const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: c.title, data, config: { font: "Helvetica, Arial, sans-serif", legend: { orient: "bottom", columns: 2, labelLimit: 0 } } };
  if (c.panels && c.panels.length > 0) {
    return { ...base, facet: { field: "panel", type: "nominal", title: null, sort: [...c.panels] }, columns: Math.min(3, c.panels.length), spec: { width: 260, height: 190, layer } };
  }
  return { ...base, width: 480, height: 280, layer };
}

/** Renders a Vega-Lite specification to SVG; undefined if vega is not installed. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string | undefined> {
  let vega: typeof import("vega");
  let vl: typeof import("vega-lite");
  try {
    vega = await import("vega");
    vl = await import("vega-lite");
  } catch {
    return undefined;
  }
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg}\n`;
}
