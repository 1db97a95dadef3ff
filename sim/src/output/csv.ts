// data.csv: one row per configuration, with every metric's mean and the
// half-width of its 95 % interval. Numbers are written with six significant
// digits, so that the file is byte-identical whenever the results are.
import { METRICS, type Row } from "../experiments/runner.js";

/** A number as the CSV and reports write it. */
export function num(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return "";
  const v = Number(x.toPrecision(digits));
  return Object.is(v, -0) ? "0" : String(v);
}

function cell(v: string | number): string {
  const s = typeof v === "number" ? num(v) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of some rows; every row must have the same parameters. */
export function toCsv(rows: readonly Row[]): string {
  if (rows.length === 0) return "";
  const params = Object.keys(rows[0]!.params);
  const header = [...params, "n", ...METRICS.flatMap((m) => [m, `${m}_ci95`])];
  const lines = [header.join(",")];
  for (const r of rows) lines.push([...params.map((p) => cell(r.params[p]!)), String(r.n), ...METRICS.flatMap((m) => [cell(r.mean[m]), cell(r.half[m])])].join(","));
  return `${lines.join("\n")}\n`;
}
