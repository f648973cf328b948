// Realistic S3 and KMS responses for evidence bundles (see demo-org-aws.ts for the conventions): the CloudTrail
// bucket policy AWS documents, every S3 Get* call the collector makes about a log bucket, and a KMS key's
// DescribeKey, rotation status and key policy.
import type { LifecycleRule, PolicyDocument, PolicyStatement, PublicAccessBlockConfiguration } from '../../src/evidence/aws.js';
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';

export const ALL_BLOCKED: PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

// --------------------------------------------------------------------------------------------------- policies

export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

export interface CloudTrailBucketPolicySpec {
  bucket: string;
  /** Trails allowed to write; their ARNs bind the grants through aws:SourceArn unless `unbound`. */
  trailArns: string[];
  /** Accounts whose AWSLogs/<account>/ prefix CloudTrail writes. */
  accounts: string[];
  orgId?: string;
  keyPrefix?: string;
  /** Old-style grants without aws:SourceArn (what the console wrote before 2022). */
  unbound?: boolean;
  denyInsecureTransport?: boolean;
  extra?: PolicyStatement[];
}

/** The bucket policy AWS documents for CloudTrail, optionally with a TLS-only Deny and extra statements. */
export function cloudTrailBucketPolicy(spec: CloudTrailBucketPolicySpec): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${spec.bucket}`;
  const prefix = spec.keyPrefix === undefined ? '' : `${spec.keyPrefix}/`;
  const source = spec.trailArns.length === 1 ? (spec.trailArns[0] as string) : spec.trailArns;
  const bound = spec.unbound === true ? {} : { 'aws:SourceArn': source };
  const writes = spec.accounts.map((a) => `${bucketArn}/${prefix}AWSLogs/${a}/*`);
  const statements: PolicyStatement[] = [
    { Sid: 'AWSCloudTrailAclCheck20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn,
      ...(spec.unbound === true ? {} : { Condition: { StringEquals: bound } }) },
    { Sid: 'AWSCloudTrailWrite20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
      Resource: writes.length === 1 ? (writes[0] as string) : writes,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...bound } } },
  ];
  if (spec.orgId !== undefined) {
    statements.push({ Sid: 'AWSCloudTrailOrganizationWrite20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${bucketArn}/${prefix}AWSLogs/${spec.orgId}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...bound } } });
  }
  if (spec.denyInsecureTransport === true) {
    statements.push({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  }
  statements.push(...(spec.extra ?? []));
  return { Version: '2012-10-17', Statement: statements };
}

// ---------------------------------------------------------------------------------------------------- buckets

export interface BucketSpec {
  account: string;
  region: string;
  name: string;
  /** The owner's canonical user id (64 hex). */
  ownerCanonicalId: string;
  /** undefined: NoSuchBucketPolicy. */
  policy?: PolicyDocument;
  /** What GetBucketPolicyStatus says (S3 evaluates the policy). */
  policyIsPublic?: boolean;
  /** Bucket-level Block Public Access; undefined: NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock?: PublicAccessBlockConfiguration;
  /** GetBucketVersioning: {} for a bucket that never had versioning. */
  versioning: { Status?: 'Enabled' | 'Suspended'; MFADelete?: 'Enabled' | 'Disabled' };
  logging?: { TargetBucket: string; TargetPrefix: string };
  encryption: { SSEAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; KMSMasterKeyID?: string; BucketKeyEnabled?: boolean };
  /** undefined: NoSuchLifecycleConfiguration. */
  lifecycle?: LifecycleRule[];
  /** undefined: ObjectLockConfigurationNotFoundError. */
  objectLock?: { Mode: 'GOVERNANCE' | 'COMPLIANCE'; Days?: number; Years?: number };
}

