// DuckDB as a SQL engine: an in-memory table shaped like Athena's CloudTrail table (the same column names and
// types, the request and response documents as JSON text, plus the partition columns), loaded from records,
// and a QueryRunner over it. The tests use it to prove the generated SQL returns what the in-process engine
// finds; `scan --engine duckdb` uses it to run the SQL path locally.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrailproofError } from '../errors.js';
import type { CloudTrailRecord } from '../events/record.js';
import { literal } from './dialect.js';
import type { QueryResult, QueryRunner } from './query-types.js';
import { ATHENA_COLUMNS, type Column, type ColumnType } from './schema.js';

type DuckConnection = {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ columnNames(): string[]; getRowObjectsJson(): Array<Record<string, unknown>> }>;
  closeSync?: () => void;
};

export interface DuckTable {
  connection: DuckConnection;
  table: string;
  rows: number;
  close(): void;
}

/** The partition columns of the organization-wide Athena table, filled from each record. */
const PARTITIONS = ['account', 'region', 'timestamp'] as const;

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function duckType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
    case 'timestamp':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return `${duckType(type.element)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quote(f.sql)} ${duckType(f.type)}`).join(', ')})`;
  }
}

function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A record's value in the table's form, as Hive's JSON SerDe would read it into the column type. */
function cell(value: unknown, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case 'string':
    case 'timestamp':
      return asText(value);
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : String(value) === 'true';
    case 'map':
      return typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asText(v)])) : null;
    case 'array':
      return Array.isArray(value) ? value.map((v) => cell(v, type.element)) : null;
    case 'struct':
      return typeof value === 'object' && !Array.isArray(value) ? row(value as Record<string, unknown>, type.fields) : null;
  }
}

function row(value: Record<string, unknown>, columns: readonly Column[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.sql] = cell(value[c.name], c.type);
  return out;
}

/** The table row of a record: the CloudTrail columns and the partition values its log file would sit under. */
export function tableRow(record: CloudTrailRecord): Record<string, unknown> {
  const out = row(record as Record<string, unknown>, ATHENA_COLUMNS);
  const time = typeof record.eventTime === 'string' ? record.eventTime : '';
  out['account'] = asText(record.recipientAccountId ?? record.userIdentity?.accountId);
  out['region'] = asText(record.awsRegion);
  out['timestamp'] = /^\d{4}-\d{2}-\d{2}/.test(time) ? time.slice(0, 10).replace(/-/g, '/') : null;
  return out;
}

const COLUMN_SPEC = `{${[...ATHENA_COLUMNS.map((c) => `${literal(c.sql)}: ${literal(duckType(c.type))}`), ...PARTITIONS.map((p) => `${literal(p)}: 'VARCHAR'`)].join(', ')}}`;

async function loadDuckDb(): Promise<{ create(path: string): Promise<{ connect(): Promise<DuckConnection>; closeSync?: () => void }> }> {
  try {
    const mod = (await import('@duckdb/node-api')) as unknown as { DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckConnection>; closeSync?: () => void }> } };
    return { create: (path) => mod.DuckDBInstance.create(path) };
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `the DuckDB engine needs the optional package @duckdb/node-api (npm install @duckdb/node-api): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * An in-memory DuckDB with a table `name` holding the records. Records are written to newline-delimited
 * JSON in batches and read with read_json and the table's column types.
 */
export async function duckTable(records: Iterable<CloudTrailRecord> | AsyncIterable<CloudTrailRecord>, name = 'cloudtrail_logs', batch = 50_000): Promise<DuckTable> {
  const duck = await loadDuckDb();
  const instance = await duck.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  await connection.run(`CREATE TABLE ${quote(name)} (${[...ATHENA_COLUMNS.map((c) => `${quote(c.sql)} ${duckType(c.type)}`), ...PARTITIONS.map((p) => `${quote(p)} VARCHAR`)].join(', ')})`);
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-duckdb-'));
  let rows = 0;
  try {
    let lines: string[] = [];
    let part = 0;
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return;
      const file = join(dir, `part-${part++}.json`);
      writeFileSync(file, lines.join('\n') + '\n');
      lines = [];
      await connection.run(`INSERT INTO ${quote(name)} SELECT * FROM read_json(${literal(file)}, columns = ${COLUMN_SPEC}, format = 'newline_delimited')`);
      rmSync(file);
    };
    for await (const record of records) {
      lines.push(JSON.stringify(tableRow(record)));
      rows++;
      if (lines.length >= batch) await flush();
    }
    await flush();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    connection,
    table: name,
    rows,
    close: () => {
      connection.closeSync?.();
      instance.closeSync?.();
    },
  };
}

