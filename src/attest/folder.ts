// Signing and verifying an output folder. sign: hash the files a run wrote (and the bundle's manifest.json),
// build the statement, sign it and write attestation.intoto.jsonl last, beside and renamed. verify: read
// each envelope, check a signature over its PAE with the given key, then every subject's SHA-256 against the
// file it names; the answer lists each problem with the file it concerns.
//
// Subject names: an output file is a plain file name in the folder (a name with a path separator or `..` is
// refused: verify never reads outside DIR for an output subject). The manifest subject is the bundle's
// manifest.json as a POSIX path relative to the output folder (`evidence/manifest.json` for a live audit's
// kept bundle, `../demo-org/manifest.json` for a bundle beside it); verify resolves it against DIR, or finds
// it in `--bundle DIR` when given (the bundle moved).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TrailproofError } from '../errors.js';
import type { Findings } from '../model/types.js';
import { envelopeVerifies, parseEnvelope, signEnvelope, type Signer, type Verifier } from './dsse.js';
import { ATTESTATION_FILE, buildStatement, readStatement, statementBytes, type Subject } from './statement.js';

/** At most this many envelopes (lines) in one attestation file; the file at most this size. */
export const MAX_ENVELOPES = 64;
export const MAX_ATTESTATION_BYTES = 64 * 1024 * 1024;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface SignRequest {
  outDir: string;
  /** Absolute paths of the files the run wrote (each directly in outDir). */
  files: string[];
  /** The evidence bundle folder the findings were made from, when there is one. */
  bundleDir?: string;
  findings: Findings;
  command: 'audit' | 'report';
  /** SHA-256 of the findings file rendered (recorded in the predicate even when that file is elsewhere). */
  findingsSha256?: string;
  signer: Signer;
}

/** Writes attestation.intoto.jsonl in outDir; returns its path and the subjects it names. */
export async function signOutputs(req: SignRequest): Promise<{ path: string; subjects: Subject[] }> {
  const outputs: Subject[] = [];
  for (const file of [...new Set(req.files.map((f) => resolve(f)))]) {
    if (dirname(file) !== resolve(req.outDir)) throw new TrailproofError('TP_OUTPUT_FAILED', `cannot attest ${file}: it is not directly in the output folder ${req.outDir}`);
    if (basename(file) === ATTESTATION_FILE) continue;
    outputs.push({ name: basename(file), digest: { sha256: await sha256File(file) } });
  }
  let manifest: Subject | undefined;
  if (req.bundleDir !== undefined) {
    const path = join(req.bundleDir, 'manifest.json');
    if (!existsSync(path)) throw new TrailproofError('TP_OUTPUT_FAILED', `cannot attest the evidence: ${path} is missing`);
    manifest = { name: relative(resolve(req.outDir), resolve(path)).split(sep).join('/'), digest: { sha256: await sha256File(path) } };
  }
  const statement = buildStatement({ findings: req.findings, command: req.command, outputs, ...(req.findingsSha256 === undefined ? {} : { findingsSha256: req.findingsSha256 }), ...(manifest ? { manifest } : {}), signer: { keyid: req.signer.keyid, kind: req.signer.kind, algorithm: req.signer.algorithm } });
  let envelope;
  try {
    envelope = await signEnvelope(statementBytes(statement), req.signer);
  } catch (err) {
    if (err instanceof TrailproofError) throw err;
    throw new TrailproofError('TP_SIGNING_FAILED', `signing with ${req.signer.kind === 'kms' ? '--sign-kms-key' : '--sign-key'} ${req.signer.name} failed: ${(err as Error).message}`, { cause: err });
  }
  const path = join(req.outDir, ATTESTATION_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(envelope) + '\n');
  renameSync(`${path}.tmp`, path);
  return { path, subjects: statement.subject };
}

export interface VerifyProblem {
  /** The file the problem concerns (a subject name, or the attestation file itself). */
  file: string;
  message: string;
}

