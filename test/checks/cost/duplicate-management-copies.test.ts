import { expect } from 'chai';
import { check } from '../../../checks/cost/duplicate-management-copies.js';
import type { CheckResult } from '../../../src/engine/check.js';
import { runCheck } from '../../helpers/check-tester.js';
import { MANAGEMENT, MEMBER, Scenario, noManagementEvents } from '../log-bucket-estate.js';

const BUCKET = 'org-cloudtrail-logs';

function at(results: CheckResult[], account: string, region: string): CheckResult {
  const found = results.filter((r) => r.account === account && r.region === region);
  if (found.length !== 1) throw new Error(`expected one result for ${account} ${region}, got ${found.length}`);
  expect(found[0]?.resource).to.equal(`AWS::::Account:${account}`);
  return found[0] as CheckResult;
}

/** An organization trail from the management account, and the member's own single-region trail in eu-west-1. */
function orgWithMemberTrail(accounts = [MANAGEMENT, MEMBER]): Scenario {
  const s = new Scenario({ accounts }).organization(MANAGEMENT, [MEMBER]);
  s.trail({ account: MANAGEMENT, name: 'org-trail', bucket: BUCKET, organization: true });
  s.trail({ account: MEMBER, name: 'member-trail', bucket: 'member-logs', homeRegion: 'eu-west-1', multiRegion: false });
  return s;
}

