// The in-toto Statement v1 trailproof signs: its subjects are the output files of a run (by file name) and
// the evidence bundle's manifest.json (by its path relative to the output folder), each with its SHA-256;
// its predicate records the run those files state: tool and version, run id, period, scope, the outcome the
// exit code states, when the evidence was collected, and the trust basis of the log-integrity verification.
// Pure: the caller hashes the files and passes the findings. Key order is fixed, so the same run signs the
// same bytes.
import type { Findings, LogKeysTrust, RunOutcome } from '../model/types.js';
import { outcomeOf } from '../engine/gate.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://trailproof.dev/attestation/audit/v1';
/** The attestation's file name in the output folder. */
export const ATTESTATION_FILE = 'attestation.intoto.jsonl';
/** Bounds on a statement read back (untrusted input). */
export const MAX_SUBJECTS = 10_000;

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface AuditPredicate {
  tool: { name: string; version: string };
  /** The command that wrote and signed the files: `audit` or `report`. */
  command: 'audit' | 'report';
  /** SHA-256 of the findings file the outputs were rendered from (a subject too when it is in the folder). */
  findingsSha256: string | null;
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    source: 'live' | 'bundle';
    period: { from: string | null; to: string | null };
    scope: { accounts: string[]; regions: string[] };
    failOn: string;
    outcome: RunOutcome;
  };
  evidence: {
    collectedAt: string;
    /** The bundle the run read, as the findings record it, and the subject naming its manifest.json (null: no bundle). */
    bundle: { path: string; manifestSha256: string; manifestSubject: string | null } | null;
  };
  /** The CloudTrail keys the log-integrity verification trusted (findings integrity.logKeys), or null. */
  integrity: { logKeys: LogKeysTrust | null };
  signer: { keyid: string; kind: 'file' | 'kms'; algorithm: string };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: AuditPredicate;
}

export interface StatementInput {
  findings: Findings;
  command: 'audit' | 'report';
  /** Output files (plain names in the output folder) with their SHA-256 hex. */
  outputs: Subject[];
  /** SHA-256 of the findings file the outputs were rendered from, when known. */
  findingsSha256?: string;
  /** The bundle's manifest.json: its subject name (relative to the output folder, POSIX) and SHA-256, when there is a bundle. */
  manifest?: Subject;
  signer: { keyid: string; kind: 'file' | 'kms'; algorithm: string };
}

export function buildStatement(input: StatementInput): Statement {
  const { findings } = input;
  const outputs = [...input.outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bundle = findings.run.bundle;
  return {
    _type: STATEMENT_TYPE,
    subject: [...outputs, ...(input.manifest ? [input.manifest] : [])],
    predicateType: PREDICATE_TYPE,
    predicate: {
      tool: { name: findings.tool.name, version: findings.tool.version },
      command: input.command,
      findingsSha256: input.findingsSha256 ?? null,
      run: {
        id: findings.run.id,
        startedAt: findings.run.startedAt,
        finishedAt: findings.run.finishedAt,
        source: findings.run.source,
        period: findings.run.period,
        scope: findings.run.scope,
        failOn: findings.run.failOn,
        // The one outcome of the run (older findings files without run.outcome: derived the gate's way).
        outcome: outcomeOf(findings),
      },
      evidence: {
        collectedAt: findings.run.collectedAt,
        bundle: bundle ? { path: bundle.path, manifestSha256: bundle.manifestSha256, manifestSubject: input.manifest?.name ?? null } : null,
      },
      integrity: { logKeys: findings.integrity?.logKeys ?? null },
      signer: input.signer,
    },
  };
}

/** The payload bytes: the statement as compact JSON. */
export function statementBytes(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A statement read back: its subjects and which one is the bundle manifest. Throws a message on a malformed one. */
export function readStatement(payload: Buffer): { subjects: Subject[]; manifestSubject: string | null; predicate: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new Error('payload is not JSON');
  }
  const s = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (s['_type'] !== STATEMENT_TYPE) throw new Error(`_type is ${JSON.stringify(s['_type'])}, expected ${STATEMENT_TYPE}`);
  if (s['predicateType'] !== PREDICATE_TYPE) throw new Error(`predicateType is ${JSON.stringify(s['predicateType'])}, expected ${PREDICATE_TYPE}`);
  const list = s['subject'];
  if (!Array.isArray(list) || list.length === 0) throw new Error('the statement has no subjects');
  if (list.length > MAX_SUBJECTS) throw new Error(`${list.length} subjects, more than ${MAX_SUBJECTS} (MAX_SUBJECTS)`);
  const subjects = list.map((entry: unknown, i): Subject => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { name?: unknown; digest?: { sha256?: unknown } };
    const sha256 = e.digest?.sha256;
    if (typeof e.name !== 'string' || e.name === '' || typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new Error(`subject[${i}] needs a name and a digest.sha256 of 64 hex digits`);
    return { name: e.name, digest: { sha256 } };
  });
  const predicate = (typeof s['predicate'] === 'object' && s['predicate'] !== null ? s['predicate'] : {}) as Record<string, unknown>;
  const evidence = predicate['evidence'] as { bundle?: { manifestSubject?: unknown } | null } | undefined;
  const manifestSubject = typeof evidence?.bundle?.manifestSubject === 'string' ? evidence.bundle.manifestSubject : null;
  return { subjects, manifestSubject, predicate };
}
