import { expect } from 'chai';
import { check } from '../../../checks/bucket/not-public.js';
import { describeCheck } from '../../../src/check-tester.js';
import {
  LOG_ARCHIVE, MANAGEMENT, Scenario, cloudTrailBucketPolicy, fullBlockPublicAccess, outsiderBucketBundle, policyResponse, type BucketSpec,
} from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const S3 = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}`;

/** Trail main-trail logging to BUCKET, whose responses are the defaults changed by `bucket`; `more` changes the scenario further. */
function scenario(bucket: Partial<BucketSpec> = {}, more: (s: Scenario) => void = () => undefined): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [trail], ...bucket });
    more(s);
    return s.build();
  };
}

function withStatement(statement: Record<string, unknown>): { Policy: string } {
  const doc = cloudTrailBucketPolicy(BUCKET, []) as { Statement: unknown[] };
  return policyResponse({ ...doc, Statement: [...doc.Statement, statement] });
}

const noBucketBlock: Partial<BucketSpec> = { errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' } };

describeCheck(check, {
  valid: [
    {
      name: 'a private bucket with Block Public Access fully on, citing each response', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'private',
      check(r) {
        expect(r.account).to.equal(MANAGEMENT);
        expect(r.region).to.equal('us-east-1');
        expect(r.message).to.equal(`Bucket ${BUCKET} is not public and Block Public Access is fully on for the bucket.`);
        expect(r.evidence.map((e) => `${e.file}#${e.pointer}`)).to.deep.equal([
          `${S3}/GetBucketPolicy.json#/Policy`,
          `${S3}/GetBucketPolicyStatus.json#/PolicyStatus/IsPublic`,
          `${S3}/GetBucketAcl.json#/Grants`,
          `${S3}/GetPublicAccessBlock.json#/PublicAccessBlockConfiguration`,
        ]);
      },
    },
    {
      name: 'a wildcard statement restricted to the organization',
      bundle: scenario({ responses: { GetBucketPolicy: withStatement({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*`, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }) } }),
      resource: ARN, status: 'PASS', messageId: 'private',
    },
    {
      name: 'NoSuchBucketPolicy, judged as a bucket without a policy', bundle: scenario({ errors: { GetBucketPolicy: 'NoSuchBucketPolicy', GetBucketPolicyStatus: 'NoSuchBucketPolicy' } }),
      resource: ARN, status: 'PASS', messageId: 'private',
      check(r) {
        expect(r.evidence).to.deep.include({ file: `${S3}/GetBucketPolicy.json`, sha256: r.evidence[0]?.sha256, pointer: '/$error' });
        expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/$error', '/$error', '/Grants', '/PublicAccessBlockConfiguration']);
      },
    },
    {
      name: 'a bucket without its own Block Public Access when the account-level setting covers it', bundle: scenario(noBucketBlock, (s) => s.accountBlockPublicAccess(MANAGEMENT, fullBlockPublicAccess)),
      resource: ARN, status: 'PASS', messageId: 'private',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} is not public and Block Public Access is fully on for account ${MANAGEMENT}.`);
        expect(r.evidence.at(-1)).to.include({ file: `accounts/${MANAGEMENT}/global/s3control/GetPublicAccessBlock.json`, pointer: '/PublicAccessBlockConfiguration' });
      },
    },
    {
      name: 'a bucket in a collected log-archive account, judged where its files are',
      bundle: () => {
        const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
        const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
        s.bucket({ name: BUCKET, account: LOG_ARCHIVE, region: 'eu-west-1', trailArns: [trail], ...noBucketBlock }).accountBlockPublicAccess(LOG_ARCHIVE, fullBlockPublicAccess);
        return s.build();
      },
      resource: ARN, status: 'PASS', messageId: 'private',
      check(r) {
        expect(r.account).to.equal(LOG_ARCHIVE);
        expect(r.region).to.equal('eu-west-1');
        expect(r.message).to.include(`for account ${LOG_ARCHIVE}`);
        expect(r.evidence[0]?.file).to.equal(`accounts/${LOG_ARCHIVE}/eu-west-1/s3/${BUCKET}/GetBucketPolicy.json`);
      },
    },
  ],
  invalid: [
    {
      name: 'a bucket whose policy allows everyone to read, naming the statement',
      bundle: scenario({ responses: { GetBucketPolicy: withStatement({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` }) } }),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
      check(r) {
        expect(r.message).to.include(`Bucket ${BUCKET} (logs of main-trail) is not protected from public access`);
        expect(r.message).to.include('policy statement "PublicRead" allows s3:GetObject to everyone');
        expect(r.evidence[0]).to.include({ file: `${S3}/GetBucketPolicy.json`, pointer: '/Policy' });
        expect(r.details?.['publicStatements']).to.deep.equal([
          { pointer: '/Statement/3', sid: 'PublicRead', reason: 'allows s3:GetObject to everyone (Principal "*") with no condition that restricts the caller' },
        ]);
      },
    },
    {
      name: 'a bucket whose ACL grants AllUsers or AuthenticatedUsers',
      bundle: scenario({
        responses: {
          GetBucketAcl: {
            Owner: { ID: 'owner' },
            Grants: [
              { Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' },
              { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
              { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'WRITE' },
            ],
          },
        },
      }),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
      check(r) {
        expect(r.message).to.include('its ACL grants READ to AllUsers; its ACL grants WRITE to AuthenticatedUsers');
        expect(r.details?.['publicAclGrants']).to.deep.equal([{ grantee: 'AllUsers', permission: 'READ' }, { grantee: 'AuthenticatedUsers', permission: 'WRITE' }]);
        expect(r.evidence.map((e) => e.pointer)).to.include('/Grants');
      },
    },
    {
      name: 'a bucket that S3 reports as public by policy status', bundle: scenario({ responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } }), resource: ARN, status: 'FAIL', messageId: 'exposed',
      check: (r) => expect(r.message).to.include('S3 reports its bucket policy as public (PolicyStatus IsPublic)'),
    },
    {
      name: 'NoSuchPublicAccessBlockConfiguration, judged as every setting off, on the bucket and the account',
      bundle: scenario(noBucketBlock, (s) => s.builder.putError(MANAGEMENT, 'global', 's3control/GetPublicAccessBlock.json', 'NoSuchPublicAccessBlockConfiguration')),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
      check(r) {
        expect(r.message).to.include('Block Public Access is not fully on (off on the bucket: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets;');
        expect(r.evidence.slice(-2).map((e) => e.pointer)).to.deep.equal(['/$error', '/$error']);
      },
    },
    {
      name: 'partial Block Public Access, naming the settings that are off',
      bundle: scenario(
        { responses: { GetPublicAccessBlock: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } } } },
        (s) => s.accountBlockPublicAccess(MANAGEMENT, { PublicAccessBlockConfiguration: { BlockPublicAcls: true } }),
      ),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
      check(r) {
        expect(r.message).to.include('off on the bucket: BlockPublicPolicy, RestrictPublicBuckets; off for account 111111111111: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets');
        expect(r.details?.['blockPublicAccess']).to.deep.equal({ bucket: ['BlockPublicPolicy', 'RestrictPublicBuckets'], account: ['IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] });
      },
    },
    {
      name: 'every reason at once: statement, grant and Block Public Access',
      bundle: scenario({
        responses: {
          GetBucketPolicy: withStatement({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: ARN }),
          GetBucketAcl: { Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ_ACP' }] },
        },
        ...noBucketBlock,
      }, (s) => s.accountBlockPublicAccess(MANAGEMENT, {})),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
      check: (r) => expect(r.message).to.match(/policy statement #3 allows s3:ListBucket .*; its ACL grants READ_ACP to AllUsers; Block Public Access is not fully on/),
    },
    {
      name: 'Block Public Access off on the bucket while the account-level setting was not collected', bundle: scenario(noBucketBlock), resource: ARN, status: 'ERROR',
      check(r) {
        expect(r.message).to.include(`accounts/${MANAGEMENT}/global/s3control/GetPublicAccessBlock.json is missing from the bundle`);
        expect(r.message).to.include('has Block Public Access settings off (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)');
      },
    },
    {
      name: 'a denied GetBucketPolicy, naming the file', bundle: scenario({ errors: { GetBucketPolicy: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET}: ${S3}/GetBucketPolicy.json holds a failed call: AccessDenied: AccessDenied (simulated)`);
        expect(r.evidence).to.have.length(1);
        expect(r.evidence[0]).to.include({ file: `${S3}/GetBucketPolicy.json`, pointer: '/$error' });
      },
    },
    {
      name: 'a bucket ACL missing from the bundle', bundle: scenario({ omit: ['GetBucketAcl'] }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${S3}/GetBucketAcl.json is missing from the bundle`),
    },
    {
      name: 'proven exposure, still, when another input was denied', bundle: scenario({ errors: { GetBucketAcl: 'AccessDenied' }, responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } }),
      resource: ARN, status: 'FAIL', messageId: 'exposed',
    },
    {
      name: 'a stored policy that is not JSON, naming the file', bundle: scenario({ responses: { GetBucketPolicy: { Policy: '{"Statement": [' } } }), resource: ARN, status: 'ERROR', messageId: 'unreadablePolicy',
      check: (r) => expect(r.message).to.include(`the bucket policy in ${S3}/GetBucketPolicy.json cannot be judged: bucket policy is not valid JSON`),
    },
    {
      name: 'a bucket in an account that was not collected',
      bundle: outsiderBucketBundle,
      resource: 'arn:aws:s3:::outsider-logs', status: 'MANUAL',
      check(r) {
        expect(r).to.include({ account: MANAGEMENT, region: 'global' });
        expect(r.message).to.include('Bucket outsider-logs was not collected');
      },
    },
    {
      name: 'one result per bucket however many trails write to it',
      bundle: () => {
        const s = new Scenario();
        const a = s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: BUCKET });
        const b = s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: BUCKET, prefix: 'b' });
        s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [a, b], responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } });
        return s.build();
      },
      status: 'FAIL', messageId: 'exposed', check: (r) => expect(r.message).to.include('(logs of a-trail, b-trail)'),
    },
  ],
});
