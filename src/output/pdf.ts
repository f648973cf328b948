// The PDF report renderer: the HTML report printed by the system Chromium through puppeteer-core, which is
// imported only here, on first use. With ctx.browser the run's one browser is reused for every page.
import type { Findings } from '../model/types.js';
import type { RenderContext } from '../report/context.js';

export async function renderPdf(findings: Findings, ctx: RenderContext = {}): Promise<Uint8Array> {
  const { renderReportPdf } = await import('../report/pdf.js');
  return renderReportPdf(findings, ctx);
}

export const pdfRenderer = { fileName: 'report.pdf', binary: true, render: renderPdf } as const;
