import {
  accountSubject, type CheckResult, type CouldNotTell, defineCheck, describeUnusable, type Estate, type EvidenceRef, judgeLogging, locatedRef, type OrganizationModel, readRef, type TrailJudgement,
} from '../../src/check-kit.js';

/** One condition of the gate: met, missing (with why), or undecided: we could not tell (an input could not be read). */
type Condition =
  | { state: 'met'; evidence: EvidenceRef[]; label: string }
  | { state: 'missing'; text: string; evidence: EvidenceRef[] }
  | { state: 'undecided'; couldNotTell: CouldNotTell; what: string };

/**
 * Whether a multi-region, logging organization trail of the management account covers the account. Decided on
 * the management account's evidence: a member's own listing need not show the organization trail, so "none was
 * found" is said only once the management account's trails were listed; while they, or the status of a trail
 * that might qualify, could not be read (denied, or not collected), the condition is undecided (ERROR), never missing.
 */
function orgTrailCondition(estate: Estate, org: OrganizationModel, account: string): Condition {
  const management = org.managementAccountId;
  const judged = estate.trails.filter((t) => t.isOrganizationTrail && t.ownerAccount === management).map((trail) => {
    const j: TrailJudgement = { trail, reasons: [], couldNotTell: undefined, evidence: [locatedRef(trail.entry, '/IsOrganizationTrail'), locatedRef(trail.entry, '/IsMultiRegionTrail')] };
    if (!trail.isMultiRegion) j.reasons.push('not multi-region');
    judgeLogging(j);
    return j;
  });
  const proven = judged.find((j) => j.reasons.length === 0 && j.couldNotTell === undefined);
  if (proven !== undefined) return { state: 'met', evidence: proven.evidence, label: proven.trail.name };
  const open = judged.find((j) => j.reasons.length === 0 && j.couldNotTell !== undefined);
  if (open?.couldNotTell !== undefined) {
    const where = open.couldNotTell.kind === 'missing' && !estate.isCollectedAccount(management) ? ` (management account ${management} is not in the audited scope)` : '';
    return { state: 'undecided', couldNotTell: open.couldNotTell, what: `the status of organization trail ${open.trail.name} could not be read${where}` };
  }
  // Organization trails are listed by the management account's DescribeTrails; a member's may show them too.
  const managementListings = estate.trailListingsOf(management).map((l) => l.describeTrails);
  const listed = [...managementListings, ...estate.regionsOf(account).map((v) => v.describeTrails)].filter((r) => r.kind === 'ok');
  if (judged.length === 0 && !managementListings.some((r) => r.kind === 'ok')) {
    const unread: CouldNotTell = managementListings.find((r): r is CouldNotTell => r.kind !== 'ok') ?? { kind: 'missing', file: `accounts/${management}/<region>/cloudtrail/DescribeTrails.json` };
    return { state: 'undecided', couldNotTell: unread, what: `the trails of management account ${management}, which owns the organization trails, could not be listed` };
  }
  const why = judged.length > 0 ? judged.map((j) => `trail ${j.trail.name}: ${j.reasons.join(', ')}`).join('; ') : 'none was found';
  return {
    state: 'missing',
    text: `no multi-region, logging organization trail owned by management account ${management} covers it (${why})`,
    evidence: judged.length > 0 ? judged.flatMap((j) => j.evidence) : listed.flatMap((r) => readRef(r, '/trailList')),
  };
}

function trustedAccessCondition(org: OrganizationModel): Condition {
  const access = org.serviceAccess;
  if (access.kind !== 'ok') return { state: 'undecided', couldNotTell: access, what: 'CloudTrail trusted access could not be checked' };
  const i = (access.value.EnabledServicePrincipals ?? []).findIndex((p) => p.ServicePrincipal === 'cloudtrail.amazonaws.com');
  if (i >= 0) return { state: 'met', evidence: readRef(access, `/EnabledServicePrincipals/${i}`), label: 'cloudtrail.amazonaws.com' };
  return {
    state: 'missing',
    text: `CloudTrail trusted access is not enabled for organization ${org.id} (cloudtrail.amazonaws.com is not among its enabled service principals)`,
    evidence: readRef(access, '/EnabledServicePrincipals'),
  };
}

