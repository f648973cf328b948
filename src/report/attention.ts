// The "results that need attention" chapter's view: every FAIL, ERROR and MANUAL result, grouped by check,
// with results that say the same thing on the same evidence in one row naming every affected account, and
// each cited excerpt printed once (a later citation of the same file, pointer and SHA-256 prints the
// reference and points back to the excerpt). Nothing is left out: every evidence reference a result cites is
// listed; only repeated excerpts are. The wording helpers here change how a finding reads, never what it says.
import { SEVERITIES, type Result, type Severity, type Status, type TestProcedure } from '../model/types.js';
import type { EvidenceReader, EvidenceView } from './excerpt.js';
import { groupBy } from './format.js';

const ATTENTION: Status[] = ['FAIL', 'ERROR', 'MANUAL'];
/** New excerpts printed per row; further references are listed by file, pointer and SHA-256 alone. */
const EXCERPTS_PER_ROW = 2;
/** Detail members shown per row (the rest is in the findings file). */
const DETAILS_SHOWN = 8;

export interface Remediation {
  text: string;
  cli: string | null;
  iac: string | null;
}

/** An excerpt, or (when the same one was printed before) the reference and where the excerpt is. */
export type CitedEvidence = EvidenceView & { shownAt: string | null };

export interface AttentionItem {
  anchor: string;
  /** Every account this row stands for (results with the same finding on the same evidence). */
  accounts: string[];
  accountText: string;
  region: string;
  resource: string;
  message: string;
  /** Result ids (findings `result.id`) when the findings carry them. */
  ids: string[];
  /** In a family group: the checks this row stands for. */
  checkIds: string[];
  /** Only when it differs from the group's (the check's remediation is usually the same for every result). */
  remediation: Remediation | null;
  details: { key: string; value: string }[];
  evidence: CitedEvidence[];
  /** Working-paper fields when the findings carry them: the response, its owner and due date. */
  response: { owner: string; text: string; due: string } | null;
}

/** A check of a merged family group (see mergeFamilies), described in the group's head. */
export interface FamilyCheck {
  checkId: string;
  title: string;
  severity: Severity;
  frameworks: string;
  results: number;
  remediation: string | null;
}

/** The results of one check with one status: the check is described once, then every row. */
export interface AttentionGroup {
  anchor: string;
  /** More than one entry when checks of one family (monitoring.*) failing for the same reasons share a table. */
  family: FamilyCheck[];
  checkId: string;
  title: string;
  severity: Severity;
  status: Status;
  frameworks: string;
  /** The check's test procedure when the findings carry it (G's `check.procedure`, or a result's `procedure`). */
  procedure: string | null;
  remediation: Remediation | null;
  /** Results in the group (a row can stand for several). */
  results: number;
  items: AttentionItem[];
}

/** The four S3 Block Public Access settings, named once instead of spelled out. */
const BPA_ALL = /BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets/g;

/** A finding's text in plain words: the four Block Public Access settings named as one. */
export function plainText(text: string): string {
  return text.replace(BPA_ALL, 'all four Block Public Access settings');
}

/** "missingLink" -> "Missing link", "logGroup" -> "Log group". */
export function plainKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[._-]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function plainValue(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return plainText(value.join(', '));
    return JSON.stringify(value);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainValue(v)] as const).filter(([, v]) => v !== null);
    if (entries.length === 0) return null;
    return entries.map(([k, v]) => `${plainKey(k).toLowerCase()} ${v}`).join('; ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return plainText(String(value));
}

/** A result's details as "Key: value" lines in plain words; empty values (`missedEvents: []`) and what the message says are left out. */
export function plainDetails(details: Record<string, unknown> | undefined, message = ''): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const said = message.toLowerCase();
  for (const [key, value] of Object.entries(details ?? {})) {
    const text = plainValue(value);
    // A detail the message already states ("Missing link: trail" under "...the trail link is missing") is not repeated.
    if (text !== null && !said.includes(text.toLowerCase())) out.push({ key: plainKey(key), value: text.length <= 240 ? text : `${text.slice(0, 239)}…` });
    if (out.length === DETAILS_SHOWN) break;
  }
  return out;
}

