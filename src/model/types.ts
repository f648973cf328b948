// The shared vocabulary of trailproof (CONTRACT section 3). Types only: no behaviour lives here.

// NOT_TESTED (an addition to the contract's six): the evidence the check needs was not collected, so nothing
// was tested; NOT_APPLICABLE: the requirement does not apply to the subject. They are never merged.
export const STATUSES = ['PASS', 'FAIL', 'MANUAL', 'ERROR', 'NOT_APPLICABLE', 'WAIVED', 'NOT_TESTED'] as const;
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
  /** Who approved the exception and when (YYYY-MM-DD), from the config's waiver entry. */
  approvedBy?: string;
  approvedOn?: string;
  /** The status the result had before the waiver applied. */
  originalStatus: Status;
}

/** The management response to a failure (working paper), from the config's `responses:` or --responses FILE. */
export interface ResponseInfo {
  owner: string;
  response: string;
  /** YYYY-MM-DD. */
  dueDate?: string;
}

export interface Result {
  /**
   * Stable id of the result (working papers, tickets, Security Hub): `TP-` + 12 hex of the SHA-256 of check
   * id, account, region and resource. The same subject of the same check has the same id in every run.
   */
  id: string;
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
  /**
   * True for a FAIL at severity info: an observation (e.g. a cost note), counted apart from failures in the
   * summary and every output. It still gates when --fail-on is info.
   */
  observation?: boolean;
  response?: ResponseInfo;
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

/**
 * Counts by status; `FAIL` counts failures only, the FAIL results at severity info are counted in
 * `observations` instead, so the status counts plus observations add up to the number of results.
 */
export type Summary = Record<Status, number> & { detections: number; observations: number };

export interface WaiverReport {
  checkId: string;
  resource: string;
  account?: string;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  approvedBy?: string;
  approvedOn?: string;
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
  /**
   * Listed files that were not read because reading them was unsafe: a path leading outside the bundle
   * (a symlink), a FIFO, device, socket or folder, or a file past the size bound. They count as failed.
   */
  refused?: { file: string; reason: string }[];
  /** Files in the bundle folder the manifest does not list (never read), sorted, at most 1,000 named. */
  unlisted?: string[];
  /** How many unlisted files there are in all (unlisted names at most 1,000). */
  unlistedTotal?: number;
  /** The walk for unlisted files stopped at its bound: there may be more. */
  unlistedIncomplete?: boolean;
  /** The CloudTrail public keys the log-integrity verification trusted, and where they came from. */
  logKeys?: LogKeysTrust;
}

/**
 * Where the keys that verified digest signatures came from. `bundle`: the bundle's own ListPublicKeys files,
 * which prove integrity only as far as the bundle's producer is trusted; `live`: fetched from CloudTrail in
 * this run; `auditor`: given with --public-keys; `pinned`: restricted to fingerprints the auditor gave.
 */
export interface LogKeysTrust {
  source: 'bundle' | 'live' | 'auditor' | 'pinned';
  /** Fingerprints of the keys trusted (for pinned: the pinned set). */
  fingerprints: string[];
  /** Files the keys were read from (bundle-relative, or as the auditor gave them). */
  files: string[];
  /** One sentence saying what the source means for the verdict. */
  statement: string;
}

/** What the run's exit code says, in words: the one verdict every output states. */
export type Verdict = 'passed' | 'failed' | 'not decided' | 'evidence modified: not decided';

/** The run's outcome (findings.json run.outcome), decided once before any output is written. */
export interface RunOutcome {
  /** The exit code the run returns: 0 gate passed, 1 gate failed, 2 evidence modified, 3 not decided. */
  exitCode: 0 | 1 | 2 | 3;
  verdict: Verdict;
  /** Why, in one sentence, e.g. "2 failing results at or above high". */
  reason: string;
}

/** How a check was tested (working paper), generated from its metadata and the evidence its results cite. */
export interface TestProcedure {
  /** AWS API calls whose stored outputs the check read, e.g. `cloudtrail:GetTrailStatus`. */
  apiCalls: string[];
  /** What passes, in words. */
  criterion: string;
  /** What was tested: the kind of subject and how many of them. */
  population: string;
}

/** One check of the run as the findings' catalog lists it. */
export interface CheckCatalogEntry {
  id: string;
  title: string;
  severity: Severity;
  scope: string;
  procedure: TestProcedure;
}

/** The organization of an audit's evidence (findings run.organization): the same id is the same organization. */
export interface RunOrganization {
  /** `o-` and 10 to 32 lowercase letters or digits. */
  id: string;
  /** The 12-digit id of its management account. */
  managementAccount: string;
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
    /** The outcome the exit code states (absent from older findings files: derived from the results). */
    outcome?: RunOutcome;
    /** Who prepared the report (--prepared-by or the config's report.preparedBy). */
    preparedBy?: string;
    /** The identity that collected the evidence (the bundle manifest's GetCallerIdentity). */
    collectedBy?: { account: string; arn: string; userId: string };
    /**
     * The AWS organization the evidence describes (its DescribeOrganization, read by the estate); null when the
     * evidence describes none (a standalone account, the call denied or not collected); absent from findings
     * written before it was recorded and from `scan`'s.
     */
    organization?: RunOrganization | null;
  };
  summary: Summary;
  results: Result[];
  detections: Detection[];
  waivers: WaiverReport[];
  integrity?: IntegrityReport;
  frameworks?: FrameworkView[];
  /** The checks of the run with their test procedures (working papers), sorted by id. */
  checks?: CheckCatalogEntry[];
  /** Management responses (config or --responses FILE) that named no result of the run: stale or mistyped. */
  unmatchedResponses?: Array<{ result?: string; check?: string; resource?: string; account?: string; owner: string; response: string; dueDate?: string }>;
  /** When audit scanned events: the context of each high or critical detection and the days the logs cover. */
  eventContext?: EventContextSection;
}