/** Every S3 Get* call the collector makes about a bucket, in the owner's account and the bucket's region. */
export function addBucket(builder: BundleBuilder, spec: BucketSpec): void {
  const put = (op: string, body: unknown): void => void builder.put(spec.account, spec.region, `s3/${spec.name}/${op}.json`, body);
  const fail = (op: string, name: string, message: string): void => void builder.putError(spec.account, spec.region, `s3/${spec.name}/${op}.json`, name, message);
  if (spec.policy === undefined) {
    fail('GetBucketPolicy', 'NoSuchBucketPolicy', 'The bucket policy does not exist');
    fail('GetBucketPolicyStatus', 'NoSuchBucketPolicy', 'The bucket policy does not exist');
  } else {
    put('GetBucketPolicy', { Policy: policyJson(spec.policy) });
    put('GetBucketPolicyStatus', { PolicyStatus: { IsPublic: spec.policyIsPublic === true } });
  }
  if (spec.publicAccessBlock === undefined) fail('GetPublicAccessBlock', 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
  else put('GetPublicAccessBlock', { PublicAccessBlockConfiguration: spec.publicAccessBlock });
  // Buckets with Object Ownership "bucket owner enforced" (the default since 2023) answer with the owner's grant only.
  put('GetBucketAcl', { Owner: { ID: spec.ownerCanonicalId }, Grants: [{ Grantee: { ID: spec.ownerCanonicalId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }] });
  put('GetBucketVersioning', spec.versioning);
  put('GetBucketLogging', spec.logging === undefined ? {} : { LoggingEnabled: spec.logging });
  const { SSEAlgorithm, KMSMasterKeyID, BucketKeyEnabled } = spec.encryption;
  put('GetBucketEncryption', {
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm, ...(KMSMasterKeyID === undefined ? {} : { KMSMasterKeyID }) }, BucketKeyEnabled: BucketKeyEnabled === true }],
    },
  });
  if (spec.lifecycle === undefined) fail('GetBucketLifecycleConfiguration', 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
  else put('GetBucketLifecycleConfiguration', { Rules: spec.lifecycle, TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K' });
  if (spec.objectLock === undefined) fail('GetObjectLockConfiguration', 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
  else put('GetObjectLockConfiguration', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: spec.objectLock } } });
  // us-east-1 answers with an empty LocationConstraint, which the SDK leaves out.
  put('GetBucketLocation', spec.region === 'us-east-1' ? {} : { LocationConstraint: spec.region });
}

// ------------------------------------------------------------------------------------------------------- KMS

export interface KeySpec {
  account: string;
  region: string;
  keyId: string;
  description: string;
  createdAt: string;
  state?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  /** With state PendingDeletion. */
  deletionDate?: string;
  rotation: boolean;
  /** The next automatic rotation, when rotation is on. */
  nextRotation?: string;
  policy: PolicyDocument & { Id?: string };
}

export function keyArnOf(spec: Pick<KeySpec, 'account' | 'region' | 'keyId'>): string {
  return `arn:aws:kms:${spec.region}:${spec.account}:key/${spec.keyId}`;
}

/** DescribeKey, GetKeyRotationStatus and GetKeyPolicy under kms/<keyId>/ in the key's account and region. */
export function addKey(builder: BundleBuilder, spec: KeySpec): string {
  const arn = keyArnOf(spec);
  const state = spec.state ?? 'Enabled';
  const dir = `kms/${spec.keyId}`;
  builder.put(spec.account, spec.region, `${dir}/DescribeKey.json`, {
    KeyMetadata: {
      AWSAccountId: spec.account,
      KeyId: spec.keyId,
      Arn: arn,
      CreationDate: spec.createdAt,
      Enabled: state === 'Enabled',
      Description: spec.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: state,
      ...(state === 'PendingDeletion' ? { DeletionDate: spec.deletionDate, PendingDeletionWindowInDays: 30 } : {}),
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    },
  });
  if (state === 'PendingDeletion') {
    builder.putError(spec.account, spec.region, `${dir}/GetKeyRotationStatus.json`, 'KMSInvalidStateException', `${arn} is pending deletion.`);
  } else {
    builder.put(spec.account, spec.region, `${dir}/GetKeyRotationStatus.json`, {
      KeyRotationEnabled: spec.rotation,
      KeyId: arn,
      ...(spec.rotation ? { RotationPeriodInDays: 365, ...(spec.nextRotation === undefined ? {} : { NextRotationDate: spec.nextRotation }) } : {}),
    });
  }
  builder.put(spec.account, spec.region, `${dir}/GetKeyPolicy.json`, { Policy: JSON.stringify(spec.policy, null, 2), PolicyName: 'default' });
  return arn;
}
