// The @aws-sdk/client-kms names trailproof uses, re-exported so that only src/aws names the SDK (a lint rule
// forbids it elsewhere). One module per service keeps each SDK package loaded only where its service is used.
export {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
