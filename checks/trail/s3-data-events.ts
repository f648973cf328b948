import {
  accountVerdicts, dataCoverage, defineCheck, judgeLogging, judgeSelectors, locatedRef, type TrailJudgement, type TrailModel,
} from '../../src/check-kit.js';

function judge(trail: TrailModel): TrailJudgement {
  const j: TrailJudgement = { trail, reasons: [], couldNotTell: undefined, evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail')] };
  if (!trail.isMultiRegion) j.reasons.push('not multi-region');
  judgeLogging(j);
  const coverage = judgeSelectors(j, (selectors) => dataCoverage(selectors, 'AWS::S3::Object'));
  // A kind not recorded at all (write-only selectors) is a plain gap; selectors narrowed to some buckets or
  // objects qualify in part, and a person weighs what they leave out.
  if (coverage?.read === 'none' || coverage?.write === 'none') j.reasons.push(coverage.detail);
  else if (coverage?.level === 'narrowed') j.partial = coverage.detail;
  return j;
}

export const check = defineCheck({
  meta: {
    id: 'trail.s3-data-events',
    title: 'Every account records S3 object-level read and write events for all buckets',
    severity: 'medium',
    scope: 'account',
    description:
      'Passes for an account when a logging multi-region trail that records it has event selectors that record S3 object-level read and write data events for every bucket. A selector narrowed to some buckets or objects is MANUAL: a person judges whether what it leaves out is acceptable.',
    rationale:
      'Object-level events (GetObject, PutObject, DeleteObject) are the only record of who read or changed data in S3; without them a data exfiltration or deletion leaves no trace in CloudTrail.',
    remediation: {
      text: 'Add an event selector that records read and write S3 object events for all buckets to the multi-region trail.',
      cli: 'aws cloudtrail put-advanced-event-selectors --trail-name <trail> --advanced-event-selectors \'[{"Name":"Management","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"S3 objects","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]\'',
      iac: 'AWS::CloudTrail::Trail AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Data]}, {Field: resources.type, Equals: [AWS::S3::Object]}]}]',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      recorded: 'Account {{account}} is recorded by logging multi-region trail {{trail}}, which records read and write S3 object events for all buckets.',
      narrowed:
        'Account {{account}}: logging multi-region trail {{trail}} records S3 object events only in part ({{detail}}); judge whether what it leaves out is acceptable.',
      unrecorded: 'Account {{account}} has no logging multi-region trail recording S3 object-level read and write events for all buckets ({{reasons}}).',
      noRegions: 'Account {{account}} has no enabled region in the audited scope, so no trail can be judged for it.',
    },
  },
  run(estate, ctx) {
    return accountVerdicts(estate, ctx, {
      judge,
      trailsKnownWhen: 'any-region-listed',
      messages: { proven: 'recorded', partial: 'narrowed', failed: 'unrecorded', noRegions: 'noRegions' },
      describe: (by) => (by.partial === undefined ? {} : { data: { detail: by.partial }, details: { narrowedBy: by.partial } }),
    });
  },
});
