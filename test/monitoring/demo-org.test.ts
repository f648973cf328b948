// The demo organization shows complete, broken and missing monitoring chains: the management account alarms on
// most CIS patterns, the production account has a filter without an alarm and an alarm whose topic nobody
// subscribed to, and the members' events reach the management account's log group through the organization
// trail, so they are monitored centrally wherever the management account is (and fail the strict reading).
import { requireDemoBundle } from '../helpers/demo-bundle.js';
import { expect } from 'chai';
import { join } from 'node:path';
import { check as unauthorized } from '../../checks/monitoring/unauthorized-api-calls.js';
import { check as rootUsage } from '../../checks/monitoring/root-usage.js';
import { check as securityGroups } from '../../checks/monitoring/security-group-changes.js';
import { packageRoot } from '../../src/paths.js';
import { resultFor, runCheck } from '../helpers/check-tester.js';

const DEMO = join(packageRoot, 'examples', 'demo-org');
const account = (id: string): string => `AWS::::Account:${id}`;

describe('CIS monitoring chains in the demo organization', function () {
  before(function () {
    requireDemoBundle(this);
  });

  it('PASSes the management account on 4.1 through its whole chain', () => {
    const r = resultFor(runCheck(unauthorized, DEMO), account('111111111111'));
    expect(r.status, r.message).to.equal('PASS');
    expect(r.message).to.contain('metric filter cis-unauthorized-api-calls');
  });

  it('PASSes the production account on 4.1 and 4.3 through the organization trail\'s central chain in the management account', () => {
    const a = resultFor(runCheck(unauthorized, DEMO), account('444444444444'));
    expect(a.status, a.message).to.equal('PASS');
    expect(a.message).to.contain('log group aws-cloudtrail-logs-example-org in account 111111111111 -> metric filter cis-unauthorized-api-calls');
    expect(a.details).to.include({ central: true, logGroupAccount: '111111111111' });
    expect(resultFor(runCheck(rootUsage, DEMO), account('444444444444')).status).to.equal('PASS');
  });

  it('FAILs the production account on the alarm link of 4.1 and the subscription link of 4.3 when alarms are required in each account', () => {
    const strict = { requireAlarmInEachAccount: true };
    const a = resultFor(runCheck(unauthorized, DEMO, strict), account('444444444444'));
    expect(a.status).to.equal('FAIL');
    expect(a.message).to.contain('the alarm link is missing');
    const s = resultFor(runCheck(rootUsage, DEMO, strict), account('444444444444'));
    expect(s.status).to.equal('FAIL');
    expect(s.message).to.contain('the subscription link is missing').and.contain('topic prod-alerts has no subscriptions');
  });

  it('FAILs a member on 4.10 where the central log group has no filter for it (on the trail link when alarms are required in each account), as the management account', () => {
    const member = resultFor(runCheck(securityGroups, DEMO), account('222222222222'));
    expect(member.status).to.equal('FAIL');
    expect(member.message).to.contain('the metric-filter link is missing').and.contain('log group aws-cloudtrail-logs-example-org in account 111111111111');
    const strict = resultFor(runCheck(securityGroups, DEMO, { requireAlarmInEachAccount: true }), account('222222222222'));
    expect(strict.status).to.equal('FAIL');
    expect(strict.message).to.contain('the trail link is missing').and.contain('in another account (111111111111)');
    const management = resultFor(runCheck(securityGroups, DEMO), account('111111111111'));
    expect(management.status).to.equal('FAIL');
    expect(management.message).to.contain('the metric-filter link is missing');
  });
});
