import {
  accountVerdicts, defineCheck, evidenceRef, type EvidenceRef, judgeLogging, locatedRef, readRef, type TrailJudgement, type TrailModel,
} from '../../src/check-kit.js';

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;

/** The Insights types a trail has, with the evidence; undefined when its insight selectors cannot be known. */
function insightTypes(trail: TrailModel): { types: string[]; evidence: EvidenceRef[] } | undefined {
  const read = trail.insights;
  if (read.kind === 'ok') {
    const types = (read.value.InsightSelectors ?? []).flatMap((s) => (typeof s.InsightType === 'string' ? [s.InsightType] : []));
    return { types, evidence: [evidenceRef(read.source, '/InsightSelectors')] };
  }
  // "Insights not enabled" is CloudTrail's answer for a trail without Insights, not a failed call.
  if (read.kind === 'error' && read.error.name === 'InsightNotEnabledException') return { types: [], evidence: readRef(read) };
  if (read.kind === 'missing' && trail.config.HasInsightSelectors === false) return { types: [], evidence: [locatedRef(trail.entry, '/HasInsightSelectors')] };
  return undefined;
}

function judge(trail: TrailModel): TrailJudgement {
  const j: TrailJudgement = { trail, reasons: [], couldNotTell: undefined, evidence: [] };
  judgeLogging(j);
  const insights = insightTypes(trail);
  if (insights === undefined) {
    if (trail.insights.kind !== 'ok') j.couldNotTell ??= trail.insights;
    return j;
  }
  j.evidence.push(...insights.evidence);
  const missing = INSIGHT_TYPES.filter((t) => !insights.types.includes(t));
  const present = INSIGHT_TYPES.filter((t) => insights.types.includes(t));
  if (present.length === 0) j.reasons.push('no Insights enabled');
  else if (missing.length > 0) j.reasons.push(`${missing.join(', ')} missing (only ${present.join(', ')} enabled)`);
  return j;
}

export const check = defineCheck({
  meta: {
    id: 'trail.insights',
    title: 'Every account is recorded by a logging trail with CloudTrail Insights for API call and error rates',
    severity: 'low',
    scope: 'account',
    description:
      'Passes for an account when a logging trail that records it (its own, or the organization trail) has Insights selectors for both ApiCallRateInsight and ApiErrorRateInsight.',
    rationale:
      'Insights flags unusual bursts of write calls and of failing calls, the early signs of a compromised credential or a runaway automation, without anyone writing a rule for them.',
    remediation: {
      text: 'Enable both Insights types on the trail.',
      cli: 'aws cloudtrail put-insight-selectors --trail-name <trail> --insight-selectors \'[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]\'',
      iac: 'AWS::CloudTrail::Trail InsightSelectors: [{InsightType: ApiCallRateInsight}, {InsightType: ApiErrorRateInsight}]',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      enabled: 'Account {{account}} is recorded by logging trail {{trail}}, which has Insights for ApiCallRateInsight and ApiErrorRateInsight.',
      missing: 'Account {{account}} has no logging trail with Insights for both ApiCallRateInsight and ApiErrorRateInsight ({{reasons}}).',
      noRegions: 'Account {{account}} has no enabled region in the audited scope, so no trail can be judged for it.',
    },
  },
  run(estate, ctx) {
    return accountVerdicts(estate, ctx, {
      judge,
      // Insights can be on a single-region trail, which shows only in its home region's DescribeTrails.
      trailsKnownWhen: 'every-region-listed',
      messages: { proven: 'enabled', failed: 'missing', noRegions: 'noRegions' },
    });
  },
});
