// Runs the selected checks over the estate in isolation (a check that throws becomes one ERROR result),
// stamps metadata, applies severity overrides, gives each result its stable id, applies waivers and
// management responses, marks info-level failures as observations, and assembles the findings file with
// the working-paper fields (preparer, collecting identity, each check's test procedure) and the organization
// the evidence describes (so reports and trends know it without the bundle).
import { randomUUID } from 'node:crypto';
import { suggest, type Config, type ResponseConfig } from '../config/load.js';
import { applyResponses } from '../config/responses.js';
import { applyWaivers } from '../config/waivers.js';
import { TrailproofError, errorMessage } from '../errors.js';
import type { Bundle } from '../evidence/bundle.js';
import { Estate, type EstateVerifications } from '../evidence/estate.js';
import { STATUSES, type Detection, type Findings, type Result, type RunOrganization, type Severity, type Summary } from '../model/types.js';
import { toolVersion } from '../paths.js';
import { globMatcher } from '../config/waivers.js';
import { createContext, type AnyCheck } from './check.js';
import { frameworkView, indexFrameworks, type Framework, type FrameworkIndex } from './frameworks.js';
import { resolveOptions } from './options.js';
import { checkCatalog } from './procedure.js';
import type { CheckRegistry } from './registry.js';
import { assignResultIds } from './result-id.js';

export interface PlannedCheck {
  check: AnyCheck;
  options: Record<string, unknown>;
  severity: Severity;
}

export interface AuditPlan {
  checks: PlannedCheck[];
  frameworks: Framework[];
  frameworkIndex: FrameworkIndex;
  /** Framework ids whose requirement views go into the findings. */
  views: string[];
  config: Config;
}

export interface PlanRequest {
  /** --checks: ids or patterns (`bucket.*`). */
  checks?: string[];
  /** --framework: run the checks this framework maps, and report it requirement by requirement. */
  framework?: string;
  configFile?: string;
  /** Event rule ids the config may also configure under checks.<ruleId> (the scan validates their parameters). */
  ruleIds?: string[];
}

function unknownCheck(id: string, registry: CheckRegistry, where: string, ruleIds: string[] = []): TrailproofError {
  const hint = suggest(id, [...registry.ids(), ...ruleIds]);
  return new TrailproofError('TP_CHECK_UNKNOWN', `${where}: unknown check id "${id}"${hint ? ` (did you mean ${hint}?)` : ''}; \`trailproof checks list\` shows the catalog`);
}

/** Validates the request against the catalog and the config before any evidence is read. */
export function planAudit(registry: CheckRegistry, frameworks: Framework[], config: Config, request: PlanRequest = {}): AuditPlan {
  const where = request.configFile ?? 'config';
  const frameworkIndex = indexFrameworks(frameworks, registry);
  const ruleIds = request.ruleIds ?? [];
  for (const id of Object.keys(config.checks ?? {})) {
    if (!registry.has(id) && !ruleIds.includes(id)) {
      const err = unknownCheck(id, registry, `${where}: checks.${id}`, ruleIds);
      throw new TrailproofError('TP_CONFIG_INVALID', err.message);
    }
  }
  for (const [i, waiver] of (config.waivers ?? []).entries()) {
    if (!registry.has(waiver.check)) throw new TrailproofError('TP_CONFIG_INVALID', unknownCheck(waiver.check, registry, `${where}: waivers.${i}.check`).message);
  }
  const frameworkIds = frameworks.map((f) => f.id);
  const requested = request.framework !== undefined ? [request.framework] : (config.frameworks ?? []);
  for (const id of requested) {
    if (!frameworkIds.includes(id)) {
      const hint = suggest(id, frameworkIds);
      throw new TrailproofError('TP_FRAMEWORK_UNKNOWN', `unknown framework "${id}"${hint ? ` (did you mean ${hint}?)` : ''}; known: ${frameworkIds.join(', ')}`);
    }
  }

  let selected = registry.all().map((r) => r.check);
  if (request.checks && request.checks.length > 0) {
    const patterns = request.checks.map((p) => ({ p, re: globMatcher(p) }));
    for (const { p, re } of patterns) if (!selected.some((c) => re.test(c.meta.id))) throw unknownCheck(p, registry, '--checks');
    selected = selected.filter((c) => patterns.some(({ re }) => re.test(c.meta.id)));
  }
  if (request.framework !== undefined) {
    const fw = frameworks.find((f) => f.id === request.framework) as Framework;
    const mapped = new Set(fw.requirements.flatMap((r) => r.checks));
    selected = selected.filter((c) => mapped.has(c.meta.id));
  }
  const checks = selected
    .filter((c) => config.checks?.[c.meta.id]?.enabled !== false)
    .map((check) => {
      const configured = config.checks?.[check.meta.id];
      return {
        check,
        options: resolveOptions(check, configured, where),
        severity: configured?.severity ?? check.meta.severity,
      };
    });
  return { checks, frameworks, frameworkIndex, views: requested.length > 0 ? requested : frameworkIds, config };
}

