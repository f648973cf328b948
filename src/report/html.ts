// The report as one self-contained HTML document: the same document the PDF prints. Its one inline script
// (templates/report.js) is admitted by the Content-Security-Policy through the SHA-256 of its exact text
// (interactive.ts); the template writes `csp` into its <meta> policy and `script` into its <script> element.
import type { Findings } from '../model/types.js';
import type { RenderContext } from './context.js';
import { reportPolicy } from './interactive.js';
import { buildReportView, type ReportView } from './model.js';
import { loadTemplates, type TemplateSet } from './templates.js';

export interface RenderedHtml {
  html: string;
  view: ReportView;
  templates: TemplateSet;
}

export function renderReportHtml(findings: Findings, ctx: RenderContext = {}): RenderedHtml {
  const templates = loadTemplates(ctx.templatesDir);
  const view = buildReportView(findings, ctx);
  const html = templates.render('report.hbs', { ...view, css: templates.css, script: templates.script ?? '', csp: reportPolicy(templates.script) });
  return { html, view, templates };
}
