// Findings -> the report's view model: everything the templates show, already counted, sorted and worded,
// so templates stay logic-free and the HTML and the PDF say exactly the same thing. Statuses, requirement
// verdicts and the gate come from the findings file; nothing is re-evaluated here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { TrailproofError, errorMessage } from '../errors.js';
import { SEVERITIES, STATUSES, type Findings, type FrameworkView, type Result, type Severity, type Status } from '../model/types.js';
import { logFolders, readBundleFacts, type BundleFacts, type LogFolder } from './bundle-facts.js';
import { compareChanges } from './changes.js';
import { COUNTED_STATUSES, STATUS_LABELS, perDayChart, severityChart, stackedBarChart, statusCounts, type ChartStatus } from './charts.js';
import type { Branding, RenderContext } from './context.js';
import { EvidenceReader } from './excerpt.js';
import { attentionGroups, mergeFamilies, type AttentionGroup } from './attention.js';
import { briefing, type Briefing } from './briefing.js';
import { incidents, type Incident } from './incidents.js';
import { limitsView } from './limits.js';
import { resultRows, type ResultRow } from './interactive.js';
import { computeTrends } from './trends.js';
import { trendsView, type TrendsView } from './trends-view.js';

export type { AttentionGroup, AttentionItem } from './attention.js';
import { anchorId, groupBy, plural } from './format.js';
import { describePeriod, type Period } from '../model/period.js';
import { verdictOf, type ReportVerdict } from './verdict.js';
import { changesView, detectionsPerDay, scopeView, timeline, waiverRows, withDaysNotExamined, type ChangesView, type ScopeView, type TimelineDay, type WaiverRow } from './sections.js';

export const DEFAULT_TITLE = 'CloudTrail compliance evidence report';

export interface RequirementRow {
  id: string;
  title: string;
  /** The newest version's status (the only one when the framework has one version). */
  status: Status | 'NOT_ASSESSED';
  /** Per version (FrameworkSection.versions), its status, or ABSENT when that version has no such requirement. */
  versions: (Status | 'NOT_ASSESSED' | 'ABSENT')[];
  checks: { checkId: string; title: string; worst: Status | 'NOT_ASSESSED'; summary: string }[];
}

export interface FrameworkSection {
  anchor: string;
  id: string;
  title: string;
  version: string;
  /** The versions merged into this one table, one status column each; empty for a framework with one version. */
  versions: string[];
  summary: string;
  requirements: RequirementRow[];
}