export interface RunRequest {
  source: 'live' | 'bundle';
  bundlePath?: string;
  accounts?: string[];
  failOn: Severity | 'none';
  framework?: string;
  startedAt?: Date;
  /** Detections of the event rules over the bundle's events, when it holds any. */
  detections?: Detection[];
  /** --prepared-by (over the config's report.preparedBy). */
  preparedBy?: string;
  /** --responses FILE's entries; they come before the config's `responses:`. */
  responses?: ResponseConfig[];
  /** What was verified about the bundle before the checks (the log files' digest chains), for the estate. */
  verifications?: EstateVerifications;
}

type UnnumberedResult = Omit<Result, 'id'>;

export function runAudit(bundle: Bundle, plan: AuditPlan, request: RunRequest): Findings {
  const startedAt = request.startedAt ?? new Date();
  const estate = new Estate(bundle, request.verifications);
  const fallbackAccount = bundle.manifest.identity.Account;
  let stamped: UnnumberedResult[] = [];
  for (const { check, options, severity } of plan.checks) {
    const { meta } = check;
    const stamp = (partial: Omit<Result, 'id' | 'checkId' | 'title' | 'severity' | 'frameworks'>): UnnumberedResult => {
      const result: UnnumberedResult = { checkId: meta.id, title: meta.title, severity, ...partial, frameworks: structuredClone(plan.frameworkIndex.get(meta.id) ?? {}) };
      if (partial.status === 'FAIL' || partial.status === 'MANUAL') result.remediation = { ...meta.remediation };
      return result;
    };
    try {
      const ctx = createContext(meta, options, estate.collectedAt);
      for (const r of check.run(estate, ctx)) stamped.push(stamp(r));
    } catch (err) {
      stamped.push(stamp({
        status: 'ERROR',
        account: fallbackAccount,
        region: 'global',
        resource: `trailproof:check/${meta.id}`,
        message: `check ${meta.id} failed: ${errorMessage(err)}`,
        evidence: [],
      }));
    }
  }
  const accounts = request.accounts ?? plan.config.accounts;
  if (accounts && accounts.length > 0) stamped = stamped.filter((r) => accounts.includes(r.account));
  const waived = applyWaivers(assignResultIds(stamped.sort(compareResults)), plan.config.waivers ?? [], estate.collectedAt);
  const responded = applyResponses(waived.results, [...(request.responses ?? []), ...(plan.config.responses ?? [])]);
  const results = responded.results.map((r) => (r.status === 'FAIL' && r.severity === 'info' ? { ...r, observation: true } : r));
  const detections = request.detections ?? [];
  const preparedBy = request.preparedBy ?? plan.config.report?.preparedBy;
  const identity = bundle.manifest.identity;
  const findings: Findings = {
    schemaVersion: '1',
    tool: { name: 'trailproof', version: toolVersion },
    run: {
      id: randomUUID(),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      source: request.source,
      scope: { accounts: [...bundle.manifest.scope.accounts].sort(), regions: [...bundle.manifest.scope.regions].sort() },
      organization: runOrganization(estate),
      period: { from: null, to: null },
      collectedAt: estate.collectedAt.toISOString(),
      failOn: request.failOn,
      bundle: { path: request.bundlePath ?? bundle.dir, manifestSha256: bundle.manifestSha256, tool: bundle.manifest.tool, version: bundle.manifest.version },
    },
    summary: summarize(results, detections),
    results,
    detections,
    waivers: waived.report,
    integrity: bundle.integrity,
    frameworks: plan.views.map((id) => frameworkView(plan.frameworks.find((f) => f.id === id) as Framework, results)),
    checks: checkCatalog(plan.checks, results),
  };
  if (request.framework !== undefined) findings.run.framework = request.framework;
  if (preparedBy !== undefined) findings.run.preparedBy = preparedBy;
  if (typeof identity?.Arn === 'string') findings.run.collectedBy = { account: String(identity.Account ?? ''), arn: identity.Arn, userId: String(identity.UserId ?? '') };
  if (responded.unmatched.length > 0) findings.unmatchedResponses = responded.unmatched;
  return findings;
}

/** AWS's forms of an organization id and an account id (schema/findings.schema.json holds the same patterns). */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The organization the estate read from the evidence (DescribeOrganization of an account in scope, the management
 * account's first), for findings run.organization; null when the evidence describes none: every account answered
 * AWSOrganizationsNotInUseException (standalone), the call failed or was not collected, or what it holds is not
 * in AWS's form (an id a findings file records must be one trends can match and the schema accepts).
 */
export function runOrganization(estate: Estate): RunOrganization | null {
  const org = estate.organization;
  if (org === undefined || !ORGANIZATION_ID.test(org.id) || !ACCOUNT_ID.test(org.managementAccountId)) return null;
  return { id: org.id, managementAccount: org.managementAccountId };
}

/**
 * Counts by status, with FAIL results at severity info counted as observations, not failures (the status
 * counts plus observations add up to the results).
 */
export function summarize(results: Result[], detections: Detection[]): Summary {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary;
  summary.detections = detections.length;
  summary.observations = 0;
  for (const r of results) {
    if (r.observation === true) summary.observations++;
    else summary[r.status]++;
  }
  return summary;
}

export function compareResults(a: UnnumberedResult, b: UnnumberedResult): number {
  return cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.checkId, b.checkId) || cmp(a.resource, b.resource) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
