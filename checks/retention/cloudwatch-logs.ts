import { defineCheck, evidenceRef, locatedRef, type LogGroupModel, readRef, type TrailModel } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'retention.cloudwatch-logs',
    title: 'Trail log groups keep events for the retention period',
    severity: 'low',
    scope: 'log-group',
    description:
      'Each CloudWatch Logs log group a trail delivers to exists and either never expires its events or keeps them at least minRetentionDays.',
    rationale:
      'Metric filters, alarms and Logs Insights queries over CloudTrail events only reach back as far as the log group keeps them; a short retention silently cuts the window an investigation can search.',
    remediation: {
      text: 'Set the log group retention to at least the required period (or to never expire), and create the log group if the trail points at one that does not exist.',
      cli: 'aws logs put-retention-policy --log-group-name <log-group> --retention-in-days 365',
      iac: 'AWS::Logs::LogGroup RetentionInDays: 365',
    },
    defaultOptions: { minRetentionDays: 365 },
    schema: {
      type: 'object',
      properties: {
        minRetentionDays: { type: 'integer', minimum: 1, default: 365, description: 'Shortest retention that passes, in days; a group that never expires always passes.' },
      },
      additionalProperties: false,
    },
    messages: {
      forever: 'Log group {{group}} (events of {{trails}}) never expires its events.',
      kept: 'Log group {{group}} (events of {{trails}}) keeps events for {{days}} days (at least {{min}} required).',
      short: 'Log group {{group}} (events of {{trails}}) keeps events for only {{days}} days; at least {{min}} days are required.',
      absent: 'Log group {{group}} (events of {{trails}}) does not exist: the trail cannot deliver to it.',
      noGroup: 'Trail {{trail}} delivers to no CloudWatch Logs log group, and no other trail does either.',
    },
  },
  run(estate, ctx) {
    const min = ctx.options.minRetentionDays;
    const groups = new Map<string, { group: LogGroupModel; trails: TrailModel[] }>();
    for (const trail of estate.trails) {
      if (trail.logGroup === undefined) continue;
      const arn = trail.logGroup.arn.replace(/:\*$/, '');
      const entry = groups.get(arn) ?? { group: trail.logGroup, trails: [] };
      entry.trails.push(trail);
      groups.set(arn, entry);
    }
    if (groups.size === 0) {
      return estate.trails.map((t) => ctx.result('NOT_APPLICABLE', {
        account: t.ownerAccount, region: t.homeRegion, resource: t.arn, messageId: 'noGroup', data: { trail: t.name }, evidence: [locatedRef(t.entry, '')],
      }));
    }
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([arn, { group, trails }]) => {
      const subject = { account: group.account, region: group.region, resource: arn };
      if (!group.collected) return ctx.notCollected(subject, `Log group ${group.name}`);
      if (group.describe.kind !== 'ok') return ctx.error(group.describe, subject, `Log group ${group.name}`);
      const data = { group: group.name, trails: trails.map((t) => t.name).join(', '), min };
      const trailRefs = trails.map((t) => locatedRef(t.entry, '/CloudWatchLogsLogGroupArn'));
      const found = group.group;
      if (found === undefined) {
        return ctx.result('FAIL', { ...subject, messageId: 'absent', data, evidence: [...readRef(group.describe, '/logGroups'), ...trailRefs], details: { exists: false } });
      }
      const days = found.value.retentionInDays;
      if (typeof days !== 'number') {
        return ctx.result('PASS', { ...subject, messageId: 'forever', data, evidence: [evidenceRef(found.source, found.pointer), ...trailRefs], details: { exists: true, retentionInDays: null, minRetentionDays: min } });
      }
      const ok = days >= min;
      return ctx.result(ok ? 'PASS' : 'FAIL', {
        ...subject, messageId: ok ? 'kept' : 'short', data: { ...data, days },
        evidence: [evidenceRef(found.source, `${found.pointer}/retentionInDays`), ...trailRefs],
        details: { exists: true, retentionInDays: days, minRetentionDays: min },
      });
    });
  },
});
