import { expect } from 'chai';
import { check } from '../../../checks/retention/cloudwatch-logs.js';
import type { LogGroup } from '../../../src/evidence/aws.js';
import { describeCheck } from '../../../src/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, OUTSIDER, Scenario, logGroupArn } from '../log-bucket-estate.js';

const GROUP = 'aws-cloudtrail-logs-main';
const GROUP_ARN = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:${GROUP}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/logs/DescribeLogGroups.json`;
const TRAILS_FILE = `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json`;

/** Trail main-trail delivering to GROUP; DescribeLogGroups lists `groups` (undefined: not collected); `more` changes the scenario further. */
function scenario(groups: LogGroup[] | undefined, more: (s: Scenario) => void = () => undefined): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: logGroupArn(MANAGEMENT, 'us-east-1', GROUP) });
    if (groups !== undefined) s.logGroups(MANAGEMENT, 'us-east-1', groups);
    more(s);
    return s.build();
  };
}

const group = (retentionInDays?: number): LogGroup => ({
  logGroupName: GROUP, arn: `${GROUP_ARN}:*`, creationTime: 1735689600000, storedBytes: 52428800, ...(retentionInDays === undefined ? {} : { retentionInDays }),
});

const ARCHIVED = logGroupArn(LOG_ARCHIVE, 'eu-west-1', 'central-trail-events');
const THEIRS = logGroupArn(OUTSIDER, 'us-east-1', 'their-group');
const A_TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/a-trail`;
const B_TRAIL = `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/b-trail`;

/** Two trails, neither delivering to CloudWatch Logs. */
function noGroups(): ReturnType<Scenario['build']> {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: 'acme-cloudtrail-logs' });
  s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: 'acme-cloudtrail-logs', homeRegion: 'eu-west-1', multiRegion: false });
  return s.build();
}

describeCheck(check, {
  valid: [
    {
      name: 'a log group that never expires its events', bundle: scenario([group()]), resource: GROUP_ARN, status: 'PASS', messageId: 'forever',
      check(r) {
        expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) never expires its events.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups/0' });
      },
    },
    { name: 'a retention above minRetentionDays', bundle: scenario([group(400)]), resource: GROUP_ARN, status: 'PASS', messageId: 'kept' },
    {
      name: 'a retention of exactly minRetentionDays (90, from the options)', bundle: scenario([group(90)]), options: { minRetentionDays: 90 }, resource: GROUP_ARN, status: 'PASS', messageId: 'kept',
      check: (r) => expect(r.message).to.include('keeps events for 90 days (at least 90 required)'),
    },
    {
      name: 'a log group in another collected account, judged where it lives',
      bundle: () => {
        const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
        s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: ARCHIVED });
        s.logGroups(LOG_ARCHIVE, 'eu-west-1', [{ logGroupName: 'central-trail-events', retentionInDays: 3653 }]);
        return s.build();
      },
      resource: ARCHIVED.replace(/:\*$/, ''), status: 'PASS', messageId: 'kept', check: (r) => expect(r).to.include({ account: LOG_ARCHIVE, region: 'eu-west-1' }),
    },
    {
      name: 'each trail when no trail delivers to CloudWatch Logs', bundle: noGroups, resource: A_TRAIL, status: 'NOT_APPLICABLE', messageId: 'noGroup',
      check(r, all) {
        expect(all.map((x) => [x.resource, x.status])).to.deep.equal([[B_TRAIL, 'NOT_APPLICABLE'], [A_TRAIL, 'NOT_APPLICABLE']]);
        expect(r.message).to.equal('Trail a-trail delivers to no CloudWatch Logs log group, and no other trail does either.');
      },
    },
    {
      name: 'a single-region trail delivering to no log group, in its home region', bundle: noGroups, resource: B_TRAIL, status: 'NOT_APPLICABLE', messageId: 'noGroup',
      check: (r) => expect(r).to.include({ account: MANAGEMENT, region: 'eu-west-1' }),
    },
  ],
  invalid: [
    {
      name: 'a log group that keeps events for 90 days', bundle: scenario([{ logGroupName: 'other' }, group(90)]), resource: GROUP_ARN, status: 'FAIL', messageId: 'short',
      check(r) {
        expect(r).to.include({ account: MANAGEMENT, region: 'us-east-1' });
        expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) keeps events for only 90 days; at least 365 days are required.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups/1/retentionInDays' });
        expect(r.evidence[1]).to.include({ file: TRAILS_FILE, pointer: '/trailList/0/CloudWatchLogsLogGroupArn' });
        expect(r.details).to.deep.equal({ exists: true, retentionInDays: 90, minRetentionDays: 365 });
      },
    },
    {
      name: 'a log group that does not exist', bundle: scenario([{ logGroupName: 'something-else' }]), resource: GROUP_ARN, status: 'FAIL', messageId: 'absent',
      check(r) {
        expect(r.message).to.equal(`Log group ${GROUP} (events of main-trail) does not exist: the trail cannot deliver to it.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/logGroups' });
      },
    },
    {
      name: 'a denied DescribeLogGroups, naming the file',
      bundle: scenario(undefined, (s) => s.builder.putError(MANAGEMENT, 'us-east-1', 'logs/DescribeLogGroups.json', 'AccessDeniedException')),
      resource: GROUP_ARN, status: 'ERROR',
      check(r) {
        expect(r.message).to.equal(`Log group ${GROUP}: ${FILE} holds a failed call: AccessDeniedException: AccessDeniedException (simulated)`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
      },
    },
    {
      name: 'a DescribeLogGroups missing from the bundle', bundle: scenario(undefined), resource: GROUP_ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'one result per log group shared by several trails, and none for trails without one',
      bundle: scenario([group(30)], (s) => {
        s.trail({ account: MANAGEMENT, name: 'second-trail', bucket: 'acme-cloudtrail-logs', homeRegion: 'eu-west-1', logGroupArn: GROUP_ARN });
        s.trail({ account: MANAGEMENT, name: 'no-group-trail', bucket: 'acme-cloudtrail-logs' });
      }),
      status: 'FAIL', messageId: 'short', check: (r) => expect(r.message).to.include('(events of second-trail, main-trail)'),
    },
    {
      name: 'a log group in an account that was not collected',
      bundle: () => {
        const s = new Scenario();
        s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'acme-cloudtrail-logs', logGroupArn: THEIRS });
        return s.build();
      },
      resource: THEIRS.replace(/:\*$/, ''), status: 'MANUAL',
      check(r) {
        expect(r).to.include({ account: OUTSIDER, region: 'us-east-1' });
        expect(r.message).to.include('Log group their-group was not collected');
      },
    },
  ],
});
