// Renders the formats a run asks for into --out (written beside, then renamed, so no reader sees half a
// file), sharing one browser across every PDF, and optionally emails the PDF. Used by `trailproof report`;
// `audit` can call the same function with the findings it just produced.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendReportMessage, type SendResult } from '../email/send.js';
import { buildReportMessage } from '../email/message.js';
import type { EmailSettings } from '../email/settings.js';
import type { Findings } from '../model/types.js';
import { SharedBrowser } from '../report/browser.js';
import { renderers as reportRenderers, type Format as ReportFormat, type Renderer } from './index.js';
import { writeChunked } from './chunked-file.js';

// The report code's names for the renderer registry (src/output/index.ts).
export { FORMATS as REPORT_FORMATS, isFormat as isReportFormat, renderers as reportRenderers, type Format as ReportFormat } from './index.js';
import type { RenderContext } from '../report/context.js';
import { buildReportView } from '../report/model.js';
import { pdfPageCount } from '../report/pdf-file.js';
import { loadTemplates } from '../report/templates.js';

export interface WrittenReport {
  format: ReportFormat;
  path: string;
  /** The file's size in bytes. */
  size: number;
  /** For PDFs: the file's bytes (the email attaches them). Other formats are not kept once written. */
  bytes?: Uint8Array;
  /** For PDFs: the page count. */
  pages?: number;
}

export interface WriteOptions {
  /** The findings file's own bytes: `json` then copies them verbatim, so its SHA-256 stays the one reported. */
  originalJson?: Uint8Array;
  /** Called after each file is written (progress on stderr). */
  onWritten?: (report: WrittenReport) => void;
}

function toBytes(output: string | Uint8Array): Uint8Array {
  return typeof output === 'string' ? Buffer.from(output, 'utf8') : output;
}

export async function renderOne(format: ReportFormat, findings: Findings, ctx: RenderContext): Promise<string | Uint8Array> {
  const renderer = reportRenderers[format] as { render(f: Findings, c?: RenderContext): Promise<string | Uint8Array> };
  return renderer.render(findings, ctx);
}

export async function writeReports(findings: Findings, formats: ReportFormat[], outDir: string, ctx: RenderContext, options: WriteOptions = {}): Promise<WrittenReport[]> {
  mkdirSync(outDir, { recursive: true });
  const own = formats.includes('pdf') && !ctx.browser ? new SharedBrowser() : undefined;
  const context: RenderContext = own ? { ...ctx, browser: own } : ctx;
  const written: WrittenReport[] = [];
  try {
    for (const format of formats) {
      const path = join(outDir, reportRenderers[format].fileName);
      const renderer: Renderer = reportRenderers[format];
      let report: WrittenReport;
      if (renderer.chunks !== undefined && !(format === 'json' && options.originalJson)) {
        const chunks = renderer.chunks(findings, context);
        const { size } = writeChunked(path, (write) => {
          for (const chunk of chunks) write(chunk);
        });
        report = { format, path, size };
      } else {
        const bytes = format === 'json' && options.originalJson ? options.originalJson : toBytes(await renderOne(format, findings, context));
        writeFileSync(`${path}.tmp`, bytes);
        renameSync(`${path}.tmp`, path);
        report = { format, path, size: bytes.length };
        if (format === 'pdf') {
          report.bytes = bytes;
          report.pages = await pdfPageCount(bytes);
        }
      }
      written.push(report);
      options.onWritten?.(report);
    }
  } finally {
    await own?.close();
  }
  return written;
}

/** Emails the written PDF with a summary of the same findings; throws (TrailproofError) when the send fails. */
export async function emailReport(findings: Findings, pdf: WrittenReport, to: string[], settings: EmailSettings, ctx: RenderContext, subject?: string): Promise<SendResult> {
  const view = buildReportView(findings, ctx);
  if (pdf.bytes === undefined) throw new Error(`${pdf.path}: the written PDF's bytes were not kept`);
  const message = buildReportMessage(view, loadTemplates(ctx.templatesDir), { path: pdf.path, bytes: pdf.bytes }, subject);
  return sendReportMessage(message, to, settings);
}
