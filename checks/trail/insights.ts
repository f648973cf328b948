import { defineCheck } from '../../src/engine/check.js';
import { accountSubject } from '../../src/engine/subjects.js';
import { evidenceRef, readRef, type Read } from '../../src/evidence/bundle.js';
import { locatedRef, type TrailModel } from '../../src/evidence/estate.js';
import type { EvidenceRef } from '../../src/model/types.js';

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;

/** One trail judged: why it does not qualify, or the read that kept us from knowing. */
interface Verdict {
  trail: TrailModel;
  reasons: string[];
  unusable: Exclude<Read<unknown>, { kind: 'ok' }> | undefined;
  evidence: EvidenceRef[];
}

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

function judge(trail: TrailModel): Verdict {
  const v: Verdict = { trail, reasons: [], unusable: undefined, evidence: [] };
  if (trail.status.kind === 'ok') {
    v.evidence.push(...readRef(trail.status, '/IsLogging'));
    if (trail.status.value.IsLogging !== true) v.reasons.push('not logging');
  } else v.unusable = trail.status;
  const insights = insightTypes(trail);
  if (insights === undefined) {
    if (trail.insights.kind !== 'ok') v.unusable ??= trail.insights;
    return v;
  }
  v.evidence.push(...insights.evidence);
  const missing = INSIGHT_TYPES.filter((t) => !insights.types.includes(t));
  const present = INSIGHT_TYPES.filter((t) => insights.types.includes(t));
  if (present.length === 0) v.reasons.push('no Insights enabled');
  else if (missing.length > 0) v.reasons.push(`${missing.join(', ')} missing (only ${present.join(', ')} enabled)`);
  return v;
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
    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) {
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'noRegions', data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
      }
      const verdicts = estate.trailsFor(account.id).map(judge);
      const best = verdicts.find((v) => v.reasons.length === 0 && v.unusable === undefined);
      if (best !== undefined) {
        return ctx.result('PASS', { ...subject, messageId: 'enabled', data: { account: account.id, trail: best.trail.name }, evidence: best.evidence, details: { trail: best.trail.arn } });
      }
      const open = verdicts.filter((v) => v.reasons.length === 0);
      const undecided = open.find((v) => v.unusable?.kind === 'error' || estate.isCollectedAccount(v.trail.ownerAccount)) ?? open[0];
      if (undecided?.unusable !== undefined) {
        const { trail, unusable } = undecided;
        if (unusable.kind === 'missing' && !estate.isCollectedAccount(trail.ownerAccount)) {
          return ctx.notCollected(subject, `Trail ${trail.name} of account ${trail.ownerAccount}, which records account ${account.id},`);
        }
        return ctx.error(unusable, subject, `Account ${account.id}: no trail is proven to qualify, and trail ${trail.name} could not be judged`);
      }
      // Any trail homed in a region that could not be listed might have had Insights.
      const unlisted = views.find((v) => v.describeTrails.kind !== 'ok')?.describeTrails;
      if (unlisted !== undefined && unlisted.kind !== 'ok') {
        return ctx.error(unlisted, subject, `Account ${account.id}: no trail is proven to qualify, and a region's trails could not be listed`);
      }
      const reasons = verdicts.map((v) => `trail ${v.trail.name}: ${v.reasons.join(', ')}`);
      return ctx.result('FAIL', {
        ...subject,
        messageId: 'missing',
        data: { account: account.id, reasons: reasons.length > 0 ? reasons.join('; ') : 'no trail records the account' },
        evidence: [...verdicts.flatMap((v) => v.evidence), ...views.flatMap((v) => readRef(v.describeTrails, '/trailList'))],
        details: { trails: Object.fromEntries(verdicts.map((v) => [v.trail.arn, v.reasons])) },
      });
    });
  },
});
