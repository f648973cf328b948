// Every format the report command writes, in one typed map (light: renderers load their heavy parts on use).
import { csvRenderer } from '../output/csv.js';
import { htmlRenderer } from '../output/html.js';
import { renderers as registered } from '../output/index.js';
import { markdownRenderer } from '../output/markdown.js';
import { ocsfRenderer } from '../output/ocsf.js';
import { pdfRenderer } from '../output/pdf.js';
import { sarifRenderer } from '../output/sarif.js';

/**
 * Every format the report command can write. The registry in src/output/index.ts wins where it has a format;
 * the report formats are listed here until they are registered there.
 */
export const reportRenderers = { html: htmlRenderer, pdf: pdfRenderer, sarif: sarifRenderer, csv: csvRenderer, ocsf: ocsfRenderer, markdown: markdownRenderer, ...registered };
export type ReportFormat = keyof typeof reportRenderers;
export const REPORT_FORMATS = Object.keys(reportRenderers) as ReportFormat[];

export function isReportFormat(name: string): name is ReportFormat {
  return Object.hasOwn(reportRenderers, name);
}

