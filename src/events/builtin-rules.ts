// The built-in rules compiled once, at build time. Reading the 52 rule files' YAML and compiling them was most
// of a scan's start before its first file (about 0.3 s of CPU on the bench machine, against about 0.02 s to
// rebuild the same rules from this snapshot): on a folder of a few thousand small files that is a tenth of the
// whole scan. `npm run build` writes the snapshot (scripts/builtin-rules-snapshot.ts) beside this module, with
// the SHA-256 of each rule file it was compiled from; a scan uses it only when its rules are exactly those
// files with those texts and nothing is configured for any of them, and otherwise compiles the YAML as
// before. So an edited rule file, a missing or stale snapshot, --rules DIR or a rule parameter in the config
// cost the start-up time, never a different rule. test/events/builtin-rules.test.ts fails when the snapshot in
// dist/ is not the one the YAML compiles to.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../errors.js';
import { BUILTIN_RULES_DIR } from './rules.js';
import { compileSources, rulesFromSnapshot, type RuleSnapshot, type RuleSource } from './sigma/index.js';
import type { CompileOptions } from './sigma/compile.js';

/** Where the build writes the snapshot: beside this module in dist/. */
export const BUILTIN_SNAPSHOT_FILE = join(dirname(fileURLToPath(import.meta.url)), 'builtin-rules.snapshot.json');

/** The snapshot file: what it was compiled from (paths relative to the built-in folder) and the rules. */
export interface BuiltinSnapshotFile {
  format: 1;
  sources: Array<{ file: string; sha256: string }>;
  snapshot: RuleSnapshot;
}

type Compiled = ReturnType<typeof compileSources>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A rule file's path relative to the built-in folder, or null when it is not in it. */
function builtinName(file: string): string | null {
  const name = relative(BUILTIN_RULES_DIR, file);
  return name === '' || name.startsWith('..') || isAbsolute(name) ? null : name.split(sep).join('/');
}

/** Every rule's file named relative to the built-in folder (`to` = 'relative'), or back from that ('absolute'). */
function rebase(snapshot: RuleSnapshot, to: 'relative' | 'absolute'): RuleSnapshot {
  const move = (file: string): string => (to === 'absolute' ? join(BUILTIN_RULES_DIR, ...file.split('/')) : (builtinName(file) ?? file));
  return {
    rules: snapshot.rules.map((r) => ('rule' in r ? { rule: { ...r.rule, file: move(r.rule.file) } } : { event: { ...r.event, file: move(r.event.file) }, detection: r.detection })),
  };
}

/**
 * The snapshot file for the built-in rule files `sources` (read by ruleSources), or null when they do not
 * all load (the scan then compiles them and reports what is wrong, as without a snapshot).
 */
export function builtinSnapshotFile(sources: readonly RuleSource[]): BuiltinSnapshotFile | null {
  const compiled = compileSources(sources);
  const snapshot = compiled.errors.length === 0 ? compiled.snapshot() : null;
  if (snapshot === null) return null;
  const named = sources.map((s) => ({ file: builtinName(s.file), sha256: sha256(s.text) }));
  if (named.some((s) => s.file === null)) throw new Error(`builtin rules snapshot: a rule file outside ${BUILTIN_RULES_DIR}`);
  return { format: 1, sources: named as BuiltinSnapshotFile['sources'], snapshot: rebase(snapshot, 'relative') };
}

/** Writes the snapshot for `sources` (the build does); false when they do not all load and none was written. */
export function writeBuiltinSnapshot(sources: readonly RuleSource[], file = BUILTIN_SNAPSHOT_FILE): boolean {
  const content = builtinSnapshotFile(sources);
  if (content === null) return false;
  writeFileSync(file, JSON.stringify(content));
  return true;
}

let cached: { file: string; content: BuiltinSnapshotFile | null } | undefined;

/** The snapshot file as built, null when there is none (read once per process). A file that is there but unreadable is an error. */
export function readBuiltinSnapshot(file = BUILTIN_SNAPSHOT_FILE): BuiltinSnapshotFile | null {
  if (cached?.file === file) return cached.content;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${errorMessage(err)} (npm run build writes it again)`, { cause: err });
    cached = { file, content: null };
    return null;
  }
  const content = JSON.parse(text) as BuiltinSnapshotFile;
  cached = { file, content: content.format === 1 ? content : null };
  return cached.content;
}

/**
 * The built snapshot, with the rules' files as `sources` names them, when it applies: `sources` are exactly
 * the built-in files it was compiled from, with the same texts, and `parameters` names none of its rules.
 */
export function builtinSnapshotFor(sources: readonly RuleSource[], parameters: CompileOptions['parameters'] = {}, file = BUILTIN_SNAPSHOT_FILE): RuleSnapshot | null {
  const built = readBuiltinSnapshot(file);
  if (built === null || built.sources.length !== sources.length) return null;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i] as RuleSource;
    const expected = built.sources[i] as BuiltinSnapshotFile['sources'][number];
    if (builtinName(source.file) !== expected.file || sha256(source.text) !== expected.sha256) return null;
  }
  const configured = Object.keys(parameters);
  if (configured.length > 0) {
    const ids = new Set(built.snapshot.rules.map((r) => ('rule' in r ? r.rule.ruleId : r.event.ruleId)));
    if (configured.some((id) => ids.has(id))) return null;
  }
  return rebase(built.snapshot, 'absolute');
}

/**
 * compileSources, from the build's snapshot of the built-in rules when it applies (builtinSnapshotFor):
 * the same rules, ordinals and correlations either way.
 */
export function compileRules(sources: readonly RuleSource[], options: CompileOptions = {}): Compiled {
  const snapshot = builtinSnapshotFor(sources, options.parameters);
  if (snapshot === null) return compileSources(sources, options);
  const ruleSet = rulesFromSnapshot(snapshot);
  return { ruleSet, rules: [...ruleSet.all], errors: [], snapshot: () => snapshot };
}
