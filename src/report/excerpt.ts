// Evidence excerpts: the lines of the cited API response that prove a result. The report never recomputes a
// verdict; it only shows what the check cited (file + JSON Pointer), and only when the file on disk still has
// the SHA-256 the findings recorded. Without the bundle it shows the reference and hash alone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { errorMessage } from '../errors.js';
import type { EvidenceRef } from '../model/types.js';

export interface ExcerptLine {
  text: string;
  /** The line the pointer names (or a line of the value it names). */
  mark: boolean;
}

export interface EvidenceView {
  file: string;
  pointer: string;
  sha256: string;
  tampered: boolean;
  lines: ExcerptLine[];
  /** Why no excerpt is shown, or what to know about it; null when the excerpt speaks for itself. */
  note: string | null;
}

const MAX_LINES = 9;
const MAX_LINE = 180;
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Members that say which object a line belongs to (a trail, bucket, key, log group...). */
const IDENTITY_KEYS = ['Name', 'TrailARN', 'Arn', 'ARN', 'Id', 'KeyId', 'BucketName', 'HomeRegion', 'logGroupName', 'arn', 'TopicArn', 'EventDataStoreArn', 'AlarmName', 'filterName', 'Sid'];

type Loaded = { kind: 'ok'; value: unknown } | { kind: 'unusable'; note: string };

export function decodePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(value: unknown, token: string): { found: boolean; value: unknown } {
  if (Array.isArray(value)) {
    if (!/^(0|[1-9]\d*)$/.test(token)) return { found: false, value: undefined };
    const i = Number(token);
    return i < value.length ? { found: true, value: value[i] } : { found: false, value: undefined };
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, token)) return { found: true, value: (value as Record<string, unknown>)[token] };
  return { found: false, value: undefined };
}

function clip(text: string): string {
  return text.length <= MAX_LINE ? text : `${text.slice(0, MAX_LINE - 1)}…`;
}

