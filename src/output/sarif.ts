// SARIF 2.1.0 for code-scanning dashboards: rules are the checks (and the event-history rules), results are
// the findings' results and detections, located by the resource ARN (a logical location) and the evidence
// file (a physical location relative to the bundle). Waived results are suppressions with the reason.
// The invocation states the run's recorded outcome: its exitCode, executionSuccessful false when the run
// decided nothing (exit 2: evidence modified, 3: not decided) with a notification saying why.
import { createHash } from 'node:crypto';
import { gateLine, outcomeOf } from '../engine/gate.js';
import type { Detection, Findings, Result, Severity, Status } from '../model/types.js';

type Level = 'error' | 'warning' | 'note' | 'none';
type Kind = 'fail' | 'pass' | 'review' | 'open' | 'notApplicable' | 'informational';

const LEVELS: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning orders alerts by this CVSS-like number. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const KINDS: Record<Status, Kind> = { PASS: 'pass', FAIL: 'fail', WAIVED: 'fail', MANUAL: 'review', ERROR: 'open', NOT_APPLICABLE: 'notApplicable' };

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help?: { text: string };
  defaultConfiguration: { level: Level };
  properties: Record<string, unknown>;
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function lastSegment(arn: string): string {
  return arn.split(/[:/]/).filter(Boolean).pop() ?? arn;
}

function checkRule(r: Result): Rule {
  const frameworks = Object.entries(r.frameworks).flatMap(([fw, reqs]) => reqs.map((req) => `${fw}/${req}`));
  const rule: Rule = {
    id: r.checkId,
    name: r.checkId,
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.title}.${frameworks.length > 0 ? ` Framework requirements: ${frameworks.join(', ')}.` : ''}` },
    defaultConfiguration: { level: LEVELS[r.severity] },
    properties: { tags: ['compliance', 'cloudtrail', ...Object.keys(r.frameworks)], severity: r.severity, 'security-severity': SECURITY_SEVERITY[r.severity], frameworks: r.frameworks },
  };
  return rule;
}

function detectionRule(d: Detection): Rule {
  return {
    id: d.ruleId,
    name: d.ruleId,
    shortDescription: { text: d.title },
    fullDescription: { text: `${d.title} (event-history rule over CloudTrail events).` },
    defaultConfiguration: { level: LEVELS[d.severity] },
    properties: { tags: ['detection', 'cloudtrail'], severity: d.severity, 'security-severity': SECURITY_SEVERITY[d.severity] },
  };
}

function resultEntry(r: Result, ruleIndex: number): Record<string, unknown> {
  const kind = KINDS[r.status];
  const location: Record<string, unknown> = {
    logicalLocations: [{ name: lastSegment(r.resource), fullyQualifiedName: r.resource, kind: 'resource' }],
    message: { text: `${r.resource} in account ${r.account}, ${r.region}` },
  };
  const first = r.evidence[0];
  if (first) location.physicalLocation = { artifactLocation: { uri: first.file, uriBaseId: 'BUNDLE' } };
  const entry: Record<string, unknown> = {
    ruleId: r.checkId,
    ruleIndex,
    kind,
    level: kind === 'fail' ? LEVELS[r.severity] : 'none',
    message: { text: r.remediation ? `${r.message} Remediation: ${r.remediation.text}` : r.message },
    locations: [location],
    partialFingerprints: { 'trailproofResult/v1': fingerprint(r.checkId, r.account, r.region, r.resource) },
    properties: {
      status: r.status,
      severity: r.severity,
      account: r.account,
      region: r.region,
      resource: r.resource,
      frameworks: r.frameworks,
      evidence: r.evidence,
      ...(r.remediation ? { remediation: r.remediation } : {}),
      ...(r.details ? { details: r.details } : {}),
    },
  };
  if (r.status === 'WAIVED' && r.waiver) {
    entry.suppressions = [{ kind: 'external', status: 'accepted', justification: `${r.waiver.reason} (owner ${r.waiver.owner}, expires ${r.waiver.expires})` }];
  }
  return entry;
}

function detectionEntry(d: Detection, ruleIndex: number): Record<string, unknown> {
  const outcome = d.errorCode ? `was denied (${d.errorCode})` : 'succeeded';
  const span = d.count > 1 ? ` (${d.count} events from ${d.firstSeen} to ${d.lastSeen})` : '';
  return {
    ruleId: d.ruleId,
    ruleIndex,
    kind: 'fail',
    level: LEVELS[d.severity],
    message: { text: `${d.actor} (${d.actorType}) called ${d.eventSource} ${d.eventName} at ${d.eventTime} from ${d.sourceIPAddress} with ${d.userAgent}: ${outcome}${span}.` },
    locations: [{ logicalLocations: [{ name: lastSegment(d.actor), fullyQualifiedName: d.actor, kind: 'resource' }], message: { text: `account ${d.account}, ${d.region}` } }],
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

export function renderSarif(findings: Findings): string {
  const rules: Rule[] = [];
  const index = new Map<string, number>();
  const ruleFor = (id: string, make: () => Rule): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push(make());
      index.set(id, i);
    }
    return i;
  };
  const results: Record<string, unknown>[] = [];
  for (const r of findings.results) {
    const i = ruleFor(r.checkId, () => checkRule(r));
    const rule = rules[i] as Rule;
    if (!rule.help && r.remediation) rule.help = { text: r.remediation.cli ? `${r.remediation.text}\n\nCLI: ${r.remediation.cli}` : r.remediation.text };
    results.push(resultEntry(r, i));
  }
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
        properties: { runId: findings.run.id, period: findings.run.period, scope: findings.run.scope, summary: findings.summary, collectedAt: findings.run.collectedAt },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export const sarifRenderer = { fileName: 'findings.sarif', binary: false, render: async (f: Findings) => renderSarif(f) } as const;
