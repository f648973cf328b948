import { expect } from 'chai';
import { decideTrails, type TrailJudgement, type CouldNotTell } from '../../src/engine/account-verdict.js';
import type { Read, Source } from '../../src/evidence/bundle.js';
import type { AccountRegion, Estate, TrailModel } from '../../src/evidence/estate.js';
import type { DescribeTrailsResponse } from '../../src/evidence/aws.js';

// decideTrails only asks the estate which accounts were collected, and reads the trail's name, ARN and owner:
// these stand-ins keep each case down to the judgements it is about.
const COLLECTED = '111111111111';
const OUTSIDE = '999999999999';
const estate = { isCollectedAccount: (account: string) => account === COLLECTED } as unknown as Estate;

function source(file: string): Source {
  return { file, sha256: '0'.repeat(64), tampered: false };
}

function trail(name: string, owner = COLLECTED): TrailModel {
  return { name, arn: `arn:aws:cloudtrail:us-east-1:${owner}:trail/${name}`, ownerAccount: owner } as TrailModel;
}

function judged(t: TrailModel, facts: Partial<Omit<TrailJudgement, 'trail'>> = {}): TrailJudgement {
  return { trail: t, reasons: [], couldNotTell: undefined, evidence: [{ file: `${t.name}.json`, sha256: '0'.repeat(64), pointer: '/IsLogging' }], ...facts };
}

const denied = (file: string): CouldNotTell => ({ kind: 'error', error: { name: 'AccessDeniedException', message: 'denied' }, source: source(file) });
const missing = (file: string): CouldNotTell => ({ kind: 'missing', file });

function listing(region: string, describeTrails: Read<DescribeTrailsResponse>): AccountRegion {
  return { account: COLLECTED, region, describeTrails, trails: [], eventDataStores: { kind: 'missing', file: 'ListEventDataStores.json' } };
}
const listed = (region: string): AccountRegion => listing(region, { kind: 'ok', value: { trailList: [] }, source: source(`${region}/DescribeTrails.json`) });
const unlisted = (region: string): AccountRegion => listing(region, denied(`${region}/DescribeTrails.json`));

describe('decideTrails', () => {
  it('is proven by the first trail with no reason against it and nothing unread, or by the one preferred', () => {
    const [a, b] = [judged(trail('a')), judged(trail('b'))];
    expect(decideTrails(estate, [a, b], [listed('us-east-1')], 'any-region-listed')).to.deep.equal({ kind: 'proven', by: a });
    expect(decideTrails(estate, [a, b], [listed('us-east-1')], 'any-region-listed', (j) => j.trail.name === 'b')).to.deep.equal({ kind: 'proven', by: b });
  });

  it('fails a trail with a reason against it even when another of its inputs could not be read', () => {
    const j = judged(trail('a'), { reasons: ['not multi-region'], couldNotTell: denied('status.json') });
    const decision = decideTrails(estate, [j], [listed('us-east-1')], 'any-region-listed');
    expect(decision.kind).to.equal('failed');
    expect(decision.kind === 'failed' && decision.evidence.map((e) => `${e.file}#${e.pointer}`)).to.deep.equal(['a.json#/IsLogging', 'us-east-1/DescribeTrails.json#/trailList']);
  });

  it('is undecided on a failed call, even of a trail in an account that was not collected', () => {
    const read = denied('status.json');
    const decision = decideTrails(estate, [judged(trail('org', OUTSIDE), { couldNotTell: read })], [listed('us-east-1')], 'any-region-listed');
    expect(decision).to.deep.include({ kind: 'undecided', couldNotTell: read });
  });

  it('is undecided on a missing read of a collected account, but outside for one of an account not collected', () => {
    const ours = judged(trail('own'), { couldNotTell: missing('own-status.json') });
    const theirs = judged(trail('org', OUTSIDE), { couldNotTell: missing('org-status.json') });
    expect(decideTrails(estate, [theirs, ours], [], 'any-region-listed')).to.deep.include({ kind: 'undecided', couldNotTell: ours.couldNotTell });
    expect(decideTrails(estate, [theirs], [], 'any-region-listed')).to.deep.include({ kind: 'outside', couldNotTell: theirs.couldNotTell });
  });

  it('puts a gap in our evidence before a partial trail, and a partial trail before one outside the collected scope', () => {
    const partial = judged(trail('narrow'), { partial: 'only bucket x' });
    const gap = judged(trail('unread'), { couldNotTell: denied('selectors.json') });
    const outside = judged(trail('org', OUTSIDE), { couldNotTell: missing('org-status.json') });
    expect(decideTrails(estate, [partial, gap], [], 'any-region-listed').kind).to.equal('undecided');
    expect(decideTrails(estate, [outside, partial], [], 'any-region-listed')).to.deep.equal({ kind: 'partial', by: partial });
  });

  it('needs one readable listing when any region lists the trails, and every one when each region must', () => {
    const failing = judged(trail('a'), { reasons: ['not logging'] });
    const views = [unlisted('eu-west-1'), listed('us-east-1')];
    expect(decideTrails(estate, [failing], views, 'any-region-listed').kind).to.equal('failed');
    expect(decideTrails(estate, [failing], views, 'every-region-listed')).to.deep.equal({ kind: 'unlisted', couldNotTell: views[0]?.describeTrails });
    expect(decideTrails(estate, [failing], [unlisted('eu-west-1'), unlisted('us-east-1')], 'any-region-listed')).to.deep.include({ kind: 'unlisted' });
  });

  it('fails with no trail at all when every listing was read', () => {
    expect(decideTrails(estate, [], [listed('us-east-1')], 'every-region-listed')).to.deep.include({ kind: 'failed', judged: [] });
  });
});