/** The record's own type (camel-case field names, as the files hold them) for DuckDB's JSON reader. */
function recordType(columns: readonly Column[]): string {
  const typeOf = (type: ColumnType): string =>
    type.kind === 'struct' ? recordType(type.fields) : type.kind === 'array' && type.element.kind === 'struct' ? `${recordType(type.element.fields)}[]` : duckType(type);
  return `STRUCT(${columns.map((c) => `${quote(c.name)} ${typeOf(c.type)}`).join(', ')})`;
}

/**
 * The same table read by DuckDB itself from CloudTrail log files (.json.gz or .json with a Records array),
 * several times faster than handing it the records: the columns keep the files' camel-case names, which
 * DuckDB resolves case-insensitively as the compiled SQL writes them. Documents declared VARCHAR come back
 * as their JSON text, as Hive's SerDe gives them. Throws when a file cannot be read (the caller falls back to
 * the record loader, which names and skips it).
 */
export async function duckTableFromFiles(paths: readonly string[], name = 'cloudtrail_logs', batch = 200): Promise<DuckTable> {
  const duck = await loadDuckDb();
  const instance = await duck.create(':memory:');
  const connection = await instance.connect();
  const close = (): void => {
    connection.closeSync?.();
    instance.closeSync?.();
  };
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    const spec = `{Records: ${literal(`${recordType(ATHENA_COLUMNS)}[]`)}}`;
    const select = (files: readonly string[]): string =>
      `SELECT r.*, COALESCE(r.recipientAccountId, r.userIdentity.accountId) AS account, r.awsRegion AS region, replace(substr(r.eventTime, 1, 10), '-', '/') AS "timestamp" ` +
      `FROM (SELECT unnest(Records) AS r FROM read_json([${files.map(literal).join(', ')}], columns = ${spec}, format = 'auto', maximum_object_size = ${MAX_OBJECT_BYTES}))`;
    for (let i = 0; i < paths.length; i += batch) {
      const files = paths.slice(i, i + batch);
      await connection.run(i === 0 ? `CREATE TABLE ${quote(name)} AS ${select(files)}` : `INSERT INTO ${quote(name)} ${select(files)}`);
    }
    if (paths.length === 0) throw new Error('no log files');
    const counted = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${quote(name)}`);
    const rows = Number(counted.getRowObjectsJson()[0]?.['n'] ?? 0);
    return { connection, table: name, rows, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** The largest log file DuckDB's reader takes (the scan's own limit on an inflated file). */
const MAX_OBJECT_BYTES = 256 * 1024 * 1024;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Runs SQL on the DuckDB connection; bytes scanned are not reported (0): the table is in memory. */
export function duckdbRunner(connection: DuckConnection): QueryRunner {
  let n = 0;
  return {
    async run(sql, options) {
      if (options.signal?.aborted === true) throw new TrailproofError('TP_EVIDENCE_INSUFFICIENT', 'the DuckDB query was aborted before it started', { exitCode: 3 });
      const queryId = `duckdb-${++n}`;
      options.onState?.('RUNNING', { queryId, bytesScanned: 0 });
      const started = Date.now();
      let reader;
      try {
        reader = await connection.runAndReadAll(sql);
      } catch (err) {
        throw new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `DuckDB query ${queryId} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { exitCode: 3 });
      }
      const columns = reader.columnNames();
      const rows = reader.getRowObjectsJson().map((r) => Object.fromEntries(columns.map((c) => [c, text(r[c])])));
      const ms = Date.now() - started;
      options.onState?.('SUCCEEDED', { queryId, bytesScanned: 0 });
      const result: QueryResult = { columns, rows, stats: { queryId, bytesScanned: 0, engineMs: ms, totalMs: ms } };
      return result;
    },
  };
}
