import { expect } from 'chai';
import { check } from '../../../checks/trail/s3-data-events.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, STANDALONE, accountResource, pointers, selectors, standaloneResult } from '../account-trail-estate.js';

const SELECTORS = `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json`;

describe('trail.s3-data-events', () => {
  it('PASSes a basic selector that records S3 object events of every bucket', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.allManagementAndS3 });
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which records read and write S3 object events for all buckets.`);
    expect(pointers(r)).to.include(`${SELECTORS}#/EventSelectors/0`);
  });

  it('PASSes advanced selectors that record S3 object reads and writes in separate selectors', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.splitAdvanced });
    expect(r.status).to.equal('PASS');
    expect(pointers(r)).to.include.members([`${SELECTORS}#/AdvancedEventSelectors/2`, `${SELECTORS}#/AdvancedEventSelectors/3`]);
  });

  it('PASSes a member recorded by the organization trail it sees as organization-foreign', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.contain('trail org-trail');
  });

  it('is MANUAL with the detail for a selector that leaves out the log bucket by resources.ARN NotStartsWith', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.s3ExceptLogBucket });
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.contain(`Account ${STANDALONE}: logging multi-region trail main records S3 object events only in part (`);
    expect(r.message).to.contain('resources.ARN NotStartsWith arn:aws:s3:::org-trail-logs/');
    expect(pointers(r)).to.include(`${SELECTORS}#/AdvancedEventSelectors/1`);
  });

  it('FAILs a trail that records no S3 object events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.allManagement });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has no logging multi-region trail recording S3 object-level read and write events for all buckets (trail main: records no S3 object events).`,
    );
    expect(pointers(r)).to.include(`${SELECTORS}#`);
  });

  it('FAILs a trail that records only S3 object writes', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('only write events are recorded');
  });

  it('FAILs a multi-region trail with complete S3 selectors that is not logging', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail main: not logging)');
  });

  it('FAILs a single-region trail even with complete S3 selectors', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', multiRegion: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail main: not multi-region)');
  });

  it('ERRORs naming GetEventSelectors when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`${SELECTORS} holds a failed call: AccessDeniedException`);
    expect(pointers(r)).to.deep.equal([`${SELECTORS}#/$error`]);
  });

  it('ERRORs rather than MANUAL when another trail that could record everything could not be read', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', selectors: selectors.s3ExceptLogBucket });
    f.trail({ account: STANDALONE, name: 'second', logging: { error: 'AccessDeniedException' } });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('GetTrailStatus/second.json holds a failed call');
  });

  it('is MANUAL for a member whose organization trail lives in a management account that was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER}, was not collected`);
  });

  it('ERRORs naming GetEventSelectors when it is missing from the bundle', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: null });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`${SELECTORS} is missing from the bundle`);
  });

  it('is NOT_APPLICABLE for an account with no enabled region in scope', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(r.message).to.contain('has no enabled region in the audited scope');
  });
});
