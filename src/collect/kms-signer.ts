// The AWS calls behind signing attestations with a KMS asymmetric key (KeySpec ECC_NIST_P256, KeyUsage
// SIGN_VERIFY), beside the collection's client factory: the one place trailproof talks to AWS. GetPublicKey
// once (the key must be a P-256 signing key), then Sign and Verify over a SHA-256 digest (MessageType DIGEST,
// SigningAlgorithm ECDSA_SHA_256). src/attest/kms.ts turns this into a Signer and a Verifier.
// The client takes the region from the key's ARN, else as src/aws/region.ts resolves it (--region, AWS_REGION,
// AWS_DEFAULT_REGION, the profile's), else us-east-1; the endpoint from AWS_ENDPOINT_URL_KMS or
// AWS_ENDPOINT_URL (e.g. moto); credentials from the SDK's chain or --profile.
import { createPublicKey } from 'node:crypto';
import { makeClient } from '../aws/clients.js';
import { callerCredentials } from '../aws/credentials.js';
import { regionOfArn, regionProvider, resolveEndpoint } from '../aws/region.js';
import { GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '../aws/sdk/kms.js';
import { TrailproofError, errorMessage } from '../errors.js';

/** A KMS signing key, as src/attest/kms.ts needs it. */
export interface KmsSigningKey {
  /** As the user named it (id, alias or ARN). */
  keyId: string;
  /** SubjectPublicKeyInfo DER of the key's public half (GetPublicKey). */
  publicKeyDer: Uint8Array;
  /** KMS Sign over a SHA-256 digest (ECDSA_SHA_256, DIGEST): a DER signature. */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /** KMS Verify over a SHA-256 digest: whether the signature holds. */
  verifyDigest(digest: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface KmsKeyOptions {
  /** Key id, alias (alias/NAME), key ARN or alias ARN. */
  keyId: string;
  region?: string | undefined;
  profile?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The flag that named the key, for messages (--sign-kms-key or --kms-key). */
  flag: string;
}

const CALL_TIMEOUT_MS = 30_000;

function kmsClient(options: KmsKeyOptions): KMSClient {
  const region = regionProvider({ flag: regionOfArn(options.keyId) ?? options.region, env: options.env, profile: options.profile, fallback: 'us-east-1', flagName: '--region', purpose: options.flag });
  return makeClient(KMSClient, {
    region,
    credentials: callerCredentials(options.profile),
    retry: { mode: 'standard', maxAttempts: 3 },
    timeouts: { connectionMs: 5000, requestMs: CALL_TIMEOUT_MS },
    endpoint: resolveEndpoint('KMS', { env: options.env }),
  });
}

function kmsFailure(call: string, options: KmsKeyOptions, err: unknown): TrailproofError {
  const name = (err as { name?: unknown }).name;
  const missing = name === 'CredentialsProviderError';
  const detail = `${typeof name === 'string' ? `${name}: ` : ''}${errorMessage(err)}${missing ? ' (give --profile or set AWS credentials)' : ''}`;
  return new TrailproofError('TP_SIGNING_FAILED', `${options.flag} ${options.keyId}: KMS ${call} failed: ${detail}`, { cause: err });
}

/** The key's public half (SPKI DER), checked to be an ECC_NIST_P256 signing key. */
async function publicKey(client: KMSClient, options: KmsKeyOptions): Promise<Uint8Array> {
  let out;
  try {
    out = await client.send(new GetPublicKeyCommand({ KeyId: options.keyId }));
  } catch (err) {
    throw kmsFailure('GetPublicKey', options, err);
  }
  // The key itself says what it is (KeySpec is absent from some answers, e.g. moto's): a P-256 EC key.
  const spec = out.KeySpec ?? out.CustomerMasterKeySpec;
  let curve: string | undefined;
  try {
    const key = out.PublicKey === undefined ? undefined : createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
    curve = key?.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key?.asymmetricKeyType;
  } catch {
    curve = undefined;
  }
  if ((out.KeyUsage !== undefined && out.KeyUsage !== 'SIGN_VERIFY') || curve !== 'prime256v1' || out.PublicKey === undefined) {
    throw new TrailproofError('TP_USAGE', `${options.flag} ${options.keyId}: a ${spec ?? curve ?? 'unknown'} key for ${out.KeyUsage ?? 'unknown use'}; trailproof signs with an ECC_NIST_P256 key for SIGN_VERIFY (aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY)`);
  }
  return out.PublicKey;
}

/** Opens a KMS signing key: its public half now (a wrong key fails before anything is written), Sign and Verify on demand. */
export async function openKmsKey(options: KmsKeyOptions): Promise<KmsSigningKey> {
  const client = kmsClient(options);
  const publicKeyDer = await publicKey(client, options);
  return {
    keyId: options.keyId,
    publicKeyDer,
    async signDigest(digest) {
      try {
        const out = await client.send(new SignCommand({ KeyId: options.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
        if (out.Signature === undefined) throw new Error('the response has no Signature');
        return out.Signature;
      } catch (err) {
        throw kmsFailure('Sign', options, err);
      }
    },
    async verifyDigest(digest, signature) {
      try {
        const out = await client.send(new VerifyCommand({ KeyId: options.keyId, Message: digest, MessageType: 'DIGEST', Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
        return out.SignatureValid === true;
      } catch (err) {
        // KMS answers a signature that does not verify with KMSInvalidSignatureException.
        if ((err as { name?: unknown }).name === 'KMSInvalidSignatureException') return false;
        throw kmsFailure('Verify', options, err);
      }
    },
  };
}
