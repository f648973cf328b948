import {
  accountVerdicts, defineCheck, judgeLogging, judgeSelectors, locatedRef, managementCoverage, type TrailJudgement, type TrailModel,
} from '../../src/check-kit.js';

/** A trail judged for the account, with the event sources its selectors leave out. */
interface Judgement extends TrailJudgement {
  excluded: string[];
}

// Every fact that can be read is judged, so a trail that is plainly not multi-region fails even when its
// status could not be read; only a trail with no reason against it and an unreadable input is undecided.
function judge(trail: TrailModel): Judgement {
  const j: Judgement = { trail, reasons: [], couldNotTell: undefined, evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail')], excluded: [] };
  if (!trail.isMultiRegion) j.reasons.push('not multi-region');
  judgeLogging(j);
  const coverage = judgeSelectors(j, managementCoverage);
  if (coverage !== undefined) {
    if (!coverage.read || !coverage.write) j.reasons.push(coverage.detail);
    j.excluded = coverage.excludedSources;
  }
  return j;
}

export const check = defineCheck({
  meta: {
    id: 'trail.multi-region',
    title: 'Every account is recorded by a logging multi-region trail with read and write management events',
    severity: 'high',
    scope: 'account',
    description:
      'Passes for an account when a multi-region trail that records the account (its own, or the organization trail) is logging and records both read and write management events.',
    rationale:
      'A multi-region trail is the only way to record API activity in every region, including regions nobody uses, where an attacker would go; without read and write management events the trail misses either the changes or the reconnaissance.',
    remediation: {
      text: 'Create a multi-region trail (or an organization trail from the management account), start logging, and record all management events.',
      cli: 'aws cloudtrail create-trail --name <trail> --s3-bucket-name <bucket> --is-multi-region-trail && aws cloudtrail start-logging --name <trail> && aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\'',
      iac: 'AWS::CloudTrail::Trail IsMultiRegionTrail: true, IsLogging: true, EventSelectors: [{ReadWriteType: All, IncludeManagementEvents: true}]',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      recorded: 'Account {{account}} is recorded by logging multi-region trail {{trail}}, which records read and write management events{{exclusions}}.',
      unrecorded: 'Account {{account}} has no logging multi-region trail recording read and write management events ({{reasons}}).',
      noRegions: 'Account {{account}} has no enabled region in the audited scope, so no trail can be judged for it.',
    },
  },
  run(estate, ctx) {
    return accountVerdicts(estate, ctx, {
      judge,
      // Prefer a trail without exclusions: it is the one that answers the requirement in full.
      prefer: (j) => j.excluded.length === 0,
      trailsKnownWhen: 'any-region-listed',
      messages: { proven: 'recorded', failed: 'unrecorded', noRegions: 'noRegions' },
      describe: (by) => ({
        data: { exclusions: by.excluded.length > 0 ? ` but leaves out ${by.excluded.join(', ')} (judged by trail.management-events)` : '' },
        details: { excludedSources: by.excluded },
      }),
    });
  },
});
