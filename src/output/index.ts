// The renderers, in one typed map: the list of formats is derived from it, never repeated. Every renderer
// reads the findings file only (plus, for the reports, the context: bundle for excerpts, branding, previous
// audit); none recomputes a result. html and pdf load the report code (Handlebars, Puppeteer) on first use.
import type { Findings } from '../model/types.js';
import type { RenderContext } from '../report/context.js';
import { asffRenderer } from './asff.js';
import { complianceCsvRenderer } from './compliance-csv.js';
import { csvRenderer } from './csv.js';
import { htmlRenderer } from './html.js';
import { junitChunks, renderJunit } from './junit.js';
import { markdownRenderer } from './markdown.js';
import { ocsfRenderer } from './ocsf.js';
import { pdfRenderer } from './pdf.js';
import { sarifRenderer } from './sarif.js';

export interface Renderer {
  /** File written into --out. */
  fileName: string;
  /** Binary formats cannot go to stdout. */
  binary: boolean;
  render(findings: Findings, ctx?: RenderContext): Promise<string | Uint8Array>;
  /**
   * The same text piece by piece, for formats that grow with the results: written to a file as it comes, so
   * the whole text is never held (see chunked-file.ts). `render` stays the one for stdout.
   */
  chunks?(findings: Findings, ctx?: RenderContext): Iterable<string>;
}

export const renderers = {
  json: { fileName: 'findings.json', binary: false, render: async (f: Findings) => JSON.stringify(f, null, 2) + '\n' },
  html: htmlRenderer,
  pdf: pdfRenderer,
  junit: { fileName: 'junit.xml', binary: false, render: async (f: Findings) => renderJunit(f), chunks: junitChunks },
  sarif: sarifRenderer,
  csv: csvRenderer,
  ocsf: ocsfRenderer,
  markdown: markdownRenderer,
  asff: asffRenderer,
  compliance: complianceCsvRenderer,
} satisfies Record<string, Renderer>;

export type Format = keyof typeof renderers;
export const FORMATS = Object.keys(renderers) as Format[];

export function isFormat(name: string): name is Format {
  return Object.hasOwn(renderers, name);
}
