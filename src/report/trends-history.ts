// The earlier audits of a `--history DIR` folder: every findings file found (HISTORY_DEPTH folders deep) that
// is an earlier audit of the same organization, oldest first, at most MAX_TREND_AUDITS of them. The latest
// is the previous audit of "Changes since"; all of them make the report's trends (trends.ts).
//
// A history folder is kept by people over years, so what is in it is not trusted to be right: a file that is
// not a findings file, is too large, belongs to another organization, is later than the current run or is
// superseded by a later run of the same period is skipped, and each skip is named with its reason (the caller
// prints one notice per file and the report lists them), never fatal and never silently mixed in.
//
// "Same organization": when both findings files record the organization id (run.organization, from the
// evidence's DescribeOrganization), it is the same id, exactly, whatever accounts each run had in scope. Otherwise
// (findings written before the field, a standalone account, DescribeOrganization not collected) two runs are of
// the same organization when they share at least half of each one's accounts, so an organization may gain or
// lose a few accounts between quarters, but a one-account audit is never charted with the organization's.
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { errorMessage, TrailproofError } from '../errors.js';
import type { Findings } from '../model/types.js';
import { findingsFilesIn, parseFindings, runInstant } from './findings-file.js';

/** Earlier audits kept for the trends (the latest ones); older ones are left out and counted. */
export const MAX_TREND_AUDITS = 8;
/** Findings files examined in a history folder; beyond it the folder is not a history, and the rest are named as not read. */
export const MAX_HISTORY_FILES = 200;
/** A findings file larger than this is not read (trailproof's own for 50,000 results stay far below it). */
export const MAX_HISTORY_FILE_BYTES = 256 * 1024 * 1024;

/** An earlier audit, as the report and the Markdown summary show it. */
export interface EarlierAudit {
  findings: Findings;
  /** Where it was read from (relative to the working folder when under it). */
  file: string;
}

export interface SkippedHistoryFile {
  file: string;
  reason: string;
}

export interface History {
  /** Earlier audits of the same organization, oldest first; the last is the previous audit. */
  audits: EarlierAudit[];
  /** Files found but not used, each with why. */
  skipped: SkippedHistoryFile[];
}

/** Why `earlier` is not an audit of the same organization as `current`, or null when it is. */
export function otherOrganization(current: Findings, earlier: Findings): string | null {
  const nowId = current.run.organization?.id;
  const thenId = earlier.run.organization?.id;
  if (nowId !== undefined && thenId !== undefined) {
    return nowId === thenId ? null : `another organization: it records organization ${thenId}, this run ${nowId}`;
  }
  const now = new Set(current.run.scope.accounts);
  const then = new Set(earlier.run.scope.accounts);
  const shared = [...then].filter((a) => now.has(a)).length;
  if (shared > 0 && shared * 2 >= now.size && shared * 2 >= then.size) return null;
  return `another organization: it shares ${shared} of its ${then.size} accounts in scope with this run's ${now.size} (the same organization shares at least half of each)`;
}

/** The key of the period a run covers: runs of one period supersede each other (the latest finished stands). */
function periodKey(f: Findings): string {
  const { from, to } = f.run.period;
  return from === null && to === null ? `run:${f.run.id}` : `${from ?? ''}/${to ?? ''}`;
}

/** Earlier first: by the instant the run stands for (its period's end), then by when it finished. */
function compareRuns(a: Findings, b: Findings): number {
  return runInstant(a) - runInstant(b) || (a.run.finishedAt < b.run.finishedAt ? -1 : a.run.finishedAt > b.run.finishedAt ? 1 : 0);
}

/**
 * The earlier audits of `current` in `dir`. `shown(file)` gives the name a file is reported under. A folder
 * that cannot be read is the caller's usage error (thrown); a file that cannot be used is skipped and named.
 */
export function loadHistory(dir: string, current: Findings, shown: (file: string) => string = (f) => relative(dir, f) || f): History {
  const skipped: SkippedHistoryFile[] = [];
  const files = findingsFilesIn(dir, undefined, (link) => skipped.push({ file: shown(link), reason: 'a symbolic link: not followed' }));
  for (const file of files.slice(MAX_HISTORY_FILES)) skipped.push({ file: shown(file), reason: `not read: the folder holds more than ${MAX_HISTORY_FILES} findings files (MAX_HISTORY_FILES)` });
  // Kept as they are read, one per period and at most MAX_TREND_AUDITS, so memory holds that many files at a
  // time however many the folder has.
  const byPeriod = new Map<string, EarlierAudit>();
  const byOrder = (a: EarlierAudit, b: EarlierAudit): number => compareRuns(a.findings, b.findings) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  for (const file of files.slice(0, MAX_HISTORY_FILES)) {
    const name = shown(file);
    let findings: Findings;
    try {
      const size = statSync(file).size;
      if (size > MAX_HISTORY_FILE_BYTES) {
        skipped.push({ file: name, reason: `larger than ${MAX_HISTORY_FILE_BYTES / 1024 / 1024} MB (MAX_HISTORY_FILE_BYTES): not read` });
        continue;
      }
      // Read and parsed, not loadFindings: a history file's hash and bytes are never used.
      findings = parseFindings(readFileSync(file, 'utf8'), file);
    } catch (err) {
      // parseFindings names the file; the notice names it once.
      const message = errorMessage(err);
      skipped.push({ file: name, reason: err instanceof TrailproofError ? message.replace(`findings file ${file} `, '') : `cannot be read: ${message}` });
      continue;
    }
    if (findings.run.id === current.run.id) continue;
    const samePeriod = periodKey(findings) === periodKey(current);
    const earlier = compareRuns(findings, current) < 0;
    if (samePeriod || !earlier) {
      skipped.push({ file: name, reason: samePeriod ? `run ${findings.run.id} of this run's own period${earlier ? ': this run supersedes it' : ', finished later than this run'}` : `run ${findings.run.id} is later than this run: not history` });
      continue;
    }
    const foreign = otherOrganization(current, findings);
    if (foreign !== null) {
      skipped.push({ file: name, reason: foreign });
      continue;
    }
    // One audit per period: the latest finished run of a period supersedes the others.
    const audit = { findings, file: name };
    const key = periodKey(findings);
    const kept = byPeriod.get(key);
    if (kept) {
      const [older, newer] = byOrder(kept, audit) < 0 ? [kept, audit] : [audit, kept];
      skipped.push({ file: older.file, reason: `superseded by ${newer.file}, a later run of the same period` });
      byPeriod.set(key, newer);
      continue;
    }
    byPeriod.set(key, audit);
    if (byPeriod.size > MAX_TREND_AUDITS) {
      const oldest = [...byPeriod.entries()].sort(([, a], [, b]) => byOrder(a, b))[0] as [string, EarlierAudit];
      skipped.push({ file: oldest[1].file, reason: `older than the last ${MAX_TREND_AUDITS} audits (MAX_TREND_AUDITS)` });
      byPeriod.delete(oldest[0]);
    }
  }
  const audits = [...byPeriod.values()].sort(byOrder);
  return { audits, skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) };
}
