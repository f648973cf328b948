// `trailproof verify --dir DIR (--key PUB.pem | --kms-key KEY)`: checks the signed attestation an audit or
// report wrote (attestation.intoto.jsonl): each envelope's signature over the DSSE PAE, then the SHA-256 of
// every file it names. Exit 0 when all hold, 1 when a signature or a digest does not (one line per file), 2
// on bad input (no attestation, a malformed envelope, an unreadable key).
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Verifier } from '../../attest/dsse.js';
import { verifyFolder } from '../../attest/folder.js';
import { pemVerifier } from '../../attest/keys.js';
import { kmsVerifier } from '../../attest/kms.js';
import { TrailproofError } from '../../errors.js';
import { defineCommand } from '../command.js';
import type { Io } from '../io.js';
import { readKeyFile } from '../signing.js';

export interface VerifyArgs {
  dir: string;
  key?: string;
  kmsKey?: string;
  bundle?: string;
  region?: string;
  profile?: string;
  format?: 'text' | 'json';
  quiet: boolean;
}

function folder(path: string, flag: string, io: Io): string {
  const full = resolve(io.cwd, path);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw new TrailproofError('TP_USAGE', `${flag} ${path}: not a folder`);
  return full;
}

async function verifierFor(args: VerifyArgs, io: Io): Promise<Verifier> {
  if ((args.key === undefined) === (args.kmsKey === undefined)) throw new TrailproofError('TP_USAGE', 'give the key the outputs were signed with: --key PUB.pem or --kms-key KEY (one of them)');
  if (args.key !== undefined) return pemVerifier(readKeyFile(args.key, '--key', io), args.key);
  const { openKmsKey } = await import('../../collect/kms-signer.js');
  return kmsVerifier(await openKmsKey({ keyId: args.kmsKey as string, region: args.region, profile: args.profile, env: io.env, flag: '--kms-key' }));
}

export async function verify(args: VerifyArgs, io: Io): Promise<number> {
  const dir = folder(args.dir, '--dir', io);
  const bundleDir = args.bundle === undefined ? undefined : folder(args.bundle, '--bundle', io);
  const verifier = await verifierFor(args, io);
  const report = await verifyFolder(dir, verifier, bundleDir === undefined ? {} : { bundleDir });
  const ok = report.problems.length === 0;
  if (args.format === 'json') {
    io.stdout(JSON.stringify({ verified: ok, keyid: verifier.keyid, envelopes: report.envelopes, subjects: report.verified, problems: report.problems }, null, 2) + '\n');
  } else {
    for (const p of report.problems) io.stderr(`trailproof: verify: ${p.message}\n`);
    const shown = relative(io.cwd, dir) || dir;
    if (ok) {
      if (!args.quiet) io.stdout(`verified: ${shown}: ${report.verified.length} files match the attestation signed by ${verifier.keyid}\n`);
    } else io.stdout(`NOT verified: ${shown}: ${report.problems.length} problem(s) (${[...new Set(report.problems.map((p) => p.file))].join(', ')})\n`);
  }
  return ok ? 0 : 1;
}

const verifyOptions = {
  dir: { type: 'string', requiresArg: true, demandOption: true, describe: 'The output folder holding attestation.intoto.jsonl' },
  key: { type: 'string', requiresArg: true, describe: 'The PEM public key (ECDSA P-256 or Ed25519) the outputs were signed with' },
  'kms-key': { type: 'string', requiresArg: true, describe: 'The AWS KMS key the outputs were signed with (verified with KMS Verify)' },
  bundle: { type: 'string', requiresArg: true, describe: "Where the evidence bundle is now, when it moved: its manifest.json is checked there instead of at the path the attestation records" },
  region: { type: 'string', requiresArg: true, describe: "Region of --kms-key when it is not an ARN (default AWS_REGION, else us-east-1)" },
  profile: { type: 'string', requiresArg: true, describe: 'AWS profile for --kms-key' },
  format: { type: 'string', choices: ['text', 'json'], describe: 'text (default) or json on stdout' },
} as const;

export const command = defineCommand({
  name: 'verify',
  describe: 'Verify the signed attestation of an output folder (attestation.intoto.jsonl): the signature and every file digest',
  options: [verifyOptions],
  builder: (y) => y.example('$0 verify --dir reports/2026-Q3 --key signing-pub.pem', 'Check the signature and every file of a signed output folder'),
  run: (args, io) => {
    const parsed: VerifyArgs = { dir: args.dir, quiet: args.quiet };
    const set = <K extends keyof VerifyArgs>(key: K, value: VerifyArgs[K] | undefined): void => {
      if (value !== undefined) parsed[key] = value;
    };
    set('key', args.key);
    set('kmsKey', args['kms-key']);
    set('bundle', args.bundle);
    set('region', args.region);
    set('profile', args.profile);
    if (args.format === 'json' || args.format === 'text') parsed.format = args.format;
    return verify(parsed, io);
  },
});
