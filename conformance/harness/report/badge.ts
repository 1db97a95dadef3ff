// A badge in the shields.io endpoint format
// (https://shields.io/badges/endpoint-badge): publish badge.json and point
// `https://img.shields.io/endpoint?url=…` at it.
import type { Report } from "./model.js";

/** The shields.io endpoint document. */
export interface Badge {
  readonly schemaVersion: 1;
  readonly label: string;
  readonly message: string;
  readonly color: string;
}

/** The badge of a report: green when the run passes, yellow-green with warnings, red when it fails, grey when it could not say. */
export function renderBadge(report: Report): Badge {
  const s = report.summary;
  const ran = s.total - s.unsupported - s.skipped;
  const counts = `${s.passed}/${ran} passed`;
  const label = "AP2P conformance";
  if (report.verdict.result === "error" || report.run.aborted !== null) return { schemaVersion: 1, label, message: `incomplete · ${counts}`, color: "lightgrey" };
  if (report.verdict.result === "fail") {
    const why = s.required_failed > 0 ? `${s.required_failed} required failed` : "failing";
    return { schemaVersion: 1, label, message: `${why} · ${counts}`, color: "red" };
  }
  const warnings = s.recommended_failed + s.optional_failed;
  return { schemaVersion: 1, label, message: counts, color: warnings > 0 ? "yellowgreen" : "brightgreen" };
}
