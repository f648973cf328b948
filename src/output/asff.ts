// The AWS Security Finding Format (ASFF, SchemaVersion 2018-10-08) for AWS Security Hub: `--format asff`
// writes findings.asff.json, a JSON array that `aws securityhub batch-import-findings --findings file://...`
// and `--security-hub` import. One finding per result that needs attention (FAIL, MANUAL, ERROR, WAIVED) and
// per detection. A finding's Id hashes what it is about (check or rule, account, region, resource; for a
// detection also the event), so the same check on the same resource updates the same Security Hub finding run
// after run; with `resolved` the PASS and NOT_APPLICABLE results are sent too, as Compliance PASSED /
// NOT_AVAILABLE with RecordState ARCHIVED, so a finding that is fixed closes itself. Timestamps come from the
// run (startedAt, finishedAt): the same findings file always renders the same bytes.
import { createHash } from 'node:crypto';
import type { Detection, Findings, Result, Severity, Status } from '../model/types.js';
import { detectionResource, parseArn, resultResource, type AwsResource } from './resource.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Security Hub's field bounds (BatchImportFindings refuses longer values): Title 256, Description 1024, Recommendation 512. */
export const ASFF_TITLE_MAX = 256;
export const ASFF_DESCRIPTION_MAX = 1024;
export const ASFF_RECOMMENDATION_MAX = 512;
/** Compliance.RelatedRequirements holds at most 32 entries. */
export const ASFF_REQUIREMENTS_MAX = 32;
/** The region a `global` result is filed in when the run names no region. */
export const ASFF_FALLBACK_REGION = 'us-east-1';

type ComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';

export interface AsffResource { Type: string; Id: string; Partition: string; Region: string; Details?: Record<string, unknown> }

export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt?: string;
  LastObservedAt?: string;
  Severity: { Label: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL'; Original: string };
  Title: string;
  Description: string;
  Resources: AsffResource[];
  Compliance?: { Status: ComplianceStatus; RelatedRequirements?: string[]; StatusReasons?: { ReasonCode: string; Description: string }[] };
  Remediation?: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Workflow: { Status: 'NEW' | 'SUPPRESSED' | 'RESOLVED' };
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
}

const LABELS: Record<Severity, AsffFinding['Severity']['Label']> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };
const COMPLIANCE: Record<Status, ComplianceStatus> = { FAIL: 'FAILED', WAIVED: 'FAILED', MANUAL: 'WARNING', ERROR: 'NOT_AVAILABLE', NOT_TESTED: 'NOT_AVAILABLE', PASS: 'PASSED', NOT_APPLICABLE: 'NOT_AVAILABLE' };
/** Results sent whether or not resolved ones are: what Security Hub should show as open. */
const OPEN_STATUSES: readonly Status[] = ['FAIL', 'MANUAL', 'ERROR', 'NOT_TESTED', 'WAIVED'];

/** ASFF resource types for the ARNs trailproof reports on; anything else is Other. */
const RESOURCE_TYPES: Record<string, string> = {
  'cloudtrail:trail': 'AwsCloudTrailTrail',
  's3:': 'AwsS3Bucket',
  'kms:key': 'AwsKmsKey',
  'logs:log-group': 'AwsLogsLogGroup',
  'sns:': 'AwsSnsTopic',
  'iam:role': 'AwsIamRole',
  'iam:user': 'AwsIamUser',
  'sts:assumed-role': 'AwsIamRole',
  'cloudwatch:alarm': 'AwsCloudWatchAlarm',
  'organizations:account': 'AwsAccount',
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
}

function resourceType(resource: AwsResource, account: string): string {
  // Security Hub names an account resource AWS::::Account:<id>, as trailproof's account-level results do.
  if (!resource.arn) return /^AWS::::Account:\d{12}$/.test(resource.id) || resource.id === account ? 'AwsAccount' : 'Other';
  const parsed = parseArn(resource.arn);
  if (!parsed) return 'Other';
  const kind = parsed.resource.split(/[/:]/)[0] ?? '';
  return RESOURCE_TYPES[`${parsed.service}:${kind}`] ?? (parsed.service === 's3' && !parsed.resource.includes('/') ? 'AwsS3Bucket' : parsed.service === 'sns' ? 'AwsSnsTopic' : 'Other');
}

function partitionOf(resource: AwsResource): string {
  return (resource.arn ? parseArn(resource.arn)?.partition : undefined) ?? 'aws';
}

/** The region Security Hub files a finding in: the result's; for `global`, us-east-1 when the run covers it, else the run's first region. */
function regionOf(region: string, findings: Findings): string {
  if (region !== '' && region !== 'global') return region;
  const regions = findings.run.scope.regions;
  return regions.includes(ASFF_FALLBACK_REGION) ? ASFF_FALLBACK_REGION : (regions[0] ?? ASFF_FALLBACK_REGION);
}

export function productArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

function requirements(frameworks: Record<string, string[]>): string[] {
  return Object.entries(frameworks).flatMap(([fw, reqs]) => reqs.map((r) => `${fw} ${r}`)).sort().slice(0, ASFF_REQUIREMENTS_MAX);
}

