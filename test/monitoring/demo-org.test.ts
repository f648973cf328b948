// The demo organization shows complete, broken and missing monitoring chains: the management account alarms on
// most CIS patterns, the production account has a filter without an alarm and an alarm whose topic nobody
// subscribed to, and the members whose trail delivers to the management account's log group miss the first link.
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

  it('FAILs the production account on the alarm link of 4.1 and the subscription link of 4.3', () => {
    const a = resultFor(runCheck(unauthorized, DEMO), account('444444444444'));
    expect(a.status).to.equal('FAIL');
    expect(a.message).to.contain('the alarm link is missing');
    const s = resultFor(runCheck(rootUsage, DEMO), account('444444444444'));
    expect(s.status).to.equal('FAIL');
    expect(s.message).to.contain('the subscription link is missing').and.contain('topic prod-alerts has no subscriptions');
  });

  it('FAILs a member whose trail delivers to the management account on the trail link, and the management account on 4.10', () => {
    const member = resultFor(runCheck(securityGroups, DEMO), account('222222222222'));
    expect(member.status).to.equal('FAIL');
    expect(member.message).to.contain('the trail link is missing').and.contain('in another account (111111111111)');
    const management = resultFor(runCheck(securityGroups, DEMO), account('111111111111'));
    expect(management.status).to.equal('FAIL');
    expect(management.message).to.contain('the metric-filter link is missing');
  });
});
