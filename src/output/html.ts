// The HTML report renderer: one self-contained file (inline CSS and SVG, no scripts, nothing fetched).
// The report modules (Handlebars) load on first use, so a JSON-only run never pays for them.
import type { Findings } from '../model/types.js';
import type { RenderContext } from '../report/context.js';

export async function renderHtml(findings: Findings, ctx: RenderContext = {}): Promise<string> {
  const { renderReportHtml } = await import('../report/html.js');
  return renderReportHtml(findings, ctx).html;
}

export const htmlRenderer = { fileName: 'report.html', binary: false, render: renderHtml } as const;
