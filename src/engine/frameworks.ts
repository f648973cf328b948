// Compliance frameworks as data (checks/frameworks/<id>.json): requirement id -> check ids, written once.
// A check's framework mappings are derived from these files (plus what a plugin cites in its meta).
// Each requirement declares how it reads its checks' results (`aggregate`): "all" (every subject must meet
// it, worst status wins) or "any" (one passing subject meets it: "at least one trail is logging" is met by the
// organization trail while a stopped redundant trail stays trail.logging-active's own FAIL).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError } from '../errors.js';
import type { Aggregation, FrameworkRequirementView, FrameworkView, Result, Status } from '../model/types.js';
import { frameworksDir } from '../paths.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';
import type { CheckRegistry } from './registry.js';

export interface Requirement {
  id: string;
  title: string;
  checks: string[];
  /** One aggregation for every check, or one per check (unnamed checks: "all"). Absent: "all". */
  aggregate?: Aggregation | Record<string, Aggregation>;
  note?: string;
}

export interface Framework {
  id: string;
  title: string;
  version: string;
  url: string;
  scope?: string;
  requirements: Requirement[];
}

const validateFramework = compileSchema<Framework>(loadSchema('framework.schema.json'));

export function loadFrameworks(dir: string = frameworksDir): Framework[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const value: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (!validateFramework(value)) {
        throw new TrailproofError('TP_CHECK_INVALID', `checks/frameworks/${f}: ${formatAjvErrors(validateFramework.errors, f)}`);
      }
      return value;
    });
}

/** check id -> framework id -> requirement ids, from the framework files and plugin metas. */
export type FrameworkIndex = Map<string, Record<string, string[]>>;

export function indexFrameworks(frameworks: Framework[], registry: CheckRegistry): FrameworkIndex {
  const index: FrameworkIndex = new Map();
  const add = (checkId: string, frameworkId: string, requirementId: string): void => {
    const byFramework = index.get(checkId) ?? {};
    const ids = byFramework[frameworkId] ?? [];
    if (!ids.includes(requirementId)) ids.push(requirementId);
    byFramework[frameworkId] = ids;
    index.set(checkId, byFramework);
  };
  for (const fw of frameworks) {
    for (const req of fw.requirements) {
      if (typeof req.aggregate === 'object') {
        for (const checkId of Object.keys(req.aggregate)) {
          if (!req.checks.includes(checkId)) {
            throw new TrailproofError('TP_CHECK_INVALID', `checks/frameworks/${fw.id}.json: requirement ${req.id} declares the aggregation of ${checkId}, which is not one of its checks`);
          }
        }
      }
      for (const checkId of req.checks) {
        if (!registry.has(checkId)) {
          throw new TrailproofError('TP_CHECK_INVALID', `checks/frameworks/${fw.id}.json: requirement ${req.id} names unknown check ${checkId}`);
        }
        add(checkId, fw.id, req.id);
      }
    }
  }
  // Plugins cite requirements in their meta; the citation must name a real requirement, and it joins the
  // framework view so the mapping agrees in both directions.
  for (const { check, origin } of registry.all()) {
    for (const [frameworkId, requirementIds] of Object.entries(check.meta.frameworks ?? {})) {
      const fw = frameworks.find((f) => f.id === frameworkId);
      if (!fw) throw new TrailproofError('TP_PLUGIN_INVALID', `${origin}: check ${check.meta.id} cites unknown framework ${frameworkId}`);
      for (const requirementId of requirementIds) {
        const req = fw.requirements.find((r) => r.id === requirementId);
        if (!req) throw new TrailproofError('TP_PLUGIN_INVALID', `${origin}: check ${check.meta.id} cites ${frameworkId} requirement ${requirementId}, which does not exist`);
        if (!req.checks.includes(check.meta.id)) req.checks.push(check.meta.id);
        add(check.meta.id, frameworkId, requirementId);
      }
    }
  }
  for (const byFramework of index.values()) for (const ids of Object.values(byFramework)) ids.sort(compareRequirementIds);
  return index;
}

/** Orders "3.10" after "3.9" and "CloudTrail.10" after "CloudTrail.2". */
export function compareRequirementIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Worst first: what a requirement shows when its checks disagree. */
const STATUS_RANK: Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE'];

export function aggregationOf(req: Requirement, checkId: string): Aggregation {
  if (req.aggregate === undefined) return 'all';
  if (typeof req.aggregate === 'string') return req.aggregate;
  return req.aggregate[checkId] ?? 'all';
}

/** A check's status as a requirement reads it: "any" is PASS when one subject passes, else the worst. */
function checkStatus(results: Result[], aggregation: Aggregation): Status | 'NOT_ASSESSED' {
  if (aggregation === 'any' && results.some((r) => r.status === 'PASS')) return 'PASS';
  return STATUS_RANK.find((s) => results.some((r) => r.status === s)) ?? 'NOT_ASSESSED';
}

function requirementView(req: Requirement, byCheck: Map<string, Result[]>): FrameworkRequirementView {
  const counts: Partial<Record<Status, number>> = {};
  const aggregate: Record<string, Aggregation> = {};
  const statusByCheck: Record<string, Status | 'NOT_ASSESSED'> = {};
  const overruled: string[] = [];
  for (const checkId of req.checks) {
    const results = byCheck.get(checkId) ?? [];
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    aggregate[checkId] = aggregationOf(req, checkId);
    statusByCheck[checkId] = checkStatus(results, aggregate[checkId]);
    const others = results.filter((r) => r.status !== 'PASS' && r.status !== 'NOT_APPLICABLE').length;
    if (statusByCheck[checkId] === 'PASS' && others > 0) {
      const passing = results.filter((r) => r.status === 'PASS').length;
      const one = others === 1;
      overruled.push(`${others} result${one ? '' : 's'} of ${checkId} that did not pass ${one ? 'does' : 'do'} not decide it: ${passing} passing subject${passing === 1 ? '' : 's'} meet${passing === 1 ? 's' : ''} it (aggregate "any")`);
    }
  }
  const statuses = Object.values(statusByCheck);
  const worst = STATUS_RANK.find((s) => statuses.includes(s));
  const view: FrameworkRequirementView = { id: req.id, title: req.title, checks: [...req.checks], status: worst ?? 'NOT_ASSESSED', counts };
  if (req.checks.length > 0) Object.assign(view, { aggregate, checkStatus: statusByCheck });
  if (overruled.length > 0) view.note = `${overruled.join('; ')}.`;
  return view;
}

export function frameworkView(fw: Framework, results: Result[]): FrameworkView {
  const byCheck = new Map<string, Result[]>();
  for (const r of results) {
    const list = byCheck.get(r.checkId) ?? [];
    list.push(r);
    byCheck.set(r.checkId, list);
  }
  return { id: fw.id, title: fw.title, version: fw.version, requirements: fw.requirements.map((req) => requirementView(req, byCheck)) };
}
