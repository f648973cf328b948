import {
  accountSubject, decideTrails, defineCheck, describeUnusable, type EvidenceRef, judgeLogging, judgeSelectors, managementCoverage, noRegionsResult, type TrailDecision, type TrailJudgement, type TrailModel,
} from '../../src/check-kit.js';

// Reasons name the trail: a region's gap lists the reasons of every trail that records it.
function judge(trail: TrailModel): TrailJudgement {
  const j: TrailJudgement = { trail, reasons: [], couldNotTell: undefined, evidence: [] };
  judgeLogging(j, `trail ${trail.name} is not logging`);
  const coverage = judgeSelectors(j, managementCoverage);
  if (coverage?.complete === false) j.reasons.push(`trail ${trail.name} ${coverage.detail}`);
  return j;
}

type RegionDecision = TrailDecision<TrailJudgement>;

/** A region's line in the details: who covers it, its gap, or why it could not be decided. */
function regionState(decision: RegionDecision): string {
  switch (decision.kind) {
    case 'proven':
      return `covered by ${decision.by.trail.arn}`;
    case 'failed':
      return gapOf(decision);
    case 'undecided':
    case 'outside':
    case 'unlisted':
      return `undecided: ${describeUnusable(decision.couldNotTell)}`;
    case 'partial':
      throw new Error('management events are never judged in part');
  }
}

function gapOf(decision: Extract<RegionDecision, { kind: 'failed' }>): string {
  return decision.judged.length > 0 ? decision.judged.flatMap((j) => j.reasons).join(', ') : 'no trail records the region';
}

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
    // A trail records many regions (an organization trail, many accounts too): judge each trail once.
    const judgements = new Map<TrailModel, TrailJudgement>();
    const judgeOnce = (trail: TrailModel): TrailJudgement => {
      const known = judgements.get(trail) ?? judge(trail);
      judgements.set(trail, known);
      return known;
    };

    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      const views = estate.regionsOf(account.id);
      if (views.length === 0) return noRegionsResult(ctx, account, 'noRegions');
      // Trails seen elsewhere (multi-region, organization) are known; a single-region trail homed here shows only in this region's list.
      const regions = views.map((view) => ({ region: view.region, decision: decideTrails(estate, view.trails.map(judgeOnce), [view], 'every-region-listed') }));
      const details = { regions: Object.fromEntries(regions.map((r) => [r.region, regionState(r.decision)])) };
      const failed = regions.flatMap(({ region, decision: d }) => (d.kind === 'failed' ? [{ region, gap: gapOf(d), evidence: d.evidence }] : []));
      const undecided = regions.flatMap(({ region, decision: d }) => (d.kind === 'undecided' || d.kind === 'outside' || d.kind === 'unlisted' ? [{ region, ...d }] : []));
      if (failed.length > 0) {
        const byGap = new Map<string, string[]>();
        for (const f of failed) byGap.set(f.gap, [...(byGap.get(f.gap) ?? []), f.region]);
        const gaps = [...byGap].map(([gap, regionNames]) => `${regionNames.join(', ')}: ${gap}`).join('; ');
        const more = undecided.length > 0 ? ` Could not decide ${undecided.map((u) => u.region).join(', ')} (see details).` : '';
        return ctx.result('FAIL', {
          ...subject,
          messageId: 'gaps',
          data: { account: account.id, gaps, undecided: more },
          evidence: unique(failed.flatMap((f) => f.evidence)),
          details,
        });
      }
      // A gap in our evidence comes before a trail in an account that was not collected, as in decideTrails.
      const first = undecided.find((u) => u.kind !== 'outside') ?? undecided[0];
      if (first?.kind === 'outside') {
        const { trail } = first;
        return { ...ctx.notCollected(subject, `Trail ${trail.name} of account ${trail.ownerAccount}, which records account ${account.id} in ${first.region},`), details };
      }
      if (first !== undefined) {
        const cause = first.kind === 'unlisted' ? "the region's trails could not be listed" : `trail ${first.trail.name} could not be judged`;
        return { ...ctx.error(first.couldNotTell, subject, `Account ${account.id}, region ${first.region}: no trail is proven to record every management event, and ${cause}`), details };
      }
      const covering = regions.flatMap(({ decision: d }) => (d.kind === 'proven' ? [d.by] : []));
      return ctx.result('PASS', {
        ...subject,
        messageId: 'covered',
        data: { account: account.id, regions: views.map((v) => v.region).join(', '), trails: [...new Set(covering.map((j) => `trail ${j.trail.name}`))].join(', ') },
        evidence: unique(covering.flatMap((j) => j.evidence)),
        details,
      });
    });
  },
});