export function remediationOf(r: Result): Remediation | null {
  return r.remediation ? { text: r.remediation.text, cli: r.remediation.cli ?? null, iac: r.remediation.iac ?? null } : null;
}

function frameworkLabel(frameworks: Record<string, string[]>): string {
  return Object.entries(frameworks).map(([id, reqs]) => `${id} ${reqs.join(', ')}`).join('; ');
}

/** Working-paper members G adds to results and checks; read when present, never required. */
interface WorkingPaper {
  id?: string;
  procedure?: string;
  check?: { procedure?: string };
  response?: { owner?: string; text?: string; response?: string; due?: string; dueDate?: string } | string;
}

export function responseOf(r: Result): AttentionItem['response'] {
  const wp = (r as Result & WorkingPaper).response;
  if (wp === undefined || wp === null) return null;
  if (typeof wp === 'string') return { owner: '', text: wp, due: '' };
  return { owner: wp.owner ?? '', text: wp.text ?? wp.response ?? '', due: wp.due ?? wp.dueDate ?? '' };
}

/** The test procedure of a result's check in words: findings.checks[].procedure (apiCalls, criterion, population). */
export function procedureOf(r: Result, procedures: ReadonlyMap<string, TestProcedure> = new Map()): string | null {
  const declared = procedures.get(r.checkId);
  if (declared) {
    const calls = declared.apiCalls.length > 0 ? `Read ${declared.apiCalls.join(', ')}. ` : '';
    return `${calls}Pass when: ${declared.criterion} Population: ${declared.population}.`;
  }
  const wp = r as Result & WorkingPaper;
  return wp.check?.procedure ?? wp.procedure ?? null;
}

/** Pointers a result's details name inside its evidence (`{"pointer": "/Statement/2", ...}`), for the excerpt to show. */
export function focusPointers(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) focusPointers(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'pointer' && typeof v === 'string' && v.startsWith('/')) out.push(v);
      else focusPointers(v, out);
    }
  }
  return out;
}

/** The same finding in another account: the message, resource and evidence with the account ids taken out. */
function sameFindingKey(r: Result): string {
  const strip = (s: string): string => s.split(r.account).join('<account>');
  return JSON.stringify([strip(r.message), strip(r.resource), r.region, r.evidence.map((e) => [e.file, e.pointer, e.sha256]), JSON.stringify(r.details ?? {}), JSON.stringify(remediationOf(r)), JSON.stringify(responseOf(r))]);
}

function resourceText(list: Result[]): string {
  const first = list[0] as Result;
  if (list.length === 1) return first.resource;
  if (list.every((r) => r.resource === `AWS::::Account:${r.account}`)) return 'the accounts themselves';
  return first.resource.split(first.account).join('<account>');
}

/** How many checks of one family must fail with one status before they may share a table. */
const FAMILY_MIN = 3;

/** What a row says without the check's own words: the message after its first ": " (the reason), the accounts, the evidence. */
function reasonKey(item: AttentionItem): string {
  const colon = item.message.indexOf(': ');
  let reason = colon < 0 ? item.message : item.message.slice(colon + 2);
  for (const a of item.accounts) reason = reason.split(a).join('<account>');
  // The check's own words inside the reason: "(network gateway changes)", "CIS 4.12".
  reason = reason.replace(/\([^()]*\)/g, '').replace(/\bCIS \d+(\.\d+)*/g, '');
  return JSON.stringify([item.accounts, item.region, item.resource, reason, item.details, item.evidence.map((e) => [e.file, e.pointer, e.sha256]), item.response]);
}

/**
 * Checks of one family (the id before its first dot, e.g. the fifteen monitoring.* alarm checks) that fail
 * with one status for the same reasons in the same accounts on the same evidence read as one table: a row per
 * reason naming the checks it stands for, each check listed once in the head. Order and anchors are kept.
 */
