import { accountSubject, type CouldNotTell, defineCheck, managementCoverage, readRef, type TrailModel } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'cost.duplicate-management-copies',
    title: 'Each account and region records management events in at most one trail',
    severity: 'info',
    scope: 'account-region',
    description:
      'In each account and region, at most one logging trail that applies there (its own, or the organization trail) records read or write management events. The first copy of management events is free; every further trail that records the same kind of events is billed per event. A trail whose status shows it stopped is not counted.',
    rationale:
      'A member account that keeps its own trail after an organization trail was rolled out pays for a second copy of every management event, usually without anyone deciding to. The check finds those copies so they can be kept on purpose or removed.',
    remediation: {
      text: 'Keep one trail recording management events per account and region (usually the organization trail); turn management events off on the others, or delete them if they record nothing else.',
      cli: 'aws cloudtrail put-event-selectors --trail-name <extra-trail> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":false,"DataResources":[]}]\'',
      iac: 'AWS::CloudTrail::Trail EventSelectors: [{IncludeManagementEvents: false, ...}] on the extra trail',
    },
    defaultOptions: { managementEventsPerMonth: 0, pricePer100kEvents: 2.0 },
    schema: {
      type: 'object',
      properties: {
        managementEventsPerMonth: { type: 'number', minimum: 0, default: 0, description: 'Management events a month in one account and region, to estimate the cost of extra copies; 0 means unknown (no estimate).' },
        pricePer100kEvents: { type: 'number', minimum: 0, default: 2.0, description: 'USD billed per 100,000 management events delivered by an extra copy.' },
      },
      additionalProperties: false,
    },
    messages: {
      none: 'Account {{account}} in {{region}} records management events in no trail, so no copy is billed.',
      one: 'Account {{account}} in {{region}} records management events in at most one trail ({{trails}}), so only the free copy is made.',
      split: 'Account {{account}} in {{region}} records read and write management events in different trails ({{trails}}), so no event is copied twice.',
      duplicated: 'Account {{account}} in {{region}} records {{kinds}} management events in {{count}} trails ({{trails}}): the first copy is free, {{extra}}{{cost}}.',
    },
  },
  run(estate, ctx) {
    const { managementEventsPerMonth: volume, pricePer100kEvents: price } = ctx.options;
    return estate.accountRegions.map((ar) => {
      const subject = accountSubject(ar.account, ar.region);
      const recording: { trail: TrailModel; read: boolean; write: boolean; detail: string; pointers: string[] }[] = [];
      const unknown: { trail: TrailModel; read: CouldNotTell }[] = [];
      const stopped: string[] = [];
      for (const trail of ar.trails) {
        if (trail.status.kind === 'ok' && trail.status.value.IsLogging === false) {
          stopped.push(trail.arn);
          continue;
        }
        if (trail.selectors.kind !== 'ok') {
          unknown.push({ trail, read: trail.selectors });
          continue;
        }
        const coverage = managementCoverage(trail.selectors.value);
        if (coverage.read || coverage.write) recording.push({ trail, read: coverage.read, write: coverage.write, detail: coverage.detail, pointers: coverage.pointers });
      }
      const copies = { read: recording.filter((r) => r.read).length, write: recording.filter((r) => r.write).length };
      const most = Math.max(copies.read, copies.write);

      if (most < 2) {
        // Our own trails are listed by DescribeTrails; without it, or with trails we cannot read, a second copy may hide.
        if (ar.describeTrails.kind !== 'ok') return ctx.error(ar.describeTrails, subject, `Account ${ar.account} in ${ar.region}`);
        const outside = (u: (typeof unknown)[number]): boolean => !estate.isCollectedAccount(u.trail.ownerAccount) && u.read.kind === 'missing';
        const blocker = unknown.find((u) => !outside(u)) ?? unknown[0];
        if (blocker !== undefined && most + unknown.length >= 2) {
          if (outside(blocker)) {
            return ctx.notCollected(subject, `The event selectors of trail ${blocker.trail.arn}`);
          }
          const proven = most === 0 ? 'no trail is' : 'one trail is';
          return ctx.error(blocker.read, subject, `Account ${ar.account} in ${ar.region}: ${proven} proven to record management events, and trail ${blocker.trail.name} could be another copy`);
        }
        const named = [...recording.map((r) => r.trail.name), ...unknown.map((u) => `${u.trail.name} (event selectors not readable)`)];
        const messageId = named.length === 0 ? 'none' : recording.length === 2 ? 'split' : 'one';
        return ctx.result('PASS', {
          ...subject, messageId,
          data: { account: ar.account, region: ar.region, trails: named.join(', ') },
          evidence: recording.flatMap((r) => r.pointers.flatMap((p) => readRef(r.trail.selectors, p))),
          details: { trails: recording.map((r) => r.trail.arn), unreadableTrails: unknown.map((u) => u.trail.arn), stoppedTrails: stopped },
        });
      }

      const duplicatedKinds = (['read', 'write'] as const).filter((k) => copies[k] >= 2);
      const involved = recording.filter((r) => duplicatedKinds.some((k) => r[k]));
      const extra = most - 1;
      // Each extra copy of a kind delivers every event of that kind again; the volume given covers all management events.
      const estimate = volume > 0 ? Math.round(extra * (volume / 100_000) * price * 100) / 100 : undefined;
      const cost = estimate === undefined ? '' : ` (about $${estimate.toFixed(2)} a month at ${volume.toLocaleString('en-US')} events a month and $${price.toFixed(2)} per 100,000 events)`;
      return ctx.result('FAIL', {
        ...subject,
        messageId: 'duplicated',
        data: {
          account: ar.account, region: ar.region, kinds: duplicatedKinds.join(' and '), count: involved.length,
          trails: involved.map((r) => r.trail.name).join(', '), cost,
          extra: extra === 1 ? 'the extra copy is billed' : `each of the ${extra} extra copies is billed`,
        },
        evidence: involved.flatMap((r) => r.pointers.flatMap((p) => readRef(r.trail.selectors, p))),
        details: {
          trails: involved.map((r) => ({ arn: r.trail.arn, owner: r.trail.ownerAccount, organizationTrail: r.trail.isOrganizationTrail, records: r.detail })),
          extraCopies: extra,
          ...(estimate === undefined ? {} : { managementEventsPerMonth: volume, pricePer100kEvents: price, estimatedMonthlyCostUsd: estimate }),
          stoppedTrails: stopped,
        },
      });
    });
  },
});
