import { defineCheck } from '../../src/engine/check.js';
import { accountSubject } from '../../src/engine/subjects.js';
import { describeUnusable, evidenceRef, readRef, type Read } from '../../src/evidence/bundle.js';
import type { TrailModel } from '../../src/evidence/estate.js';
import { managementCoverage } from '../../src/evidence/selectors.js';
import type { EvidenceRef } from '../../src/model/types.js';

type Unusable = Exclude<Read<unknown>, { kind: 'ok' }>;

/** One trail judged: why it does not record every management event, or the first read that kept us from knowing. */
interface Verdict {
  trail: TrailModel;
  reasons: string[];
  unusable: Unusable | undefined;
  evidence: EvidenceRef[];
}

function judge(trail: TrailModel): Verdict {
  const v: Verdict = { trail, reasons: [], unusable: undefined, evidence: [] };
  if (trail.status.kind === 'ok') {
    v.evidence.push(...readRef(trail.status, '/IsLogging'));
    if (trail.status.value.IsLogging !== true) v.reasons.push(`trail ${trail.name} is not logging`);
  } else v.unusable = trail.status;
  if (trail.selectors.kind === 'ok') {
    const coverage = managementCoverage(trail.selectors.value);
    const source = trail.selectors.source;
    v.evidence.push(...(coverage.pointers.length > 0 ? coverage.pointers.map((p) => evidenceRef(source, p)) : [evidenceRef(source)]));
    if (!coverage.complete) v.reasons.push(`trail ${trail.name} ${coverage.detail}`);
  } else v.unusable ??= trail.selectors;
  return v;
}

type Outcome =
  | { region: string; state: 'covered'; by: Verdict }
  | { region: string; state: 'failed'; reason: string; evidence: EvidenceRef[] }
  | { region: string; state: 'undecided'; unusable: Unusable; trail: TrailModel | undefined };

function unique(refs: EvidenceRef[]): EvidenceRef[] {
  return [...new Map(refs.map((r) => [`${r.file}#${r.pointer}`, r])).values()];
}

export const check = defineCheck({
  meta: {
    id: 'trail.management-events',
    title: 'Every region of every account records all read and write management events',
    severity: 'high',
    scope: 'account',
    description:
      'Passes for an account when each of its in-scope regions is recorded by a logging trail whose event selectors let through every read and write management event, with no excluded event sources.',
    rationale:
      'Management events are the record of who changed what. A region no trail records, or a selector that leaves out KMS or RDS Data API events, is a blind spot an investigation cannot fill afterwards.',
    remediation: {
      text: 'Record all management events (read and write, no excluded sources) on a logging trail that covers every region, typically the organization trail.',
      cli: 'aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true,"ExcludeManagementEventSources":[]}]\'',
      iac: 'AWS::CloudTrail::Trail EventSelectors: [{ReadWriteType: All, IncludeManagementEvents: true, ExcludeManagementEventSources: []}]',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      covered: 'Every region of account {{account}} ({{regions}}) is recorded by a logging trail that records all read and write management events ({{trails}}).',
      gaps: 'Account {{account}} has regions where not every management event is recorded: {{gaps}}.{{undecided}}',
      noRegions: 'Account {{account}} has no enabled region in the audited scope, so no region can be judged.',
    },
  },
  run(estate, ctx) {
    const verdicts = new Map<TrailModel, Verdict>();
    const verdictOf = (trail: TrailModel): Verdict => {
      const known = verdicts.get(trail) ?? judge(trail);
      verdicts.set(trail, known);
      return known;
    };

    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) {
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'noRegions', data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
      }
      const outcomes = views.map((view): Outcome => {
        const judged = view.trails.map(verdictOf);
        const by = judged.find((v) => v.reasons.length === 0 && v.unusable === undefined);
        if (by !== undefined) return { region: view.region, state: 'covered', by };
        const open = judged.filter((v) => v.reasons.length === 0);
        const undecided = open.find((v) => v.unusable?.kind === 'error' || estate.isCollectedAccount(v.trail.ownerAccount)) ?? open[0];
        if (undecided?.unusable !== undefined) return { region: view.region, state: 'undecided', unusable: undecided.unusable, trail: undecided.trail };
        // Trails seen elsewhere (multi-region, organization) are known; a single-region trail homed here is not.
        if (view.describeTrails.kind !== 'ok') return { region: view.region, state: 'undecided', unusable: view.describeTrails, trail: undefined };
        const reason = judged.length > 0 ? judged.flatMap((v) => v.reasons).join(', ') : 'no trail records the region';
        return { region: view.region, state: 'failed', reason, evidence: [...judged.flatMap((v) => v.evidence), ...readRef(view.describeTrails, '/trailList')] };
      });

      const failed = outcomes.filter((o) => o.state === 'failed');
      const undecided = outcomes.filter((o) => o.state === 'undecided');
      const details = {
        regions: Object.fromEntries(outcomes.map((o) => [o.region,
          o.state === 'covered' ? `covered by ${o.by.trail.arn}` : o.state === 'failed' ? o.reason : `undecided: ${describeUnusable(o.unusable)}`])),
      };
      if (failed.length > 0) {
        const byReason = new Map<string, string[]>();
        for (const o of failed) byReason.set(o.reason, [...(byReason.get(o.reason) ?? []), o.region]);
        const gaps = [...byReason].map(([reason, regions]) => `${regions.join(', ')}: ${reason}`).join('; ');
        const more = undecided.length > 0 ? ` Could not decide ${undecided.map((o) => o.region).join(', ')} (see details).` : '';
        return ctx.result('FAIL', {
          ...subject,
          messageId: 'gaps',
          data: { account: account.id, gaps, undecided: more },
          evidence: unique(failed.flatMap((o) => o.evidence)),
          details,
        });
      }
      const first = undecided.find((o) => o.unusable.kind === 'error' || o.trail === undefined || estate.isCollectedAccount(o.trail.ownerAccount)) ?? undecided[0];
      if (first !== undefined) {
        const { trail, unusable } = first;
        if (trail !== undefined && unusable.kind === 'missing' && !estate.isCollectedAccount(trail.ownerAccount)) {
          return { ...ctx.notCollected(subject, `Trail ${trail.name} of account ${trail.ownerAccount}, which records account ${account.id} in ${first.region},`), details };
        }
        const cause = trail === undefined ? "the region's trails could not be listed" : `trail ${trail.name} could not be judged`;
        return { ...ctx.error(unusable, subject, `Account ${account.id}, region ${first.region}: no trail is proven to record every management event, and ${cause}`), details };
      }
      const covering = outcomes.flatMap((o) => (o.state === 'covered' ? [o.by] : []));
      return ctx.result('PASS', {
        ...subject,
        messageId: 'covered',
        data: { account: account.id, regions: views.map((v) => v.region).join(', '), trails: [...new Set(covering.map((v) => `trail ${v.trail.name}`))].join(', ') },
        evidence: unique(covering.flatMap((v) => v.evidence)),
        details,
      });
    });
  },
});
