// The renderers, in one typed map: the list of formats is derived from it, never repeated. Every renderer
// reads the findings file only; none recomputes a result.
import type { Findings } from '../model/types.js';
import { renderJunit } from './junit.js';

export interface Renderer {
  /** File written into --out. */
  fileName: string;
  /** Binary formats cannot go to stdout. */
  binary: boolean;
  render(findings: Findings): Promise<string | Uint8Array>;
}

export const renderers = {
  json: { fileName: 'findings.json', binary: false, render: async (f: Findings) => JSON.stringify(f, null, 2) + '\n' },
  junit: { fileName: 'junit.xml', binary: false, render: async (f: Findings) => renderJunit(f) },
} satisfies Record<string, Renderer>;

export type Format = keyof typeof renderers;
export const FORMATS = Object.keys(renderers) as Format[];

export function isFormat(name: string): name is Format {
  return Object.hasOwn(renderers, name);
}
