// The select list every compiled query returns, and the record rebuilt from a row of it. Struct leaves are
// selected one by one (both engines return plain text for them); arrays and maps come back as JSON text.
// The rebuilt record has the CloudTrail keys (camel case) the in-process engine reads, so detections and
// correlation inputs are made by the same code as a local scan's.
import type { CloudTrailRecord } from '../events/record.js';
import type { Dialect } from './dialect.js';
import { TABLE_ALIAS } from './fields.js';
import type { Column, ColumnType } from './schema.js';

export interface OutputColumn {
  /** The result column's name (`c0`, `c1`...): engines lower-case or truncate other aliases differently. */
  alias: string;
  /** Where the value goes in the record. */
  path: string[];
  /** How the text is read back. */
  decode: 'text' | 'json' | 'map' | 'boolean';
  sql: string;
  /** The column's type, to give struct fields inside JSON text back their record names. */
  type: ColumnType;
}

export function outputColumns(dialect: Dialect): OutputColumn[] {
  const out: OutputColumn[] = [];
  const add = (path: string[], decode: OutputColumn['decode'], sql: string, type: ColumnType): void => {
    out.push({ alias: `c${out.length}`, path, decode, sql, type });
  };
  const visit = (columns: readonly Column[], path: string[], prefix: string): void => {
    for (const c of columns) {
      const sql = `${prefix}.${dialect.ident(c.sql)}`;
      const p = [...path, c.name];
      switch (c.type.kind) {
        case 'struct':
          visit(c.type.fields, p, sql);
          break;
        case 'array':
          add(p, 'json', dialect.toJsonText(sql), c.type);
          break;
        case 'map':
          add(p, 'map', dialect.toJsonText(sql), c.type);
          break;
        case 'boolean':
        case 'timestamp':
          add(p, c.type.kind === 'boolean' ? 'boolean' : 'text', dialect.asText(sql, c.type.kind), c.type);
          break;
        case 'json':
          add(p, 'json', sql, c.type);
          break;
        case 'string':
          add(p, 'text', sql, c.type);
          break;
      }
    }
  };
  visit(dialect.columns, [], TABLE_ALIAS);
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A map's entries, with values that hold JSON documents (Lake keeps nested parameters as text) parsed. */
function mapValue(text: string): unknown {
  const value = parseJson(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && /^[[{]/.test(v) ? parseJson(v) : v]));
}

/** Struct fields come back under their SQL names (lower case in Athena): the record's names again. */
function restore(value: unknown, type: ColumnType): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (type.kind === 'array' && Array.isArray(value)) return value.map((v) => restore(v, type.element));
  if (type.kind === 'struct' && !Array.isArray(value)) {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of type.fields) {
      const v = source[f.sql] ?? source[f.name];
      if (v !== undefined && v !== null) out[f.name] = restore(v, f.type);
    }
    return out;
  }
  return value;
}

function put(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let target = record;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    let next = target[key];
    if (next === undefined || next === null || typeof next !== 'object') {
      next = {};
      target[key] = next;
    }
    target = next as Record<string, unknown>;
  }
  target[path[path.length - 1] as string] = value;
}

/** The record a result row describes; NULL columns are left out (absent), as in the log file. */
export function rowToRecord(row: Record<string, string | null>, columns: readonly OutputColumn[]): CloudTrailRecord {
  const record: Record<string, unknown> = {};
  for (const c of columns) {
    const text = row[c.alias];
    if (text === null || text === undefined) continue;
    const value = c.decode === 'text' ? text : c.decode === 'boolean' ? text === 'true' : c.decode === 'map' ? mapValue(text) : restore(parseJson(text), c.type);
    if (value === null) continue;
    put(record, c.path, value);
  }
  return record as CloudTrailRecord;
}
