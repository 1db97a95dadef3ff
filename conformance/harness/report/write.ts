// Writing the reports of a run into a folder.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderBadge } from "./badge.js";
import { renderHtml } from "./html.js";
import { renderJUnit } from "./junit.js";
import type { Report } from "./model.js";

/** The report formats, and the file each is written to. */
export const REPORT_FILES = { json: "report.json", junit: "junit.xml", html: "report.html", badge: "badge.json" } as const;
/** A report format. */
export type ReportFormat = keyof typeof REPORT_FILES;
/** Every format, in the order they are written. */
export const REPORT_FORMATS = Object.keys(REPORT_FILES) as ReportFormat[];

/** Writes the chosen formats; returns the paths written. */
export function writeReports(report: Report, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const path = join(dir, REPORT_FILES[format]);
    const text =
      format === "json"
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === "junit"
          ? renderJUnit(report)
          : format === "html"
            ? renderHtml(report)
            : `${JSON.stringify(renderBadge(report), null, 2)}\n`;
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}
