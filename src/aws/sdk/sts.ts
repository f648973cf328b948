// The @aws-sdk/client-sts names trailproof uses, re-exported so that only src/aws names the SDK (a lint rule
// forbids it elsewhere). One module per service keeps each SDK package loaded only where its service is used.
export {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