export interface ReportView {
  title: string;
  organization: string;
  logo: string | null;
  colors: { primary: string; accent: string };
  period: { text: string; from: string | null; to: string | null; label: string | null };
  run: { id: string; startedAt: string; finishedAt: string; collectedAt: string; source: string; failOn: string; framework: string | null; toolVersion: string };
  generatedAt: string;
  /** The key the outputs are signed with (attestation.intoto.jsonl), or null when they are not signed. */
  signing: { keyid: string; source: string } | null;
  /**
   * From the run's recorded outcome (see verdict.ts): "Compliant" or "Needs attention" only when the run exits 0.
   */
  verdict: ReportVerdict;
  /** By status, with observations (FAIL at severity info, summary.observations) after FAIL: they add up to `total`. */
  counts: { statuses: { status: Status | 'OBSERVATION'; label: string; count: number }[]; total: number; detections: number; failingBySeverity: { severity: Severity; count: number }[] };
  /** Kept for custom templates written before the briefing: its items as one line each (one definition, not two). */
  topRisks: { severity: Severity; text: string; anchor: string }[];
  /** The one-page summary: counts in words, the five things that matter most, what to do and who owns it. */
  briefing: Briefing;
  /** What the evidence is and is not (cover box, scope and method). */
  limits: { evidence: string[]; notShown: string[]; sampleElsewhere: string[]; excluded: { what: string; why: string }[] };
  /** High and critical detections told with their context (findings eventContext). */
  incidents: Incident[];
  /** Who prepared the report and which identity collected the evidence, when the findings say (run.preparedBy, run.collectedBy). */
  workingPaper: { preparedBy: string | null; collectedBy: string | null };
  scope: ScopeView;
  frameworks: FrameworkSection[];
  attention: { total: number; groups: AttentionGroup[]; excerpts: boolean };
  /** Every result, per check and status, as fixed-width lines (account, region, resource): cheap to print by the thousand. */
  resultLists: { checkId: string; title: string; lists: { status: Status; count: number; lines: string }[] }[];
  resultCount: number;
  /** Every result, one row each with its anchor `result-<id>` and the values report.js filters on (interactive.ts). */
  resultRows: ResultRow[];
  checkSummary: { checkId: string; title: string; severity: Severity; counts: string; worst: Status }[];
  /** `incomplete`: the scan's correlations that could not be completed (findings `scan.correlation.incomplete`), or null. */
  /** days: the detections by day, with the runs of days without logs among them; notExamined: those runs, in words. */
  detections: { total: number; days: TimelineDay[]; notExamined: string; incomplete: string | null; unexamined: boolean; windowMinutes: number };
  /** Per trail, the proof the logs are intact (digest chains verified, validation); per check, how the logs are kept. */
  logProtection: {
    trails: { checkId: string; title: string; status: Status; account: string; resource: string; message: string }[];
    keeping: { checkId: string; title: string; counts: string; worst: Status | 'NOT_ASSESSED' }[];
  };
  waivers: { active: WaiverRow[]; expired: WaiverRow[]; waivedResults: number };
  changes: ChangesView | null;
  changesNote: string;
  /** Trends across the earlier audits of --history and this run, or null without a history. */
  trends: TrendsView | null;
  appendix: {
    findingsSha256: string;
    manifestSha256: string | null;
    bundlePath: string | null;
    files: { path: string; sha256: string; cited: boolean }[];
    filesNote: string;
    logFolders: LogFolder[];
    integrity: { verified: boolean; modified: string[]; missing: string[]; unlisted: string[]; allowedModified: boolean } | null;
    verifySteps: string[];
  };
  charts: { statusByFramework: string; failuresBySeverity: string; detectionsPerDay: string };
  toc: { anchor: string; title: string; level: number }[];
}

/** The "Log protection" section: each trail's integrity proof in full (one row a trail)... */
const LOG_INTEGRITY_CHECKS = ['trail.log-integrity', 'trail.log-file-validation'];
/** ...and, counted per check (their failures are listed in full elsewhere), how the logs are kept. */
const LOG_KEEPING_CHECKS = ['bucket.not-public', 'bucket.versioning-mfa-delete', 'bucket.object-lock', 'bucket.secure-transport', 'retention.s3-lifecycle', 'retention.cloudwatch-logs'];


