// Synthetic findings for the report benchmark: an organization of 60 accounts over 17 regions, 5,000 results
// in realistic proportions, 2,000 detections over a quarter, two framework views. Deterministic (seeded).
import type { Detection, Findings, FrameworkView, Result, Severity, Status } from '../src/model/types.js';
import { resultId } from '../src/engine/result-id.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHECKS: { id: string; title: string; severity: Severity; reqs: Record<string, string[]> }[] = [
  { id: 'trail.multi-region', title: 'A logging multi-region trail records management events', severity: 'high', reqs: { 'cis-aws-3.0': ['3.1'], 'aws-fsbp': ['CloudTrail.1'] } },
  { id: 'trail.log-file-validation', title: 'Trails validate their log files', severity: 'medium', reqs: { 'cis-aws-3.0': ['3.2'], 'aws-fsbp': ['CloudTrail.4'] } },
  { id: 'bucket.not-public', title: 'Trail log buckets are not public', severity: 'critical', reqs: { 'cis-aws-3.0': ['3.3'] } },
  { id: 'bucket.secure-transport', title: 'Trail log buckets refuse requests without TLS', severity: 'high', reqs: { 'cis-aws-3.0': ['3.3'] } },
  { id: 'bucket.access-logging', title: 'Trail log buckets log access', severity: 'low', reqs: { 'cis-aws-3.0': ['3.4'] } },
  { id: 'trail.kms-encryption', title: 'Trails encrypt log files with a KMS key', severity: 'medium', reqs: { 'cis-aws-3.0': ['3.5'], 'aws-fsbp': ['CloudTrail.2'] } },
  { id: 'trail.cloudwatch-logs', title: 'Trails deliver to CloudWatch Logs', severity: 'low', reqs: { 'cis-aws-3.0': ['3.4'], 'aws-fsbp': ['CloudTrail.5'] } },
  { id: 'retention.s3-lifecycle', title: 'Trail log prefixes are kept long enough', severity: 'medium', reqs: {} },
];
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'ap-northeast-3'];
const STATUS_MIX: [Status, number][] = [['PASS', 0.62], ['FAIL', 0.22], ['MANUAL', 0.05], ['ERROR', 0.05], ['NOT_APPLICABLE', 0.04], ['WAIVED', 0.02]];
const RULES: { id: string; title: string; severity: Severity; event: string; source: string }[] = [
  { id: 's3-bucket-deleted', title: 'S3 bucket deleted', severity: 'high', event: 'DeleteBucket', source: 's3.amazonaws.com' },
  { id: 'iam-policy-changed', title: 'IAM policy changed', severity: 'medium', event: 'PutUserPolicy', source: 'iam.amazonaws.com' },
  { id: 'security-group-changed', title: 'Security group changed', severity: 'low', event: 'AuthorizeSecurityGroupIngress', source: 'ec2.amazonaws.com' },
  { id: 'console-login-without-mfa', title: 'Console sign-in without MFA', severity: 'medium', event: 'ConsoleLogin', source: 'signin.amazonaws.com' },
  { id: 'cloudtrail-logging-stopped', title: 'CloudTrail logging stopped', severity: 'critical', event: 'StopLogging', source: 'cloudtrail.amazonaws.com' },
];

