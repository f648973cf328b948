// The report as one self-contained HTML document: the same document the PDF prints.
import type { Findings } from '../model/types.js';
import type { RenderContext } from './context.js';
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
  const html = templates.render('report.hbs', { ...view, css: templates.css });
  return { html, view, templates };
}