const WORST_FIRST: (Status | 'NOT_ASSESSED')[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE', 'NOT_ASSESSED'];

/** The sentence the detections chapter opens with when some correlation could not be completed. */
function incompleteCorrelations(findings: Findings): string | null {
  const scan = (findings as { scan?: { correlation?: { incomplete?: { inputs?: number; rules?: Array<{ ruleId: string; severity: string; inputs: number }> } } } }).scan;
  const rules = scan?.correlation?.incomplete?.rules ?? [];
  if (rules.length === 0) return null;
  const listed = rules.map((r) => `${r.ruleId} (${r.severity}, ${plural(r.inputs, 'input')})`).join(', ');
  return `Incomplete: ${plural(scan?.correlation?.incomplete?.inputs ?? 0, 'event match', 'event matches')} could not be correlated, so these correlation rules may have missed detections: ${listed}. The gate treats them as undecided.`;
}

function worstOf(statuses: Iterable<Status>): Status | 'NOT_ASSESSED' {
  const present = new Set(statuses);
  return WORST_FIRST.find((s) => s !== 'NOT_ASSESSED' && present.has(s)) ?? 'NOT_ASSESSED';
}

function statusSummary(counts: Partial<Record<Status, number>>): string {
  return STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(', ') || 'no results';
}

function color(value: string | undefined, fallback: string, where: string): string {
  if (value === undefined) return fallback;
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new TrailproofError('TP_CONFIG_INVALID', `${where}: "${value}" is not a colour like #1f4e79`);
  return value;
}

const LOGO_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.webp': 'image/webp' };

export function logoDataUri(file: string): string {
  const type = LOGO_TYPES[extname(file).toLowerCase()];
  if (!type) throw new TrailproofError('TP_CONFIG_INVALID', `report.logo ${file}: use a PNG, JPEG, GIF, WebP or SVG file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new TrailproofError('TP_CONFIG_INVALID', `report.logo ${file}: cannot read it: ${errorMessage(err)}`);
  }
  if (bytes.length > 2 * 1024 * 1024) throw new TrailproofError('TP_CONFIG_INVALID', `report.logo ${file}: larger than 2 MB; use a smaller image`);
  return `data:${type};base64,${bytes.toString('base64')}`;
}

export function canonicalFindingsSha256(findings: Findings): string {
  return createHash('sha256').update(JSON.stringify(findings, null, 2) + '\n').digest('hex');
}

/** A working-paper field as text: a string, or an object's name/identity/arn (G decides the shape). */
function stringOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    const parts = [v.name, v.identity, v.arn, v.email, v.role].filter((x): x is string => typeof x === 'string' && x !== '');
    return parts.length > 0 ? parts.join(', ') : null;
  }
  return null;
}

function organizationName(branding: Branding, findings: Findings, facts: BundleFacts | null): string {
  if (branding.organizationName) return branding.organizationName;
  // The organization the audit recorded; the bundle's DescribeOrganization for findings written before it was.
  const recorded = findings.run.organization?.id ?? (findings.run.organization === undefined ? facts?.organizationId : undefined);
  if (recorded) return `AWS organization ${recorded}`;
  const accounts = findings.run.scope.accounts;
  return accounts.length === 1 ? `AWS account ${accounts[0]}` : `AWS accounts ${accounts.slice(0, 3).join(', ')}${accounts.length > 3 ? ` and ${accounts.length - 3} more` : ''}`;
}

/** Versions of one framework (same title, ids that differ only in a trailing version) read as one table. */
function familyOf(fw: FrameworkView): string {
  return `${fw.id.replace(/-\d+(\.\d+)*$/, '')}\u0000${fw.title}`;
}

function frameworkSections(views: FrameworkView[], byCheck: Map<string, Result[]>): FrameworkSection[] {
  const checkView = (checkId: string): RequirementRow['checks'][number] => {
    const results = byCheck.get(checkId) ?? [];
    const counts: Partial<Record<Status, number>> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    return { checkId, title: results[0]?.title ?? checkId, worst: worstOf(results.map((r) => r.status)), summary: results.length > 0 ? statusSummary(counts) : 'not run' };
  };
  return [...groupBy(views, familyOf).values()].map((family) => {
    const newest = family[family.length - 1] as FrameworkView;
    const rows = new Map<string, RequirementRow>();
    // Newest version first, so its order and titles lead; a requirement only older versions have follows.
    for (const fw of [...family].reverse()) {
      for (const req of fw.requirements) {
        let row = rows.get(req.id);
        if (!row) {
          row = { id: req.id, title: req.title, status: req.status, versions: family.map(() => 'ABSENT' as const), checks: [] };
          rows.set(req.id, row);
        }
        row.versions[family.indexOf(fw)] = req.status;
        for (const checkId of req.checks) if (!row.checks.some((c) => c.checkId === checkId)) row.checks.push(checkView(checkId));
      }
    }
    const requirements = [...rows.values()];
    const summaries = family.map((fw) => {
      const tally: Partial<Record<Status | 'NOT_ASSESSED', number>> = {};
      for (const req of fw.requirements) tally[req.status] = (tally[req.status] ?? 0) + 1;
      const summary = WORST_FIRST.filter((s) => (tally[s] ?? 0) > 0).map((s) => `${tally[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(', ');
      return `${family.length > 1 ? `version ${fw.version}: ` : ''}${plural(fw.requirements.length, 'requirement')}: ${summary}`;
    });
    return {
      anchor: anchorId('fw', newest.id),
      id: family.map((fw) => fw.id).join(', '),
      title: newest.title,
      version: family.map((fw) => fw.version).join(', '),
      versions: family.length > 1 ? family.map((fw) => fw.version) : [],
      summary: summaries.join('; '),
      requirements,
    };
  });
}

