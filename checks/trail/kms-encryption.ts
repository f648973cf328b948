import { defineCheck, locatedRef, trailSubject } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'trail.kms-encryption',
    title: 'Trails encrypt their log files with a KMS key',
    severity: 'medium',
    scope: 'trail',
    description:
      'A trail with a KMS key (SSE-KMS) encrypts every log and digest file with it; without one, S3 encrypts the files with its own keys (SSE-S3).',
    rationale:
      'With SSE-KMS, reading the logs needs both read access to the bucket and decrypt permission on the key, and every use of the key is itself logged; ' +
      'with SSE-S3 anyone who can read the bucket can read the logs.',
    remediation: {
      text: 'Create a customer managed KMS key whose policy lets CloudTrail encrypt (GenerateDataKey*) and your readers decrypt, and set it on the trail.',
      cli: 'aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>',
      iac: 'AWS::CloudTrail::Trail KMSKeyId: <key-arn>',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      encrypted: 'Trail {{trail}} encrypts its log files with KMS key {{key}}.',
      sseS3: 'Trail {{trail}} has no KMS key: its log files are encrypted with SSE-S3 only, so anyone who can read the bucket can read them.',
    },
  },
  run(estate, ctx) {
    return estate.trails.map((trail) => {
      const subject = trailSubject(trail);
      const key = trail.config.KmsKeyId;
      if (typeof key === 'string' && key !== '') {
        return ctx.result('PASS', {
          ...subject,
          messageId: 'encrypted',
          data: { trail: trail.name, key },
          evidence: [locatedRef(trail.entry, '/KmsKeyId')],
          details: { kmsKeyId: key },
        });
      }
      // DescribeTrails leaves KmsKeyId out when there is none: the trail entry itself is the evidence.
      return ctx.result('FAIL', {
        ...subject,
        messageId: 'sseS3',
        data: { trail: trail.name },
        evidence: [locatedRef(trail.entry)],
        details: { kmsKeyId: null },
      });
    });
  },
});