/**
 * How a requirement reads its checks' results. `all`: every subject must meet it (worst status wins, the
 * default); `any`: met by one passing subject (e.g. "at least one trail is logging"), the other subjects'
 * failures stay their own check's results but do not decide the requirement.
 */
export type Aggregation = 'all' | 'any';

export interface FrameworkRequirementView {
  id: string;
  title: string;
  checks: string[];
  /** The requirement's status by its aggregation, or NOT_ASSESSED when no check covers it. */
  status: Status | 'NOT_ASSESSED';
  counts: Partial<Record<Status, number>>;
  /** The aggregation of each check (absent: every check `all`). */
  aggregate?: Record<string, Aggregation>;
  /** Each check's status as the requirement reads it. */
  checkStatus?: Record<string, Status | 'NOT_ASSESSED'>;
  /** Why results that are not PASS did not decide the requirement (an `any` check met by a passing subject). */
  note?: string;
}

export interface FrameworkView {
  id: string;
  title: string;
  version: string;
  requirements: FrameworkRequirementView[];
}

// The context of serious detections (findings.eventContext), written by src/events/context.ts during an audit
// and told by the report as incident timelines.
export interface ContextEvent {
  eventTime: string;
  eventName: string;
  eventSource: string;
  eventId: string;
  errorCode: string | null;
  sourceIPAddress: string;
  /** What the call acted on: resource ARNs, else the bucket, key or name in its request parameters. */
  targets: string[];
  /** Who called, for events of other principals (`onResource`); absent for the detection's own principal. */
  principal?: string;
}

export interface DetectionContext {
  eventId: string;
  /** Every rule that matched this one event: the report shows it once, naming them all. */
  ruleIds: string[];
  principal: string;
  accessKeyId: string | null;
  session: { issuer: string | null; createdAt: string | null; mfaAuthenticated: boolean | null } | null;
  /** The bundle file the event was read from and its SHA-256 from the manifest; null when not found in the window. */
  logFile: { file: string; sha256: string } | null;
  window: { from: string; to: string };
  before: ContextEvent[];
  after: ContextEvent[];
  /** After the detection, calls of other principals on the resources it acted on (the failures a deletion caused). */
  onResource: ContextEvent[];
  /** Events in the window beyond CONTEXT_EVENTS_PER_SIDE, per list. */
  omitted: { before: number; after: number; onResource: number };
  /** Resources the principal touched in the window, the detection's own included. */
  resources: string[];
}

export interface EventContextSection {
  bounds: { windowMinutes: number; eventsPerSide: number; detectionsMax: number; filesMax: number };
  detections: DetectionContext[];
  /** High and critical detections beyond CONTEXT_DETECTIONS_MAX, given no context. */
  omittedDetections: number;
  /** The UTC days the bundle holds delivered log files for, with their count: the days the event rules examined. */
  logDays: { day: string; files: number }[];
  filesRead: number;
  problems: string[];
}
