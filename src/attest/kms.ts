// A KMS key as a Signer and a Verifier. KMS signs and verifies the SHA-256 of the DSSE PAE (MessageType
// DIGEST), so an envelope of any size signs and the signature is the DER ECDSA P-256 signature openssl checks
// over the PAE with the key's public half. The AWS calls live in src/collect/kms-signer.ts (the AWS
// boundary); this module only hashes and names the key (SHA-256 of its SPKI DER, as for a local key).
import { createHash } from 'node:crypto';
import type { Signer, Verifier } from './dsse.js';
import { keyFingerprint } from './keys.js';
// A type only (erased): the SDK loads only when the CLI opens a KMS key.
import type { KmsSigningKey } from '../collect/kms-signer.js';

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function kmsSigner(key: KmsSigningKey): Signer {
  return { keyid: keyFingerprint(key.publicKeyDer), kind: 'kms', name: key.keyId, algorithm: 'ecdsa-p256-sha256', sign: (pae) => key.signDigest(sha256(pae)) };
}

export function kmsVerifier(key: KmsSigningKey): Verifier {
  return { keyid: keyFingerprint(key.publicKeyDer), name: key.keyId, verify: (pae, signature) => key.verifyDigest(sha256(pae), signature) };
}
