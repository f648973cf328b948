import { expect } from 'chai';
import { check } from '../../../checks/trail/log-file-validation.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, pointersOf, writeOrganization, writeTrails } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;

describeCheck(check, {
  errorCase: 'none: when no DescribeTrails can be read it returns no result; the per-account trail checks report the unread listing as ERROR',
  valid: [
    {
      name: 'a trail that validates its log files', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main' }]), resource: ARN, status: 'PASS', messageId: 'on',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1', message: 'Trail main validates its log files.' });
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/LogFileValidationEnabled`]);
      },
    },
    {
      name: 'a trail judged from a shadow sighting when its home region could not be listed',
      bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main' }]).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException'),
      resource: ARN, status: 'PASS', messageId: 'on',
      check(r) {
        expect(r).to.include({ region: 'us-east-1' });
        expect(pointersOf(r.evidence)).to.deep.equal([`accounts/${MGMT}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList/0/LogFileValidationEnabled`]);
      },
    },
  ],
  invalid: [
    {
      name: 'a trail whose validation is off', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', config: { LogFileValidationEnabled: false } }]),
      resource: ARN, status: 'FAIL', messageId: 'off',
      check(r) {
        expect(r.message).to.equal('Trail main does not validate its log files: no digest files prove the logs intact.');
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/LogFileValidationEnabled`]);
      },
    },
    {
      name: 'a trail whose DescribeTrails entry leaves LogFileValidationEnabled out',
      bundle: () => {
        const b = writeTrails(builder(), [{ account: MGMT, name: 'main' }]);
        const entry = { Name: 'main', TrailARN: ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: false, S3BucketName: 'logs' };
        return b.describeTrails(MGMT, 'us-east-1', [entry]).describeTrails(MGMT, 'eu-west-1', []);
      },
      resource: ARN, status: 'FAIL', messageId: 'off',
    },
  ],
  results: [
    {
      name: 'does not duplicate a multi-region trail for its shadow copies',
      bundle: () => writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]),
      check(results) {
        expect(results).to.have.length(1);
        expect(results[0]).to.include({ region: 'us-east-1', resource: ARN });
        expect(results[0]?.evidence[0]?.file).to.equal(HOME_FILE);
      },
    },
    {
      name: 'reports an organization trail seen from member accounts once, under the owner account',
      bundle: () => {
        const b = builder([MGMT, MEMBER, OUTSIDER]);
        writeOrganization(b, MGMT, [MEMBER, OUTSIDER]);
        return writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER, OUTSIDER] }]);
      },
      check: (results) => expect(results.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', trailArn(MGMT, 'us-east-1', 'org'), 'PASS']]),
    },
    {
      name: 'judges an organization trail of an uncollected management account from a member sighting',
      bundle: () => writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], config: { LogFileValidationEnabled: false } }]),
      check(results) {
        expect(results.map((r) => [r.account, r.status])).to.deep.equal([[OUTSIDER, 'FAIL']]);
        expect(results[0]?.evidence[0]?.file).to.match(new RegExp(`^accounts/${MEMBER}/[a-z0-9-]+/cloudtrail/DescribeTrails\\.json$`));
      },
    },
    {
      name: 'returns no result when no DescribeTrails could be read (the per-account checks report that)',
      bundle: () => builder([MGMT], ['us-east-1']).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException'),
      check: (results) => expect(results).to.deep.equal([]),
    },
  ],
});