const LIST_ORDER: Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE'];

function resultLists(byCheck: Map<string, Result[]>): ReportView['resultLists'] {
  return [...byCheck.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([checkId, list]) => {
    const byStatus = groupBy(list, (r) => r.status);
    return {
      checkId,
      title: (list[0] as Result).title,
      lists: LIST_ORDER.filter((s) => byStatus.has(s)).map((status) => {
        const rows = byStatus.get(status) as Result[];
        return { status, count: rows.length, lines: rows.map((r) => `${r.account.padEnd(13)} ${r.region.padEnd(15)} ${r.resource}`).join('\n') };
      }),
    };
  });
}

export function buildReportView(findings: Findings, ctx: RenderContext = {}): ReportView {
  const branding = ctx.branding ?? {};
  const factsRead = ctx.bundleDir !== undefined ? readBundleFacts(ctx.bundleDir, findings.run.bundle?.manifestSha256) : undefined;
  const facts = factsRead?.kind === 'ok' ? factsRead.facts : null;
  if (factsRead?.kind === 'unusable') ctx.warn?.(`report: ${factsRead.note}; listing cited files only`);
  const reader = new EvidenceReader(facts ? ctx.bundleDir : undefined);
  const period: Period = ctx.period ?? findings.run.period;

  const byCheck = groupBy(findings.results, (r) => r.checkId);
  const groups = mergeFamilies(attentionGroups(findings.results, reader, new Map((findings.checks ?? []).map((c) => [c.id, c.procedure]))));

  const scope = scopeView(findings, facts);
  const limits = limitsView(findings, period, scope);
  // One list of days for the per-day chart and the detections table: both shade the days without logs.
  const perDay = detectionsPerDay(findings.detections, period, limits.examinedDays ?? undefined);
  const told = incidents(findings);
  const summaryPage = briefing(findings, groups, told);
  const failingBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of findings.results) if (r.status === 'FAIL') failingBySeverity[r.severity]++;
  const frameworks = frameworkSections(findings.frameworks ?? [], byCheck);
  const chartRows = (findings.frameworks ?? []).map((fw) => {
    const counts: Partial<Record<ChartStatus, number>> = {};
    for (const req of fw.requirements) counts[req.status] = (counts[req.status] ?? 0) + 1;
    return { label: fw.id, counts };
  });
  const counted = statusCounts(findings.summary);
  const overall = { label: 'All results', counts: counted as Partial<Record<ChartStatus, number>> };

  let changes: ChangesView | null = null;
  let changesNote = 'No previous audit was given (use --previous FILE or --history DIR), so no changes are shown.';
  if (ctx.previous) {
    changes = changesView(compareChanges(findings, ctx.previous, ctx.previousFile));
    changesNote = '';
  }

  const cited = new Map<string, string>();
  for (const r of findings.results) for (const e of r.evidence) cited.set(e.file, e.sha256);
  const files = facts
    ? facts.files.filter(([path]) => !path.startsWith('logs/')).map(([path, sha256]) => ({ path, sha256, cited: cited.has(path) }))
    : [...cited.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, sha256]) => ({ path, sha256, cited: true }));
  const bundlePath = findings.run.bundle?.path ?? null;
  const findingsSha256 = ctx.findingsSha256 ?? canonicalFindingsSha256(findings);
  const manifestSha256 = findings.run.bundle?.manifestSha256 ?? null;
  const verifySteps = [
    `sha256sum findings.json prints ${findingsSha256}: the findings file is the one this report was rendered from.`,
    manifestSha256 ? `sha256sum ${bundlePath ?? '<bundle>'}/manifest.json prints ${manifestSha256}: the manifest lists the SHA-256 of every evidence file below.` : 'The findings record no evidence bundle manifest.',
    `trailproof audit --bundle ${bundlePath ?? '<bundle>'} --format json re-checks every evidence file against the manifest (exit 2, TP_BUNDLE_TAMPERED, if any changed) and re-derives the results.`,
    'For a folder of CloudTrail log files, (cd <bundle> && find <folder> -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum prints the folder digest listed below.',
    'trailproof validate-logs --logs <bundle>/logs --public-keys <ListPublicKeys output> verifies the CloudTrail log files against the digest files CloudTrail signed.',
  ];

  const toc: ReportView['toc'] = [
    { anchor: 'sec-summary', title: 'Executive summary', level: 1 },
    { anchor: 'sec-scope', title: 'Scope and method', level: 1 },
    { anchor: 'sec-log-protection', title: 'Log protection', level: 1 },
    { anchor: 'sec-frameworks', title: 'Framework requirements', level: 1 },
    // With the version: three CIS benchmark versions would otherwise read alike in the contents.
    ...frameworks.map((f) => ({ anchor: f.anchor, title: f.versions.length > 1 ? `${f.title}, versions ${f.version}` : `${f.title}, version ${f.version}`, level: 2 })),
    { anchor: 'sec-attention', title: 'Failing, manual and undecided results', level: 1 },
    { anchor: 'sec-detections', title: 'Risky events (detections)', level: 1 },
    { anchor: 'sec-waivers', title: 'Waivers', level: 1 },
    { anchor: 'sec-changes', title: 'Changes since the previous audit', level: 1 },
    ...(ctx.history ? [{ anchor: 'sec-trends', title: 'Trends across audits', level: 1 }] : []),
    { anchor: 'sec-evidence', title: 'Evidence appendix', level: 1 },
    { anchor: 'sec-results', title: 'Every result', level: 1 },
    { anchor: 'sec-signoff', title: 'Reviewer sign-off', level: 1 },
  ];

  return {
    title: branding.title ?? DEFAULT_TITLE,
    organization: organizationName(branding, findings, facts),
    logo: branding.logo ? logoDataUri(branding.logo) : null,
    colors: { primary: color(branding.colors?.primary, '#1f3a5f', 'report.colors.primary'), accent: color(branding.colors?.accent, '#2f7dd1', 'report.colors.accent') },
    period: { text: describePeriod(period), from: period.from, to: period.to, label: period.label ?? null },
    run: {
      id: findings.run.id,
      startedAt: findings.run.startedAt,
      finishedAt: findings.run.finishedAt,
      collectedAt: findings.run.collectedAt,
      source: findings.run.source,
      failOn: findings.run.failOn,
      framework: findings.run.framework ?? null,
      toolVersion: findings.tool.version,
    },
    generatedAt: (ctx.generatedAt ?? new Date()).toISOString(),
    signing: ctx.signingKey ? { keyid: ctx.signingKey.keyid, source: ctx.signingKey.kind === 'kms' ? `AWS KMS key ${ctx.signingKey.name}` : 'a local key (ECDSA P-256 or Ed25519)' } : null,
    verdict: verdictOf(findings),
    counts: {
      statuses: COUNTED_STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: counted[status] })),
      total: findings.results.length,
      detections: findings.detections.length,
      failingBySeverity: SEVERITIES.map((severity) => ({ severity, count: failingBySeverity[severity] })),
    },
    topRisks: summaryPage.items.map((i) => ({ severity: i.severity, text: `${i.headline}. ${i.detail}`, anchor: i.anchor })),
    briefing: summaryPage,
    limits: { evidence: limits.evidence, notShown: limits.notShown, sampleElsewhere: limits.sampleElsewhere, excluded: limits.excluded },
    incidents: told,
    workingPaper: { preparedBy: stringOf((findings.run as { preparedBy?: unknown }).preparedBy), collectedBy: findings.run.collectedBy ? findings.run.collectedBy.arn : null },
    scope,
    frameworks,
    attention: { total: groups.reduce((sum, g) => sum + g.results, 0), groups, excerpts: reader.available },
    resultLists: resultLists(byCheck),
    resultCount: findings.results.length,
    resultRows: resultRows(findings.results, groups),
    checkSummary: [...byCheck.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([checkId, list]) => {
      const counts: Partial<Record<Status, number>> = {};
      for (const r of list) counts[r.status] = (counts[r.status] ?? 0) + 1;
      const first = list[0] as Result;
      return { checkId, title: first.title, severity: first.severity, counts: statusSummary(counts), worst: worstOf(list.map((r) => r.status)) as Status };
    }),
    detections: { total: findings.detections.length, days: withDaysNotExamined(timeline(findings.detections, new Set(told.flatMap((i) => i.rows.filter((r) => r.self).map((r) => r.eventId)))), perDay), notExamined: withDaysNotExamined([], perDay).map((d) => d.dayText).join(', '), incomplete: incompleteCorrelations(findings), unexamined: limits.examinedDays !== null, windowMinutes: findings.eventContext?.bounds.windowMinutes ?? 0 },
    logProtection: {
      trails: LOG_INTEGRITY_CHECKS.flatMap((id) => (byCheck.get(id) ?? []).map((r) => ({ checkId: r.checkId, title: r.title, status: r.status, account: r.account, resource: r.resource, message: r.message }))),
      keeping: LOG_KEEPING_CHECKS.flatMap((id) => {
        const list = byCheck.get(id);
        if (!list || list.length === 0) return [];
        const counts: Partial<Record<Status, number>> = {};
        for (const r of list) counts[r.status] = (counts[r.status] ?? 0) + 1;
        return [{ checkId: id, title: (list[0] as Result).title, counts: statusSummary(counts), worst: worstOf(list.map((r) => r.status)) }];
      }),
    },
    waivers: { ...waiverRows(findings), waivedResults: findings.summary.WAIVED },
    changes,
    changesNote,
    trends: ctx.history ? trendsView(computeTrends(findings, ctx.history, period)) : null,
    appendix: {
      findingsSha256,
      manifestSha256,
      bundlePath,
      files,
      logFolders: facts ? logFolders(facts.files) : [],
      filesNote: facts ? `Every API response in the evidence bundle, from its manifest (${plural(files.length, 'file')}, ${files.filter((f) => f.cited).length} cited by a result), in sha256sum format: saved to a file in the bundle folder, sha256sum -c checks them. CloudTrail log files are listed by folder below.` : `The evidence bundle was not available when this report was rendered${factsRead?.kind === 'unusable' ? ` (${factsRead.note})` : ''}: the files cited by results are listed with the SHA-256 recorded by the audit, in sha256sum format.`,
      integrity: findings.integrity ? { verified: findings.integrity.verified, modified: findings.integrity.modified, missing: findings.integrity.missing, unlisted: findings.integrity.unlisted ?? [], allowedModified: findings.integrity.allowedModified } : null,
      verifySteps,
    },
    charts: {
      statusByFramework: stackedBarChart(chartRows.length > 0 ? chartRows : [overall], chartRows.length > 0 ? 'Requirements by status, per framework' : 'Results by status', chartRows.length > 0 ? 'requirements' : 'results'),
      failuresBySeverity: severityChart(failingBySeverity, 'Failing results by severity'),
      detectionsPerDay: perDayChart(perDay, 'Detections per day (UTC)'),
    },
    toc,
  };
}
