// CloudTrail's public keys (the output of ListPublicKeys) and the RSA check of a digest's signature:
// PKCS#1 v1.5 with SHA-256 over the signed string. Keys come as DER; CloudTrail's are PKCS#1 RSAPublicKey,
// and an SPKI key (what most tools export) is accepted too.
import { createPublicKey, constants, verify, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { readContainedSync } from '../evidence/contained.js';
import { TrailproofError } from '../errors.js';

/** A ListPublicKeys output is a few KB; a --public-keys file past this is not one. */
export const MAX_PUBLIC_KEYS_FILE_BYTES = 16 * 1024 * 1024;

export interface PublicKeyEntry {
  fingerprint: string;
  der: Buffer;
  validFrom: Date | undefined;
  validTo: Date | undefined;
}

/** Parses a ListPublicKeys response; `file` names it in errors. */
export function parsePublicKeys(value: unknown, file: string): PublicKeyEntry[] {
  const list = typeof value === 'object' && value !== null ? (value as { PublicKeyList?: unknown }).PublicKeyList : undefined;
  if (!Array.isArray(list)) throw new TrailproofError('TP_USAGE', `${file}: not a ListPublicKeys output (no PublicKeyList array)`);
  return list.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const fingerprint = e.Fingerprint;
    const der = keyBytes(e.Value);
    if (typeof fingerprint !== 'string' || der === undefined) {
      throw new TrailproofError('TP_USAGE', `${file}: PublicKeyList/${i} needs a Fingerprint and a base64 DER Value`);
    }
    return { fingerprint, der, validFrom: optionalDate(e.ValidityStartTime, file, i), validTo: optionalDate(e.ValidityEndTime, file, i) };
  });
}

/** Base64 text (CLI output) or the bytes as the SDK's Uint8Array serialized to JSON (array or index map). */
function keyBytes(value: unknown): Buffer | undefined {
  if (typeof value === 'string' && /^[A-Za-z0-9+/=\s]+$/.test(value)) return Buffer.from(value, 'base64');
  if (Array.isArray(value) && value.every((n) => Number.isInteger(n))) return Buffer.from(value as number[]);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([k, v]) => /^\d+$/.test(k) && Number.isInteger(v))) {
      return Buffer.from(entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v as number));
    }
  }
  return undefined;
}

function optionalDate(value: unknown, file: string, i: number): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = new Date(typeof value === 'number' ? value * 1000 : String(value));
  if (Number.isNaN(date.getTime())) throw new TrailproofError('TP_USAGE', `${file}: PublicKeyList/${i} has an unreadable validity time "${String(value)}"`);
  return date;
}

/** The keys ListPublicKeys would return for a time range: those valid at some point within it. */
export function keysInRange(keys: PublicKeyEntry[], start: Date, end: Date): Map<string, PublicKeyEntry> {
  const map = new Map<string, PublicKeyEntry>();
  for (const k of keys) {
    if (k.validFrom !== undefined && k.validFrom > end) continue;
    if (k.validTo !== undefined && k.validTo < start) continue;
    map.set(k.fingerprint, k);
  }
  return map;
}

export type SignatureCheck = 'valid' | 'bad-signature' | 'bad-key' | 'bad-signature-encoding';

const loaded = new WeakMap<PublicKeyEntry, KeyObject | null>();

function loadKey(entry: PublicKeyEntry): KeyObject | null {
  let key = loaded.get(entry);
  if (key !== undefined) return key;
  key = null;
  for (const type of ['pkcs1', 'spki'] as const) {
    try {
      key = createPublicKey({ key: entry.der, format: 'der', type });
      break;
    } catch {
      // Not this encoding: try the next, and report an unusable key after the last.
    }
  }
  loaded.set(entry, key);
  return key;
}

/** Verifies a hex signature over `data` with SHA256withRSA (PKCS#1 v1.5). */
export function verifySignature(entry: PublicKeyEntry, data: Buffer, signatureHex: string): SignatureCheck {
  // The CLI loads the key before it decodes the signature; the same order gives the same verdict.
  const key = loadKey(entry);
  if (key === null || key.asymmetricKeyType !== 'rsa') return 'bad-key';
  if (signatureHex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(signatureHex)) return 'bad-signature-encoding';
  const ok = verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureHex, 'hex'));
  return ok ? 'valid' : 'bad-signature';
}

/** The keys of --public-keys FILE... (ListPublicKeys outputs), resolved against cwd; `flag` names them in errors. */
export function readPublicKeyFiles(files: string[], cwd: string, flag = '--public-keys'): PublicKeyEntry[] {
  return files.flatMap((file) => {
    const path = resolve(cwd, file);
    // A regular file within the bound (a FIFO or device given by mistake must not hang the run).
    const read = readContainedSync('/', path.slice(1), MAX_PUBLIC_KEYS_FILE_BYTES);
    if (read.kind !== 'ok') throw new TrailproofError('TP_USAGE', `${flag} ${file}: ${read.kind === 'missing' ? 'no such file' : `not read: ${read.reason}`}`);
    let value: unknown;
    try {
      value = JSON.parse(read.bytes.toString('utf8'));
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `${flag} ${file}: cannot read it as JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    return parsePublicKeys(value, file);
  });
}

/** --trusted-key-fingerprints a,b: 32 hex digits each (CloudTrail's fingerprints are MD5 of the key). */
export function parseFingerprints(values: string[], flag: string): string[] {
  return values.map((v) => {
    const fp = v.trim().toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(fp)) throw new TrailproofError('TP_USAGE', `${flag}: "${v}" is not a CloudTrail key fingerprint (32 hex digits, as ListPublicKeys returns it)`);
    return fp;
  });
}
