import { bucketSubject, defineCheck, evidenceRef, type GetObjectLockConfigurationResponse, readRef } from '../../src/check-kit.js';

const MODE_EFFECT: Record<string, string> = {
  COMPLIANCE: 'COMPLIANCE mode: nobody, the root user included, can delete or shorten the lock',
  GOVERNANCE: 'GOVERNANCE mode: principals with s3:BypassGovernanceRetention can still delete locked versions',
};

export const check = defineCheck({
  meta: {
    id: 'bucket.object-lock',
    title: 'Trail log buckets lock their log objects',
    severity: 'low',
    scope: 'bucket',
    description:
      'Object Lock is enabled on the bucket that receives CloudTrail logs, with a default retention of at least minRetentionDays, so every log object written is locked (write once, read many). Low severity: many teams rely on versioning with MFA delete instead, and Object Lock can only be turned on for existing buckets with care.',
    rationale:
      'CloudTrail sets no retention on the objects it writes, so only a default retention locks them. A locked version cannot be deleted or overwritten before its retention ends, which makes the audit trail tamper-proof even against an administrator (COMPLIANCE mode) or all but the few allowed to bypass it (GOVERNANCE mode).',
    remediation: {
      text: 'Enable Object Lock on the bucket (versioning must be on) and set a default retention of at least the required period; prefer COMPLIANCE mode for evidence that must not be deleted.',
      cli: 'aws s3api put-object-lock-configuration --bucket <bucket> --object-lock-configuration \'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}\'',
      iac: 'AWS::S3::Bucket ObjectLockEnabled: true, ObjectLockConfiguration: {ObjectLockEnabled: Enabled, Rule: {DefaultRetention: {Mode: COMPLIANCE, Days: 365}}}',
    },
    defaultOptions: { minRetentionDays: 365 },
    schema: {
      type: 'object',
      properties: {
        minRetentionDays: { type: 'integer', minimum: 1, default: 365, description: 'Shortest default retention that passes, in days (a retention in years counts 365 days a year).' },
      },
      additionalProperties: false,
    },
    messages: {
      locked: 'Bucket {{bucket}} locks every new log object for {{days}} days ({{mode}}).',
      absent: 'Bucket {{bucket}} (logs of {{trails}}) does not have Object Lock: log objects can be deleted by anyone allowed to.',
      noDefault: 'Bucket {{bucket}} has Object Lock enabled but no default retention: CloudTrail sets none on what it writes, so its log objects are not locked.',
      short: 'Bucket {{bucket}} locks new log objects for only {{days}} days ({{mode}}); at least {{min}} days are required.',
    },
  },
  run(estate, ctx) {
    const min = ctx.options.minRetentionDays;
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const read = bucket.read<GetObjectLockConfigurationResponse>('GetObjectLockConfiguration');
      const data = { bucket: bucket.name, trails: trails.map((t) => t.name).join(', '), min };
      if (read.kind === 'error' && read.error.name === 'ObjectLockConfigurationNotFoundError') {
        return ctx.result('FAIL', { ...subject, messageId: 'absent', data, evidence: readRef(read), details: { objectLock: false } });
      }
      if (read.kind !== 'ok') return ctx.error(read, subject, `Bucket ${bucket.name}`);
      const config = read.value.ObjectLockConfiguration;
      if (config?.ObjectLockEnabled !== 'Enabled') {
        return ctx.result('FAIL', { ...subject, messageId: 'absent', data, evidence: [evidenceRef(read.source, '')], details: { objectLock: false } });
      }
      const retention = config.Rule?.DefaultRetention;
      if (retention === undefined) {
        return ctx.result('FAIL', { ...subject, messageId: 'noDefault', data, evidence: [evidenceRef(read.source, '/ObjectLockConfiguration')], details: { objectLock: true, defaultRetention: null } });
      }
      const days = typeof retention.Days === 'number' ? retention.Days : typeof retention.Years === 'number' ? retention.Years * 365 : 0;
      const mode = MODE_EFFECT[retention.Mode ?? ''] ?? `mode ${retention.Mode ?? 'not stated'}`;
      const details = { objectLock: true, mode: retention.Mode ?? null, retentionDays: days, minRetentionDays: min };
      const evidence = [evidenceRef(read.source, '/ObjectLockConfiguration/Rule/DefaultRetention')];
      return ctx.result(days >= min ? 'PASS' : 'FAIL', { ...subject, messageId: days >= min ? 'locked' : 'short', data: { ...data, days, mode }, evidence, details });
    });
  },
});
