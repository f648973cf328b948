// Compliance frameworks as data (checks/frameworks/<id>.json): requirement id -> check ids, written once.
// A check's framework mappings are derived from these files (plus what a plugin cites in its meta).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError } from '../errors.js';
import type { FrameworkView, Result, Status } from '../model/types.js';
import { frameworksDir } from '../paths.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';
import type { CheckRegistry } from './registry.js';

export interface Requirement {
  id: string;
  title: string;
  checks: string[];
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
const STATUS_RANK: Status[] = ['FAIL', 'ERROR', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE'];

export function frameworkView(fw: Framework, results: Result[]): FrameworkView {
  const byCheck = new Map<string, Result[]>();
  for (const r of results) {
    const list = byCheck.get(r.checkId) ?? [];
    list.push(r);
    byCheck.set(r.checkId, list);
  }
  return {
    id: fw.id,
    title: fw.title,
    version: fw.version,
    requirements: fw.requirements.map((req) => {
      const counts: Partial<Record<Status, number>> = {};
      for (const checkId of req.checks) for (const r of byCheck.get(checkId) ?? []) counts[r.status] = (counts[r.status] ?? 0) + 1;
      const worst = STATUS_RANK.find((s) => (counts[s] ?? 0) > 0);
      return { id: req.id, title: req.title, checks: [...req.checks], status: worst ?? 'NOT_ASSESSED', counts };
    }),
  };
}
