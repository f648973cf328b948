// What a renderer may know beyond the findings file: where the evidence bundle is (for excerpts and the file
// list), branding, the previous audit (for "changes since"), template overrides, and one shared browser.
// Every field is optional: a renderer given only the findings still produces a complete, honest document.
import type { Page } from 'puppeteer-core';
import type { Findings } from '../model/types.js';
import type { Period } from '../model/period.js';
import type { History } from './trends-history.js';

export type Paper = 'a4' | 'letter';
export const PAPERS: readonly Paper[] = ['a4', 'letter'];

export interface Branding {
  organizationName?: string;
  title?: string;
  /** Absolute path of a PNG, JPEG or SVG file; embedded as a data URI so the HTML stays self-contained. */
  logo?: string;
  colors?: { primary?: string; accent?: string };
}

/** A page factory over one browser, shared by every PDF of a run (see src/report/browser.ts). */
export interface BrowserSession {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface RenderContext {
  /** Folder whose files override templates/ (same relative names; partials/*.hbs may add partials). */
  templatesDir?: string;
  branding?: Branding;
  /** The evidence bundle the findings cite, absolute; absent: excerpts and the file list are not shown. */
  bundleDir?: string;
  /** The previous audit, for the "changes since the previous audit" section. */
  previous?: Findings;
  /** Where the previous findings came from (shown in the report). */
  previousFile?: string;
  /** The earlier audits of --history (oldest first) and the files skipped: the report's and summary's trends. */
  history?: History;
  /** SHA-256 of the findings file as written on disk; computed from the canonical JSON when absent. */
  findingsSha256?: string;
  /** Overrides findings.run.period for the report's label (e.g. `report --period 2026-Q3`). */
  period?: Period;
  paper?: Paper;
  /** When the report is generated (default: now). */
  generatedAt?: Date;
  /** A browser shared by every page of the run; without it the PDF renderer launches and closes its own. */
  browser?: BrowserSession;
  /** Which results findings.sarif carries: those that need attention (default) or all (`--sarif-all`). */
  sarifInclude?: 'attention' | 'all';
  /** The key the outputs are signed with (attestation.intoto.jsonl): its fingerprint goes on the cover and in the PDF metadata. */
  signingKey?: { keyid: string; kind: 'file' | 'kms'; name: string };
  /** Warnings for stderr (a bundle file that no longer matches, an unreadable logo...). */
  warn?: (message: string) => void;
}