export interface VerifyReport {
  envelopes: number;
  /** Subjects whose digest matched, by name. */
  verified: string[];
  problems: VerifyProblem[];
}

/** A plain file name: no separator, not `.`/`..`, not absolute. */
function plainName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !isAbsolute(name) && !name.includes('\0');
}

/** Where a subject's file is: outputs in DIR, the manifest relative to DIR or in --bundle. Undefined: refused name. */
function subjectPath(dir: string, name: string, manifestSubject: string | null, bundleDir: string | undefined): string | undefined {
  if (name === manifestSubject && name.split('/').pop() === 'manifest.json') {
    if (bundleDir !== undefined) return join(bundleDir, 'manifest.json');
    return name.includes('\0') || isAbsolute(name) ? undefined : resolve(dir, ...name.split('/'));
  }
  return plainName(name) ? join(dir, name) : undefined;
}

/**
 * Verifies DIR's attestation with one key. Bad input (no attestation, a malformed envelope or statement)
 * throws TP_USAGE (exit 2); a signature or digest that does not match is a problem in the report (exit 1).
 */
export async function verifyFolder(dir: string, verifier: Verifier, options: { bundleDir?: string } = {}): Promise<VerifyReport> {
  const file = join(dir, ATTESTATION_FILE);
  if (!existsSync(file) || !statSync(file).isFile()) throw new TrailproofError('TP_USAGE', `--dir ${dir}: no ${ATTESTATION_FILE} (written by audit or report with --sign-key or --sign-kms-key)`);
  if (statSync(file).size > MAX_ATTESTATION_BYTES) throw new TrailproofError('TP_USAGE', `${file}: larger than ${MAX_ATTESTATION_BYTES} bytes (MAX_ATTESTATION_BYTES)`);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new TrailproofError('TP_USAGE', `${file}: no envelope`);
  if (lines.length > MAX_ENVELOPES) throw new TrailproofError('TP_USAGE', `${file}: ${lines.length} envelopes, more than ${MAX_ENVELOPES} (MAX_ENVELOPES)`);
  const report: VerifyReport = { envelopes: lines.length, verified: [], problems: [] };
  for (const [i, line] of lines.entries()) {
    const where = `${ATTESTATION_FILE} line ${i + 1}`;
    const { payload, signatures } = parseEnvelope(line, where);
    const signed = await envelopeVerifies(payload, signatures, verifier);
    if (!signed.ok) {
      const ids = signed.keyids.filter((k) => k !== '');
      const other = ids.length > 0 && !ids.includes(verifier.keyid);
      report.problems.push({ file: ATTESTATION_FILE, message: other ? `${where}: signed by key ${ids.join(', ')}, not by ${verifier.name} (${verifier.keyid})` : `${where}: the signature does not verify with ${verifier.name} (${verifier.keyid}): the envelope was changed or signed by another key` });
      // Digests under a signature that does not hold prove nothing: not checked.
      continue;
    }
    let statement;
    try {
      statement = readStatement(payload);
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `${where}: ${(err as Error).message}`);
    }
    for (const subject of statement.subjects) {
      const path = subjectPath(dir, subject.name, statement.manifestSubject, options.bundleDir);
      if (path === undefined) throw new TrailproofError('TP_USAGE', `${where}: subject "${subject.name}" is not a file name in the folder`);
      if (!existsSync(path) || !statSync(path).isFile()) {
        const hint = subject.name === statement.manifestSubject && options.bundleDir === undefined ? ' (give --bundle DIR if the evidence bundle moved)' : '';
        report.problems.push({ file: subject.name, message: `${subject.name}: missing (${path})${hint}` });
        continue;
      }
      const actual = await sha256File(path);
      if (actual === subject.digest.sha256) report.verified.push(subject.name);
      else report.problems.push({ file: subject.name, message: `${subject.name}: SHA-256 ${actual} does not match the signed ${subject.digest.sha256}` });
    }
  }
  return report;
}