/** A policy (or any JSON document) stored as a string reads better parsed. */
function unwrapJsonString(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[{[]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function pretty(value: unknown, indent: string, prefix: string, mark: boolean, budget: number): ExcerptLine[] {
  const text = JSON.stringify(unwrapJsonString(value), null, 2) ?? 'null';
  const lines = text.split('\n');
  const out = lines.slice(0, budget).map((l, i) => ({ text: clip(`${indent}${i === 0 ? prefix : ''}${l}`), mark }));
  if (lines.length > budget) out.push({ text: `${indent}  … ${lines.length - budget} more line(s)`, mark: false });
  return out;
}

function resolveIn(value: unknown, pointer: string): { found: boolean; value: unknown } {
  const tokens = decodePointer(pointer);
  if (tokens === undefined) return { found: false, value: undefined };
  let at: unknown = unwrapJsonString(value);
  for (const token of tokens) {
    const next = child(at, token);
    if (!next.found) return next;
    at = unwrapJsonString(next.value);
  }
  return { found: true, value: at };
}

/**
 * The lines for `pointer` in `doc`: the named member inside its parent, with the parent's identity lines.
 * `focus`: pointers inside the named value (a check's details name the policy statement a verdict rests
 * on, e.g. /Statement/2 of a policy document stored as a string): the first that resolves is shown instead
 * of the value's beginning, so the excerpt shows the part the verdict rests on.
 */
export function excerptLines(doc: unknown, pointer: string, focus: readonly string[] = []): { lines: ExcerptLine[]; note: string | null } {
  const tokens = decodePointer(pointer);
  if (tokens === undefined) return { lines: [], note: `pointer "${pointer}" is not a JSON Pointer` };
  if (tokens.length === 0) return { lines: pretty(doc, '', '', false, MAX_LINES), note: null };
  let parent: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    const next = child(parent, token);
    if (!next.found) return { lines: [], note: `pointer ${pointer} does not resolve in this file` };
    parent = next.value;
  }
  const last = tokens[tokens.length - 1] as string;
  const target = child(parent, last);
  const lines: ExcerptLine[] = [];
  if (Array.isArray(parent)) {
    lines.push({ text: `[ … item ${last} of ${parent.length}:`, mark: false });
    if (!target.found) return { lines: [...lines, { text: `  (no item ${last})`, mark: true }, { text: ']', mark: false }], note: null };
    lines.push(...pretty(target.value, '  ', '', true, MAX_LINES - 2), { text: ']', mark: false });
    return { lines, note: null };
  }
  if (typeof parent !== 'object' || parent === null) return { lines: [], note: `pointer ${pointer} does not resolve in this file` };
  const members = parent as Record<string, unknown>;
  lines.push({ text: '{', mark: false });
  const identity = IDENTITY_KEYS.filter((k) => k !== last && Object.hasOwn(members, k) && typeof members[k] !== 'object').slice(0, 2);
  for (const k of identity) lines.push({ text: clip(`  ${JSON.stringify(k)}: ${JSON.stringify(members[k])},`), mark: false });
  const others = Object.keys(members).length - identity.length - (target.found ? 1 : 0);
  if (others > 0) lines.push({ text: `  … ${others} other member(s)`, mark: false });
  const focused = target.found ? focus.map((f) => ({ f, r: resolveIn(target.value, f) })).find((x) => x.r.found) : undefined;
  if (focused !== undefined) {
    lines.push({ text: clip(`  ${JSON.stringify(last)}: … at ${focused.f}:`), mark: false });
    lines.push(...pretty(focused.r.value, '    ', '', true, MAX_LINES - lines.length - 1));
  } else if (target.found) lines.push(...pretty(target.value, '  ', `${JSON.stringify(last)}: `, true, MAX_LINES - lines.length - 1));
  else lines.push({ text: `  ${JSON.stringify(last)}: (absent)`, mark: true });
  lines.push({ text: '}', mark: false });
  return { lines, note: null };
}

/** Reads cited bundle files once each and turns evidence references into views with excerpts. */
export class EvidenceReader {
  private readonly cache = new Map<string, Loaded>();

  constructor(private readonly bundleDir: string | undefined) {}

  get available(): boolean {
    return this.bundleDir !== undefined;
  }

  private load(file: string, sha256: string): Loaded {
    const key = `${file}\u0000${sha256}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const loaded = this.read(file, sha256);
    this.cache.set(key, loaded);
    return loaded;
  }

  private read(file: string, sha256: string): Loaded {
    // Without a bundle the section says so once; each reference stands alone.
    if (this.bundleDir === undefined) return { kind: 'unusable', note: '' };
    const full = resolve(this.bundleDir, file);
    const rel = relative(this.bundleDir, full);
    if (isAbsolute(file) || rel.startsWith('..') || isAbsolute(rel)) return { kind: 'unusable', note: 'the cited path leaves the bundle folder: not read' };
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
    } catch (err) {
      return { kind: 'unusable', note: `cannot read ${join(this.bundleDir, file)}: ${errorMessage(err)}` };
    }
    if (bytes.length > MAX_FILE_BYTES) return { kind: 'unusable', note: 'file too large to excerpt' };
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) return { kind: 'unusable', note: `the file on disk no longer matches the SHA-256 recorded by the audit (now ${actual}): excerpt withheld` };
    try {
      return { kind: 'ok', value: JSON.parse(bytes.toString('utf8')) };
    } catch (err) {
      return { kind: 'unusable', note: `not JSON: ${errorMessage(err)}` };
    }
  }

  view(ref: EvidenceRef, focus: readonly string[] = []): EvidenceView {
    const base = { file: ref.file, pointer: ref.pointer, sha256: ref.sha256, tampered: ref.tampered === true };
    const loaded = this.load(ref.file, ref.sha256);
    if (loaded.kind === 'unusable') return { ...base, lines: [], note: loaded.note === '' ? null : loaded.note };
    return { ...base, ...excerptLines(loaded.value, ref.pointer, focus) };
  }
}
