// What the report reads from the evidence bundle besides excerpts: its file list with SHA-256 (for the
// evidence appendix), account names and whether event logs were present. Used only when the manifest on
// disk is the one the audit read (same SHA-256); otherwise the report says so and lists cited files only.
import { createHash } from 'node:crypto';
import { errorMessage } from '../errors.js';
import { ContainedRoot, readContainedSync } from '../evidence/contained.js';

export interface BundleFacts {
  /** bundle-relative path -> SHA-256, from manifest.json, sorted by path. */
  files: [string, string][];
  manifestSha256: string;
  accountNames: Map<string, string>;
  organizationId: string | null;
  hasLogs: boolean;
  hasLookupEvents: boolean;
}

export interface LogFolder {
  /** e.g. logs/AWSLogs/o-a1b2c3d4e5/111111111111/CloudTrail/us-east-1/ */
  folder: string;
  files: number;
  firstDay: string | null;
  lastDay: string | null;
  /** SHA-256 of the folder's `sha256sum` lines ("<sha256>  <path>", sorted by path): reproducible from the manifest or the files. */
  digest: string;
}

const LOG_FOLDER = /^(logs\/AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/[^/]+\/[^/]+\/)(?:(\d{4})\/(\d{2})\/(\d{2})\/)?/;

/**
 * CloudTrail log and digest files by folder (account, kind, region): a quarter of logs is tens of thousands of
 * files, so the appendix lists folders with a digest of their SHA-256 lines instead of every log file.
 */
export function logFolders(files: [string, string][]): LogFolder[] {
  const groups = new Map<string, { lines: string[]; days: string[] }>();
  for (const [path, sha256] of files) {
    if (!path.startsWith('logs/')) continue;
    const m = LOG_FOLDER.exec(path);
    const folder = m?.[1] ?? `${path.slice(0, path.lastIndexOf('/') + 1)}`;
    const group = groups.get(folder) ?? { lines: [], days: [] };
    group.lines.push(`${sha256}  ${path}\n`);
    if (m?.[2]) group.days.push(`${m[2]}-${m[3]}-${m[4]}`);
    groups.set(folder, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([folder, g]) => {
      const days = [...g.days].sort();
      return {
        folder,
        files: g.lines.length,
        firstDay: days[0] ?? null,
        lastDay: days[days.length - 1] ?? null,
        digest: createHash('sha256').update([...g.lines].sort((x, y) => (x.slice(66) < y.slice(66) ? -1 : 1)).join('')).digest('hex'),
      };
    });
}

export type BundleFactsRead = { kind: 'ok'; facts: BundleFacts } | { kind: 'unusable'; note: string };


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBundleFacts(bundleDir: string, expectedManifestSha256: string | undefined): BundleFactsRead {
  // The bundle is evidence from elsewhere: read only inside it, regular files, never a FIFO (as Bundle.open does).
  const root = new ContainedRoot(bundleDir);
  const read = readContainedSync(root, 'manifest.json');
  if (read.kind !== 'ok') return { kind: 'unusable', note: `bundle manifest not readable (${read.kind === 'missing' ? 'missing' : read.reason})` };
  const bytes = read.bytes;
  const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
  if (expectedManifestSha256 !== undefined && manifestSha256 !== expectedManifestSha256) {
    return { kind: 'unusable', note: `the manifest.json on disk (SHA-256 ${manifestSha256}) is not the one the audit read (${expectedManifestSha256})` };
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { kind: 'unusable', note: `bundle manifest is not JSON (${errorMessage(err)})` };
  }
  const listed = isRecord(manifest) && isRecord(manifest.files) ? manifest.files : {};
  const files = Object.entries(listed)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const accountNames = new Map<string, string>();
  let organizationId: string | null = null;
  for (const [path] of files) {
    if (/^accounts\/\d{12}\/global\/organizations\/ListAccounts\.json$/.test(path)) {
      const doc = safeRead(root, path);
      const accounts = isRecord(doc) && Array.isArray(doc.Accounts) ? doc.Accounts : [];
      for (const a of accounts) if (isRecord(a) && typeof a.Id === 'string' && typeof a.Name === 'string') accountNames.set(a.Id, a.Name);
    }
    if (organizationId === null && /^accounts\/\d{12}\/global\/organizations\/DescribeOrganization\.json$/.test(path)) {
      const doc = safeRead(root, path);
      const org = isRecord(doc) && isRecord(doc.Organization) ? doc.Organization : undefined;
      if (org && typeof org.Id === 'string') organizationId = org.Id;
    }
  }
  return {
    kind: 'ok',
    facts: {
      files,
      manifestSha256,
      accountNames,
      organizationId,
      hasLogs: files.some(([p]) => p.startsWith('logs/')),
      hasLookupEvents: files.some(([p]) => p.endsWith('/LookupEvents.jsonl')),
    },
  };
}

/** Names and ids are decoration: an unreadable organizations file leaves them out, it does not stop the report. */
/** A listed JSON file's value, or undefined when it cannot be read safely or parsed (the facts are optional). */
function safeRead(root: ContainedRoot, rel: string): unknown {
  const read = readContainedSync(root, rel);
  if (read.kind !== 'ok') return undefined;
  try {
    return JSON.parse(read.bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
