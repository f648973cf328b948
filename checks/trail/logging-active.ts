import { defineCheck, deliveryAge, type EvidenceRef, formatHours, readRef, roundHours, trailSubject } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'trail.logging-active',
    title: 'Trails are logging and delivering their log files',
    severity: 'high',
    scope: 'trail',
    description:
      'GetTrailStatus tells whether a trail is logging, when it last delivered a log file to its bucket and whether that delivery failed.',
    rationale:
      'A trail that was stopped, or that can no longer write to its bucket, records nothing while its configuration still looks right; ' +
      'stopping a trail is a classic first step of an intruder, and a broken bucket policy or KMS key silently loses the logs.',
    remediation: {
      text: 'Start logging on the trail and fix the cause of the delivery error (bucket policy, deleted bucket, KMS key policy or key state).',
      cli: 'aws cloudtrail start-logging --name <trail> && aws cloudtrail get-trail-status --name <trail>',
      iac: 'AWS::CloudTrail::Trail IsLogging: true',
    },
    defaultOptions: { maxDeliveryAgeHours: 24 },
    schema: {
      type: 'object',
      properties: {
        maxDeliveryAgeHours: {
          type: 'integer',
          minimum: 1,
          default: 24,
          description: 'Hours before collection within which the trail must have delivered a log file to S3.',
        },
      },
      additionalProperties: false,
    },
    messages: {
      active: 'Trail {{trail}} is logging and delivered its latest log file {{age}} before collection.',
      inactive: 'Trail {{trail}} is not delivering its logs: {{problems}}.',
      unreadableTime: 'Trail {{trail}} is logging but its LatestDeliveryTime "{{time}}" is not a valid time, so its last delivery cannot be dated.',
    },
  },
  run(estate, ctx) {
    const maxHours = ctx.options.maxDeliveryAgeHours;
    return estate.trails.map((trail) => {
      const subject = trailSubject(trail);
      const read = trail.status;
      if (read.kind === 'missing' && !estate.isCollectedAccount(trail.ownerAccount)) {
        return ctx.notCollected(subject, `The status (GetTrailStatus) of trail ${trail.name}`);
      }
      if (read.kind !== 'ok') return ctx.error(read, subject, `Trail ${trail.name}`);

      const status = read.value;
      const isLogging = status.IsLogging === true;
      const deliveryError = status.LatestDeliveryError;
      const age = deliveryAge(status.LatestDeliveryTime, ctx.collectedAt);
      const problems: string[] = [];
      const evidence: EvidenceRef[] = [...readRef(read, '/IsLogging')];
      if (!isLogging) problems.push('logging is stopped (IsLogging is false)');
      if (typeof deliveryError === 'string' && deliveryError !== '') {
        problems.push(`its latest delivery to S3 failed with ${deliveryError}`);
        evidence.push(...readRef(read, '/LatestDeliveryError'));
      }
      if (age.kind === 'never') {
        problems.push('it has never delivered a log file');
      } else {
        evidence.push(...readRef(read, '/LatestDeliveryTime'));
        if (age.kind === 'dated' && age.hours > maxHours) {
          problems.push(`its latest log file was delivered ${formatHours(age.hours)} before collection (limit ${maxHours} hours)`);
        }
      }
      const details = {
        isLogging,
        latestDeliveryTime: status.LatestDeliveryTime ?? null,
        ageHours: age.kind === 'dated' ? roundHours(age.hours) : null,
        maxDeliveryAgeHours: maxHours,
        ...(typeof deliveryError === 'string' && deliveryError !== '' ? { latestDeliveryError: deliveryError } : {}),
      };
      const base = { ...subject, evidence, details };
      if (problems.length > 0) {
        return ctx.result('FAIL', { ...base, messageId: 'inactive', data: { trail: trail.name, problems: problems.join('; ') } });
      }
      if (age.kind === 'invalid') {
        return ctx.result('ERROR', { ...base, messageId: 'unreadableTime', data: { trail: trail.name, time: age.text } });
      }
      return ctx.result('PASS', { ...base, messageId: 'active', data: { trail: trail.name, age: formatHours(age.kind === 'dated' ? age.hours : 0) } });
    });
  },
});
