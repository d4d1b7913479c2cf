import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { Finding } from "../findings";
import { BaselineComparison, renderBaselineText } from "./baseline";
import { renderHtmlReport } from "./html";
import { renderJsonReport } from "./json";
import { renderSarifReport, SarifReportOptions } from "./sarif";
import { renderTextReport, TextReportOptions } from "./text";

export { buildJsonReport, jsonReportSchema, JsonReport, renderJsonReport } from "./json";
export {
  buildSarifReport,
  renderSarifReport,
  renderSarifToolFailure,
  SARIF_SCHEMA_URI,
  SarifReportOptions,
} from "./sarif";
export { renderTextReport, TextReportOptions } from "./text";
export { escapeHtml, htmlReportCsp, renderHtmlReport } from "./html";
export { TOOL_NAME, toolVersion } from "./tool-info";

/** The report formats. */
export type ReportFormat = "text" | "json" | "sarif" | "html";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif", "html"];

/** Options for any report format. */
export type ReportOptions = TextReportOptions &
  SarifReportOptions & {
    /** The comparison with a previous report (`--baseline`): JSON, text and HTML show it. */
    readonly baseline?: BaselineComparison;
  };

/** Renders findings in one format. */
export function renderReport(
  format: ReportFormat,
  findings: readonly Finding[],
  options: ReportOptions = {},
): string {
  switch (format) {
    case "json":
      return renderJsonReport(findings, options);
    case "sarif":
      return renderSarifReport(findings, options);
    case "html":
      return renderHtmlReport(findings, options);
    default:
      return (
        renderTextReport(findings, { ...options, color: options.color ?? false }) +
        (options.baseline !== undefined ? renderBaselineText(options.baseline) : "")
      );
  }
}

/** Paths of the reports {@link writeReports} wrote. */
export interface WrittenReports {
  readonly text: string;
  readonly json: string;
  readonly sarif: string;
}

/**
 * Writes `report.txt`, `report.json` and `report.sarif` into `dir` (created if missing). The
 * text report is plain (no colour) since it is a file.
 */
export function writeReports(
  dir: string,
  findings: readonly Finding[],
  options: ReportOptions = {},
): WrittenReports {
  mkdirSync(dir, { recursive: true });
  const paths = {
    text: join(dir, "report.txt"),
    json: join(dir, "report.json"),
    sarif: join(dir, "report.sarif"),
  };
  writeFileSync(paths.text, renderTextReport(findings, { ...options, color: false }));
  writeFileSync(paths.json, renderJsonReport(findings, options));
  writeFileSync(paths.sarif, renderSarifReport(findings, options));
  return paths;
}
