// Every built-in rule against its fixture (test/checks/rules/fixtures/<ruleId>.ts): records it must match
// and near-misses it must not, written from the documented CloudTrail record shapes; correlations at and
// just below their thresholds, inside and just outside their windows. The counting choice is tested too:
// the refused form of every match matches when the rule counts attempts and not when it counts successes.
import { expect } from 'chai';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import type { SigmaRule } from '../../../src/events/sigma/index.js';
import { isCorrelationFixture, denied, failedWithMessageOnly, type Case, type CorrelationFixture, type EventFixture, type RuleFixture } from './fixtures/records.js';
import { catalogFiles, correlate, loadFile, reportingDoc, ruleSetOf, type CatalogFile } from './harness.js';

const files = catalogFiles();

async function fixtureOf(ruleId: string): Promise<RuleFixture | null> {
  try {
    const mod = (await import(`./fixtures/${ruleId}.js`)) as { fixture?: RuleFixture };
    return mod.fixture ?? null;
  } catch {
    return null;
  }
}

const fixtures = new Map<string, RuleFixture | null>(await Promise.all(files.map(async (f) => [f.ruleId, await fixtureOf(f.ruleId)] as const)));

function countsOf(file: CatalogFile): 'success' | 'attempts' {
  const block = reportingDoc(file).trailproof as { counts?: unknown };
  if (block.counts !== 'success' && block.counts !== 'attempts') throw new Error(`${file.path}: trailproof.counts is missing`);
  return block.counts;
}

function matchesAny(rules: SigmaRule[], record: CloudTrailRecord): boolean {
  return rules.some((r) => r.kind === 'event' && r.match(record));
}

function eventCases(file: CatalogFile, fixture: EventFixture): void {
  const rules = (): SigmaRule[] => loadFile(file);
  const attempts = countsOf(file) === 'attempts';
  for (const c of fixture.matches) {
    it(`matches: ${c.name}`, () => {
      expect(matchesAny(rules(), c.record)).to.equal(true);
      const set = ruleSetOf(file);
      expect(set.matchIndices(c.record), 'the eventName/eventSource index agrees').to.deep.equal(set.matchIndicesWithoutIndex(c.record));
      expect(set.matches(c.record).map((r) => r.ruleId)).to.include(file.ruleId);
    });
    it(`${attempts ? 'still matches' : 'does not match'} when refused: ${c.name}`, () => {
      expect(matchesAny(rules(), denied(c.record))).to.equal(attempts);
    });
    it(`${attempts ? 'still matches' : 'does not match'} when it failed with an errorMessage only: ${c.name}`, () => {
      expect(matchesAny(rules(), failedWithMessageOnly(c.record))).to.equal(attempts);
    });
  }
  for (const c of fixture.nearMisses) {
    it(`does not match: ${c.name}`, () => {
      expect(matchesAny(rules(), c.record)).to.equal(false);
    });
  }
  for (const p of fixture.parameterCases ?? []) {
    it(`with ${JSON.stringify(p.parameters)}: ${p.matches ? 'matches' : 'does not match'} ${p.name}`, () => {
      expect(matchesAny(loadFile(file, p.parameters), p.record)).to.equal(p.matches);
    });
  }
}

function baseCases(file: CatalogFile, cases: Case[], expected: boolean, attempts: boolean): void {
  for (const c of cases) {
    it(`base rule ${expected ? 'matches' : 'does not match'}: ${c.name}`, () => {
      expect(matchesAny(loadFile(file), c.record)).to.equal(expected);
    });
    if (expected) {
      it(`base rule ${attempts ? 'still matches' : 'does not match'} when refused: ${c.name}`, () => {
        expect(matchesAny(loadFile(file), denied(c.record))).to.equal(attempts);
      });
      it(`base rule ${attempts ? 'still matches' : 'does not match'} when it failed with an errorMessage only: ${c.name}`, () => {
        expect(matchesAny(loadFile(file), failedWithMessageOnly(c.record))).to.equal(attempts);
      });
    }
  }
}

function correlationCases(file: CatalogFile, fixture: CorrelationFixture): void {
  const attempts = countsOf(file) === 'attempts';
  baseCases(file, fixture.base.matches, true, attempts);
  baseCases(file, fixture.base.nearMisses, false, attempts);
  for (const c of fixture.cases) {
    it(`${c.detections === 0 ? 'no detection' : `${c.detections} detection${c.detections > 1 ? 's' : ''}`}: ${c.name}`, () => {
      const found = correlate(ruleSetOf(file, c.parameters), c.events).filter((m) => m.ruleId === file.ruleId);
      expect(found.length, JSON.stringify(found.map((m) => ({ count: m.count, firstSeen: m.firstSeen, lastSeen: m.lastSeen, groupBy: m.groupBy })))).to.equal(c.detections);
      const first = found[0];
      if (first !== undefined && c.count !== undefined) expect(first.count).to.equal(c.count);
      if (first !== undefined && c.groupBy !== undefined) for (const [k, v] of Object.entries(c.groupBy)) expect(first.groupBy[k], `group-by ${k}`).to.equal(v);
      if (first !== undefined && c.top !== undefined) {
        expect(first.anomaly?.topActors[0]?.value, 'top identity').to.equal(c.top.actor);
        expect(first.anomaly?.topUserAgents[0]?.value, 'top user agent').to.equal(c.top.userAgent);
        expect(first.anomaly?.topErrorCodes[0]?.value, 'top error code').to.equal(c.top.errorCode);
      }
    });
  }
}

describe('built-in rules against their fixtures', () => {
  for (const file of files) {
    describe(file.ruleId, () => {
      const fixture = fixtures.get(file.ruleId) ?? null;
      it('has a fixture in test/checks/rules/fixtures', () => {
        expect(fixture, `test/checks/rules/fixtures/${file.ruleId}.ts exporting \`fixture\``).to.not.equal(null);
        expect(fixture?.ruleId).to.equal(file.ruleId);
      });
      if (fixture === null) return;
      const correlation = reportingDoc(file).correlation !== undefined;
      it(`has ${correlation ? 'base-rule matches, near-misses and streams at the limits' : 'matches and near-misses'}`, () => {
        expect(isCorrelationFixture(fixture)).to.equal(correlation);
        if (isCorrelationFixture(fixture)) {
          expect(fixture.base.matches).to.not.have.lengthOf(0);
          expect(fixture.base.nearMisses).to.not.have.lengthOf(0);
          expect(fixture.cases.filter((c) => c.detections > 0)).to.not.have.lengthOf(0);
          expect(fixture.cases.filter((c) => c.detections === 0).length).to.be.at.least(2);
        } else {
          expect(fixture.matches).to.not.have.lengthOf(0);
          expect(fixture.nearMisses).to.not.have.lengthOf(0);
        }
      });
      if (isCorrelationFixture(fixture)) correlationCases(file, fixture);
      else eventCases(file, fixture);
    });
  }
});
