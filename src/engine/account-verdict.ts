// How a per-account trail check turns its judgement of single trails into one verdict for the account (or for
// one region of it). Every such check decides the same way, so that "we could not tell" is never reported as
// "no trail qualifies": PASS on the first trail proven to qualify; else, while a trail that might qualify has an
// input we could not read, ERROR naming that call (or MANUAL when the trail lives in an account that was not
// collected); else ERROR while the trails themselves could not be listed; else FAIL with each trail's reasons.
// Each check brings its own judge (judgeLogging and judgeSelectors read the inputs most judges share) and messages.
import type { CheckContext, CheckResult, CouldNotTell } from './check.js';
import { accountSubject } from './subjects.js';
import type { GetEventSelectorsResponse } from '../evidence/aws.js';
import { evidenceRef, readRef } from '../evidence/bundle.js';
import type { AccountModel, AccountRegion, Estate, TrailModel } from '../evidence/estate.js';
import type { EvidenceRef } from '../model/types.js';

export type { CouldNotTell } from './check.js';

/** One trail judged against a check's requirement. */
export interface TrailJudgement {
  trail: TrailModel;
  /** Why the trail does not qualify, in plain words; empty while nothing that was read speaks against it. */
  reasons: string[];
  /** The first input that could not be read: with no reasons against it, the trail might still qualify. */
  couldNotTell: CouldNotTell | undefined;
  /** How the trail qualifies only in part, in a way a person must weigh (MANUAL), e.g. selectors narrowed to some buckets. */
  partial?: string | undefined;
  /** The responses that show each fact judged. */
  evidence: EvidenceRef[];
}

/** Judges that the trail is logging (GetTrailStatus IsLogging): `reason` when it is not, unread while its status cannot be read. */
export function judgeLogging(judgement: TrailJudgement, reason = 'not logging'): void {
  const status = judgement.trail.status;
  if (status.kind === 'ok') {
    judgement.evidence.push(...readRef(status, '/IsLogging'));
    if (status.value.IsLogging !== true) judgement.reasons.push(reason);
  } else judgement.couldNotTell ??= status;
}

/**
 * The trail's event selectors as `coverageOf` sees them, citing the selectors it names (the whole response when
 * it names none); undefined, with the trail left unread, while the selectors cannot be read.
 */
export function judgeSelectors<C extends { pointers: string[] }>(judgement: TrailJudgement, coverageOf: (selectors: GetEventSelectorsResponse) => C): C | undefined {
  const read = judgement.trail.selectors;
  if (read.kind !== 'ok') {
    judgement.couldNotTell ??= read;
    return undefined;
  }
  const coverage = coverageOf(read.value);
  judgement.evidence.push(...(coverage.pointers.length > 0 ? coverage.pointers.map((p) => evidenceRef(read.source, p)) : [evidenceRef(read.source)]));
  return coverage;
}

/**
 * When the trails that could record an account (or a region) are known. A multi-region trail shows, as a shadow
 * trail, in every region's DescribeTrails, so one readable region lists them all; a single-region trail shows
 * only in its home region, so every region must be readable.
 */
export type TrailsKnownWhen = 'any-region-listed' | 'every-region-listed';

/**
 * What the judged trails decide. `undecided`: a trail that might qualify has an input that failed, or that is
 * missing although its owner was collected. `outside`: such a trail belongs to an account that was not
 * collected and its input is missing. `unlisted`: the trails could not be listed, so one that qualifies may be
 * unknown to us.
 */
export type TrailDecision<J extends TrailJudgement> =
  | { kind: 'proven'; by: J }
  | { kind: 'partial'; by: J }
  | { kind: 'undecided'; trail: TrailModel; couldNotTell: CouldNotTell }
  | { kind: 'outside'; trail: TrailModel; couldNotTell: CouldNotTell }
  | { kind: 'unlisted'; couldNotTell: CouldNotTell }
  | { kind: 'failed'; judged: J[]; evidence: EvidenceRef[] };

/**
 * Decides over the trails judged for an account or region, given the DescribeTrails listings they were found in.
 * `prefer` picks, among proven trails, the one to name (e.g. one without exclusions).
 */
