// Loading rule files: a folder (every .yml/.yaml below it) or a list of files and folders, read in a
// stable order, each file compiled on its own so one bad file does not stop the others.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, TrailproofError } from '../../errors.js';
import { compileRuleSource, type CompileOptions } from './compile.js';
import { RuleSet } from './ruleset.js';
import { RuleLoadError, type RuleSource, type SigmaRule } from './types.js';

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
      sources.push({ file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      errors.push(new RuleLoadError(file, null, `cannot read the file: ${errorMessage(err)}`));
    }
  }
  return { sources, errors };
}

/** Compiles sources into a RuleSet; the same sources and options give the same set (and ordinals) anywhere. */
export function compileSources(sources: readonly RuleSource[], options: CompileOptions = {}): Omit<LoadedRules, 'sources'> {
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
  const built = RuleSet.build(rules);
  return { ruleSet: built.ruleSet, rules: [...built.ruleSet.all], errors: [...errors, ...built.errors] };
}

/** Reads and compiles every rule file of a folder (or of a list of files and folders). */
export function loadRules(dirOrFiles: string | readonly string[], options: CompileOptions = {}): LoadedRules {
  const read = readRuleSources(dirOrFiles);
  const compiled = compileSources(read.sources, options);
  return { ...compiled, errors: [...read.errors, ...compiled.errors], sources: read.sources };
}
