// describeCheck (src/check-tester.ts) is itself tested here: its describe/it calls are collected instead of
// registered with mocha, and each collected test is run to see whether it passes or fails, and why.
import { expect } from 'chai';
import { describeCheck, type CheckCases } from '../src/check-tester.js';
import { defineCheck } from '../src/check-kit.js';
import { BundleBuilder, trailArn } from '../fixtures/bundle-builder.js';

const ACCOUNT = '111111111111';

/** A check with two messages: PASS `named` for a trail named main-*, FAIL `unnamed` otherwise; ERROR when the status is unread. */
const namedTrails = defineCheck({
  meta: {
    id: 'test.named-trails', title: 'Trails are named main-*', severity: 'low', scope: 'trail', description: 'A test check.', rationale: 'Tests.',
    remediation: { text: 'Rename it.' }, defaultOptions: {}, schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: { named: 'Trail {{trail}} is named well.', unnamed: 'Trail {{trail}} is not.' },
  },
  run(estate, ctx) {
    return estate.trails.map((t) => {
      const subject = { account: t.ownerAccount, region: t.homeRegion, resource: t.arn };
      if (t.status.kind !== 'ok') return ctx.error(t.status, subject);
      return ctx.result(t.name.startsWith('main-') ? 'PASS' : 'FAIL', { ...subject, messageId: t.name.startsWith('main-') ? 'named' : 'unnamed', data: { trail: t.name } });
    });
  },
});

function bundle(name: string, status = true): () => BundleBuilder {
  return () => {
    const b = new BundleBuilder({ accounts: [ACCOUNT], regions: ['us-east-1'] });
    b.describeTrails(ACCOUNT, 'us-east-1', [{ Name: name, TrailARN: trailArn(ACCOUNT, 'us-east-1', name), HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'logs' }]);
    if (status) b.put(ACCOUNT, 'us-east-1', `cloudtrail/GetTrailStatus/${name}.json`, { IsLogging: true });
    return b;
  };
}

/** Runs describeCheck with mocha's describe/it replaced, then every test it declared: title -> error message (or 'ok'). */
async function outcomes(cases: CheckCases): Promise<Record<string, string>> {
  const tests: { title: string; fn: () => unknown }[] = [];
  const saved = { describe: globalThis.describe, it: globalThis.it };
  Object.assign(globalThis, { describe: (_title: string, fn: () => void) => fn(), it: (title: string, fn: () => unknown) => tests.push({ title, fn }) });
  try {
    describeCheck(namedTrails, cases);
  } finally {
    Object.assign(globalThis, saved);
  }
  const out: Record<string, string> = {};
  for (const t of tests) {
    try {
      await t.fn();
      out[t.title] = 'ok';
    } catch (err) {
      out[t.title] = (err as Error).message;
    }
  }
  return out;
}

const COVERAGE = 'has an ERROR case and produces every message it declares';
const good: CheckCases = {
  valid: [{ name: 'main-trail', bundle: bundle('main-trail'), status: 'PASS', messageId: 'named' }],
  invalid: [
    { name: 'other', bundle: bundle('other'), status: 'FAIL', messageId: 'unnamed' },
    { name: 'status unread', bundle: bundle('main-trail', false), status: 'ERROR' },
  ],
};

