// YAML read the same careful way everywhere a user's file is read (the config, rule files): every problem,
// including those the `yaml` package only finds as it builds values (an alias to an anchor never set, an
// alias bomb past MAX_YAML_ALIASES), comes back as one message with its line and column, never a throw from
// inside the package. Duplicate keys and tab indentation are errors, as YAML 1.2 says. Files are read with a
// size bound, and only when they are regular files.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
import { errorMessage } from '../errors.js';

/**
 * Alias expansions allowed per document: enough for any hand-written anchors, and what refuses a
 * "billion laughs" bomb (each alias of a list of aliases multiplies the nodes built).
 */
export const MAX_YAML_ALIASES = 100;

/**
 * A user's file as text: opened without blocking, refused unless a regular file no larger than `max` (`bound`
 * names the constant in the message), so a FIFO or /dev/zero given as a file neither hangs nor fills memory.
 */
export function readBounded(path: string, max: number, bound: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(stats.isDirectory() ? 'it is a folder' : 'not a regular file');
    if (stats.size > max) throw new Error(`${stats.size} bytes, larger than ${max} (${bound})`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** What is wrong with a YAML text; `at` is ` at line L, column C` when the place is known, else empty. */
export class YamlProblem extends Error {
  readonly at: string;

  constructor(
    message: string,
    readonly line: number | null,
    readonly col: number | null,
  ) {
    super(message);
    this.name = 'YamlProblem';
    this.at = line === null ? '' : ` at line ${line}, column ${col ?? 1}`;
  }
}

/** The first line of a `yaml` message, without the position it appends (we give ours in front). */
function shortMessage(message: string): string {
  const first = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '').trim();
  return /Maximum call stack size exceeded/.test(first) ? 'nested too deep to read' : first || 'unreadable';
}

/** Where the first alias of `doc` is, or the first one that names no anchor set before it. */
function aliasAt(doc: Document.Parsed, lines: LineCounter, unresolvedOnly: boolean): { line: number; col: number } | null {
  let at: { line: number; col: number } | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (unresolvedOnly && node.resolve(doc) !== undefined) return undefined;
      const offset = node.range?.[0];
      if (offset !== undefined) at = lines.linePos(offset);
      return visit.BREAK;
    },
  });
  return at;
}

/**
 * Every document of `text` as plain values (empty documents left out); throws YamlProblem for the first
 * thing wrong, with its line and column.
 */
export function readYamlDocuments(text: string, options: YamlOptions = {}): unknown[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: true, ...options, prettyErrors: false, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  const values: unknown[] = [];
  for (const doc of list) {
    const first = doc.errors[0];
    if (first !== undefined) {
      const pos = first.linePos?.[0] ?? lines.linePos(first.pos[0]);
      throw new YamlProblem(shortMessage(first.message), pos.line, pos.col);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES } satisfies ToJSOptions);
    } catch (err) {
      const message = errorMessage(err);
      if (/Unresolved alias/.test(message)) {
        const at = aliasAt(doc, lines, true);
        throw new YamlProblem('an alias (*name) to an anchor (&name) that is not set before it', at?.line ?? null, at?.col ?? null);
      }
      if (/Excessive alias count/.test(message)) {
        const at = aliasAt(doc, lines, false);
        throw new YamlProblem(`aliases expand past ${MAX_YAML_ALIASES} nodes (MAX_YAML_ALIASES): refused as an alias bomb`, at?.line ?? null, at?.col ?? null);
      }
      throw new YamlProblem(shortMessage(message), null, null);
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** The one document of `text` as a plain value (null when empty); throws YamlProblem as readYamlDocuments. */
export function readYaml(text: string, options: YamlOptions = {}): unknown {
  const values = readYamlDocuments(text, options);
  if (values.length > 1) throw new YamlProblem('more than one YAML document (---): give one', null, null);
  return values[0] ?? null;
}
