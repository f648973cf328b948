// The corpus the SQL equivalence tests run over: every built-in rule's fixture (matches, near-misses, their
// refused forms, and each correlation stream moved to its own days so streams do not run into each other),
// every SigmaHQ case, and a slice of the benchmark's realistic traffic. Event ids are made unique.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRecord, Rng } from '../../bench/scan-corpus.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { BUILTIN_RULES_DIR } from '../../src/events/rules.js';
import type { RuleSource } from '../../src/events/sigma/index.js';
import { SIGMAHQ_CASES } from '../events/sigma/sigmahq-events.js';
import { denied, isCorrelationFixture, type RuleFixture } from '../checks/rules/fixtures/records.js';

export { SIGMAHQ_DIR } from '../helpers/sigmahq.js';

const DAY = 86_400_000;

function shifted(record: CloudTrailRecord, ms: number): CloudTrailRecord {
  if (ms === 0 || typeof record.eventTime !== 'string') return record;
  const t = Date.parse(record.eventTime);
  return Number.isNaN(t) ? record : { ...record, eventTime: new Date(t + ms).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

export function ruleSourcesOf(dir: string): RuleSource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

async function fixtures(): Promise<RuleFixture[]> {
  const out: RuleFixture[] = [];
  for (const file of readdirSync(BUILTIN_RULES_DIR).filter((f) => f.endsWith('.yml')).sort()) {
    const id = file.replace(/\.yml$/, '');
    try {
      const mod = (await import(`../checks/rules/fixtures/${id}.js`)) as { fixture?: RuleFixture };
      if (mod.fixture !== undefined) out.push(mod.fixture);
    } catch {
      // a rule without a fixture module: the catalog test says so
    }
  }
  return out;
}

export interface EquivalenceCorpus {
  records: CloudTrailRecord[];
  /**
   * Rule parameters the streams were written for (the anomaly rules' short baseline and warm-up, which the
   * defaults of 7 and 1 days would never reach in an hour's stream), by ruleId: both engines run with them.
   */
  parameters: Record<string, Record<string, unknown>>;
}

/** The records, each with a unique eventID. `background` events of realistic traffic are added. */
export async function equivalenceCorpus(background = 3000): Promise<EquivalenceCorpus> {
  const records: CloudTrailRecord[] = [];
  const parameters: Record<string, Record<string, unknown>> = {};
  let stream = 0;
  for (const f of await fixtures()) {
    if (isCorrelationFixture(f)) {
      for (const c of [...f.base.matches, ...f.base.nearMisses]) records.push(c.record, denied(c.record));
      for (const c of f.cases) {
        if (c.parameters !== undefined) {
          // One parameter set per rule: streams written for another are left out.
          const set = (parameters[f.ruleId] ??= c.parameters);
          if (JSON.stringify(set) !== JSON.stringify(c.parameters)) continue;
        }
        stream++;
        for (const e of c.events) records.push(shifted(e, stream * 20 * DAY));
      }
    } else {
      for (const c of [...f.matches, ...f.nearMisses]) records.push(c.record, denied(c.record));
    }
  }
  for (const cases of Object.values(SIGMAHQ_CASES)) records.push(...cases.match, ...cases.nearMiss);
  const r = new Rng(7);
  const start = Date.parse('2026-09-14T00:00:00Z');
  for (let i = 0; i < background; i++) records.push(makeRecord(r, '210000000001', i % 2 === 0 ? 'us-east-1' : 'eu-west-1', start + i * 1000) as CloudTrailRecord);
  return { records: records.map((rec, i) => ({ ...rec, eventID: `eq-${String(i).padStart(6, '0')}` })), parameters };
}
