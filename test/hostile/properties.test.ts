// Property tests over every parser of untrusted input (fast-check): whatever the bytes, log decoding and
// LookupEvents lines end in records or named skips, never a throw; a rule file or condition is a rule or
// TP_RULE_INVALID; a config file is a config or TP_CONFIG_INVALID; a findings file given to
// `trailproof report --findings` renders or exits 2 with one line naming the file, never an internal error.
import { expect } from 'chai';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config/load.js';
import { TrailproofError } from '../../src/errors.js';
import { createProcessor } from '../../src/events/processor.js';
import { FULL_SCOPE, type LogUnit } from '../../src/events/readers/types.js';
import { ruleSources } from '../../src/events/rules.js';
import { compileRuleSource, RuleLoadError } from '../../src/events/sigma/index.js';
import { record, tempDir } from '../events/helpers.js';
import { run } from './helpers.js';

const RUNS = 150;

const good = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com' });
const goodText = JSON.stringify(good);

/** Text a log file could hold: records that are real, random JSON, random text, cut anywhere. */
const logTextArb = fc
  .tuple(
    fc.array(fc.oneof(fc.constant(goodText), fc.json({ maxDepth: 6 }), fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 }).map((j) => `{"eventVersion":${j}}`), fc.nat(200).map((n) => '['.repeat(n) + ']'.repeat(n))), { maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([parts, cut]) => {
    const text = `{"Records":[${parts.join(',')}]}`;
    return cut === undefined ? text : text.slice(0, cut % (text.length + 1));
  });

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  logTextArb.map((t) => Buffer.from(t)),
  logTextArb.map((t) => gzipSync(t)),
  fc.tuple(logTextArb, fc.nat()).map(([t, cut]) => {
    const gz = gzipSync(t);
    return gz.subarray(0, cut % (gz.length + 1));
  }),
  fc.tuple(logTextArb, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([t, at, byte]) => {
    const gz = Buffer.from(gzipSync(t));
    if (gz.length > 0) gz[at % gz.length] = byte;
    return gz;
  }),
);