export function benchFindings(results = 5000, detections = 2000): Findings {
  const next = rng(20260930);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const accounts = Array.from({ length: 60 }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
  const out: Result[] = [];
  for (let i = 0; i < results; i++) {
    const check = CHECKS[i % CHECKS.length] as (typeof CHECKS)[number];
    let roll = next();
    const status = (STATUS_MIX.find(([, w]) => (roll -= w) < 0) ?? STATUS_MIX[0])?.[0] as Status;
    const account = pick(accounts);
    const region = pick(REGIONS);
    const resource = check.id.startsWith('bucket') ? `arn:aws:s3:::org-cloudtrail-logs-${account}-${i}` : `arn:aws:cloudtrail:${region}:${account}:trail/trail-${i}`;
    const r: Result = {
      id: resultId(check.id, account, region, resource),
      checkId: check.id, title: check.title, severity: check.severity, status, account, region, resource,
      message: `${check.title}: ${status === 'PASS' ? 'met' : 'not met'} for ${resource}.`,
      evidence: [{ file: `accounts/${account}/${region}/cloudtrail/DescribeTrails.json`, sha256: (i % 16).toString(16).repeat(64), pointer: `/trailList/${i % 5}` }],
      frameworks: check.reqs,
    };
    // The engine copies a check's remediation from its meta: the same text for every result of the check.
    if (status === 'FAIL' || status === 'MANUAL') r.remediation = { text: `Make sure that: ${check.title.toLowerCase()}.`, cli: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation' };
    if (status === 'WAIVED') r.waiver = { reason: 'Accepted until the migration completes.', owner: 'platform@example.com', expires: '2026-12-31', originalStatus: 'FAIL' };
    out.push(r);
  }
  const dets: Detection[] = [];
  const quarterStart = Date.parse('2026-07-01T00:00:00Z');
  for (let i = 0; i < detections; i++) {
    const rule = pick(RULES);
    const t = new Date(quarterStart + Math.floor(next() * 92 * 86_400_000)).toISOString();
    const account = pick(accounts);
    dets.push({
      ruleId: rule.id, title: rule.title, severity: rule.severity, eventTime: t, eventName: rule.event, eventSource: rule.source,
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, actor: `arn:aws:iam::${account}:user/user-${i % 40}`, actorType: 'IAMUser',
      sourceIPAddress: `198.51.100.${i % 250}`, userAgent: 'aws-cli/2.17.20 Python/3.11.9 Linux/6.8.0 exe/x86_64.ubuntu.24', account, region: pick(REGIONS),
      errorCode: i % 9 === 0 ? 'AccessDenied' : null, count: 1, firstSeen: t, lastSeen: t,
    });
  }
  const summary = { PASS: 0, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: 0, WAIVED: 0, detections: dets.length } as Findings['summary'];
  for (const r of out) summary[r.status]++;
  const view = (id: string, title: string): FrameworkView => {
    const reqs = new Map<string, string[]>();
    for (const c of CHECKS) for (const req of c.reqs[id] ?? []) reqs.set(req, [...(reqs.get(req) ?? []), c.id]);
    return {
      id, title, version: '1.0',
      requirements: [...reqs.entries()].map(([req, checks]) => {
        const counts: Partial<Record<Status, number>> = {};
        for (const r of out) if (checks.includes(r.checkId)) counts[r.status] = (counts[r.status] ?? 0) + 1;
        return { id: req, title: `Requirement ${req}`, checks, status: (['FAIL', 'ERROR', 'MANUAL', 'WAIVED', 'PASS'] as Status[]).find((s) => (counts[s] ?? 0) > 0) ?? 'NOT_APPLICABLE', counts };
      }),
    };
  };
  return {
    schemaVersion: '1',
    tool: { name: 'trailproof', version: '0.1.0' },
    run: {
      id: 'bench-0000-4000-8000-000000000000', startedAt: '2026-10-01T06:00:00.000Z', finishedAt: '2026-10-01T06:01:00.000Z', source: 'bundle',
      scope: { accounts, regions: REGIONS }, period: { from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z' }, collectedAt: '2026-10-01T05:00:00.000Z', failOn: 'high',
      bundle: { path: 'evidence/bench', manifestSha256: 'a'.repeat(64), tool: 'trailproof', version: '0.1.0' },
    },
    summary,
    results: out,
    detections: dets,
    waivers: [{ checkId: 'bucket.access-logging', resource: '*', reason: 'Accepted until the migration completes.', owner: 'platform@example.com', expires: '2026-12-31', expired: false, matched: summary.WAIVED }],
    integrity: { verified: true, manifestSha256: 'a'.repeat(64), modified: [], missing: [], allowedModified: false },
    frameworks: [view('cis-aws-3.0', 'CIS Amazon Web Services Foundations Benchmark'), view('aws-fsbp', 'AWS Foundational Security Best Practices')],
  };
}
