import { defineCheck } from '../../src/engine/check.js';
import { accountSubject } from '../../src/engine/subjects.js';
import { evidenceRef, readRef, type Read } from '../../src/evidence/bundle.js';
import { locatedRef, type TrailModel } from '../../src/evidence/estate.js';
import { dataCoverage } from '../../src/evidence/selectors.js';
import type { EvidenceRef } from '../../src/model/types.js';

/** One trail judged: why it does not qualify, how its S3 selectors are narrowed, or the read that kept us from knowing. */
interface Verdict {
  trail: TrailModel;
  reasons: string[];
  narrowed: string | undefined;
  unusable: Exclude<Read<unknown>, { kind: 'ok' }> | undefined;
  evidence: EvidenceRef[];
}

function judge(trail: TrailModel): Verdict {
  const v: Verdict = { trail, reasons: [], narrowed: undefined, unusable: undefined, evidence: [locatedRef(trail.entry, '/IsMultiRegionTrail')] };
  if (!trail.isMultiRegion) v.reasons.push('not multi-region');
  if (trail.status.kind === 'ok') {
    v.evidence.push(...readRef(trail.status, '/IsLogging'));
    if (trail.status.value.IsLogging !== true) v.reasons.push('not logging');
  } else v.unusable = trail.status;
  if (trail.selectors.kind === 'ok') {
    const coverage = dataCoverage(trail.selectors.value, 'AWS::S3::Object');
    const source = trail.selectors.source;
    v.evidence.push(...(coverage.pointers.length > 0 ? coverage.pointers.map((p) => evidenceRef(source, p)) : [evidenceRef(source)]));
    // A kind not recorded at all (write-only selectors) is a plain gap, not a narrowing a person must weigh.
    if (coverage.read === 'none' || coverage.write === 'none') v.reasons.push(coverage.detail);
    else if (coverage.level === 'narrowed') v.narrowed = coverage.detail;
  } else v.unusable ??= trail.selectors;
  return v;
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
    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) {
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'noRegions', data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
      }
      const verdicts = estate.trailsFor(account.id).map(judge);
      const qualifying = verdicts.filter((v) => v.reasons.length === 0);
      const best = qualifying.find((v) => v.unusable === undefined && v.narrowed === undefined);
      if (best !== undefined) {
        return ctx.result('PASS', { ...subject, messageId: 'recorded', data: { account: account.id, trail: best.trail.name }, evidence: best.evidence, details: { trail: best.trail.arn } });
      }
      // An unreadable trail might have recorded everything, so it outranks a narrowed one.
      const open = qualifying.filter((v) => v.unusable !== undefined);
      const undecided = open.find((v) => v.unusable?.kind === 'error' || estate.isCollectedAccount(v.trail.ownerAccount));
      if (undecided?.unusable !== undefined) {
        return ctx.error(undecided.unusable, subject, `Account ${account.id}: no trail is proven to qualify, and trail ${undecided.trail.name} could not be judged`);
      }
      const narrowed = qualifying.find((v) => v.narrowed !== undefined && v.unusable === undefined);
      if (narrowed?.narrowed !== undefined) {
        return ctx.result('MANUAL', {
          ...subject,
          messageId: 'narrowed',
          data: { account: account.id, trail: narrowed.trail.name, detail: narrowed.narrowed },
          evidence: narrowed.evidence,
          details: { trail: narrowed.trail.arn, narrowedBy: narrowed.narrowed },
        });
      }
      const outside = open[0];
      if (outside !== undefined) return ctx.notCollected(subject, `Trail ${outside.trail.name} of account ${outside.trail.ownerAccount}, which records account ${account.id},`);
      // Multi-region trails show (as shadow trails) in every region, so one readable region lists them all.
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