export const check = defineCheck({
  meta: {
    id: 'trail.org-coverage',
    title: 'Every organization account is covered by the organization trail',
    severity: 'high',
    scope: 'account',
    description:
      'Passes for an account of an AWS Organization when a multi-region, logging organization trail owned by the management account records it and CloudTrail trusted access is enabled for the organization. This is the gate a new account passes before it is handed over.',
    rationale:
      'An organization trail records every member account, including accounts created tomorrow, without anyone in the member being able to stop or change it; it only reaches new accounts while CloudTrail trusted access is on.',
    remediation: {
      text: 'From the management account, enable CloudTrail trusted access and create (or fix) a multi-region organization trail, then start logging.',
      cli: 'aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com && aws cloudtrail create-trail --name org-trail --s3-bucket-name <bucket> --is-organization-trail --is-multi-region-trail && aws cloudtrail start-logging --name org-trail',
      iac: 'AWS::CloudTrail::Trail IsOrganizationTrail: true, IsMultiRegionTrail: true, IsLogging: true',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      covered:
        'Account {{account}} is covered by organization trail {{trail}} (multi-region, logging, owned by management account {{management}}) and CloudTrail trusted access is enabled for organization {{organization}}.',
      uncovered: 'Account {{account}} is not covered by its organization\'s CloudTrail: {{missing}}.{{undecided}}',
      notInOrganization: 'Account {{account}} is not in an AWS Organization.',
      notMember: 'Account {{account}} is not a member of organization {{organization}}.',
    },
  },
  run(estate, ctx) {
    const org = estate.organization;
    return estate.accounts.map((account) => {
      const subject = accountSubject(account.id);
      // The account's own answer: "not in use" is a fact; a denied or missing call is not.
      const own = account.describeOrganization;
      const inNone = own.kind === 'error' ? own.error.name === 'AWSOrganizationsNotInUseException' : own.kind === 'ok' && own.value.Organization?.Id === undefined;
      const notInOrganization = (): CheckResult =>
        ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'notInOrganization', data: { account: account.id }, evidence: readRef(own) });
      if (inNone) return notInOrganization();
      if (org === undefined) return own.kind === 'ok' ? notInOrganization() : ctx.error(own, subject, `Account ${account.id}: cannot tell whether it is in an AWS Organization`);
      if (!account.inOrganization) {
        // Its own answer names another organization, or the organization's account list leaves it out.
        const inAnother = own.kind === 'ok' && own.value.Organization?.Id !== org.id;
        if (!inAnother && org.listAccounts.kind !== 'ok') {
          return ctx.error(org.listAccounts, subject, `Account ${account.id}: cannot tell whether it is a member of organization ${org.id}`);
        }
        const evidence = inAnother ? readRef(own, '/Organization/Id') : readRef(org.listAccounts, '/Accounts');
        return ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'notMember', data: { account: account.id, organization: org.id }, evidence });
      }

      const trail = orgTrailCondition(estate, org, account.id);
      const conditions = [trail, trustedAccessCondition(org)];
      const missing = conditions.flatMap((c) => (c.state === 'missing' ? [c] : []));
      const undecided = conditions.flatMap((c) => (c.state === 'undecided' ? [c] : []));
      if (missing.length > 0) {
        const also = undecided.map((c) => ` Also, ${c.what}: ${describeUnusable(c.couldNotTell)}.`).join('');
        return ctx.result('FAIL', {
          ...subject,
          messageId: 'uncovered',
          data: { account: account.id, missing: missing.map((c) => c.text).join('; and '), undecided: also },
          evidence: missing.flatMap((c) => c.evidence),
          details: { missing: missing.map((c) => c.text) },
        });
      }
      const first = undecided[0];
      if (first !== undefined) return ctx.error(first.couldNotTell, subject, `Account ${account.id}: ${first.what}`);
      return ctx.result('PASS', {
        ...subject,
        messageId: 'covered',
        data: { account: account.id, trail: trail.state === 'met' ? trail.label : '', management: org.managementAccountId, organization: org.id },
        evidence: conditions.flatMap((c) => (c.state === 'met' ? c.evidence : [])),
        details: { trail: trail.state === 'met' ? trail.label : '' },
      });
    });
  },
});
