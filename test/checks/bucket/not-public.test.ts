import { expect } from 'chai';
import { check } from '../../../checks/bucket/not-public.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import {
  LOG_ARCHIVE, MANAGEMENT, Scenario, cloudTrailBucketPolicy, fullBlockPublicAccess, policyResponse, type BucketSpec,
} from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const S3 = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}`;

function scenario(bucket: Partial<BucketSpec> = {}): Scenario {
  const s = new Scenario();
  const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  return s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [trail], ...bucket });
}

function run(s: Scenario): ReturnType<typeof resultFor> {
  return resultFor(runCheck(check, s.build()), ARN);
}

function withStatement(statement: Record<string, unknown>): { Policy: string } {
  const doc = cloudTrailBucketPolicy(BUCKET, []) as { Statement: unknown[] };
  return policyResponse({ ...doc, Statement: [...doc.Statement, statement] });
}

describe('bucket.not-public', () => {
  it('PASSes a private bucket with Block Public Access fully on, citing each response', () => {
    const r = run(scenario());
    expect(r.status).to.equal('PASS');
    expect(r.account).to.equal(MANAGEMENT);
    expect(r.region).to.equal('us-east-1');
    expect(r.message).to.equal(`Bucket ${BUCKET} is not public and Block Public Access is fully on for the bucket.`);
    expect(r.evidence.map((e) => `${e.file}#${e.pointer}`)).to.deep.equal([
      `${S3}/GetBucketPolicy.json#/Policy`,
      `${S3}/GetBucketPolicyStatus.json#/PolicyStatus/IsPublic`,
      `${S3}/GetBucketAcl.json#/Grants`,
      `${S3}/GetPublicAccessBlock.json#/PublicAccessBlockConfiguration`,
    ]);
  });

  it('FAILs a bucket whose policy allows everyone to read, naming the statement', () => {
    const policy = withStatement({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` });
    const r = run(scenario({ responses: { GetBucketPolicy: policy } }));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include(`Bucket ${BUCKET} (logs of main-trail) is not protected from public access`);
    expect(r.message).to.include('policy statement "PublicRead" allows s3:GetObject to everyone');
    expect(r.evidence[0]).to.include({ file: `${S3}/GetBucketPolicy.json`, pointer: '/Policy' });
    expect(r.details?.['publicStatements']).to.deep.equal([
      { pointer: '/Statement/3', sid: 'PublicRead', reason: 'allows s3:GetObject to everyone (Principal "*") with no condition that restricts the caller' },
    ]);
  });

  it('PASSes a wildcard statement restricted to the organization', () => {
    const policy = withStatement({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*`, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
    expect(run(scenario({ responses: { GetBucketPolicy: policy } })).status).to.equal('PASS');
  });

  it('FAILs a bucket whose ACL grants AllUsers or AuthenticatedUsers', () => {
    const acl = {
      Owner: { ID: 'owner' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'WRITE' },
      ],
    };
    const r = run(scenario({ responses: { GetBucketAcl: acl } }));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('its ACL grants READ to AllUsers; its ACL grants WRITE to AuthenticatedUsers');
    expect(r.details?.['publicAclGrants']).to.deep.equal([{ grantee: 'AllUsers', permission: 'READ' }, { grantee: 'AuthenticatedUsers', permission: 'WRITE' }]);
    expect(r.evidence.map((e) => e.pointer)).to.include('/Grants');
  });

  it('FAILs a bucket that S3 reports as public by policy status', () => {
    const r = run(scenario({ responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } }));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('S3 reports its bucket policy as public (PolicyStatus IsPublic)');
  });

  it('judges NoSuchBucketPolicy as a bucket without a policy', () => {
    const r = run(scenario({ errors: { GetBucketPolicy: 'NoSuchBucketPolicy', GetBucketPolicyStatus: 'NoSuchBucketPolicy' } }));
    expect(r.status).to.equal('PASS');
    expect(r.evidence).to.deep.include({ file: `${S3}/GetBucketPolicy.json`, sha256: r.evidence[0]?.sha256, pointer: '/$error' });
    expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/$error', '/$error', '/Grants', '/PublicAccessBlockConfiguration']);
  });

  it('PASSes a bucket without its own Block Public Access when the account-level setting covers it', () => {
    const s = scenario({ errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' } }).accountBlockPublicAccess(MANAGEMENT, fullBlockPublicAccess);
    const r = run(s);
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} is not public and Block Public Access is fully on for account ${MANAGEMENT}.`);
    expect(r.evidence.at(-1)).to.include({ file: `accounts/${MANAGEMENT}/global/s3control/GetPublicAccessBlock.json`, pointer: '/PublicAccessBlockConfiguration' });
  });

  it('judges NoSuchPublicAccessBlockConfiguration as every setting off, on the bucket and the account', () => {
    const s = scenario({ errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' } });
    s.builder.putError(MANAGEMENT, 'global', 's3control/GetPublicAccessBlock.json', 'NoSuchPublicAccessBlockConfiguration');
    const r = run(s);
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('Block Public Access is not fully on (off on the bucket: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets;');
    expect(r.evidence.slice(-2).map((e) => e.pointer)).to.deep.equal(['/$error', '/$error']);
  });

  it('FAILs partial Block Public Access, naming the settings that are off', () => {
    const partial = { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } };
    const s = scenario({ responses: { GetPublicAccessBlock: partial } }).accountBlockPublicAccess(MANAGEMENT, { PublicAccessBlockConfiguration: { BlockPublicAcls: true } });
    const r = run(s);
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('off on the bucket: BlockPublicPolicy, RestrictPublicBuckets; off for account 111111111111: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets');
    expect(r.details?.['blockPublicAccess']).to.deep.equal({ bucket: ['BlockPublicPolicy', 'RestrictPublicBuckets'], account: ['IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] });
  });

  it('lists every reason at once: statement, grant and Block Public Access', () => {
    const s = scenario({
      responses: {
        GetBucketPolicy: withStatement({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: ARN }),
        GetBucketAcl: { Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ_ACP' }] },
      },
      errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' },
    }).accountBlockPublicAccess(MANAGEMENT, {});
    const r = run(s);
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.match(/policy statement #3 allows s3:ListBucket .*; its ACL grants READ_ACP to AllUsers; Block Public Access is not fully on/);
  });

  it('ERRORs when Block Public Access is off on the bucket and the account-level setting was not collected', () => {
    const r = run(scenario({ errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' } }));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`accounts/${MANAGEMENT}/global/s3control/GetPublicAccessBlock.json is missing from the bundle`);
    expect(r.message).to.include('has Block Public Access settings off (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)');
  });

  it('ERRORs naming the file when GetBucketPolicy was denied', () => {
    const r = run(scenario({ errors: { GetBucketPolicy: 'AccessDenied' } }));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.equal(`Bucket ${BUCKET}: ${S3}/GetBucketPolicy.json holds a failed call: AccessDenied: AccessDenied (simulated)`);
    expect(r.evidence).to.have.length(1);
    expect(r.evidence[0]).to.include({ file: `${S3}/GetBucketPolicy.json`, pointer: '/$error' });
  });

  it('ERRORs when the bucket ACL is missing from the bundle', () => {
    const r = run(scenario({ omit: ['GetBucketAcl'] }));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`${S3}/GetBucketAcl.json is missing from the bundle`);
  });

  it('still FAILs on proven exposure when another input was denied', () => {
    const r = run(scenario({ errors: { GetBucketAcl: 'AccessDenied' }, responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } }));
    expect(r.status).to.equal('FAIL');
  });

  it('ERRORs when the stored policy is not JSON, naming the file', () => {
    const r = run(scenario({ responses: { GetBucketPolicy: { Policy: '{"Statement": [' } } }));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`the bucket policy in ${S3}/GetBucketPolicy.json cannot be judged: bucket policy is not valid JSON`);
  });

  it('judges a bucket in a collected log-archive account where its files are', () => {
    const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
    const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: LOG_ARCHIVE, region: 'eu-west-1', trailArns: [trail], errors: { GetPublicAccessBlock: 'NoSuchPublicAccessBlockConfiguration' } })
      .accountBlockPublicAccess(LOG_ARCHIVE, fullBlockPublicAccess);
    const r = run(s);
    expect(r.status).to.equal('PASS');
    expect(r.account).to.equal(LOG_ARCHIVE);
    expect(r.region).to.equal('eu-west-1');
    expect(r.message).to.include(`for account ${LOG_ARCHIVE}`);
    expect(r.evidence[0]?.file).to.equal(`accounts/${LOG_ARCHIVE}/eu-west-1/s3/${BUCKET}/GetBucketPolicy.json`);
  });

  it('is MANUAL for a bucket in an account that was not collected', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'outsider-logs' });
    const r = resultFor(runCheck(check, s.build()), 'arn:aws:s3:::outsider-logs');
    expect(r.status).to.equal('MANUAL');
    expect(r).to.include({ account: MANAGEMENT, region: 'global' });
    expect(r.message).to.include('Bucket outsider-logs was not collected');
  });

  it('gives one result per bucket however many trails write to it', () => {
    const s = new Scenario();
    const a = s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: BUCKET });
    const b = s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: BUCKET, prefix: 'b' });
    s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [a, b], responses: { GetBucketPolicyStatus: { PolicyStatus: { IsPublic: true } } } });
    const results = runCheck(check, s.build());
    expect(results).to.have.length(1);
    expect(results[0]?.message).to.include('(logs of a-trail, b-trail)');
  });
});
