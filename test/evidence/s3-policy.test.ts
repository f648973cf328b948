import { expect } from 'chai';
import type { PolicyDocument, PolicyStatement } from '../../src/evidence/aws.js';
import {
  blockPublicAccessComplete,
  cloudTrailWriteGrants,
  parsePolicy,
  publicAclGrants,
  publicPolicyStatements,
  secureTransport,
  statementPointer,
  statementsOf,
} from '../../src/evidence/s3-policy.js';

const BUCKET = 'amzn-s3-demo-bucket';
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-2:111122223333:trail/management-events';

// The bucket policy CloudTrail documents for a trail's log bucket.
const aclCheck: PolicyStatement = {
  Sid: 'AWSCloudTrailAclCheck20150319',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:GetBucketAcl',
  Resource: `arn:aws:s3:::${BUCKET}`,
  Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
};
const write: PolicyStatement = {
  Sid: 'AWSCloudTrailWrite20150319',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/111122223333/*`,
  Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
};
const denyInsecure: PolicyStatement = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

describe('s3-policy', () => {
  describe('parsePolicy and statementsOf', () => {
    it('parses a policy string as GetBucketPolicy returns it', () => {
      const doc = parsePolicy(JSON.stringify(policy(aclCheck, write)));
      expect(statementsOf(doc).map((s) => s.Sid)).to.deep.equal(['AWSCloudTrailAclCheck20150319', 'AWSCloudTrailWrite20150319']);
    });

    it('throws a message naming the bucket policy on bad JSON', () => {
      expect(() => parsePolicy('{"Statement": [')).to.throw(/^bucket policy is not valid JSON: /);
    });

    it('rejects JSON that is not a policy document', () => {
      expect(() => parsePolicy('[1]')).to.throw(/not a policy document/);
      expect(() => parsePolicy('{"Statement": [1]}')).to.throw(/Statement 0 is not a JSON object/);
    });

    it('reads a single-object Statement as one statement at /Statement', () => {
      const doc: PolicyDocument = { Statement: write };
      expect(statementsOf(doc)).to.deep.equal([write]);
      expect(statementPointer(doc, 0)).to.equal('/Statement');
      expect(statementPointer(policy(aclCheck, write), 1)).to.equal('/Statement/1');
    });

    it('reads a document without statements as empty', () => {
      expect(statementsOf({ Version: '2012-10-17' })).to.deep.equal([]);
    });
  });

  describe('publicPolicyStatements', () => {
    const publicRead: PolicyStatement = {
      Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
    };

    it('finds nothing public in the documented CloudTrail bucket policy', () => {
      expect(publicPolicyStatements(policy(aclCheck, write, denyInsecure))).to.deep.equal([]);
    });

    it('reports an Allow to Principal "*" with its index and Sid', () => {
      const findings = publicPolicyStatements(policy(aclCheck, write, publicRead));
      expect(findings).to.have.length(1);
      expect(findings[0]).to.include({ index: 2, sid: 'PublicRead' });
      expect(findings[0]?.reason).to.equal('allows s3:GetObject to everyone (Principal "*") with no condition that restricts the caller');
    });

    it('reports Principal {"AWS": "*"} and {"AWS": ["*"]}', () => {
      const doc = policy({ ...publicRead, Principal: { AWS: '*' } }, { ...publicRead, Sid: 'B', Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } });
      expect(publicPolicyStatements(doc).map((f) => f.index)).to.deep.equal([0, 1]);
    });

    it('reports a single-object Statement at index 0', () => {
      expect(publicPolicyStatements({ Statement: publicRead }).map((f) => f.index)).to.deep.equal([0]);
    });

    it('does not report a wildcard Allow bound to a VPC endpoint', () => {
      const doc = policy({ ...publicRead, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } });
      expect(publicPolicyStatements(doc)).to.deep.equal([]);
    });

    it('does not report a wildcard Allow bound to an organization, whatever the key case or set prefix', () => {
      expect(publicPolicyStatements(policy({ ...publicRead, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }))).to.deep.equal([]);
      expect(publicPolicyStatements(policy({ ...publicRead, Condition: { 'ForAnyValue:StringLike': { 'AWS:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'] } } }))).to.deep.equal([]);
    });

    it('does not report a wildcard Allow limited to a CIDR', () => {
      const doc = policy({ ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } } });
      expect(publicPolicyStatements(doc)).to.deep.equal([]);
    });

    it('reports a wildcard Allow whose only condition is on an unrelated key', () => {
      const doc = policy({ ...publicRead, Action: 's3:PutObject', Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } });
      expect(publicPolicyStatements(doc).map((f) => f.index)).to.deep.equal([0]);
    });

    it('reports a restricting key whose value is a bare wildcard or the whole address space', () => {
      expect(publicPolicyStatements(policy({ ...publicRead, Condition: { StringLike: { 'aws:SourceAccount': '*' } } }))).to.have.length(1);
      expect(publicPolicyStatements(policy({ ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))).to.have.length(1);
    });

    it('reports restricting keys under operators that let requests without the key through', () => {
      for (const operator of ['StringNotEquals', 'StringEqualsIfExists', 'ForAllValues:StringEquals', 'Null']) {
        const doc = policy({ ...publicRead, Condition: { [operator]: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } });
        expect(publicPolicyStatements(doc), operator).to.have.length(1);
      }
    });

    it('reports an Allow with NotPrincipal, which grants everyone not listed', () => {
      const doc = policy({ Sid: 'AllButAdmin', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/Admin' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` });
      const findings = publicPolicyStatements(doc);
      expect(findings).to.have.length(1);
      expect(findings[0]?.reason).to.contain('every principal not named in NotPrincipal');
    });

    it('does not report the CloudTrail service principal even without conditions', () => {
      const { Condition: _c, ...unbound } = write;
      expect(publicPolicyStatements(policy(unbound))).to.deep.equal([]);
    });

    it('never reports a Deny statement', () => {
      expect(publicPolicyStatements(policy({ ...denyInsecure, Condition: {} }))).to.deep.equal([]);
    });

    it('describes NotAction in the reason', () => {
      const { Action: _a, ...rest } = publicRead;
      const findings = publicPolicyStatements(policy({ ...rest, NotAction: 's3:DeleteObject' }));
      expect(findings[0]?.reason).to.contain('every action except s3:DeleteObject');
    });
  });

  describe('publicAclGrants', () => {
    it('reports AllUsers READ and AuthenticatedUsers WRITE grants', () => {
      const findings = publicAclGrants({
        Owner: { ID: 'owner-canonical-id' },
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: 'owner-canonical-id' }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
          { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'WRITE' },
        ],
      });
      expect(findings).to.deep.equal([
        { grantee: 'AllUsers', permission: 'READ' },
        { grantee: 'AuthenticatedUsers', permission: 'WRITE' },
      ]);
    });

    it('does not report the owner or the log delivery group', () => {
      expect(publicAclGrants({
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: 'owner-canonical-id' }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' },
        ],
      })).to.deep.equal([]);
      expect(publicAclGrants({})).to.deep.equal([]);
    });
  });

  describe('blockPublicAccessComplete', () => {
    it('is complete when all four settings are true', () => {
      expect(blockPublicAccessComplete({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }))
        .to.deep.equal({ complete: true, off: [] });
    });

    it('names the settings that are false or absent', () => {
      expect(blockPublicAccessComplete({ BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true }))
        .to.deep.equal({ complete: false, off: ['IgnorePublicAcls', 'RestrictPublicBuckets'] });
    });

    it('names all four when there is no configuration', () => {
      expect(blockPublicAccessComplete(undefined))
        .to.deep.equal({ complete: false, off: ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] });
    });
  });

  describe('secureTransport', () => {
    it('finds the documented deny of insecure transport and points at it', () => {
      expect(secureTransport(policy(aclCheck, write, denyInsecure))).to.deep.equal({ deniesInsecure: true, pointer: '/Statement/2' });
    });

    it('accepts the JSON boolean false, ["false"], BoolIfExists and {"AWS": "*"}', () => {
      const variants: PolicyStatement[] = [
        { ...denyInsecure, Condition: { Bool: { 'aws:SecureTransport': false } } },
        { ...denyInsecure, Condition: { Bool: { 'aws:SecureTransport': ['false'] } } },
        { ...denyInsecure, Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } },
        { ...denyInsecure, Principal: { AWS: '*' } },
      ];
      for (const stmt of variants) expect(secureTransport(policy(stmt)).deniesInsecure, JSON.stringify(stmt)).to.equal(true);
    });

    it('points at /Statement for a single-object Statement', () => {
      expect(secureTransport({ Statement: denyInsecure })).to.deep.equal({ deniesInsecure: true, pointer: '/Statement' });
    });

    it('is false when no statement denies insecure transport', () => {
      expect(secureTransport(policy(aclCheck, write))).to.deep.equal({ deniesInsecure: false });
    });

    it('is false when the condition tests for "true" or the statement allows', () => {
      expect(secureTransport(policy({ ...denyInsecure, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })).deniesInsecure).to.equal(false);
      expect(secureTransport(policy({ ...denyInsecure, Effect: 'Allow' })).deniesInsecure).to.equal(false);
    });

    it('is false when the deny has no condition on aws:SecureTransport', () => {
      const { Condition: _c, ...unconditional } = denyInsecure;
      expect(secureTransport(policy(aclCheck, { ...unconditional, Sid: 'Other', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } })).deniesInsecure).to.equal(false);
    });

    it('is false when a further condition narrows the deny', () => {
      const doc = policy({ ...denyInsecure, Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } });
      expect(secureTransport(doc).deniesInsecure).to.equal(false);
    });

    it('accepts object wildcards in the action, but not a deny of reads only', () => {
      expect(secureTransport(policy({ ...denyInsecure, Action: ['s3:*Object'] })).deniesInsecure).to.equal(true);
      expect(secureTransport(policy({ ...denyInsecure, Action: ['s3:GetObject', 's3:PutObject'] })).deniesInsecure).to.equal(true);
      expect(secureTransport(policy({ ...denyInsecure, Action: '*' })).deniesInsecure).to.equal(true);
      expect(secureTransport(policy({ ...denyInsecure, Action: 's3:GetObject' })).deniesInsecure).to.equal(false);
    });

    it('requires a Resource that covers every object of the bucket', () => {
      expect(secureTransport(policy({ ...denyInsecure, Resource: `arn:aws:s3:::${BUCKET}*` })).deniesInsecure).to.equal(true);
      expect(secureTransport(policy({ ...denyInsecure, Resource: '*' })).deniesInsecure).to.equal(true);
      expect(secureTransport(policy({ ...denyInsecure, Resource: `arn:aws:s3:::${BUCKET}` })).deniesInsecure).to.equal(false);
      expect(secureTransport(policy({ ...denyInsecure, Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/*` })).deniesInsecure).to.equal(false);
    });

    it('judges the Resource against the named bucket when one is given', () => {
      expect(secureTransport(policy(denyInsecure), BUCKET).deniesInsecure).to.equal(true);
      expect(secureTransport(policy(denyInsecure), 'other-bucket').deniesInsecure).to.equal(false);
    });

    it('judges NotResource only against a named bucket', () => {
      const { Resource: _r, ...rest } = denyInsecure;
      const doc = policy({ ...rest, NotResource: 'arn:aws:s3:::other-bucket/*' });
      expect(secureTransport(doc, BUCKET).deniesInsecure).to.equal(true);
      expect(secureTransport(doc).deniesInsecure).to.equal(false);
    });
  });

  describe('cloudTrailWriteGrants', () => {
    it('reports the documented write grant as bound by aws:SourceArn', () => {
      expect(cloudTrailWriteGrants(policy(aclCheck, write, denyInsecure)))
        .to.deep.equal([{ index: 1, sid: 'AWSCloudTrailWrite20150319', bound: true, by: 'aws:SourceArn' }]);
    });

    it('reports a grant conditioned only on the ACL header as unbound', () => {
      const doc = policy(aclCheck, { ...write, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } });
      expect(cloudTrailWriteGrants(doc)).to.deep.equal([{ index: 1, sid: 'AWSCloudTrailWrite20150319', bound: false }]);
    });

    it('accepts aws:SourceAccount and ArnLike, in any key case', () => {
      expect(cloudTrailWriteGrants(policy({ ...write, Condition: { StringEquals: { 'AWS:SourceAccount': '111122223333' } } }))[0])
        .to.include({ bound: true, by: 'aws:SourceAccount' });
      expect(cloudTrailWriteGrants(policy({ ...write, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } } }))[0])
        .to.include({ bound: true, by: 'aws:SourceArn' });
    });

    it('reports a bare wildcard aws:SourceArn as unbound', () => {
      expect(cloudTrailWriteGrants(policy({ ...write, Condition: { StringLike: { 'aws:SourceArn': '*' } } }))[0]).to.include({ bound: false });
    });

    it('finds the principal in a list and actions given by wildcard', () => {
      const doc = policy({ ...write, Principal: { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] }, Action: 's3:*' });
      expect(cloudTrailWriteGrants(doc).map((g) => g.index)).to.deep.equal([0]);
    });

    it('ignores the ACL check, other services and Deny statements', () => {
      const doc = policy(aclCheck, { ...write, Principal: { Service: 'config.amazonaws.com' } }, { ...write, Effect: 'Deny' });
      expect(cloudTrailWriteGrants(doc)).to.deep.equal([]);
    });
  });
});
