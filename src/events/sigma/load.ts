// Loading rule files: a folder (every .yml/.yaml below it) or a list of files and folders, read in a
// stable order, each file compiled on its own so one bad file does not stop the others.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { readBounded } from '../../config/yaml.js';
import { errorMessage, TrailproofError } from '../../errors.js';
import { compileRuleSource, writtenDetections, type CompileOptions } from './compile.js';
import { RuleSet } from './ruleset.js';
import { compileEvent, type RuleSnapshot } from './snapshot.js';
import { RuleLoadError, type CompiledRule, type RuleSource, type SigmaRule } from './types.js';

export { rulesFromSnapshot, type RuleSnapshot } from './snapshot.js';

export interface LoadedRules {
  ruleSet: RuleSet;
  /** Every rule that loaded (event rules and correlations), in file order. */
  rules: SigmaRule[];
  /** One per file (or rule) that did not load; the others did. */
  errors: RuleLoadError[];
  /** The source texts, to post to worker threads that rebuild the same RuleSet with compileSources. */
  sources: RuleSource[];
}

const RULE_FILE = /\.ya?ml$/i;

/** Largest rule file read (a rule is a few KB; SigmaHQ's largest are under 100 KB). */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesBelow(path));
    else if (RULE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** The rule files' texts, sorted by path. A path that does not exist is a usage error (exit 2). */
export function readRuleSources(dirOrFiles: string | readonly string[]): { sources: RuleSource[]; errors: RuleLoadError[] } {
  const paths = typeof dirOrFiles === 'string' ? [dirOrFiles] : dirOrFiles;
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `rules: cannot read ${path}: ${errorMessage(err)}`, { cause: err });
    }
    files.push(...(isDir ? filesBelow(path) : [path]));
  }
  const sources: RuleSource[] = [];
  const errors: RuleLoadError[] = [];
  for (const file of [...new Set(files)].sort()) {
    try {
      sources.push({ file, text: readBounded(file, MAX_RULE_FILE_BYTES, 'MAX_RULE_FILE_BYTES') });
    } catch (err) {
      errors.push(new RuleLoadError(file, null, `cannot read the file: ${errorMessage(err)}`));
    }
  }
  return { sources, errors };
}

function compileAll(sources: readonly RuleSource[], options: CompileOptions): { rules: SigmaRule[]; errors: RuleLoadError[] } {
  const rules: SigmaRule[] = [];
  const errors: RuleLoadError[] = [];
  for (const source of sources) {
    try {
      rules.push(...compileRuleSource(source.text, source.file, options));
    } catch (err) {
      if (!(err instanceof RuleLoadError)) throw err;
      errors.push(err);
    }
  }
  return { rules, errors };
}

/** Compiles sources into a RuleSet; the same sources and options give the same set (and ordinals) anywhere. */
export function compileSources(sources: readonly RuleSource[], options: CompileOptions = {}): Omit<LoadedRules, 'sources'> & { snapshot: () => RuleSnapshot | null } {
  const { rules, errors } = compileAll(sources, options);
  const built = RuleSet.build(rules);
  return { ruleSet: built.ruleSet, rules: [...built.ruleSet.all], errors: [...errors, ...built.errors], snapshot: () => snapshotRules(rules, sources) };
}

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** As compile.ts reads a detection: numbers kept as the text they were written with. */
const TEXT_NUMBERS: YamlOptions = { customTags: (tags) => tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:int' || t.tag === 'tag:yaml.org,2002:float'))) };

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The snapshot of rules compiled from `sources` (in compile order), or null when a detection cannot be
 * read back the way the compiler read it. A rule compiled in this thread carries its detection as written
 * (compile.ts writtenDetections); any other is read from its source again, recompiled, and must give the
 * same expression and index, so a worker built from the snapshot matches as one built from the sources.
 */
function snapshotRules(rules: readonly SigmaRule[], sources: readonly RuleSource[]): RuleSnapshot | null {
  const texts = new Map(sources.map((s) => [s.file, s.text]));
  const documents = new Map<string, unknown[]>();
  const out: RuleSnapshot['rules'] = [];
  for (const rule of rules) {
    if (rule.kind === 'correlation') {
      out.push({ rule });
      continue;
    }
    const { match: _match, index: _index, fieldUses: _uses, expr: _expr, kind: _kind, generate: _generate, ...event } = rule;
    // Compiled here from sources: its detection as written was kept, and compiling it again gives this rule.
    if (writtenDetections.has(rule)) {
      out.push({ event, detection: writtenDetections.get(rule) });
      continue;
    }
    let docs = documents.get(rule.file);
    if (docs === undefined) {
      const parsed = parseAllDocuments(texts.get(rule.file) ?? '', TEXT_NUMBERS);
      docs = (Array.isArray(parsed) ? parsed : []).map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
      documents.set(rule.file, docs);
    }
    const doc = docs[rule.document];
    if (!isMap(doc)) return null;
    let again: CompiledRule;
    try {
      again = compileEvent(event, doc.detection);
    } catch {
      return null;
    }
    if (JSON.stringify([again.expr, again.index]) !== JSON.stringify([rule.expr, rule.index])) return null;
    out.push({ event, detection: doc.detection });
  }
  return { rules: out };
}

/** Reads and compiles every rule file of a folder (or of a list of files and folders). */
export function loadRules(dirOrFiles: string | readonly string[], options: CompileOptions = {}): LoadedRules {
  const read = readRuleSources(dirOrFiles);
  const compiled = compileSources(read.sources, options);
  return { ...compiled, errors: [...read.errors, ...compiled.errors], sources: read.sources };
}
