// Reading saved findings files (`report --findings`, `--previous`, `--history`): JSON validated against
// schema/findings.schema.json, with an error that names the file, and the findings files of a history folder
// (which of them are earlier audits of the same organization is trends-history.ts's business).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from '../engine/audit.js';
import { runOutcome } from '../engine/gate.js';
import { assignResultIds } from '../engine/result-id.js';
import { TrailproofError, errorMessage } from '../errors.js';
import { MAX_RECORD_DEPTH, textTooDeep } from '../events/depth.js';
import type { Findings, Result } from '../model/types.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';

const validateFindings = compileSchema<Findings>(loadSchema('findings.schema.json'));

export interface LoadedFindings {
  findings: Findings;
  file: string;
  /** SHA-256 of the file's bytes, as the report's evidence appendix states it. */
  sha256: string;
  bytes: Uint8Array;
}

/**
 * Nesting past which a findings file is refused before it is parsed: trailproof writes detections from
 * records no deeper than MAX_RECORD_DEPTH, and the renderers (HTML, SARIF) walk values recursively.
 */
export const MAX_FINDINGS_DEPTH = 2 * MAX_RECORD_DEPTH;

export function parseFindings(text: string, file: string): Findings {
  if (textTooDeep(text, 0, text.length, MAX_FINDINGS_DEPTH)) {
    throw new TrailproofError('TP_USAGE', `findings file ${file} nests deeper than ${MAX_FINDINGS_DEPTH} levels (MAX_FINDINGS_DEPTH): not a findings file trailproof wrote`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `findings file ${file} is not valid JSON: ${errorMessage(err)}`);
  }
  if (!validateFindings(value)) {
    throw new TrailproofError('TP_USAGE', `findings file ${file} is not a trailproof findings file: ${formatAjvErrors(validateFindings.errors, '')} (schema: schema/findings.schema.json)`);
  }
  // Fields the schema leaves optional (older or hand-made files) read as empty, never as undefined.
  const findings = value;
  findings.waivers ??= [];
  findings.run.collectedAt ??= findings.run.finishedAt;
  findings.run.failOn ??= 'high';
  // A file written before run.outcome existed states the outcome its results, integrity and gate give.
  findings.run.outcome ??= runOutcome(findings);
  // A file written before result ids and observations existed gets them as the engine gives them now.
  if (findings.results.some((r) => (r as Partial<Result>).id === undefined)) findings.results = assignResultIds(findings.results.map(({ id: _id, ...r }) => r));
  if (findings.summary.observations === undefined) {
    findings.results = findings.results.map((r) => (r.status === 'FAIL' && r.severity === 'info' ? { ...r, observation: true } : r));
    findings.summary = { ...summarize(findings.results, findings.detections), ...{ detections: findings.summary.detections } };
  }
  return findings;
}

export function loadFindings(file: string): LoadedFindings {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `cannot read findings file ${file}: ${errorMessage(err)}`);
  }
  return { findings: parseFindings(bytes.toString('utf8'), file), file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/** The instant a run stands for when runs are ordered: the end of its period, else its evidence time. */
export function runInstant(findings: Findings): number {
  const at = findings.run.period.to ?? findings.run.collectedAt ?? findings.run.finishedAt;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Date.parse(findings.run.finishedAt) : ms;
}

/** Names trailproof writes findings under: `findings.json` in each run's --out folder, or `<name>.findings.json`. */
export function isFindingsFileName(name: string): boolean {
  return name === 'findings.json' || name.endsWith('.findings.json');
}

/** Folder levels below --history DIR that are searched for findings files. */
export const HISTORY_DEPTH = 3;

/**
 * The findings files under `dir` (HISTORY_DEPTH folders deep), by path. Symbolic links are not followed (a history
 * folder may come from someone else): one named like a findings file is passed to `onLink`.
 */
export function findingsFilesIn(dir: string, depth = HISTORY_DEPTH, onLink: (path: string) => void = () => undefined): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `--history ${dir}: cannot read the folder: ${errorMessage(err)}`);
  }
  const out: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) out.push(...findingsFilesIn(full, depth - 1, onLink));
    else if (entry.isFile() && isFindingsFileName(entry.name)) out.push(full);
    else if (entry.isSymbolicLink() && isFindingsFileName(entry.name)) onLink(full);
  }
  return out.sort();
}
