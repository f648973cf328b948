import { expect } from 'chai';
import { check } from '../../../checks/retention/cloudwatch-logs.js';
import type { LogGroup } from '../../../src/evidence/aws.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, OUTSIDER, Scenario, logGroupArn } from '../log-bucket-estate.js';

const GROUP = 'aws-cloudtrail-logs-main';
const GROUP_ARN = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:${GROUP}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/logs/DescribeLogGroups.json`;
const TRAILS_FILE = `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json`;

function scenario(groups: LogGroup[] | undefined): Scenario {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: logGroupArn(MANAGEMENT, 'us-east-1', GROUP) });
  if (groups !== undefined) s.logGroups(MANAGEMENT, 'us-east-1', groups);
  return s;
}

const group = (retentionInDays?: number): LogGroup => ({
  logGroupName: GROUP, arn: `${GROUP_ARN}:*`, creationTime: 1735689600000, storedBytes: 52428800, ...(retentionInDays === undefined ? {} : { retentionInDays }),
});

function run(s: Scenario, options: Record<string, unknown> = {}): ReturnType<typeof resultFor> {
  return resultFor(runCheck(check, s.build(), options), GROUP_ARN);
}

describe('retention.cloudwatch-logs', () => {
  it('FAILs a log group that keeps events for 90 days', () => {
    const r = run(scenario([{ logGroupName: 'other' }, group(90)]));
    expect(r.status).to.equal('FAIL');
    expect(r).to.include({ account: MANAGEMENT, region: 'us-east-1' });
    expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) keeps events for only 90 days; at least 365 days are required.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups/1/retentionInDays' });
    expect(r.evidence[1]).to.include({ file: TRAILS_FILE, pointer: '/trailList/0/CloudWatchLogsLogGroupArn' });
    expect(r.details).to.deep.equal({ exists: true, retentionInDays: 90, minRetentionDays: 365 });
  });

  it('PASSes a log group that never expires its events', () => {
    const r = run(scenario([group()]));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) never expires its events.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups/0' });
  });

  it('PASSes a retention of at least minRetentionDays', () => {
    expect(run(scenario([group(400)])).status).to.equal('PASS');
    expect(run(scenario([group(90)]), { minRetentionDays: 90 }).message).to.include('keeps events for 90 days (at least 90 required)');
  });

  it('FAILs a log group that does not exist', () => {
    const r = run(scenario([{ logGroupName: 'something-else' }]));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) does not exist: the trail cannot deliver to it.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups' });
  });

  it('ERRORs naming the file when DescribeLogGroups was denied or is missing', () => {
    const s = scenario(undefined);
    s.builder.putError(MANAGEMENT, 'us-east-1', 'logs/DescribeLogGroups.json', 'AccessDeniedException');
    const denied = run(s);
    expect(denied.status).to.equal('ERROR');
    expect(denied.message).to.equal(`Log group ${GROUP}: ${FILE} holds a failed call: AccessDeniedException: AccessDeniedException (simulated)`);
    expect(denied.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
    const missing = run(scenario(undefined));
    expect(missing.status).to.equal('ERROR');
    expect(missing.message).to.include(`${FILE} is missing from the bundle`);
  });

  it('gives one result per log group shared by several trails, and none for trails without one', () => {
    const s = scenario([group(30)]);
    s.trail({ account: MANAGEMENT, name: 'second-trail', bucket: 'acme-cloudtrail-logs', homeRegion: 'eu-west-1', logGroupArn: GROUP_ARN });
    s.trail({ account: MANAGEMENT, name: 'no-group-trail', bucket: 'acme-cloudtrail-logs' });
    const results = runCheck(check, s.build());
    expect(results).to.have.length(1);
    expect(results[0]?.message).to.include('(events of second-trail, main-trail)');
  });

  it('judges a log group in another collected account where it lives', () => {
    const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
    const arn = logGroupArn(LOG_ARCHIVE, 'eu-west-1', 'central-trail-events');
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: arn });
    s.logGroups(LOG_ARCHIVE, 'eu-west-1', [{ logGroupName: 'central-trail-events', retentionInDays: 3653 }]);
    const r = resultFor(runCheck(check, s.build()), arn.replace(/:\*$/, ''));
    expect(r).to.include({ status: 'PASS', account: LOG_ARCHIVE, region: 'eu-west-1' });
  });

  it('is MANUAL for a log group in an account that was not collected', () => {
    const s = new Scenario();
    const arn = logGroupArn(OUTSIDER, 'us-east-1', 'their-group');
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: arn });
    const r = resultFor(runCheck(check, s.build()), arn.replace(/:\*$/, ''));
    expect(r).to.include({ status: 'MANUAL', account: OUTSIDER, region: 'us-east-1' });
    expect(r.message).to.include('Log group their-group was not collected');
  });

  it('is NOT_APPLICABLE for each trail when no trail delivers to CloudWatch Logs', () => {
    const s = new Scenario();
    const a = s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: 'acme-cloudtrail-logs' });
    const b = s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: 'acme-cloudtrail-logs', homeRegion: 'eu-west-1', multiRegion: false });
    const results = runCheck(check, s.build());
    expect(results.map((r) => [r.resource, r.status])).to.deep.equal([[b, 'NOT_APPLICABLE'], [a, 'NOT_APPLICABLE']]);
    expect(resultFor(results, a).message).to.equal('Trail a-trail delivers to no CloudWatch Logs log group, and no other trail does either.');
    expect(resultFor(results, b)).to.include({ account: MANAGEMENT, region: 'eu-west-1' });
  });
});
