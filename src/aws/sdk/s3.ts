// The @aws-sdk/client-s3 names trailproof uses, re-exported so that only src/aws names the SDK (a lint rule
// forbids it elsewhere). One module per service keeps each SDK package loaded only where its service is used.
export {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  paginateListBuckets,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