export function mergeFamilies(groups: AttentionGroup[]): AttentionGroup[] {
  const familyOf = (g: AttentionGroup): string => `${g.status} ${g.checkId.slice(0, Math.max(0, g.checkId.indexOf('.')))}`;
  const byFamily = groupBy(groups, familyOf);
  const merged = new Map<string, AttentionGroup>();
  for (const [key, members] of byFamily) {
    if (members.length < FAMILY_MIN || key.endsWith(' ')) continue;
    const rows = new Map<string, AttentionItem>();
    for (const m of members) {
      for (const item of m.items) {
        const k = reasonKey(item);
        const row = rows.get(k);
        if (row) {
          row.checkIds.push(...item.checkIds);
          row.ids.push(...item.ids);
        } else rows.set(k, { ...item, checkIds: [...item.checkIds], ids: [...item.ids] });
      }
    }
    // Worth a shared table only when the checks mostly fail for the same reasons (at most half the rows remain).
    if (rows.size * 2 > members.reduce((sum, m) => sum + m.items.length, 0)) continue;
    const first = members[0] as AttentionGroup;
    const family = first.checkId.slice(0, first.checkId.indexOf('.'));
    merged.set(key, {
      ...first,
      severity: members.map((m) => m.severity).sort((x, y) => SEVERITIES.indexOf(x) - SEVERITIES.indexOf(y))[0] as Severity,
      title: `${members.length} ${family} checks`,
      family: members.map((m) => ({ checkId: m.checkId, title: m.title, severity: m.severity, frameworks: m.frameworks, results: m.results, remediation: m.remediation?.text ?? null })),
      frameworks: '',
      remediation: null,
      procedure: null,
      results: members.reduce((sum, m) => sum + m.results, 0),
      items: [...rows.values()].map((row) => ({ ...row, remediation: null })),
    });
  }
  const out: AttentionGroup[] = [];
  const placed = new Set<string>();
  for (const g of groups) {
    const key = familyOf(g);
    const family = merged.get(key);
    if (family === undefined) out.push(g);
    else if (!placed.has(key)) {
      placed.add(key);
      out.push(family);
    }
  }
  return out;
}

export function attentionGroups(results: Result[], reader: EvidenceReader, procedures: ReadonlyMap<string, TestProcedure> = new Map()): AttentionGroup[] {
  const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
  const sorted = results
    .filter((r) => ATTENTION.includes(r.status))
    .sort((a, b) => ATTENTION.indexOf(a.status) - ATTENTION.indexOf(b.status) || severityRank(a.severity) - severityRank(b.severity) || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
  const shown = new Map<string, string>();
  let n = 0;
  const groups = groupBy(sorted, (r) => `${r.status} ${r.checkId} ${r.severity}`);
  return [...groups.values()].map((list, gi) => {
    const first = list[0] as Result;
    const remediation = remediationOf(first);
    const same = JSON.stringify(remediation);
    const rows = groupBy(list, sameFindingKey);
    const items = [...rows.values()].map((row): AttentionItem => {
      const r = row[0] as Result;
      const anchor = `r-${++n}`;
      let excerpts = 0;
      const focus = focusPointers(r.details);
      const evidence = r.evidence.map((e): CitedEvidence => {
        const key = `${e.file}\u0000${e.pointer}\u0000${e.sha256}\u0000${focus.join(' ')}`;
        const before = shown.get(key);
        const view = reader.view(e, focus);
        if (before !== undefined || excerpts >= EXCERPTS_PER_ROW) return { ...view, lines: [], note: before !== undefined ? null : view.note, shownAt: before ?? null };
        if (view.lines.length > 0) {
          excerpts++;
          shown.set(key, anchor);
        }
        return { ...view, shownAt: null };
      });
      const accounts = [...new Set(row.map((x) => x.account))];
      return {
        anchor,
        accounts,
        accountText: accounts.join(', '),
        region: r.region,
        resource: resourceText(row),
        message: plainText(r.message),
        ids: row.map((x) => (x as Result & WorkingPaper).id).filter((id): id is string => typeof id === 'string'),
        checkIds: [r.checkId],
        remediation: JSON.stringify(remediationOf(r)) === same ? null : remediationOf(r),
        details: plainDetails(r.details, r.message),
        evidence,
        response: responseOf(r),
      };
    });
    return {
      anchor: `g-${gi + 1}`,
      checkId: first.checkId,
      title: first.title,
      severity: first.severity,
      status: first.status,
      family: [],
      frameworks: frameworkLabel(first.frameworks),
      procedure: procedureOf(first, procedures),
      remediation,
      results: list.length,
      items,
    };
  });
}
