import { bucketSubject, defineCheck, evidenceRef, type GetBucketLoggingResponse } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'bucket.access-logging',
    title: 'Trail log buckets log access to themselves',
    severity: 'low',
    scope: 'bucket',
    description: 'S3 server access logging is on for the bucket that receives CloudTrail logs, so every request to the log objects is recorded.',
    rationale:
      'CloudTrail records bucket-level calls but not, by default, who read or deleted a log object. Access logs of the log bucket show who looked at the audit trail and who tried to change it.',
    remediation: {
      text: 'Turn on server access logging for the bucket, delivering to a separate bucket that the trail does not write to.',
      cli: 'aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"<access-log-bucket>","TargetPrefix":"<bucket>/"}}\'',
      iac: 'AWS::S3::Bucket LoggingConfiguration: {DestinationBucketName: <access-log-bucket>, LogFilePrefix: <bucket>/}',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      on: 'Bucket {{bucket}} logs access to itself into bucket {{target}} under prefix "{{prefix}}".',
      off: 'Bucket {{bucket}} (logs of {{trails}}) does not log access to itself: nobody can tell who read or deleted its log objects.',
    },
  },
  run(estate, ctx) {
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const read = bucket.read<GetBucketLoggingResponse>('GetBucketLogging');
      if (read.kind !== 'ok') return ctx.error(read, subject, `Bucket ${bucket.name}`);
      const logging = read.value.LoggingEnabled;
      if (logging === undefined) {
        return ctx.result('FAIL', {
          ...subject, messageId: 'off', evidence: [evidenceRef(read.source, '')],
          data: { bucket: bucket.name, trails: trails.map((t) => t.name).join(', ') },
        });
      }
      const target = logging.TargetBucket ?? '(unnamed)';
      const prefix = logging.TargetPrefix ?? '';
      return ctx.result('PASS', {
        ...subject, messageId: 'on', evidence: [evidenceRef(read.source, '/LoggingEnabled')],
        data: { bucket: bucket.name, target, prefix },
        details: { targetBucket: target, targetPrefix: prefix },
      });
    });
  },
});
