// The shared vocabulary of trailproof (CONTRACT section 3). Types only: no behaviour lives here.

export const STATUSES = ['PASS', 'FAIL', 'MANUAL', 'ERROR', 'NOT_APPLICABLE', 'WAIVED'] as const;
export type Status = (typeof STATUSES)[number];

/** Most severe first; the order is used by the gate (`--fail-on`). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where in the evidence a verdict comes from: a bundle-relative file, its SHA-256 and a JSON Pointer into it. */
export interface EvidenceRef {
  file: string;
  sha256: string;
  pointer: string;
  /** Present (true) when the file's SHA-256 does not match the manifest. */
  tampered?: boolean;
}

export interface WaiverInfo {
  reason: string;
  owner: string;
  expires: string;
  /** The status the result had before the waiver applied. */
  originalStatus: Status;
}

export interface Result {
  checkId: string;
  title: string;
  severity: Severity;
  status: Status;
  account: string;
  region: string;
  resource: string;
  message: string;
  evidence: EvidenceRef[];
  /** framework id -> requirement ids, e.g. {"cis-aws-3.0": ["3.1"]} */
  frameworks: Record<string, string[]>;
  /** Remediation text and CLI hint, copied from the check's meta for FAIL/MANUAL results. */
  remediation?: { text: string; cli?: string; iac?: string };
  waiver?: WaiverInfo;
  /** Extra facts a check reports (counts, names), for reports and machines. */
  details?: Record<string, unknown>;
}

export interface Detection {
  ruleId: string;
  title: string;
  severity: Severity;
  eventTime: string;
  eventName: string;
  eventSource: string;
  eventId: string;
  actor: string;
  actorType: string;
  sourceIPAddress: string;
  userAgent: string;
  account: string;
  region: string;
  errorCode: string | null;
  count: number;
  firstSeen: string;
  lastSeen: string;
  [extra: string]: unknown;
}

export type Summary = Record<Status, number> & { detections: number };

export interface WaiverReport {
  checkId: string;
  resource: string;
  account?: string;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  /** How many results this waiver matched (for an expired waiver: would have matched). */
  matched: number;
}

export interface IntegrityReport {
  /** True when every file listed in the manifest is present and its SHA-256 matches. */
  verified: boolean;
  manifestSha256: string;
  modified: string[];
  missing: string[];
  allowedModified: boolean;
}

export interface Findings {
  schemaVersion: '1';
  tool: { name: 'trailproof'; version: string };
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    source: 'live' | 'bundle';
    scope: { accounts: string[]; regions: string[] };
    period: { from: string | null; to: string | null };
    collectedAt: string;
    failOn: Severity | 'none';
    framework?: string;
    bundle?: { path: string; manifestSha256: string; tool: string; version: string };
  };
  summary: Summary;
  results: Result[];
  detections: Detection[];
  waivers: WaiverReport[];
  integrity?: IntegrityReport;
  frameworks?: FrameworkView[];
}

export interface FrameworkRequirementView {
  id: string;
  title: string;
  checks: string[];
  /** Worst status over the requirement's results, or NOT_ASSESSED when no check covers it. */
  status: Status | 'NOT_ASSESSED';
  counts: Partial<Record<Status, number>>;
}

export interface FrameworkView {
  id: string;
  title: string;
  version: string;
  requirements: FrameworkRequirementView[];
}
