import { defineCheck } from '../../src/engine/check.js';
import { accountSubject } from '../../src/engine/subjects.js';
import { evidenceRef, readRef, type Read } from '../../src/evidence/bundle.js';
import { locatedRef, type TrailModel } from '../../src/evidence/estate.js';
import { managementCoverage } from '../../src/evidence/selectors.js';
import type { EvidenceRef } from '../../src/model/types.js';

/** One trail judged for the account: why it does not qualify, or the first read that kept us from knowing. */
interface Verdict {
  trail: TrailModel;
  reasons: string[];
  unusable: Exclude<Read<unknown>, { kind: 'ok' }> | undefined;
  evidence: EvidenceRef[];
  excluded: string[];
}

// Every fact that can be read is judged, so a trail that is plainly not multi-region fails even when its
// status could not be read; only a trail with no reason against it and an unreadable input is undecided.
function judge(trail: TrailModel): Verdict {
  const v: Verdict = { trail, reasons: [], unusable: undefined, evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail')], excluded: [] };
  if (!trail.isMultiRegion) v.reasons.push('not multi-region');
  if (trail.status.kind === 'ok') {
    v.evidence.push(...readRef(trail.status, '/IsLogging'));
    if (trail.status.value.IsLogging !== true) v.reasons.push('not logging');
  } else v.unusable = trail.status;
  if (trail.selectors.kind === 'ok') {
    const coverage = managementCoverage(trail.selectors.value);
    const source = trail.selectors.source;
    v.evidence.push(...(coverage.pointers.length > 0 ? coverage.pointers.map((p) => evidenceRef(source, p)) : [evidenceRef(source)]));
    if (!coverage.read || !coverage.write) v.reasons.push(coverage.detail);
    v.excluded = coverage.excludedSources;
  } else v.unusable ??= trail.selectors;
  return v;
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
    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) {
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'noRegions', data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
      }
      const verdicts = estate.trailsFor(account.id).map(judge);
      const proven = verdicts.filter((v) => v.reasons.length === 0 && v.unusable === undefined);
      // Prefer a trail without exclusions: it is the one that answers the requirement in full.
      const best = proven.find((v) => v.excluded.length === 0) ?? proven[0];
      if (best !== undefined) {
        const exclusions = best.excluded.length > 0 ? ` but leaves out ${best.excluded.join(', ')} (judged by trail.management-events)` : '';
        return ctx.result('PASS', {
          ...subject,
          messageId: 'recorded',
          data: { account: account.id, trail: best.trail.name, exclusions },
          evidence: best.evidence,
          details: { trail: best.trail.arn, excludedSources: best.excluded },
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
      // A multi-region trail shows (as a shadow trail) in every region's DescribeTrails, so one readable region
      // is enough to know the account's multi-region trails; with none readable we cannot know.
      const listed = views.filter((v) => v.describeTrails.kind === 'ok');
      const unlisted = views.find((v) => v.describeTrails.kind !== 'ok')?.describeTrails;
      if (listed.length === 0 && unlisted !== undefined && unlisted.kind !== 'ok') {
        return ctx.error(unlisted, subject, `Account ${account.id}: no trail is proven to qualify, and its trails could not be listed`);
      }
      const reasons = verdicts.map((v) => `trail ${v.trail.name}: ${v.reasons.join(', ')}`);
      return ctx.result('FAIL', {
        ...subject,
        messageId: 'unrecorded',
        data: { account: account.id, reasons: reasons.length > 0 ? reasons.join('; ') : 'no trail records the account' },
        evidence: [...verdicts.flatMap((v) => v.evidence), ...listed.flatMap((v) => readRef(v.describeTrails, '/trailList'))],
        details: { trails: Object.fromEntries(verdicts.map((v) => [v.trail.arn, v.reasons])) },
      });
    });
  },
});
