// SARIF 2.1.0 for code-scanning dashboards: rules are the checks (and the event-history rules), results are
// the findings' results and detections, located by the resource ARN (a logical location) and the evidence
// file (a physical location relative to the bundle). Waived results are suppressions with the reason.
// The invocation states the run's recorded outcome: its exitCode, executionSuccessful false when the run
// decided nothing (exit 2: evidence modified, 3: not decided) with a notification saying why.
// SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning accepts it as it is): rules are the checks
// (and the event-history rules), each with help text and markdown carrying the remediation; results are the
// findings' results and detections. Every result has a physical location GitHub can show: the evidence file
// for a posture result (relative to the bundle), else a stable artifact path aws/<account>/<region>/<service>/
// <resource>; the ARN is its logical location. partialFingerprints hash what the result is about (check,
// account, region, resource), so an alert tracks the same resource from run to run; the stable result id is
// a fingerprint too, and correlationGuid is a UUID made from it. By default only results that need attention
// are sent (FAIL, ERROR, NOT_TESTED, MANUAL and detections; observations, FAIL at severity info, are not);
// `--sarif-all` sends every result, observations as informational, waived ones as suppressions with the reason. The invocation states the run's recorded outcome: its exitCode,
// executionSuccessful false when the run decided nothing (exit 2: evidence modified, 3: not decided).
// Typed with the local interfaces below, modelled on the SARIF 2.1.0 schema (@types/sarif is not a dependency).
import { createHash } from 'node:crypto';
import { gateLine, outcomeOf } from '../engine/gate.js';
import type { Detection, Findings, Result, Severity, Status } from '../model/types.js';
import type { RenderContext } from '../report/context.js';
import { artifactPath, detectionResource, resultResource, type AwsResource } from './resource.js';

type Level = 'error' | 'warning' | 'note' | 'none';
type Kind = 'fail' | 'pass' | 'review' | 'open' | 'notApplicable' | 'informational';

/** Which results a SARIF log carries: those that need attention (the default) or every one. */
export type SarifInclude = 'attention' | 'all';
/** The statuses that need attention: what code scanning should raise as alerts. */
export const ATTENTION_STATUSES: readonly Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL'];

interface SarifMessage { text: string; markdown?: string }
interface SarifArtifactLocation { uri: string; uriBaseId?: string }
interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region: { startLine: number } };
  logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  message: SarifMessage;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: Level };
  properties: Record<string, unknown>;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: Kind;
  level: Level;
  message: SarifMessage;
  locations: [SarifLocation];
  partialFingerprints: Record<string, string>;
  correlationGuid?: string;
  properties: Record<string, unknown>;
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
}

const LEVELS: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning orders alerts by this CVSS-like number. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const KINDS: Record<Status, Kind> = { PASS: 'pass', FAIL: 'fail', WAIVED: 'fail', MANUAL: 'review', ERROR: 'open', NOT_TESTED: 'open', NOT_APPLICABLE: 'notApplicable' };

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A rule's human-readable name, different from its id as SARIF asks: trail.log-file-validation -> TrailLogFileValidation. */
function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1)).join('') || 'Rule';
}

function lastSegment(arn: string): string {
  return arn.split(/[:/]/).filter(Boolean).pop() ?? arn;
}

function frameworkList(frameworks: Record<string, string[]>): string[] {
  return Object.entries(frameworks).flatMap(([fw, reqs]) => reqs.map((req) => `${fw}/${req}`));
}

