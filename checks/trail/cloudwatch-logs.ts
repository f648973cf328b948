import { defineCheck, deliveryAge, type EvidenceRef, formatHours, locatedRef, readRef, roundHours, trailSubject } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'trail.cloudwatch-logs',
    title: 'Trails deliver their events to CloudWatch Logs',
    severity: 'medium',
    scope: 'trail',
    description:
      'A trail with a CloudWatch Logs log group sends its events there as well as to S3; GetTrailStatus tells when it last did and whether that failed.',
    rationale:
      'Metric filters and alarms on API activity (root use, policy changes, console sign-in failures) only see events that reach CloudWatch Logs; ' +
      'a log group that stopped receiving events, usually because of a changed or deleted IAM role, leaves those alarms silent.',
    remediation: {
      text: 'Create a log group and an IAM role CloudTrail can assume to write to it (logs:CreateLogStream, logs:PutLogEvents), and set both on the trail.',
      cli: 'aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>',
      iac: 'AWS::CloudTrail::Trail CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn',
    },
    defaultOptions: { maxDeliveryAgeHours: 24 },
    schema: {
      type: 'object',
      properties: {
        maxDeliveryAgeHours: {
          type: 'integer',
          minimum: 1,
          default: 24,
          description: 'Hours before collection within which the trail must have delivered events to CloudWatch Logs.',
        },
      },
      additionalProperties: false,
    },
    messages: {
      delivering: 'Trail {{trail}} delivers its events to CloudWatch Logs group {{group}}, latest {{age}} before collection.',
      notConfigured: 'Trail {{trail}} does not send its events to CloudWatch Logs: no log group is configured, so no metric filter or alarm sees them.',
      notDelivering: 'Trail {{trail}} is not delivering its events to CloudWatch Logs group {{group}}: {{problems}}.',
      unreadableTime:
        'Trail {{trail}} sends its events to CloudWatch Logs group {{group}} but its LatestCloudWatchLogsDeliveryTime "{{time}}" is not a valid time.',
    },
  },
  run(estate, ctx) {
    const maxHours = ctx.options.maxDeliveryAgeHours;
    return estate.trails.map((trail) => {
      const subject = trailSubject(trail);
      const group = trail.config.CloudWatchLogsLogGroupArn;
      if (typeof group !== 'string' || group === '') {
        return ctx.result('FAIL', {
          ...subject,
          messageId: 'notConfigured',
          data: { trail: trail.name },
          evidence: [locatedRef(trail.entry)],
          details: { logGroupArn: null },
        });
      }
      const read = trail.status;
      if (read.kind === 'missing' && !estate.isCollectedAccount(trail.ownerAccount)) {
        return ctx.notCollected(subject, `The status (GetTrailStatus) of trail ${trail.name}`);
      }
      if (read.kind !== 'ok') return ctx.error(read, subject, `Trail ${trail.name}`);

      const status = read.value;
      const deliveryError = status.LatestCloudWatchLogsDeliveryError;
      const time = status.LatestCloudWatchLogsDeliveryTime;
      const age = deliveryAge(time, ctx.collectedAt);
      const problems: string[] = [];
      const evidence: EvidenceRef[] = [locatedRef(trail.entry, '/CloudWatchLogsLogGroupArn')];
      if (typeof deliveryError === 'string' && deliveryError !== '') {
        problems.push(`its latest delivery failed with ${deliveryError}`);
        evidence.push(...readRef(read, '/LatestCloudWatchLogsDeliveryError'));
      }
      if (age.kind === 'never') {
        problems.push('it has never delivered events to CloudWatch Logs');
        evidence.push(...readRef(read));
      } else {
        evidence.push(...readRef(read, '/LatestCloudWatchLogsDeliveryTime'));
        if (age.kind === 'dated' && age.hours > maxHours) {
          problems.push(`its latest delivery was ${formatHours(age.hours)} before collection (limit ${maxHours} hours)`);
        }
      }
      const details = {
        logGroupArn: group,
        latestDeliveryTime: time ?? null,
        ageHours: age.kind === 'dated' ? roundHours(age.hours) : null,
        maxDeliveryAgeHours: maxHours,
        ...(typeof deliveryError === 'string' && deliveryError !== '' ? { latestDeliveryError: deliveryError } : {}),
      };
      const base = { ...subject, evidence, details };
      if (problems.length > 0) {
        return ctx.result('FAIL', { ...base, messageId: 'notDelivering', data: { trail: trail.name, group, problems: problems.join('; ') } });
      }
      if (age.kind === 'invalid') {
        return ctx.result('ERROR', { ...base, messageId: 'unreadableTime', data: { trail: trail.name, group, time: age.text } });
      }
      return ctx.result('PASS', { ...base, messageId: 'delivering', data: { trail: trail.name, group, age: formatHours(age.kind === 'dated' ? age.hours : 0) } });
    });
  },
});
