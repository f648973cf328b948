// The signing flags `audit` and `report` share (--sign-key FILE, --sign-kms-key KEY) and turning them into a
// Signer before anything is rendered: a bad key fails the run up front (exit 2), and the key's fingerprint is
// known in time for the report's cover and PDF metadata. The KMS client loads only when a KMS key is named.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Signer } from '../attest/dsse.js';
import { MAX_KEY_FILE_BYTES, pemSigner } from '../attest/keys.js';
import { kmsSigner } from '../attest/kms.js';
import { TrailproofError } from '../errors.js';
import type { ArgsOf } from './command.js';
import type { Io } from './io.js';

export const signingOptions = {
  'sign-key': { type: 'string', requiresArg: true, describe: `Sign the outputs: write ${'attestation.intoto.jsonl'} (a DSSE envelope of an in-toto statement) with this PEM private key (ECDSA P-256 or Ed25519); needs --out` },
  'sign-kms-key': { type: 'string', requiresArg: true, describe: 'Sign the outputs with this AWS KMS key (id, alias/NAME or ARN; ECC_NIST_P256, SIGN_VERIFY) instead of --sign-key; needs --out' },
} as const;

export interface SigningFlags {
  signKey?: string;
  signKmsKey?: string;
  region?: string;
  profile?: string;
}

/** The signing flags of a command's parsed arguments (--region and --profile where the command has them). */
export function signingFlags(args: ArgsOf<[typeof signingOptions]> & { region?: string | undefined; profile?: string | undefined }): SigningFlags {
  const flags: SigningFlags = {};
  const signKey = args['sign-key'];
  const signKmsKey = args['sign-kms-key'];
  const { region, profile } = args;
  if (signKey !== undefined) flags.signKey = signKey;
  if (signKmsKey !== undefined) flags.signKmsKey = signKmsKey;
  if (region !== undefined) flags.region = region;
  if (profile !== undefined) flags.profile = profile;
  return flags;
}

/** Reads a key file named by a flag, bounded, or throws TP_USAGE naming the flag. */
export function readKeyFile(path: string, flag: string, io: Io): Buffer {
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `${flag} ${path}: cannot read it (${(err as Error).message})`);
  }
  if (size > MAX_KEY_FILE_BYTES) throw new TrailproofError('TP_USAGE', `${flag} ${path}: ${size} bytes is too large for a PEM key (MAX_KEY_FILE_BYTES ${MAX_KEY_FILE_BYTES})`);
  return readFileSync(full);
}

/** The Signer the flags name, or undefined when the run is not signed. `out`: the run's --out (signing needs it). */
export async function resolveSigner(flags: SigningFlags, out: string | undefined, io: Io): Promise<Signer | undefined> {
  if (flags.signKey === undefined && flags.signKmsKey === undefined) return undefined;
  if (flags.signKey !== undefined && flags.signKmsKey !== undefined) throw new TrailproofError('TP_USAGE', '--sign-key and --sign-kms-key both name the signing key: give one');
  if (out === undefined) throw new TrailproofError('TP_USAGE', `${flags.signKey !== undefined ? '--sign-key' : '--sign-kms-key'} signs the files of an output folder: give --out DIR`);
  if (flags.signKey !== undefined) return pemSigner(readKeyFile(flags.signKey, '--sign-key', io), flags.signKey);
  const { openKmsKey } = await import('../collect/kms-signer.js');
  return kmsSigner(await openKmsKey({ keyId: flags.signKmsKey as string, region: flags.region, profile: flags.profile, env: io.env, flag: '--sign-kms-key' }));
}