/** The rule's help: what the check asks, its framework requirements and the remediation (when a result carries it). */
function checkHelp(r: Result, remediation: Result['remediation']): SarifMessage {
  const frameworks = frameworkList(r.frameworks);
  const text = [`${r.title}.`];
  const md = [`**${r.title}** (trailproof check \`${r.checkId}\`, severity ${r.severity}).`];
  if (frameworks.length > 0) {
    text.push(`Framework requirements: ${frameworks.join(', ')}.`);
    md.push(`Framework requirements: ${frameworks.map((f) => `\`${f}\``).join(', ')}.`);
  }
  if (remediation) {
    text.push(`Remediation: ${remediation.text}${remediation.cli ? ` CLI: ${remediation.cli}` : ''}`);
    md.push(`### Remediation\n\n${remediation.text}`);
    if (remediation.cli) md.push('```sh\n' + remediation.cli + '\n```');
    if (remediation.iac) md.push('```\n' + remediation.iac + '\n```');
  } else {
    const fix = 'Remediation: see the result message; `trailproof checks list` describes the check. An ERROR result means the evidence it needs is missing or a call failed: collect it again with the permissions the README lists. A MANUAL result needs a person to judge the evidence it cites.';
    text.push(fix.replace(/`/g, ''));
    md.push(`### Remediation\n\n${fix.slice('Remediation: '.length)}`);
  }
  return { text: text.join(' '), markdown: md.join('\n\n') };
}

function checkRule(r: Result, remediation: Result['remediation']): SarifRule {
  const frameworks = frameworkList(r.frameworks);
  return {
    id: r.checkId,
    name: ruleName(r.checkId),
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.title}.${frameworks.length > 0 ? ` Framework requirements: ${frameworks.join(', ')}.` : ''}` },
    help: checkHelp(r, remediation),
    defaultConfiguration: { level: LEVELS[r.severity] },
    properties: { tags: ['compliance', 'cloudtrail', ...Object.keys(r.frameworks)], severity: r.severity, 'security-severity': SECURITY_SEVERITY[r.severity], frameworks: r.frameworks },
  };
}

function detectionRule(d: Detection): SarifRule {
  const fix = 'Confirm with the actor that the call was expected. If it was not: revoke the credentials it used, review what else they did in the same period (`trailproof events --user ACTOR`), and restore what the call changed.';
  return {
    id: d.ruleId,
    name: ruleName(d.ruleId),
    shortDescription: { text: d.title },
    fullDescription: { text: `${d.title} (event-history rule over CloudTrail events).` },
    help: {
      text: `${d.title}: a CloudTrail event matched the event-history rule ${d.ruleId}. Remediation: ${fix.replace(/`/g, '')}`,
      markdown: `**${d.title}**: a CloudTrail event matched the event-history rule \`${d.ruleId}\` (severity ${d.severity}).\n\n### Remediation\n\n${fix}`,
    },
    defaultConfiguration: { level: LEVELS[d.severity] },
    properties: { tags: ['detection', 'cloudtrail'], severity: d.severity, 'security-severity': SECURITY_SEVERITY[d.severity] },
  };
}

/** A location GitHub can show: the evidence file when there is one, else the resource's aws/... artifact path. */
function location(evidenceFile: string | undefined, account: string, region: string, resource: AwsResource, text: string): SarifLocation {
  const artifactLocation: SarifArtifactLocation = evidenceFile !== undefined ? { uri: evidenceFile.split('/').map((s) => encodeURIComponent(s)).join('/'), uriBaseId: 'BUNDLE' } : { uri: artifactPath(account, region, resource) };
  return {
    physicalLocation: { artifactLocation, region: { startLine: 1 } },
    logicalLocations: [{ name: lastSegment(resource.id), fullyQualifiedName: resource.id, kind: 'resource' }],
    message: { text },
  };
}

/** A UUID (SARIF's GUID form) made from a stable result id: the same result correlates across runs. */
function correlationGuid(id: string): string {
  const h = createHash('sha256').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function resultEntry(r: Result, ruleIndex: number): SarifResult {
  const kind = r.observation === true ? 'informational' : KINDS[r.status];
  const resource = resultResource(r);
  const entry: SarifResult = {
    ruleId: r.checkId,
    ruleIndex,
    kind,
    level: kind === 'fail' ? LEVELS[r.severity] : 'none',
    message: { text: r.remediation ? `${r.message} Remediation: ${r.remediation.text}` : r.message },
    locations: [location(r.evidence[0]?.file, r.account, r.region, resource, `${r.resource} in account ${r.account}, ${r.region}`)],
    partialFingerprints: { 'trailproofResult/v1': fingerprint(r.checkId, r.account, r.region, r.resource), 'trailproofResultId/v1': r.id },
    correlationGuid: correlationGuid(r.id),
    properties: {
      resultId: r.id,
      status: r.status,
      ...(r.observation === true ? { observation: true } : {}),
      ...(r.response !== undefined ? { response: r.response } : {}),
      severity: r.severity,
      account: r.account,
      region: r.region,
      resource: r.resource,
      artifact: artifactPath(r.account, r.region, resource),
      frameworks: r.frameworks,
      evidence: r.evidence,
      ...(r.remediation ? { remediation: r.remediation } : {}),
      ...(r.details ? { details: r.details } : {}),
    },
  };
  if (r.status === 'WAIVED' && r.waiver) {
    entry.suppressions = [{ kind: 'external', status: 'accepted', justification: `${r.waiver.reason} (owner ${r.waiver.owner}, expires ${r.waiver.expires}${r.waiver.approvedBy === undefined ? '' : `, approved by ${r.waiver.approvedBy}${r.waiver.approvedOn === undefined ? '' : ` on ${r.waiver.approvedOn}`}`})` }];
  }
  return entry;
}

function detectionEntry(d: Detection, ruleIndex: number): SarifResult {
  const outcome = d.errorCode ? `was denied (${d.errorCode})` : 'succeeded';
  const span = d.count > 1 ? ` (${d.count} events from ${d.firstSeen} to ${d.lastSeen})` : '';
  const resource = detectionResource(d);
  return {
    ruleId: d.ruleId,
    ruleIndex,
    kind: 'fail',
    level: LEVELS[d.severity],
    message: { text: `${d.actor} (${d.actorType}) called ${d.eventSource} ${d.eventName} at ${d.eventTime} from ${d.sourceIPAddress} with ${d.userAgent}: ${outcome}${span}.` },
    locations: [location(undefined, d.account, d.region, resource, `${resource.id} in account ${d.account}, ${d.region}`)],
    partialFingerprints: { 'trailproofDetection/v1': fingerprint(d.ruleId, d.eventId, d.actor) },
    properties: { ...d },
  };
}

/** SARIF's invocation object for the run: exit code, its verdict, and a notification when nothing was decided. */
function invocation(findings: Findings): Record<string, unknown> {
  const o = outcomeOf(findings);
  const decided = o.exitCode === 0 || o.exitCode === 1;
  const entry: Record<string, unknown> = {
    executionSuccessful: decided,
    exitCode: o.exitCode,
    exitCodeDescription: `${o.verdict}: ${o.reason}`,
    startTimeUtc: findings.run.startedAt,
    endTimeUtc: findings.run.finishedAt,
    properties: { outcome: o, gate: gateLine(findings) },
  };
  if (!decided) {
    entry.toolExecutionNotifications = [{
      descriptor: { id: o.exitCode === 2 ? 'trailproof/evidence-modified' : 'trailproof/not-decided' },
      level: 'error',
      message: { text: `${o.verdict} (exit ${o.exitCode}): ${o.reason}.` },
    }];
  }
  return entry;
}

export interface SarifOptions {
  /** 'attention' (default): FAIL, ERROR, MANUAL results and detections; 'all': every result. */
  include?: SarifInclude;
}

export function renderSarif(findings: Findings, options: SarifOptions = {}): string {
  const include = options.include ?? 'attention';
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const ruleFor = (key: string, make: () => SarifRule): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = rules.length;
      rules.push(make());
      index.set(key, i);
    }
    return i;
  };
  // A rule's help carries the remediation of any of its results (checks copy it onto FAIL and MANUAL results).
  const remediationOf = new Map<string, Result['remediation']>();
  for (const r of findings.results) if (r.remediation && !remediationOf.has(r.checkId)) remediationOf.set(r.checkId, r.remediation);
  const sent = findings.results.filter((r) => include === 'all' || (ATTENTION_STATUSES.includes(r.status) && r.observation !== true));
  const results: SarifResult[] = [];
  for (const r of sent) results.push(resultEntry(r, ruleFor(`check:${r.checkId}`, () => checkRule(r, remediationOf.get(r.checkId)))));
  for (const d of findings.detections) results.push(detectionEntry(d, ruleFor(`detection:${d.ruleId}`, () => detectionRule(d))));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'trailproof', version: findings.tool.version, semanticVersion: findings.tool.version, rules } },
        automationDetails: { id: `trailproof/${findings.run.id}` },
        invocations: [invocation(findings)],
        originalUriBaseIds: { BUNDLE: { description: { text: `The evidence bundle${findings.run.bundle ? ` ${findings.run.bundle.path}` : ''} (manifest SHA-256 ${findings.run.bundle?.manifestSha256 ?? 'not recorded'})` } } },
        columnKind: 'unicodeCodePoints',
        results,
        properties: { runId: findings.run.id, period: findings.run.period, scope: findings.run.scope, summary: findings.summary, collectedAt: findings.run.collectedAt, include, omittedResults: findings.results.length - sent.length },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export const sarifRenderer = {
  fileName: 'findings.sarif',
  binary: false,
  render: async (f: Findings, ctx?: RenderContext) => renderSarif(f, ctx?.sarifInclude === undefined ? {} : { include: ctx.sarifInclude }),
} as const;
