import { defineCheck } from '../../src/engine/check.js';
import { accountSubject } from '../../src/engine/subjects.js';
import { readRef, type Read } from '../../src/evidence/bundle.js';
import { locatedRef, type TrailModel } from '../../src/evidence/estate.js';
import type { EvidenceRef } from '../../src/model/types.js';

/** One trail judged for the account: why it does not qualify, or the read that kept us from knowing. */
interface Verdict {
  trail: TrailModel;
  reasons: string[];
  unusable: Exclude<Read<unknown>, { kind: 'ok' }> | undefined;
  evidence: EvidenceRef[];
}

function judge(trail: TrailModel): Verdict {
  const v: Verdict = {
    trail,
    reasons: [],
    unusable: undefined,
    evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail'), locatedRef(trail.entry, '/IncludeGlobalServiceEvents')],
  };
  if (!trail.isMultiRegion) v.reasons.push('not multi-region');
  if (trail.config.IncludeGlobalServiceEvents !== true) v.reasons.push('does not include global service events');
  if (trail.status.kind === 'ok') {
    v.evidence.push(...readRef(trail.status, '/IsLogging'));
    if (trail.status.value.IsLogging !== true) v.reasons.push('not logging');
  } else v.unusable = trail.status;
  return v;
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
    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) {
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'noRegions', data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
      }
      const verdicts = estate.trailsFor(account.id).map(judge);
      const best = verdicts.find((v) => v.reasons.length === 0 && v.unusable === undefined);
      if (best !== undefined) {
        return ctx.result('PASS', {
          ...subject,
          messageId: 'included',
          data: { account: account.id, trail: best.trail.name },
          evidence: best.evidence,
          details: { trail: best.trail.arn },
        });
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
      // Multi-region trails show (as shadow trails) in every region, so one readable region lists them all.
      const listed = views.filter((v) => v.describeTrails.kind === 'ok');
      const unlisted = views.find((v) => v.describeTrails.kind !== 'ok')?.describeTrails;
      if (listed.length === 0 && unlisted !== undefined && unlisted.kind !== 'ok') {
        return ctx.error(unlisted, subject, `Account ${account.id}: no trail is proven to qualify, and its trails could not be listed`);
      }
      const reasons = verdicts.map((v) => `trail ${v.trail.name}: ${v.reasons.join(', ')}`);
      return ctx.result('FAIL', {
        ...subject,
        messageId: 'missing',
        data: { account: account.id, reasons: reasons.length > 0 ? reasons.join('; ') : 'no trail records the account' },
        evidence: [...verdicts.flatMap((v) => v.evidence), ...listed.flatMap((v) => readRef(v.describeTrails, '/trailList'))],
        details: { trails: Object.fromEntries(verdicts.map((v) => [v.trail.arn, v.reasons])) },
      });
    });
  },
});
