// A Sigma field path resolved against a table's columns: which SQL reads its value. The rules mirror the
// in-process reader (src/events/sigma/fields.ts): keys are matched as written (case-sensitive), a path
// crosses an array by testing each element, and inside a JSON document the rest of the path is a JSON path.
import { NotExpressible, TABLE_ALIAS, type Dialect } from './dialect.js';
import type { Column, ColumnType } from './schema.js';

export type Access =
  /** A text value (or NULL): a string column, a struct leaf, a JSON scalar, a map entry. */
  | { kind: 'scalar'; sql: string }
  /** A path inside JSON text: a scalar test reads it with jsonScalar, absence with jsonAbsent. */
  | { kind: 'json'; doc: string; path: string[] }
  /** Each element of an array; `inner` is written over the lambda variable. */
  | { kind: 'each'; array: string; variable: string; inner: Access }
  /** A whole struct, map or document: its text is not a column value the engines compare alike. */
  | { kind: 'document'; sql: string; field: string }
  /** The table has no such column: the value is absent from every row. */
  | { kind: 'missing'; field: string };

export { TABLE_ALIAS };

function leaf(type: ColumnType, sql: string, dialect: Dialect, field: string): Access {
  switch (type.kind) {
    case 'string':
      return { kind: 'scalar', sql };
    case 'boolean':
    case 'timestamp':
      return { kind: 'scalar', sql: dialect.asText(sql, type.kind) };
    case 'json':
    case 'map':
    case 'struct':
      return { kind: 'document', sql, field };
    case 'array':
      return type.element.kind === 'string' ? { kind: 'each', array: sql, variable: 'x', inner: { kind: 'scalar', sql: 'x' } } : { kind: 'document', sql, field };
  }
}

function walk(columns: readonly Column[], segments: readonly string[], prefix: string, dialect: Dialect, field: string, depth: number): Access {
  const [head, ...rest] = segments;
  const column = columns.find((c) => c.name === head);
  if (column === undefined) return { kind: 'missing', field };
  const sql = `${prefix}.${dialect.ident(column.sql)}`;
  if (rest.length === 0) return leaf(column.type, sql, dialect, field);
  const type = column.type;
  switch (type.kind) {
    case 'struct':
      return walk(type.fields, rest, sql, dialect, field, depth);
    case 'json':
      return { kind: 'json', doc: sql, path: rest };
    case 'map': {
      const entry = dialect.mapGet(sql, rest[0] as string);
      return rest.length === 1 ? { kind: 'scalar', sql: entry } : { kind: 'json', doc: entry, path: rest.slice(1) };
    }
    case 'array': {
      if (type.element.kind !== 'struct') return { kind: 'missing', field };
      const variable = `x${depth}`;
      return { kind: 'each', array: sql, variable, inner: walk(type.element.fields, rest, variable, dialect, field, depth + 1) };
    }
    default:
      // A path below a scalar: the in-process reader finds nothing there either.
      return { kind: 'missing', field };
  }
}

/** How the dialect's table reads a Sigma field path. */
export function resolveField(field: string, dialect: Dialect): Access {
  const segments = field.split('.');
  if (segments.some((s) => s === '')) throw new NotExpressible(`field "${field}" has an empty path segment`);
  return walk(dialect.columns, segments, TABLE_ALIAS, dialect, field, 1);
}
