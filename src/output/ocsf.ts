// OCSF 1.3 events for a security data lake (Amazon Security Lake, SIEMs): a Compliance Finding (class 2003)
// per result and a Detection Finding (class 2004) per detection, as one JSON array. Each event carries the
// run's recorded outcome (unmapped.trailproof_run_outcome), so a PASS result of a run that decided nothing
// (evidence modified, exit 2) is never read alone as a clean bill.
import { createHash } from 'node:crypto';
import { outcomeOf } from '../engine/gate.js';
import type { Detection, Findings, Result, Severity, Status } from '../model/types.js';

export const OCSF_VERSION = '1.3.0';

const SEVERITY_IDS: Record<Severity, [number, string]> = { critical: [5, 'Critical'], high: [4, 'High'], medium: [3, 'Medium'], low: [2, 'Low'], info: [1, 'Informational'] };
/** compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other. */
const COMPLIANCE_STATUS: Record<Status, [number, string]> = {
  PASS: [1, 'Pass'],
  FAIL: [3, 'Fail'],
  WAIVED: [3, 'Fail'],
  MANUAL: [2, 'Warning'],
  ERROR: [0, 'Unknown'],
  NOT_TESTED: [99, 'Not Tested'],
  NOT_APPLICABLE: [99, 'Not Applicable'],
};

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function uid(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function metadata(findings: Findings, eventUid: string): Record<string, unknown> {
  return {
    version: OCSF_VERSION,
    uid: eventUid,
    correlation_uid: findings.run.id,
    product: { name: 'trailproof', vendor_name: 'trailproof', version: findings.tool.version },
    log_name: 'trailproof findings',
  };
}

/** "AWS::S3::Bucket"-style type from an ARN's service and resource type, when it has them. */
function resourceType(arn: string): string {
  const m = /^arn:[^:]+:([^:]+):[^:]*:[^:]*:([^/:]+)[/:]/.exec(arn);
  if (m?.[1] && m[2]) return `AWS::${m[1]}::${m[2]}`;
  const s3 = /^arn:[^:]+:s3:::[^/]+$/.exec(arn);
  return s3 ? 'AWS::s3::bucket' : 'AWS resource';
}

function cloud(account: string, region: string): Record<string, unknown> {
  return { provider: 'AWS', region, account: { uid: account, type: 'AWS Account', type_id: 10 } };
}

function complianceFinding(findings: Findings, r: Result): Record<string, unknown> {
  const id = uid(r.checkId, r.account, r.region, r.resource);
  const [severityId, severity] = SEVERITY_IDS[r.severity];
  const [complianceId, complianceStatus] = COMPLIANCE_STATUS[r.status];
  const waived = r.status === 'WAIVED';
  const event: Record<string, unknown> = {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200301,
    type_name: 'Compliance Finding: Create',
    time: ms(findings.run.finishedAt),
    severity_id: severityId,
    severity,
    status_id: waived ? 3 : 1,
    status: waived ? 'Suppressed' : 'New',
    message: r.message,
    metadata: metadata(findings, id),
    finding_info: {
      uid: id,
      title: r.title,
      desc: r.message,
      types: ['Compliance'],
      created_time: ms(findings.run.finishedAt),
      analytic: { uid: r.checkId, name: r.checkId, type_id: 1, type: 'Rule' },
    },
    compliance: {
      control: r.checkId,
      standards: Object.keys(r.frameworks),
      requirements: Object.entries(r.frameworks).flatMap(([fw, reqs]) => reqs.map((req) => `${fw} ${req}`)),
      status_id: complianceId,
      status: complianceStatus,
      status_detail: r.message,
    },
    resources: [{ uid: r.resource, name: r.resource.split(/[:/]/).filter(Boolean).pop() ?? r.resource, type: resourceType(r.resource), region: r.region, cloud_partition: 'aws', owner: { account: { uid: r.account, type: 'AWS Account', type_id: 10 } } }],
    cloud: cloud(r.account, r.region),
    unmapped: { trailproof_result_id: r.id, trailproof_status: r.status, ...(r.observation === true ? { trailproof_observation: true } : {}), ...(r.response ? { response: r.response } : {}), trailproof_run_outcome: outcomeOf(findings), evidence: r.evidence, ...(r.waiver ? { waiver: r.waiver } : {}), ...(r.details ? { details: r.details } : {}) },
  };
  if (r.remediation) event.remediation = { desc: r.remediation.cli ? `${r.remediation.text} CLI: ${r.remediation.cli}` : r.remediation.text };
  return event;
}

function detectionFinding(findings: Findings, d: Detection): Record<string, unknown> {
  const id = uid(d.ruleId, d.eventId, d.actor);
  const [severityId, severity] = SEVERITY_IDS[d.severity];
  const api: Record<string, unknown> = { operation: d.eventName, service: { name: d.eventSource }, request: { uid: d.eventId } };
  if (d.errorCode) api.response = { error: d.errorCode };
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    time: ms(findings.run.finishedAt),
    start_time: ms(d.firstSeen || d.eventTime),
    end_time: ms(d.lastSeen || d.eventTime),
    severity_id: severityId,
    severity,
    status_id: 1,
    status: 'New',
    is_alert: true,
    message: `${d.title}: ${d.actor} called ${d.eventName} from ${d.sourceIPAddress}${d.errorCode ? ` (denied: ${d.errorCode})` : ''}`,
    metadata: metadata(findings, id),
    finding_info: {
      uid: id,
      title: d.title,
      desc: d.title,
      types: ['Detection'],
      created_time: ms(findings.run.finishedAt),
      first_seen_time: ms(d.firstSeen || d.eventTime),
      last_seen_time: ms(d.lastSeen || d.eventTime),
      analytic: { uid: d.ruleId, name: d.title, type_id: 1, type: 'Rule' },
    },
    evidences: [
      {
        actor: { user: { uid: d.actor, name: d.actor.split('/').pop() ?? d.actor, type: d.actorType } },
        api,
        src_endpoint: { ip: d.sourceIPAddress },
        http_request: { user_agent: d.userAgent },
      },
    ],
    cloud: cloud(d.account, d.region),
    unmapped: { count: d.count, event_time: d.eventTime, trailproof_run_outcome: outcomeOf(findings) },
  };
}

export function renderOcsf(findings: Findings): string {
  const events = [...findings.results.map((r) => complianceFinding(findings, r)), ...findings.detections.map((d) => detectionFinding(findings, d))];
  return JSON.stringify(events, null, 2) + '\n';
}

export const ocsfRenderer = { fileName: 'findings.ocsf.json', binary: false, render: async (f: Findings) => renderOcsf(f) } as const;