describe('property: untrusted input never crashes a parser', function () {
  this.timeout(300_000);
  const { sources } = ruleSources({ builtin: true, dirs: [] });
  const scan = createProcessor({ mode: 'scan', sources, parameters: {}, scope: FULL_SCOPE });
  const plain = createProcessor({ mode: 'scan', sources, parameters: {}, scope: FULL_SCOPE, prefilter: false });

  it('log decoding (random, truncated and corrupted gzip and JSON): records or named skips, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(bytesArb, async (bytes) => {
        for (const processor of [scan, plain]) {
          const unit: LogUnit = { kind: 'bytes', name: 's3://bucket/log.json.gz', size: bytes.length, delivered: null, bytes: new Uint8Array(bytes) };
          const result = await processor(unit);
          for (const p of result.problems) {
            expect(p.name.startsWith('s3://bucket/log.json.gz')).to.equal(true);
            expect(p.reason).to.be.a('string').and.not.equal('');
          }
          expect(result.events).to.be.at.least(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('LookupEvents.jsonl (random lines): records or skips named by line, never a throw', async () => {
    const dir = tempDir('tp-prop-jsonl-');
    const lineArb = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.json({ maxDepth: 5 }),
      fc.json({ maxDepth: 4 }).map((j) => JSON.stringify({ EventId: 'e', CloudTrailEvent: j })),
      fc.constant(JSON.stringify({ EventId: good.eventID, CloudTrailEvent: goodText })),
      fc.nat(300).map((n) => JSON.stringify({ EventId: 'deep', CloudTrailEvent: '{"a":'.repeat(n) + '1' + '}'.repeat(n) })),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const path = join(dir, `LookupEvents-${n++}.jsonl`);
        writeFileSync(path, lines.join(eol));
        const result = await scan({ kind: 'jsonl', name: 'LookupEvents.jsonl', path, size: 0, delivered: null });
        for (const p of result.problems) expect(p.name).to.match(/^LookupEvents\.jsonl:\d+$/);
        expect(result.events + result.problems.length).to.be.at.most(lines.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('Sigma rule files and conditions (random YAML and condition text): a rule or TP_RULE_INVALID, never another error', () => {
    const word = fc.constantFrom('sel', 'filter', 'not', 'and', 'or', '1 of', 'all of', 'them', 'sel*', '(', ')', '|', 'near', 'count()', '>', '5');
    const condition = fc.array(word, { maxLength: 10 }).map((w) => w.join(' '));
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant('*'), fc.constant('10.0.0.0/8'), fc.constant('(unclosed'));
    const modifier = fc.constantFrom('', '|contains', '|startswith', '|endswith', '|all', '|cidr', '|re', '|contains|all', '|base64', '|exists', '|gt', '|bogus');
    const field = fc.constantFrom('eventName', 'eventSource', 'requestParameters.bucketName', 'sourceIPAddress', 'userIdentity.arn', 'x');
    const structured = fc
      .tuple(condition, fc.array(fc.tuple(field, modifier, fc.oneof(value, fc.array(value, { maxLength: 3 }))), { maxLength: 3 }), fc.constantFrom('low', 'high', 'severe'))
      .map(([cond, items, level]) => {
        const body = items.map(([f, m, v]) => `    ${f}${m}: ${JSON.stringify(v)}`).join('\n');
        return `title: T\nid: r1\nlevel: ${level}\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n${body || '    eventName: X'}\n  filter:\n    eventName: Y\n  condition: ${JSON.stringify(cond)}\n`;
      });
    const yamlish = fc.array(fc.constantFrom('a: 1', '- x', '  b: *c', '&c d', '---', '\t', 'e: [', ']', '{', 'f: |', '  text', ': :', '"q', '!!binary x', '? k'), { maxLength: 8 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(fc.oneof(structured, yamlish, fc.string({ maxLength: 80 })), (text) => {
        try {
          compileRuleSource(text, 'random.yml');
        } catch (err) {
          if (!(err instanceof RuleLoadError)) throw err;
          expect(err.code).to.equal('TP_RULE_INVALID');
          expect(err.message.startsWith('random.yml')).to.equal(true);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('the config loader (random YAML and JSON): a config or TP_CONFIG_INVALID naming the file', () => {
    const dir = tempDir('tp-prop-config-');
    const text = fc.oneof(
      fc.json({ maxDepth: 5 }),
      fc.array(fc.constantFrom('failOn: high', 'failOn: x', 'checks:', '  a: *b', '  &b c: 1', 'waivers: []', 'waivers:', '  - check: x', '\tx: 1', 'frameworks: [', '---', 'plugins: 1'), { maxLength: 8 }).map((l) => l.join('\n')),
      fc.string({ maxLength: 80 }),
    );
    let n = 0;
    fc.assert(
      fc.property(text, (t) => {
        const file = `c${n++}.yml`;
        writeFileSync(join(dir, file), t);
        try {
          loadConfig(file, dir);
        } catch (err) {
          if (!(err instanceof TrailproofError)) throw err;
          expect(err.code).to.equal('TP_CONFIG_INVALID');
          expect(err.message).to.contain(file);
          expect(err.exitCode).to.equal(2);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('report --findings FILE (random JSON, mutated findings): renders, or exits 2 with one line naming the file', async () => {
    const dir = tempDir('tp-prop-findings-');
    const base = {
      schemaVersion: '1',
      tool: { name: 'trailproof', version: '0.1.0' },
      run: { id: 'r', startedAt: '2026-10-01T06:00:00.000Z', finishedAt: '2026-10-01T06:00:01.000Z', source: 'bundle', scope: { accounts: [], regions: [] }, period: { from: null, to: null } },
      summary: { PASS: 0, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: 0, WAIVED: 0, detections: 0 },
      results: [],
      detections: [],
    };
    const mutated = fc.tuple(fc.constantFrom('schemaVersion', 'tool', 'run', 'summary', 'results', 'detections', 'run.period', 'run.scope'), fc.json({ maxDepth: 4 }).map((j) => JSON.parse(j) as unknown)).map(([path, v]) => {
      const copy = JSON.parse(JSON.stringify(base)) as Record<string, Record<string, unknown>>;
      const [a, b] = path.split('.') as [string, string | undefined];
      if (b === undefined) (copy as Record<string, unknown>)[a] = v;
      else (copy[a] as Record<string, unknown>)[b] = v;
      return JSON.stringify(copy);
    });
    const deep = fc.nat(20_000).map((n) => JSON.stringify({ ...base, detections: [{ x: 1 }] }).replace('{"x":1}', '['.repeat(n) + ']'.repeat(n)));
    // A detection valid in every field the schema names, nested deep in one it leaves open.
    const detection = { ruleId: 'x', title: 't', severity: 'high', eventTime: '2026-09-14T03:32:07Z', eventName: 'A', eventSource: 's', eventId: 'e', actor: 'a', actorType: 'IAMUser', sourceIPAddress: '192.0.2.1', userAgent: 'u', account: '111111111111', region: 'us-east-1', errorCode: null, count: 1, firstSeen: '2026-09-14T03:32:07Z', lastSeen: '2026-09-14T03:32:07Z', requestParameters: { p: '@@' } };
    const deepValue = fc.integer({ min: 100, max: 20_000 }).map((n) => JSON.stringify({ ...base, summary: { ...base.summary, detections: 1 }, detections: [detection] }).replace('"@@"', '['.repeat(n) + ']'.repeat(n)));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 4 }), mutated, deep, deepValue, fc.string({ maxLength: 40 })), fc.constantFrom('json', 'html', 'sarif', 'markdown'), async (text, format) => {
        const file = join(dir, `f${n++}.json`);
        writeFileSync(file, text);
        const r = await run(['report', '--findings', file, '--format', format]);
        expect(r.err).to.not.match(/internal error/);
        if (r.code !== 0) {
          expect(r.code, r.err).to.equal(2);
          expect(r.err.trim().split('\n'), r.err).to.have.length(1);
          expect(r.err).to.contain(file);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