export function decideTrails<J extends TrailJudgement>(
  estate: Estate,
  judged: J[],
  listings: AccountRegion[],
  trailsKnownWhen: TrailsKnownWhen,
  prefer?: (judgement: J) => boolean,
): TrailDecision<J> {
  const qualifying = judged.filter((j) => j.reasons.length === 0);
  const proven = qualifying.filter((j) => j.couldNotTell === undefined && j.partial === undefined);
  const by = (prefer === undefined ? undefined : proven.find(prefer)) ?? proven[0];
  if (by !== undefined) return { kind: 'proven', by };

  const open = qualifying.flatMap((j) => (j.couldNotTell === undefined ? [] : [{ trail: j.trail, couldNotTell: j.couldNotTell }]));
  // A failed call, or a missing one in an account we collected, is a gap in our evidence: report it before
  // anything a person could judge, since the trail behind it might have qualified in full.
  const undecided = open.find((o) => o.couldNotTell.kind === 'error' || estate.isCollectedAccount(o.trail.ownerAccount));
  if (undecided !== undefined) return { kind: 'undecided', ...undecided };
  const partial = qualifying.find((j) => j.partial !== undefined && j.couldNotTell === undefined);
  if (partial !== undefined) return { kind: 'partial', by: partial };
  const outside = open[0];
  if (outside !== undefined) return { kind: 'outside', ...outside };

  const listed = listings.filter((l) => l.describeTrails.kind === 'ok');
  const unlisted = listings.map((l) => l.describeTrails).find((r): r is CouldNotTell => r.kind !== 'ok');
  if (unlisted !== undefined && (trailsKnownWhen === 'every-region-listed' || listed.length === 0)) return { kind: 'unlisted', couldNotTell: unlisted };
  return { kind: 'failed', judged, evidence: [...judged.flatMap((j) => j.evidence), ...listed.flatMap((l) => readRef(l.describeTrails, '/trailList'))] };
}

/** NOT_APPLICABLE for an account with no enabled region in the audited scope: no trail can be judged for it. */
export function noRegionsResult<MessageId extends string>(ctx: CheckContext<object, MessageId>, account: AccountModel, messageId: MessageId): CheckResult {
  return ctx.result('NOT_APPLICABLE', { ...accountSubject(account.id), messageId, data: { account: account.id }, evidence: readRef(account.describeRegions, '/Regions') });
}

/** A requirement that one trail recording the account must meet. */
export interface AccountTrailRequirement<J extends TrailJudgement, MessageId extends string> {
  judge(trail: TrailModel): J;
  prefer?: (judgement: J) => boolean;
  trailsKnownWhen: TrailsKnownWhen;
  /** Each with {{account}}; proven and partial with {{trail}}, failed with {{reasons}}. */
  messages: { proven: MessageId; failed: MessageId; noRegions: MessageId; partial?: MessageId };
  /** More message data and details about the trail that proves (or partly proves) the account. */
  describe?: (by: J) => { data?: Record<string, string | number | boolean>; details?: Record<string, unknown> };
}

/** One result per audited account: whether some trail that records it meets the requirement. */
export function accountVerdicts<J extends TrailJudgement, MessageId extends string>(
  estate: Estate,
  ctx: CheckContext<object, MessageId>,
  requirement: AccountTrailRequirement<J, MessageId>,
): CheckResult[] {
  const { messages } = requirement;
  return estate.accounts.map((account) => {
    const subject = accountSubject(account.id);
    const views = estate.regionsOf(account.id);
    if (views.length === 0) return noRegionsResult(ctx, account, messages.noRegions);
    const judged = estate.trailsFor(account.id).map((trail) => requirement.judge(trail));
    const decision = decideTrails(estate, judged, views, requirement.trailsKnownWhen, requirement.prefer);
    switch (decision.kind) {
      case 'proven':
      case 'partial': {
        const { by } = decision;
        const messageId = decision.kind === 'proven' ? messages.proven : messages.partial;
        if (messageId === undefined) throw new Error(`trail ${by.trail.name} qualifies only in part, and the check has no message for that`);
        const more = requirement.describe?.(by) ?? {};
        return ctx.result(decision.kind === 'proven' ? 'PASS' : 'MANUAL', {
          ...subject,
          messageId,
          data: { account: account.id, trail: by.trail.name, ...more.data },
          evidence: by.evidence,
          details: { trail: by.trail.arn, ...more.details },
        });
      }
      case 'undecided':
        return ctx.error(decision.couldNotTell, subject, `Account ${account.id}: no trail is proven to qualify, and trail ${decision.trail.name} could not be judged`);
      case 'outside': {
        const { trail } = decision;
        return ctx.notCollected(subject, `Trail ${trail.name} of account ${trail.ownerAccount}, which records account ${account.id},`);
      }
      case 'unlisted': {
        const which = requirement.trailsKnownWhen === 'every-region-listed' ? "a region's" : 'its';
        return ctx.error(decision.couldNotTell, subject, `Account ${account.id}: no trail is proven to qualify, and ${which} trails could not be listed`);
      }
      case 'failed': {
        const reasons = decision.judged.map((j) => `trail ${j.trail.name}: ${j.reasons.join(', ')}`);
        return ctx.result('FAIL', {
          ...subject,
          messageId: messages.failed,
          data: { account: account.id, reasons: reasons.length > 0 ? reasons.join('; ') : 'no trail records the account' },
          evidence: decision.evidence,
          details: { trails: Object.fromEntries(decision.judged.map((j) => [j.trail.arn, j.reasons])) },
        });
      }
    }
  });
}
