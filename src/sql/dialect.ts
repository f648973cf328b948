// The SQL each target speaks. Athena (Trino) and CloudTrail Lake share Trino's functions; DuckDB, which
// proves the SQL equivalent to the in-process engine in the tests and runs it locally, has its own names
// for the same operations. Everything a compiled rule needs goes through here, so a rule compiles once per
// dialect and the rest of the compiler never writes a function name.
import type { TimePart } from '../events/sigma/expr.js';
import { ATHENA_COLUMNS, LAKE_COLUMNS, type Column } from './schema.js';

export type EngineName = 'athena' | 'lake' | 'duckdb';

/** The table alias every compiled query uses (`FROM table AS ct`). */
export const TABLE_ALIAS = 'ct';

/** A part of a rule the target cannot run: the compiler relaxes it and the rule is confirmed locally. */
export class NotExpressible extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotExpressible';
  }
}

export interface Dialect {
  name: EngineName;
  /** The columns of the table it queries. */
  columns: readonly Column[];
  /** The event time column as stored: CloudTrail's ISO text (Athena, DuckDB) or a timestamp (Lake). */
  eventTime: string;
  ident(name: string): string;
  /** The scalar (string, number or boolean as text) at a path inside JSON text; NULL for objects, arrays and null. */
  jsonScalar(doc: string, path: readonly string[]): string;
  /** True when the path is missing from the JSON text or holds null. */
  jsonAbsent(doc: string, path: readonly string[]): string;
  /** True when the key is there, with any value (null included). */
  jsonHasKey(doc: string, path: readonly string[]): string;
  /** True when the value at the path inside JSON text is an array. */
  jsonIsArray(doc: string, path: readonly string[]): string;
  mapGet(map: string, key: string): string;
  /** True when some element of the array satisfies the predicate written over `variable`. */
  anyMatch(array: string, variable: string, predicate: string): string;
  regex(text: string, pattern: string): string;
  /** A UTC date part of the text read as a timestamp (NULL when it is not one). */
  timePart(part: TimePart, text: string): string;
  /** True when the text is an IP address inside the network. */
  inNetwork(text: string, cidr: string): string;
  /** A struct, array or map as JSON text (the select list: the record is rebuilt from it). */
  toJsonText(value: string): string;
  /** A column of another type as text (a Lake boolean or timestamp). */
  asText(value: string, kind: 'boolean' | 'timestamp'): string;
  /** An instant (ISO text, second precision) in the form the event time column compares with. */
  instant(iso: string): string;
  /** Milliseconds since the epoch of the event time column (NULL when it does not parse). */
  epochMs(eventTime: string): string;
}

/** A SQL string literal: single quotes doubled (no backslash escapes in Trino or DuckDB). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

// Words Trino or DuckDB reserve that appear as CloudTrail column or partition names.
const RESERVED = new Set(['timestamp', 'date', 'time', 'year', 'month', 'day', 'hour', 'minute', 'second', 'user', 'table', 'values', 'order', 'group', 'from', 'select', 'where', 'end', 'case', 'when']);

function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A JSON path in the `$.a.b` form both engines read; other keys quoted (`$."a-b"` / `$["a-b"]`). */
function jsonPath(path: readonly string[], quote: (key: string) => string): string {
  return literal('$' + path.map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : quote(k))).join(''));
}

const trinoPath = (path: readonly string[]): string => jsonPath(path, (k) => `[${JSON.stringify(k)}]`);
const duckPath = (path: readonly string[]): string => jsonPath(path, (k) => `.${JSON.stringify(k)}`);

function trino(name: 'athena' | 'lake', columns: readonly Column[]): Dialect {
  return {
    name,
    columns,
    eventTime: `${TABLE_ALIAS}.${name === 'lake' ? 'eventTime' : 'eventtime'}`,
    ident: identifier,
    jsonScalar: (doc, path) => `json_extract_scalar(${doc}, ${trinoPath(path)})`,
    jsonAbsent: (doc, path) => `COALESCE(json_format(json_extract(${doc}, ${trinoPath(path)})) = 'null', TRUE)`,
    jsonHasKey: (doc, path) => `(json_extract(${doc}, ${trinoPath(path)}) IS NOT NULL)`,
    jsonIsArray: (doc, path) => `(json_array_length(json_extract(${doc}, ${trinoPath(path)})) IS NOT NULL)`,
    mapGet: (map, key) => `element_at(${map}, ${literal(key)})`,
    anyMatch: (array, v, predicate) => `any_match(${array}, ${v} -> ${predicate})`,
    regex: (text, pattern) => `regexp_like(${text}, ${literal(pattern)})`,
    timePart: (part, text) => `${part}(at_timezone(try(from_iso8601_timestamp(${text})), 'UTC'))`,
    inNetwork: (text, cidr) => `contains(${literal(cidr)}, TRY_CAST(${text} AS IPADDRESS))`,
    toJsonText: (value) => `json_format(CAST(${value} AS JSON))`,
    asText: (value, kind) => (kind === 'timestamp' ? `to_iso8601(${value})` : `CAST(${value} AS VARCHAR)`),
    epochMs: (t) => (name === 'lake' ? `(to_unixtime(${t}) * 1000)` : `(to_unixtime(try(from_iso8601_timestamp(${t}))) * 1000)`),
    instant: (iso) => (name === 'lake' ? `TIMESTAMP ${literal(iso.replace('T', ' ').replace(/Z$/, ''))}` : literal(iso)),
  };
}

export const ATHENA: Dialect = trino('athena', ATHENA_COLUMNS);
export const LAKE: Dialect = trino('lake', LAKE_COLUMNS);

/** DuckDB over a table shaped like Athena's (the same columns and types). */
export const DUCKDB: Dialect = {
  name: 'duckdb',
  columns: ATHENA_COLUMNS,
  eventTime: `${TABLE_ALIAS}.eventtime`,
  ident: identifier,
  jsonScalar: (doc, path) => `(CASE WHEN json_type(${doc}, ${duckPath(path)}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${doc}, ${duckPath(path)}) END)`,
  jsonAbsent: (doc, path) => `COALESCE(json_type(${doc}, ${duckPath(path)}) = 'NULL', TRUE)`,
  jsonHasKey: (doc, path) => `(json_type(${doc}, ${duckPath(path)}) IS NOT NULL)`,
  jsonIsArray: (doc, path) => `COALESCE(json_type(${doc}, ${duckPath(path)}) = 'ARRAY', FALSE)`,
  mapGet: (map, key) => `${map}[${literal(key)}]`,
  anyMatch: (array, v, predicate) => `(len(list_filter(${array}, lambda ${v}: ${predicate})) > 0)`,
  regex: (text, pattern) => `regexp_matches(${text}, ${literal(pattern)})`,
  timePart: (part, text) => `${part}(TRY_CAST(${text} AS TIMESTAMPTZ))`,
  inNetwork: () => {
    throw new NotExpressible('DuckDB has no IP network type without its inet extension');
  },
  toJsonText: (value) => `CAST(to_json(${value}) AS VARCHAR)`,
  asText: (value) => `CAST(${value} AS VARCHAR)`,
  instant: (iso) => literal(iso),
  epochMs: (t) => `epoch_ms(TRY_CAST(${t} AS TIMESTAMPTZ))`,
};

export const DIALECTS: Record<EngineName, Dialect> = { athena: ATHENA, lake: LAKE, duckdb: DUCKDB };
