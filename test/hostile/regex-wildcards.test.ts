// Wildcard patterns that come from input (policy documents and metric filters in evidence, config waivers,
// Sigma values and condition selection names) are matched without regular expressions: each site gets a
// pattern with many stars over a long text that would take a backtracking engine years (^a*a*...b$ is
// polynomial of the degree of its star count), and must answer at once, with the same answers a regular
// expression gives on small inputs.
import { expect } from 'chai';
import fc from 'fast-check';
import { applyWaivers, globMatcher } from '../../src/config/waivers.js';
import { secureTransport } from '../../src/evidence/s3-policy.js';
import type { PolicyDocument } from '../../src/evidence/aws.js';
import type { Result } from '../../src/model/types.js';
import { evaluate, parseFilterPattern } from '../../src/monitoring/filter-pattern.js';
import { wildcardMatch } from '../../src/wildcard.js';
import { detect } from '../events/sigma/helpers.js';
import { ct } from '../events/sigma/records.js';

/** `*a*a*...*a*b`: no match in a run of a's, and a backtracking engine tries every split of the run. */
const STARS = `*${'a*'.repeat(24)}b`;
const LONG = 'a'.repeat(5000);
const BUDGET_MS = 2000;

function timed<T>(work: () => T): T {
  const started = Date.now();
  const out = work();
  expect(Date.now() - started, 'a generous budget for a hostile input').to.be.lessThan(BUDGET_MS);
  return out;
}

function reference(pattern: string, text: string, options: { ignoreCase?: boolean; questionMark?: boolean } = {}): boolean {
  const one = options.questionMark ?? true;
  const body = [...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' && one ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, options.ignoreCase ? 'i' : '').test(text);
}

describe('wildcards from input are matched in bounded time', function () {
  it('agrees with the regular expression it replaces on random small patterns and texts', function () {
    const pattern = fc.array(fc.constantFrom('a', 'b', 'B', '*', '?', '.', '-'), { maxLength: 8 }).map((xs) => xs.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'A', '.', '-', '\n'), { maxLength: 10 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(pattern, text, fc.boolean(), fc.boolean(), (p, t, ignoreCase, questionMark) => wildcardMatch(p, t, { ignoreCase, questionMark }) === reference(p, t, { ignoreCase, questionMark })),
      { numRuns: 10000, seed: 42 },
    );
  });

  it('answers a 25-star pattern over 5,000 characters at once', function () {
    expect(timed(() => wildcardMatch(STARS, LONG))).to.equal(false);
    expect(timed(() => wildcardMatch(STARS, `${LONG}b`))).to.equal(true);
  });

  it('config waivers: a resource pattern with many stars neither stalls nor waives a non-matching result', function () {
    const result: Result = { id: 'TP-000000000000', checkId: 'trail.multi-region', title: 't', severity: 'high', status: 'FAIL', account: '111111111111', region: 'us-east-1', resource: LONG, message: 'm', evidence: [], frameworks: {} };
    const waiver = { check: 'trail.multi-region', resource: STARS, reason: 'accepted', owner: 'sec', expires: '2099-01-01' };
    const { results } = timed(() => applyWaivers([result], [waiver], new Date('2026-09-14T00:00:00Z')));
    expect(results[0]?.status).to.equal('FAIL');
    expect(globMatcher('arn:aws:s3:::log-*').test('arn:aws:s3:::log-bucket')).to.equal(true);
  });

  it('S3 bucket policies in evidence: a Resource with many stars against a long bucket name', function () {
    const bucket = 'a'.repeat(63);
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${'*a'.repeat(30)}*b`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    };
    expect(timed(() => secureTransport(doc, bucket)).deniesInsecure).to.equal(false);
    const fine: PolicyDocument = { ...doc, Statement: [{ ...(doc.Statement as object[])[0], Resource: `arn:aws:s3:::${bucket}/*` }] } as PolicyDocument;
    expect(secureTransport(fine, bucket).deniesInsecure).to.equal(true);
  });

  it('CloudWatch metric filter patterns in evidence: a value with many stars against a long event field', function () {
    const filter = parseFilterPattern(`{ $.eventName = "${STARS}" }`, 'hostile');
    expect(timed(() => evaluate(filter.expr, { eventName: LONG }))).to.equal(false);
    expect(evaluate(parseFilterPattern('{ $.eventName = "Delete*Trail" }').expr, { eventName: 'DeleteTrail' })).to.equal(true);
  });

  it('Sigma values and condition selection names with many stars', function () {
    const rule = detect(`
      sel_a:
        eventName: '${STARS}'
      sel_b:
        userAgent|contains|all: ['${'a'.repeat(10)}', 'b?b']
      condition: 1 of sel_${'*'.repeat(3)}a*`);
    expect(timed(() => rule.match(ct({ eventName: LONG, userAgent: LONG })))).to.equal(false);
    expect(rule.match(ct({ eventName: `${LONG}b` }))).to.equal(true);
  });
});
