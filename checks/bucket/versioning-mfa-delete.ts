import { bucketSubject, defineCheck, evidenceRef, type GetBucketVersioningResponse } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'bucket.versioning-mfa-delete',
    title: 'Trail log buckets keep every version of their log objects',
    severity: 'medium',
    scope: 'bucket',
    description:
      'Versioning is enabled on the bucket that receives CloudTrail logs, and, when the option requireMfaDelete asks for it, MFA delete too.',
    rationale:
      'With versioning an overwritten or deleted log object leaves its earlier version behind, so tampering can be undone and shown. MFA delete adds a second factor before a version can be removed for good or versioning suspended.',
    remediation: {
      text: 'Enable versioning on the bucket; to require MFA delete, the root user enables it with an MFA device.',
      cli: 'aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "<mfa-serial> <code>"',
      iac: 'AWS::S3::Bucket VersioningConfiguration: {Status: Enabled} (MFA delete cannot be set by CloudFormation; the root user sets it)',
    },
    defaultOptions: { requireMfaDelete: false },
    schema: {
      type: 'object',
      properties: {
        requireMfaDelete: { type: 'boolean', default: false, description: 'Also require MFA delete on the bucket.' },
      },
      additionalProperties: false,
    },
    messages: {
      enabled: 'Bucket {{bucket}} keeps every version of its log objects (versioning enabled, MFA delete {{mfa}}).',
      suspended: 'Bucket {{bucket}} (logs of {{trails}}) has versioning suspended: overwritten or deleted log objects are no longer kept.',
      never: 'Bucket {{bucket}} (logs of {{trails}}) has never had versioning enabled: an overwritten or deleted log object is gone.',
      noMfa: 'Bucket {{bucket}} has versioning enabled but MFA delete off: anyone allowed to can delete log versions for good without a second factor.',
    },
  },
  run(estate, ctx) {
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const read = bucket.read<GetBucketVersioningResponse>('GetBucketVersioning');
      if (read.kind !== 'ok') return ctx.error(read, subject, `Bucket ${bucket.name}`);
      const { Status: status, MFADelete: mfaDelete } = read.value;
      const mfa = mfaDelete === 'Enabled' ? 'enabled' : 'off';
      const details = { versioning: status ?? 'never enabled', mfaDelete: mfa, requireMfaDelete: ctx.options.requireMfaDelete };
      const data = { bucket: bucket.name, trails: trails.map((t) => t.name).join(', '), mfa };
      const statusRef = evidenceRef(read.source, status === undefined ? '' : '/Status');
      if (status !== 'Enabled') {
        return ctx.result('FAIL', { ...subject, messageId: status === 'Suspended' ? 'suspended' : 'never', data, details, evidence: [statusRef] });
      }
      const evidence = [statusRef, evidenceRef(read.source, mfaDelete === undefined ? '' : '/MFADelete')];
      if (ctx.options.requireMfaDelete && mfa !== 'enabled') return ctx.result('FAIL', { ...subject, messageId: 'noMfa', data, details, evidence });
      return ctx.result('PASS', { ...subject, messageId: 'enabled', data, details, evidence });
    });
  },
});