describe('describeCheck', () => {
  it('passes every case and the coverage test of a complete set of cases', async () => {
    expect(Object.values(await outcomes(good))).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
  });

  it('fails a case naming a message id the check does not declare', async () => {
    const out = await outcomes({ ...good, valid: [{ name: 'main-trail', bundle: bundle('main-trail'), status: 'PASS', messageId: 'nammed' }] });
    expect(out['PASS (nammed): main-trail']).to.contain('message id "nammed", which test.named-trails does not declare (named, unnamed)');
  });

  it('fails a case whose result has another status or message id', async () => {
    const out = await outcomes({ ...good, invalid: [{ name: 'other', bundle: bundle('main-x'), status: 'FAIL', messageId: 'unnamed' }, good.invalid[1] as CheckCases['invalid'][number]] });
    expect(out['FAIL (unnamed): other']).to.contain('status of');
  });

  it('fails the coverage test when a declared message is never produced', async () => {
    const out = await outcomes({ valid: [], invalid: good.invalid });
    expect(out[COVERAGE]).to.contain('declares messages no case produces: named');
  });

  it('fails the coverage test without an ERROR case', async () => {
    const out = await outcomes({ valid: good.valid, invalid: [good.invalid[0] as CheckCases['invalid'][number]] });
    expect(out[COVERAGE]).to.contain('needs an invalid case with status ERROR');
  });

  it('fails a valid case expecting FAIL, and a FAIL case without a message id', async () => {
    const out = await outcomes({ ...good, valid: [...good.valid, { name: 'wrong list', bundle: bundle('other'), status: 'FAIL', messageId: 'unnamed' }], invalid: [...good.invalid, { name: 'no id', bundle: bundle('other'), status: 'FAIL' }] });
    expect(out['FAIL (unnamed): wrong list']).to.contain('a valid case cannot expect FAIL');
    expect(out['FAIL: no id']).to.contain('a FAIL case must name the message id it expects');
  });

  it('accepts a check without an ERROR case only when errorCase says why, and then refuses an ERROR case', async () => {
    const declared = 'declares why it has no ERROR case, and produces every message it declares';
    const withoutError = { valid: good.valid, invalid: [good.invalid[0] as CheckCases['invalid'][number]] };
    expect((await outcomes({ ...withoutError, errorCase: 'none: the per-account checks report unread trails' }))[declared]).to.equal('ok');
    expect((await outcomes({ ...withoutError, errorCase: 'none:  ' }))[declared]).to.contain("errorCase 'none:' must say why");
    expect((await outcomes({ ...good, errorCase: 'none: never' }))[declared]).to.contain('declares errorCase \'none: never\' but has an ERROR case');
  });

  it('runs a results case over every result, without counting its messages as produced', async () => {
    const out = await outcomes({
      ...good,
      valid: [],
      results: [
        { name: 'one result', bundle: bundle('main-trail'), check: (all) => expect(all.map((r) => r.status)).to.deep.equal(['PASS']) },
        { name: 'two results', bundle: bundle('main-trail'), check: (all) => expect(all).to.have.length(2) },
      ],
    });
    expect(out['one result']).to.equal('ok');
    expect(out['two results']).to.contain('to have a length of 2 but got 1');
    expect(out[COVERAGE]).to.contain('declares messages no case produces: named');
  });

  it('judges the result of the case\'s region, and gives the estate what the case verifies first', async () => {
    const seen: string[] = [];
    const regional = defineCheck({
      meta: { ...namedTrails.meta, id: 'test.regional', messages: { seen: 'Region {{region}}: {{verified}}.' } },
      run: (estate, ctx) => estate.accountRegions.map((ar) => ctx.result('PASS', {
        account: ar.account, region: ar.region, resource: `AWS::::Account:${ar.account}`, messageId: 'seen',
        data: { region: ar.region, verified: estate.logIntegrity === undefined ? 'not verified' : 'verified' },
      })),
    });
    const tests: { title: string; fn: () => unknown }[] = [];
    const saved = { describe: globalThis.describe, it: globalThis.it };
    Object.assign(globalThis, { describe: (_title: string, fn: () => void) => fn(), it: (title: string, fn: () => unknown) => tests.push({ title, fn }) });
    try {
      describeCheck(regional, {
        errorCase: 'none: a test check',
        valid: [{
          name: 'us-east-1 of two regions',
          bundle: () => new BundleBuilder({ accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1'] }).describeTrails(ACCOUNT, 'eu-west-1', []).describeTrails(ACCOUNT, 'us-east-1', []),
          resource: `AWS::::Account:${ACCOUNT}`, region: 'us-east-1', status: 'PASS', messageId: 'seen',
          verify: async () => ({ logIntegrity: { trails: [], keyFiles: [] } as never }),
          check: (r) => seen.push(r.message),
        }],
        invalid: [],
      });
    } finally {
      Object.assign(globalThis, saved);
    }
    for (const t of tests) await t.fn();
    expect(seen).to.deep.equal(['Region us-east-1: verified.']);
  });
});
