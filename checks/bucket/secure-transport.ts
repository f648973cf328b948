import {
  bucketSubject, cloudTrailWriteGrants, defineCheck, evidenceRef, type GetBucketPolicyResponse, parsePolicy, type PolicyDocument, readRef, secureTransport, statementPointer,
} from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'bucket.secure-transport',
    title: 'Trail log buckets refuse plain HTTP and bind CloudTrail to their trails',
    severity: 'medium',
    scope: 'bucket',
    description:
      'The policy of the bucket that receives CloudTrail logs denies every request made without TLS (aws:SecureTransport false), and each statement that lets CloudTrail write into it is bound to a trail or account with aws:SourceArn or aws:SourceAccount.',
    rationale:
      'Without the TLS deny, log objects can be read or written over plain HTTP. An unbound CloudTrail grant is a confused deputy: any trail in any AWS account can deliver into the bucket, mixing forged logs with real ones and running up storage.',
    remediation: {
      text: 'Add a Deny statement for all principals on the bucket and its objects when aws:SecureTransport is false, and add an aws:SourceArn (the trail ARNs) or aws:SourceAccount condition to each CloudTrail write statement.',
      cli: 'aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json',
      iac: 'AWS::S3::BucketPolicy with {Effect: Deny, Principal: "*", Action: "s3:*", Condition: {Bool: {aws:SecureTransport: false}}} and Condition {StringEquals: {aws:SourceArn: [<trail ARNs>]}} on the CloudTrail statements',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      secure: 'Bucket {{bucket}} refuses requests without TLS; {{grants}}.',
      insecure: 'Bucket {{bucket}} (logs of {{trails}}) {{problems}}.',
      noPolicy: 'Bucket {{bucket}} (logs of {{trails}}) has no bucket policy: nothing refuses requests made without TLS.',
      unreadablePolicy: 'Bucket {{bucket}}: the bucket policy in {{file}} cannot be judged: {{problem}}.',
    },
  },
  run(estate, ctx) {
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const read = bucket.read<GetBucketPolicyResponse>('GetBucketPolicy');
      const data = { bucket: bucket.name, trails: trails.map((t) => t.name).join(', ') };
      if (read.kind === 'error' && read.error.name === 'NoSuchBucketPolicy') {
        return ctx.result('FAIL', { ...subject, messageId: 'noPolicy', data, evidence: readRef(read), details: { policy: false } });
      }
      if (read.kind !== 'ok') return ctx.error(read, subject, `Bucket ${bucket.name}`);
      const evidence = [evidenceRef(read.source, '/Policy')];
      let doc: PolicyDocument;
      try {
        doc = parsePolicy(read.value.Policy ?? '');
      } catch (err) {
        const problem = err instanceof Error ? err.message : String(err);
        return ctx.result('ERROR', { ...subject, messageId: 'unreadablePolicy', data: { ...data, file: read.source.file, problem }, evidence });
      }

      const tls = secureTransport(doc, bucket.name);
      const grants = cloudTrailWriteGrants(doc).map((g) => ({ ...g, pointer: statementPointer(doc, g.index) }));
      const unbound = grants.filter((g) => !g.bound);
      const problems: string[] = [];
      if (!tls.deniesInsecure) problems.push('has no policy statement that denies every request made without TLS (aws:SecureTransport false)');
      for (const g of unbound) {
        problems.push(`lets CloudTrail write through statement ${g.sid === undefined ? `#${g.index}` : `"${g.sid}"`} without an aws:SourceArn or aws:SourceAccount condition, so a trail of any account can deliver into it`);
      }
      const details = {
        denyInsecureStatement: tls.pointer ?? null,
        cloudTrailWriteGrants: grants.map((g) => ({ pointer: g.pointer, ...(g.sid === undefined ? {} : { sid: g.sid }), bound: g.bound, ...(g.by === undefined ? {} : { by: g.by }) })),
      };
      if (problems.length > 0) return ctx.result('FAIL', { ...subject, messageId: 'insecure', data: { ...data, problems: problems.join('; and ') }, evidence, details });
      const grantText = grants.length === 0
        ? 'its policy grants CloudTrail no write access'
        : grants.length === 1 ? 'its CloudTrail write grant is bound to named trails or accounts' : `its ${grants.length} CloudTrail write grants are bound to named trails or accounts`;
      return ctx.result('PASS', { ...subject, messageId: 'secure', data: { ...data, grants: grantText }, evidence, details });
    });
  },
});