function resultFinding(r: Result, findings: Findings): AsffFinding {
  const resource = resultResource(r);
  const region = regionOf(r.region, findings);
  const partition = partitionOf(resource);
  const resolved = r.status === 'PASS' || r.status === 'NOT_APPLICABLE';
  const related = requirements(r.frameworks);
  const frameworkTypes = Object.keys(r.frameworks).sort().map((fw) => `Software and Configuration Checks/Industry and Regulatory Standards/${fw}`);
  const finding: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `trailproof/${r.checkId}/${hash(r.checkId, r.account, r.region, r.resource)}`,
    ProductArn: productArn(partition, region, r.account),
    GeneratorId: r.checkId,
    AwsAccountId: r.account,
    Types: ['Software and Configuration Checks/AWS Security Best Practices', ...frameworkTypes],
    CreatedAt: findings.run.startedAt,
    UpdatedAt: findings.run.finishedAt,
    Severity: { Label: LABELS[r.severity], Original: r.severity },
    Title: clip(r.title, ASFF_TITLE_MAX),
    Description: clip(`${r.status}: ${r.message}`, ASFF_DESCRIPTION_MAX),
    Resources: [{ Type: resourceType(resource, r.account), Id: resource.id, Partition: partition, Region: region }],
    Compliance: {
      Status: COMPLIANCE[r.status],
      ...(related.length > 0 ? { RelatedRequirements: related } : {}),
      StatusReasons: [{ ReasonCode: `TRAILPROOF_${r.status}`, Description: clip(r.message, 2048) }],
    },
    ProductFields: {
      'trailproof/Status': r.status,
      // The stable result id of the working papers; the finding's Id keeps its own (older) stable form so
      // findings already in Security Hub are updated, not duplicated.
      'trailproof/ResultId': r.id,
      ...(r.observation === true ? { 'trailproof/Observation': 'true' } : {}),
      'trailproof/RunId': findings.run.id,
      'trailproof/Region': r.region,
      ...(r.evidence[0] ? { 'trailproof/Evidence': `${r.evidence[0].file}#${r.evidence[0].pointer}` } : {}),
    },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
    Workflow: { Status: resolved ? 'RESOLVED' : r.status === 'WAIVED' ? 'SUPPRESSED' : 'NEW' },
  };
  if (r.remediation) finding.Remediation = { Recommendation: { Text: clip(r.remediation.cli ? `${r.remediation.text} CLI: ${r.remediation.cli}` : r.remediation.text, ASFF_RECOMMENDATION_MAX) } };
  if (r.status === 'WAIVED' && r.waiver) {
    const approval = r.waiver.approvedBy === undefined ? '' : ` (approved by ${r.waiver.approvedBy}${r.waiver.approvedOn === undefined ? '' : ` on ${r.waiver.approvedOn}`})`;
    finding.Note = { Text: clip(`Waived until ${r.waiver.expires}${approval}: ${r.waiver.reason}`, 512), UpdatedBy: r.waiver.owner, UpdatedAt: findings.run.finishedAt };
  } else if (r.response !== undefined) {
    finding.Note = { Text: clip(`Management response${r.response.dueDate === undefined ? '' : ` (due ${r.response.dueDate})`}: ${r.response.response}`, 512), UpdatedBy: r.response.owner, UpdatedAt: findings.run.finishedAt };
  }
  return finding;
}

function detectionFinding(d: Detection, findings: Findings): AsffFinding {
  const resource = detectionResource(d);
  const region = regionOf(d.region, findings);
  const partition = partitionOf(resource);
  const outcome = d.errorCode ? `was denied (${d.errorCode})` : 'succeeded';
  const span = d.count > 1 ? ` (${d.count} events from ${d.firstSeen} to ${d.lastSeen})` : '';
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `trailproof/detection/${d.ruleId}/${hash(d.ruleId, d.account, d.region, d.eventId, d.actor)}`,
    ProductArn: productArn(partition, region, d.account),
    GeneratorId: d.ruleId,
    AwsAccountId: d.account,
    Types: ['Unusual Behaviors/User'],
    CreatedAt: d.firstSeen || d.eventTime,
    UpdatedAt: findings.run.finishedAt,
    FirstObservedAt: d.firstSeen || d.eventTime,
    LastObservedAt: d.lastSeen || d.eventTime,
    Severity: { Label: LABELS[d.severity], Original: d.severity },
    Title: clip(d.title, ASFF_TITLE_MAX),
    Description: clip(`${d.actor} (${d.actorType}) called ${d.eventSource} ${d.eventName} at ${d.eventTime} from ${d.sourceIPAddress}: ${outcome}${span}.`, ASFF_DESCRIPTION_MAX),
    Resources: [{ Type: resourceType(resource, d.account), Id: resource.id, Partition: partition, Region: region }],
    Remediation: { Recommendation: { Text: 'Confirm with the actor that the call was expected. If not: revoke the credentials it used, review what else they did (trailproof events --user ACTOR) and restore what the call changed.' } },
    ProductFields: { 'trailproof/RuleId': d.ruleId, 'trailproof/EventId': d.eventId, 'trailproof/RunId': findings.run.id },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  };
}

export interface AsffOptions {
  /** Also the PASS and NOT_APPLICABLE results, archived, so Security Hub closes findings that are now fixed. */
  resolved?: boolean;
}

/** The findings file as ASFF findings, in the findings file's order (results, then detections). */
export function asffFindings(findings: Findings, options: AsffOptions = {}): AsffFinding[] {
  const results = findings.results.filter((r) => options.resolved === true || OPEN_STATUSES.includes(r.status));
  return [...results.map((r) => resultFinding(r, findings)), ...findings.detections.map((d) => detectionFinding(d, findings))];
}

export function renderAsff(findings: Findings): string {
  return JSON.stringify(asffFindings(findings), null, 2) + '\n';
}

export const asffRenderer = { fileName: 'findings.asff.json', binary: false, render: async (f: Findings) => renderAsff(f) } as const;
