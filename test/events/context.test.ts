import { expect } from 'chai';
import { readManifest } from '../../src/events/readers/bundle.js';
import { CONTEXT_EVENTS_PER_SIDE, CONTEXT_WINDOW_MS, detectionContext } from '../../src/events/context.js';
import type { Detection } from '../../src/model/types.js';
import { DEMO_BUNDLE, requireDemoBundle } from '../helpers/demo-bundle.js';

// The demo organization's logs, read for the context of its serious detections (src/events/context.ts).
function detection(over: Partial<Detection>): Detection {
  return { ruleId: 'r', title: 't', severity: 'high', eventTime: '', eventName: '', eventSource: '', eventId: '', actor: '', actorType: 'IAMUser', sourceIPAddress: '', userAgent: '', account: '', region: 'us-east-1', errorCode: null, count: 1, firstSeen: '', lastSeen: '', ...over };
}

const WINTER_DELETE = detection({
  ruleId: 's3-bucket-deleted', eventTime: '2026-09-14T03:32:07Z', firstSeen: '2026-09-14T03:32:07Z', lastSeen: '2026-09-14T03:32:07Z', eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com',
  eventId: 'c034be56-2178-48ce-a9e7-41fc5e7a6bd8', actor: 'arn:aws:iam::444444444444:user/Winter', account: '444444444444',
  requestParameters: { bucketName: 'example-prod-customer-data' }, resources: [{ ARN: 'arn:aws:s3:::example-prod-customer-data' }],
});

describe('detection context (the incident timeline\'s events)', function () {
  this.timeout(60_000);

  it('collects what Winter did before the bucket deletion and the NoSuchBucket failures of others after it, with the access key and log file', async function () {
    requireDemoBundle(this);
    const ctx = await detectionContext(DEMO_BUNDLE, readManifest(DEMO_BUNDLE), [WINTER_DELETE, { ...WINTER_DELETE, ruleId: 'another-rule' }]);
    expect(ctx.detections).to.have.length(1);
    const c = ctx.detections[0];
    expect(c?.ruleIds).to.deep.equal(['another-rule', 's3-bucket-deleted']);
    expect(c?.accessKeyId).to.equal('AKIA4MZQ7WINTER2K5LX');
    expect(c?.before.filter((e) => e.eventName === 'DeleteObjects')).to.have.length(8);
    expect(c?.before).to.have.length(CONTEXT_EVENTS_PER_SIDE);
    expect(c?.omitted.before).to.equal(2);
    expect(c?.before.every((e) => e.eventTime < '2026-09-14T03:32:07Z' && Date.parse(e.eventTime) >= Date.parse('2026-09-14T03:32:07Z') - CONTEXT_WINDOW_MS)).to.equal(true);
    expect(c?.onResource.length).to.be.greaterThan(2);
    expect(c?.onResource.every((e) => e.errorCode === 'NoSuchBucket' && e.principal?.includes('orders-api-task'))).to.equal(true);
    expect(c?.logFile?.file).to.match(/444444444444_CloudTrail_us-east-1_20260914T0344Z_[^/]+\.json\.gz$/);
    expect(c?.logFile?.sha256).to.equal(readManifest(DEMO_BUNDLE).files[c?.logFile?.file ?? '']);
    expect(c?.resources).to.include('arn:aws:s3:::example-prod-customer-data');
  });

  it('records the days the logs cover and leaves medium and low detections without a context', async function () {
    requireDemoBundle(this);
    const ctx = await detectionContext(DEMO_BUNDLE, readManifest(DEMO_BUNDLE), [{ ...WINTER_DELETE, severity: 'medium' }]);
    expect(ctx.detections).to.deep.equal([]);
    expect(ctx.filesRead).to.equal(0);
    expect(ctx.logDays.map((d) => d.day)).to.deep.equal(['2026-09-13', '2026-09-14', '2026-09-15']);
    expect(ctx.problems).to.deep.equal([]);
  });
});
