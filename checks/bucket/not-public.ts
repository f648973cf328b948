import {
  type Aws, blockPublicAccessComplete, bucketSubject, type CouldNotTell, defineCheck, evidenceRef, type EvidenceRef, parsePolicy, publicAclGrants, publicPolicyStatements, type Read, readRef, statementPointer,
} from '../../src/check-kit.js';

type BlockState = { complete: boolean; off: string[]; ref: EvidenceRef } | { unusable: CouldNotTell };

export const check = defineCheck({
  meta: {
    id: 'bucket.not-public',
    title: 'Trail log buckets are not public',
    severity: 'critical',
    scope: 'bucket',
    description:
      'The bucket that receives CloudTrail logs grants nothing to everyone by policy or ACL, S3 does not judge its policy public, and Block Public Access is fully on for the bucket or for its account.',
    rationale:
      'CloudTrail logs map the whole estate: who works where, which resources exist, which calls fail. A public log bucket hands that map to anyone, and Block Public Access is what stops a later policy or ACL change from making it public.',
    remediation: {
      text: 'Remove the statements and ACL grants that open the bucket to everyone, then turn on all four Block Public Access settings on the bucket (or for the whole account).',
      cli: 'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
      iac: 'AWS::S3::Bucket PublicAccessBlockConfiguration: {BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      private: 'Bucket {{bucket}} is not public and Block Public Access is fully on {{where}}.',
      exposed: 'Bucket {{bucket}} (logs of {{trails}}) is not protected from public access: {{reasons}}.',
      unreadablePolicy: 'Bucket {{bucket}}: the bucket policy in {{file}} cannot be judged: {{problem}}.',
    },
  },
  run(estate, ctx) {
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const reasons: string[] = [];
      const evidence: EvidenceRef[] = [];
      const unusable: { read: CouldNotTell; what: string }[] = [];
      const publicStatements: { pointer: string; sid?: string; reason: string }[] = [];
      const notConfigured = (read: CouldNotTell, ...names: string[]): boolean => read.kind === 'error' && names.includes(read.error.name);

      const policy = bucket.read<Aws.GetBucketPolicyResponse>('GetBucketPolicy');
      if (policy.kind === 'ok') {
        let doc: Aws.PolicyDocument;
        try {
          doc = parsePolicy(policy.value.Policy ?? '');
        } catch (err) {
          return ctx.result('ERROR', {
            ...subject, messageId: 'unreadablePolicy', evidence: [evidenceRef(policy.source, '/Policy')],
            data: { bucket: bucket.name, file: policy.source.file, problem: err instanceof Error ? err.message : String(err) },
          });
        }
        evidence.push(evidenceRef(policy.source, '/Policy'));
        for (const found of publicPolicyStatements(doc)) {
          reasons.push(`policy statement ${found.sid === undefined ? `#${found.index}` : `"${found.sid}"`} ${found.reason}`);
          publicStatements.push({ pointer: statementPointer(doc, found.index), ...(found.sid === undefined ? {} : { sid: found.sid }), reason: found.reason });
        }
      } else if (notConfigured(policy, 'NoSuchBucketPolicy')) evidence.push(...readRef(policy));
      else unusable.push({ read: policy, what: `Bucket ${bucket.name}` });

      const status = bucket.read<Aws.GetBucketPolicyStatusResponse>('GetBucketPolicyStatus');
      if (status.kind === 'ok') {
        evidence.push(evidenceRef(status.source, '/PolicyStatus/IsPublic'));
        if (status.value.PolicyStatus?.IsPublic === true) reasons.push('S3 reports its bucket policy as public (PolicyStatus IsPublic)');
      } else if (notConfigured(status, 'NoSuchBucketPolicy')) evidence.push(...readRef(status));
      else unusable.push({ read: status, what: `Bucket ${bucket.name}` });

      const acl = bucket.read<Aws.GetBucketAclResponse>('GetBucketAcl');
      const aclGrants = acl.kind === 'ok' ? publicAclGrants(acl.value) : [];
      if (acl.kind === 'ok') {
        evidence.push(evidenceRef(acl.source, '/Grants'));
        for (const g of aclGrants) reasons.push(`its ACL grants ${g.permission} to ${g.grantee}`);
      } else unusable.push({ read: acl, what: `Bucket ${bucket.name}` });

      const blockState = (read: Read<Aws.GetPublicAccessBlockResponse>): BlockState => {
        if (read.kind === 'ok') return { ...blockPublicAccessComplete(read.value.PublicAccessBlockConfiguration), ref: evidenceRef(read.source, '/PublicAccessBlockConfiguration') };
        if (notConfigured(read, 'NoSuchPublicAccessBlockConfiguration')) return { ...blockPublicAccessComplete(undefined), ref: readRef(read)[0] as EvidenceRef };
        return { unusable: read };
      };
      const onBucket = blockState(bucket.read('GetPublicAccessBlock'));
      const onAccount = blockState(estate.bundle.read(`accounts/${bucket.account ?? ''}/global/s3control/GetPublicAccessBlock.json`));
      let where = '';
      if ('complete' in onBucket && onBucket.complete) {
        where = 'for the bucket';
        evidence.push(onBucket.ref);
      } else if ('complete' in onAccount && onAccount.complete) {
        where = `for account ${bucket.account ?? ''}`;
        evidence.push(onAccount.ref);
      } else if ('complete' in onBucket && 'complete' in onAccount) {
        evidence.push(onBucket.ref, onAccount.ref);
        reasons.push(`Block Public Access is not fully on (off on the bucket: ${onBucket.off.join(', ')}; off for account ${bucket.account ?? ''}: ${onAccount.off.join(', ')})`);
      } else {
        // Neither level is proven on, and one of them could not be read: it might have been the one that covers the bucket.
        if ('unusable' in onBucket) unusable.push({ read: onBucket.unusable, what: `Bucket ${bucket.name}: its own Block Public Access setting cannot be read` });
        else if ('unusable' in onAccount) {
          unusable.push({ read: onAccount.unusable, what: `Bucket ${bucket.name} has Block Public Access settings off (${onBucket.off.join(', ')}) and the setting of account ${bucket.account ?? ''} cannot be read` });
        }
      }

      const details = { trails: trails.map((t) => t.arn), publicStatements, publicAclGrants: aclGrants, blockPublicAccess: { bucket: offOf(onBucket), account: offOf(onAccount) } };
      if (reasons.length > 0) {
        return ctx.result('FAIL', { ...subject, messageId: 'exposed', data: { bucket: bucket.name, trails: trails.map((t) => t.name).join(', '), reasons: reasons.join('; ') }, evidence, details });
      }
      const first = unusable[0];
      if (first !== undefined) return ctx.error(first.read, subject, first.what);
      return ctx.result('PASS', { ...subject, messageId: 'private', data: { bucket: bucket.name, where }, evidence, details });
    });
  },
});

/** The settings that are off, or null when they could not be read. */
function offOf(state: BlockState): string[] | null {
  return 'complete' in state ? state.off : null;
}