describe('cost.duplicate-management-copies', () => {
  it('FAILs a member region recorded by the organization trail and its own trail', () => {
    const results = runCheck(check, orgWithMemberTrail().build());
    const r = at(results, MEMBER, 'eu-west-1');
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Account ${MEMBER} in eu-west-1 records read and write management events in 2 trails (member-trail, org-trail): the first copy is free, the extra copy is billed.`);
    expect(r.evidence.map((e) => `${e.file}#${e.pointer}`)).to.deep.equal([
      `accounts/${MEMBER}/eu-west-1/cloudtrail/GetEventSelectors/member-trail.json#/EventSelectors/0`,
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetEventSelectors/org-trail.json#/EventSelectors/0`,
    ]);
    const details = r.details as { trails: { arn: string; organizationTrail: boolean }[]; extraCopies: number };
    expect(details.trails.map((t) => t.organizationTrail)).to.deep.equal([false, true]);
    expect(details.extraCopies).to.equal(1);
    expect(details).to.not.have.property('estimatedMonthlyCostUsd');
  });

  it('PASSes the regions where only the organization trail records', () => {
    const results = runCheck(check, orgWithMemberTrail().build());
    expect(results).to.have.length(4);
    const r = at(results, MEMBER, 'us-east-1');
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Account ${MEMBER} in us-east-1 records management events in at most one trail (org-trail), so only the free copy is made.`);
    expect(at(results, MANAGEMENT, 'eu-west-1').status).to.equal('PASS');
  });

  it('estimates the monthly cost of the extra copies when a volume is given', () => {
    const r = at(runCheck(check, orgWithMemberTrail().build(), { managementEventsPerMonth: 3_000_000 }), MEMBER, 'eu-west-1');
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('is billed (about $60.00 a month at 3,000,000 events a month and $2.00 per 100,000 events).');
    expect(r.details).to.include({ extraCopies: 1, managementEventsPerMonth: 3_000_000, pricePer100kEvents: 2, estimatedMonthlyCostUsd: 60 });
    const custom = at(runCheck(check, orgWithMemberTrail().build(), { managementEventsPerMonth: 250_000, pricePer100kEvents: 2.5 }), MEMBER, 'eu-west-1');
    expect(custom.details?.['estimatedMonthlyCostUsd']).to.equal(6.25);
  });

  it('counts every extra copy', () => {
    const s = orgWithMemberTrail();
    s.trail({ account: MEMBER, name: 'security-trail', bucket: 'member-logs' });
    const r = at(runCheck(check, s.build(), { managementEventsPerMonth: 100_000 }), MEMBER, 'eu-west-1');
    expect(r.message).to.include('in 3 trails (member-trail, org-trail, security-trail): the first copy is free, each of the 2 extra copies is billed (about $4.00 a month');
    expect(r.details).to.include({ extraCopies: 2, estimatedMonthlyCostUsd: 4 });
  });

  it('does not count a trail that records no management events, or one that is stopped', () => {
    const s = new Scenario({ accounts: [MANAGEMENT, MEMBER] }).organization(MANAGEMENT, [MEMBER]);
    s.trail({ account: MANAGEMENT, name: 'org-trail', bucket: BUCKET, organization: true });
    s.trail({ account: MEMBER, name: 'data-trail', bucket: 'member-logs', selectors: noManagementEvents });
    s.trail({ account: MEMBER, name: 'old-trail', bucket: 'member-logs', isLogging: false });
    const r = at(runCheck(check, s.build()), MEMBER, 'eu-west-1');
    expect(r.status).to.equal('PASS');
    expect(r.details?.['stoppedTrails']).to.deep.equal([`arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/old-trail`]);
  });

  it('PASSes read-only and write-only trails: no event is copied twice', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'reads', bucket: BUCKET, selectors: { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] } });
    s.trail({ account: MANAGEMENT, name: 'writes', bucket: BUCKET, selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] } });
    const r = at(runCheck(check, s.build()), MANAGEMENT, 'us-east-1');
    expect(r.status).to.equal('PASS');
    expect(r.message).to.include('records read and write management events in different trails (reads, writes)');
  });

  it('FAILs two write-only copies and names only the duplicated kind', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'all', bucket: BUCKET });
    s.trail({ account: MANAGEMENT, name: 'writes', bucket: BUCKET, selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] } });
    const r = at(runCheck(check, s.build()), MANAGEMENT, 'us-east-1');
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('records write management events in 2 trails (all, writes)');
  });

  it('PASSes an account and region without trails', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'local', bucket: BUCKET, multiRegion: false });
    const r = at(runCheck(check, s.build()), MANAGEMENT, 'eu-west-1');
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Account ${MANAGEMENT} in eu-west-1 records management events in no trail, so no copy is billed.`);
  });

  it('ERRORs when unreadable selectors leave the count undecided, naming the file', () => {
    const s = orgWithMemberTrail();
    s.builder.putError(MEMBER, 'eu-west-1', 'cloudtrail/GetEventSelectors/member-trail.json', 'AccessDeniedException');
    const r = at(runCheck(check, s.build()), MEMBER, 'eu-west-1');
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`Account ${MEMBER} in eu-west-1: one trail is proven to record management events, and trail member-trail could be another copy`);
    expect(r.message).to.include(`accounts/${MEMBER}/eu-west-1/cloudtrail/GetEventSelectors/member-trail.json holds a failed call: AccessDeniedException`);
    expect(r.evidence[0]).to.include({ pointer: '/$error' });
  });

  it('PASSes when a single trail with unreadable selectors could not make a second copy', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'only', bucket: BUCKET, selectors: null });
    const r = at(runCheck(check, s.build()), MANAGEMENT, 'us-east-1');
    expect(r.status).to.equal('PASS');
    expect(r.message).to.include('(only (event selectors not readable))');
  });

  it('still FAILs on two proven copies when a third trail is unreadable', () => {
    const s = orgWithMemberTrail();
    s.trail({ account: MEMBER, name: 'mystery', bucket: 'member-logs', selectors: null });
    expect(at(runCheck(check, s.build()), MEMBER, 'eu-west-1').status).to.equal('FAIL');
  });

  it('is MANUAL when the undecided trail is the organization trail of an account not collected', () => {
    const r = at(runCheck(check, orgWithMemberTrail([MEMBER]).build()), MEMBER, 'eu-west-1');
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.include(`trail arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail was not collected`);
  });

  it('ERRORs when DescribeTrails of the region was denied', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main', bucket: BUCKET, homeRegion: 'eu-west-1', multiRegion: false });
    const builder = s.build();
    builder.putError(MANAGEMENT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException');
    const r = at(runCheck(check, builder), MANAGEMENT, 'us-east-1');
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json holds a failed call: AccessDeniedException`);
  });
});
