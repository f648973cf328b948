// Local signing keys: a PEM private key (ECDSA P-256 or Ed25519) becomes a Signer, a PEM public key a
// Verifier, both named by the key's fingerprint (SHA-256 hex of its SubjectPublicKeyInfo DER, what
// `openssl pkey -pubin -outform DER | sha256sum` prints). ECDSA signatures are DER (what node's crypto and
// openssl produce and read); Ed25519 signs the PAE bytes themselves (no pre-hash), as openssl's -rawin does.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { TrailproofError } from '../errors.js';
import type { Signer, Verifier } from './dsse.js';

/** A key file larger than this is not a PEM key: refused before parsing. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

export type KeyAlgorithm = Signer['algorithm'];

/** SHA-256 hex of the public key's SPKI DER: the keyid of the envelopes it signs. */
export function keyFingerprint(publicKey: KeyObject | Uint8Array): string {
  const der = publicKey instanceof Uint8Array ? publicKey : publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** The signing algorithm of a key, or a TP_USAGE error naming the flag and the key types accepted. */
export function keyAlgorithm(key: KeyObject, flag: string): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256';
  const what = key.asymmetricKeyType === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}` : `a ${key.asymmetricKeyType ?? 'symmetric'} key`;
  throw new TrailproofError('TP_USAGE', `${flag}: ${what}; trailproof signs with ECDSA P-256 (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256) or Ed25519 (openssl genpkey -algorithm ed25519)`);
}

function signWith(algorithm: KeyAlgorithm, data: Uint8Array, key: KeyObject): Buffer {
  return sign(algorithm === 'ed25519' ? null : 'sha256', data, key);
}

function verifyWith(algorithm: KeyAlgorithm, data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify(algorithm === 'ed25519' ? null : 'sha256', data, key, signature);
  } catch {
    // a signature that is not even well-formed DER (or of the wrong length) does not verify
    return false;
  }
}

/** A Signer over a PEM private key's text; `name` is how messages name it (the --sign-key path). */
export function pemSigner(pem: string | Buffer, name: string, flag = '--sign-key'): Signer {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `${flag} ${name}: not a PEM private key (${(err as Error).message}); give an unencrypted PKCS#8 or SEC1 PEM key`);
  }
  const algorithm = keyAlgorithm(key, `${flag} ${name}`);
  const publicKey = createPublicKey(key);
  return { keyid: keyFingerprint(publicKey), kind: 'file', name, algorithm, sign: async (pae) => signWith(algorithm, pae, key) };
}

/** A Verifier over a PEM public key's text (an SPKI PEM; a private key is accepted and its public half used). */
export function pemVerifier(pem: string | Buffer, name: string, flag = '--key'): Verifier {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `${flag} ${name}: not a PEM public key (${(err as Error).message})`);
  }
  const algorithm = keyAlgorithm(key, `${flag} ${name}`);
  return { keyid: keyFingerprint(key), name, verify: async (pae, signature) => verifyWith(algorithm, pae, key, signature) };
}
