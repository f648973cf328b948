import { accountVerdicts, defineCheck, judgeLogging, locatedRef, type TrailJudgement, type TrailModel } from '../../src/check-kit.js';

function judge(trail: TrailModel): TrailJudgement {
  const j: TrailJudgement = {
    trail,
    reasons: [],
    couldNotTell: undefined,
    evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail'), locatedRef(trail.entry, '/IncludeGlobalServiceEvents')],
  };
  if (!trail.isMultiRegion) j.reasons.push('not multi-region');
  if (trail.config.IncludeGlobalServiceEvents !== true) j.reasons.push('does not include global service events');
  judgeLogging(j);
  return j;
}

export const check = defineCheck({
  meta: {
    id: 'trail.global-service-events',
    title: 'Every account is recorded by a logging multi-region trail that includes global service events',
    severity: 'medium',
    scope: 'account',
    description:
      'Passes for an account when a logging multi-region trail that records it (its own, or the organization trail) has IncludeGlobalServiceEvents on.',
    rationale:
      'IAM, STS and CloudFront calls are global: they reach a trail only when it includes global service events. Without them, user, role and credential changes go unrecorded.',
    remediation: {
      text: 'Turn on global service events for the multi-region trail.',
      cli: 'aws cloudtrail update-trail --name <trail> --include-global-service-events --is-multi-region-trail',
      iac: 'AWS::CloudTrail::Trail IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      included: 'Account {{account}} is recorded by logging multi-region trail {{trail}}, which includes global service events.',
      missing: 'Account {{account}} has no logging multi-region trail that includes global service events (IAM, STS) ({{reasons}}).',
      noRegions: 'Account {{account}} has no enabled region in the audited scope, so no trail can be judged for it.',
    },
  },
  run(estate, ctx) {
    return accountVerdicts(estate, ctx, {
      judge,
      trailsKnownWhen: 'any-region-listed',
      messages: { proven: 'included', failed: 'missing', noRegions: 'noRegions' },
    });
  },
});
