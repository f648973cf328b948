// Queries on Amazon Athena: StartQueryExecution in the given database, catalog and workgroup, GetQueryExecution
// polled until the query ends, GetQueryResults paged back into rows keyed by column name; StopQueryExecution
// when it times out or the run is interrupted. ensureAthenaTable() creates the CloudTrail table when it is
// missing and refuses one that exists with other partitions than the compiler prunes on.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryResultsOutput,
  type QueryExecution,
  type StartQueryExecutionInput,
} from '../aws/sdk/athena.js';
import { TrailproofError } from '../errors.js';
import { makeClient } from '../aws/clients.js';
import { regionProvider } from '../aws/region.js';
import { abortableSleep, callAws, QueryError, type Sleep } from './aws-call.js';
import { athenaIdentifier, cloudTrailTableDdl, partitionColumns, type CloudTrailTableOptions } from './ddl.js';
import { DEFAULT_MAX_ROWS, MAX_PAGES, execute, tooManyRows, type Engine, type EngineStatus, type PollOptions, type Rows } from './execute.js';
import type { QueryRunner } from './query-types.js';

export interface AthenaOptions extends PollOptions {
  database: string;
  /** Data catalog; Athena's default is AwsDataCatalog (Glue). */
  catalog?: string | undefined;
  workgroup?: string | undefined;
  /** s3://... for the result files; needed unless the workgroup sets one. */
  outputLocation?: string | undefined;
  /** Rows a query may return before it is taken for a mistake (default 1,000,000). */
  maxRows?: number | undefined;
}

/** An Athena client with the SDK's adaptive retries (credentials from the default chain or a profile; the region from the flag, AWS_REGION, AWS_DEFAULT_REGION or the profile). */
export function athenaClient(config: { region?: string | undefined; profile?: string | undefined } = {}): AthenaClient {
  return makeClient(AthenaClient, {
    region: regionProvider({ flag: config.region, env: process.env, profile: config.profile, flagName: '--athena-region', purpose: '--engine athena' }),
    profile: config.profile,
    retry: { mode: 'adaptive', maxAttempts: 5 },
    // A connection that never answers fails the call in time instead of holding the run forever.
    timeouts: { connectionMs: 10_000, requestMs: 60_000 },
  });
}

interface AthenaStatus extends EngineStatus {
  statementType: string | undefined;
}

const PAGE_SIZE = 1000;
const CATEGORY: Record<number, string> = { 1: 'system', 2: 'user', 3: 'other' };

function failureReason(execution: QueryExecution | undefined): string | undefined {
  const status = execution?.Status;
  const error = status?.AthenaError;
  const reason = error?.ErrorMessage ?? status?.StateChangeReason;
  if (error?.ErrorCategory === undefined) return reason;
  const category = CATEGORY[error.ErrorCategory] ?? String(error.ErrorCategory);
  const type = error.ErrorType === undefined ? '' : `, type ${error.ErrorType}`;
  const retry = error.Retryable === true ? '; Athena says it may succeed if run again' : '';
  return `${reason ?? 'no reason given'} (${category} error${type}${retry})`;
}

function athenaStatus(execution: QueryExecution | undefined): AthenaStatus {
  const state = execution?.Status?.State ?? 'UNKNOWN';
  const stats = execution?.Statistics;
  const phase = state === 'SUCCEEDED' ? 'succeeded' : state === 'FAILED' ? 'failed' : state === 'CANCELLED' ? 'cancelled' : 'pending';
  return {
    state,
    phase,
    reason: phase === 'failed' || phase === 'cancelled' ? failureReason(execution) : undefined,
    bytesScanned: stats?.DataScannedInBytes ?? 0,
    engineMs: stats?.EngineExecutionTimeInMillis ?? 0,
    totalMs: stats?.TotalExecutionTimeInMillis,
    statementType: execution?.StatementType,
  };
}

function rowValues(row: { Data?: Array<{ VarCharValue?: string | undefined }> | undefined }): Array<string | null> {
  // A cell without VarCharValue is SQL NULL; an empty string has VarCharValue "".
  return (row.Data ?? []).map((d) => d.VarCharValue ?? null);
}

async function pagedRows(client: AthenaClient, queryId: string, final: AthenaStatus, signal: AbortSignal, sleep: Sleep, maxRows: number): Promise<Rows> {
  let columns: string[] = [];
  const rows: Rows['rows'] = [];
  let token: string | undefined;
  for (let page = 0; page === 0 || token !== undefined; page++) {
    if (page >= MAX_PAGES) throw tooManyRows('Athena', queryId, maxRows);
    const input = { QueryExecutionId: queryId, MaxResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) };
    const answer: GetQueryResultsOutput = await callAws('athena:GetQueryResults', () => client.send(new GetQueryResultsCommand(input), { abortSignal: signal }), { sleep, signal });
    let data = answer.ResultSet?.Rows ?? [];
    if (page === 0) {
      columns = (answer.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c, i) => c.Name ?? `_col${i}`);
      // A SELECT's first page starts with the column labels; a DDL or utility statement's has none, unless its first row is them.
      const first = data[0] === undefined ? [] : rowValues(data[0]);
      const isHeader = final.statementType === 'DML' || (first.length === columns.length && first.every((v, i) => v === columns[i]) && final.statementType === undefined);
      if (isHeader) data = data.slice(1);
    }
    for (const row of data) {
      const values = rowValues(row);
      const record: Record<string, string | null> = {};
      columns.forEach((c, i) => {
        record[c] = values[i] ?? null;
      });
      rows.push(record);
    }
    if (rows.length > maxRows) throw tooManyRows('Athena', queryId, maxRows);
    token = answer.NextToken === '' ? undefined : answer.NextToken;
  }
  return { columns, rows };
}

function athenaEngine(client: AthenaClient, options: AthenaOptions): Engine<AthenaStatus> {
  const sleep = options.sleep ?? abortableSleep;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  return {
    name: 'Athena',
    stopAction: 'athena:StopQueryExecution',
    stopByHand: (id) => `stop it with: aws athena stop-query-execution --query-execution-id ${id}`,
    async start(sql) {
      const input: StartQueryExecutionInput = {
        QueryString: sql,
        QueryExecutionContext: { Database: options.database, ...(options.catalog === undefined ? {} : { Catalog: options.catalog }) },
      };
      if (options.workgroup !== undefined) input.WorkGroup = options.workgroup;
      if (options.outputLocation !== undefined) input.ResultConfiguration = { OutputLocation: options.outputLocation };
      const answer = await callAws('athena:StartQueryExecution', () => client.send(new StartQueryExecutionCommand(input)), { sleep });
      if (answer.QueryExecutionId === undefined) throw new QueryError('call', 'athena:StartQueryExecution answered without a QueryExecutionId');
      return answer.QueryExecutionId;
    },
    async status(queryId, signal) {
      const answer = await callAws('athena:GetQueryExecution', () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: signal }), { sleep, signal });
      return athenaStatus(answer.QueryExecution);
    },
    async stop(queryId) {
      await callAws('athena:StopQueryExecution', () => client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })), { sleep });
    },
    results: (queryId, final, signal) => pagedRows(client, queryId, final, signal, sleep, maxRows),
  };
}

/** Runs queries on Athena, one run() per query. */
export function athenaRunner(client: AthenaClient, options: AthenaOptions): QueryRunner {
  const engine = athenaEngine(client, options);
  return { run: (sql, run) => execute(engine, sql, run, options) };
}

/** A table as the catalog describes it: column and partition key names. */
export interface AthenaTableShape {
  columns: string[];
  partitionKeys: string[];
}

function notFound(err: unknown): boolean {
  const cause = err instanceof QueryError ? err.cause : err;
  const e = cause as { name?: unknown; message?: unknown } | undefined;
  // Athena wraps the Glue catalog's answer: MetadataException "... Error Code: EntityNotFoundException ...".
  return e?.name === 'MetadataException' && typeof e.message === 'string' && /EntityNotFound|not found/i.test(e.message);
}

/** The table's columns and partition keys, or undefined when the catalog has no such table. */
export async function describeAthenaTable(client: AthenaClient, options: AthenaOptions & { table: string }): Promise<AthenaTableShape | undefined> {
  const input = {
    CatalogName: options.catalog ?? 'AwsDataCatalog',
    DatabaseName: athenaIdentifier('database', options.database),
    TableName: athenaIdentifier('table', options.table),
    ...(options.workgroup === undefined ? {} : { WorkGroup: options.workgroup }),
  };
  try {
    const answer = await callAws('athena:GetTableMetadata', () => client.send(new GetTableMetadataCommand(input)), { sleep: options.sleep ?? abortableSleep });
    const names = (cols: Array<{ Name?: string | undefined }> | undefined): string[] => (cols ?? []).flatMap((c) => (c.Name === undefined ? [] : [c.Name.toLowerCase()]));
    return { columns: names(answer.TableMetadata?.Columns), partitionKeys: names(answer.TableMetadata?.PartitionKeys) };
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

export interface EnsuredTable {
  /** True when the CREATE statement ran (the table was missing). */
  ran: boolean;
  /** The CREATE statement's query id, when it ran. */
  queryId?: string;
  partitionKeys: string[];
}

/**
 * Makes sure the CloudTrail table exists: creates it when the catalog does not have it (the statement is
 * CREATE ... IF NOT EXISTS, so a race with another run changes nothing); a table of that name partitioned
 * otherwise than the variant is refused, since the compiler's partition predicates would not resolve on it.
 */
export async function ensureAthenaTable(client: AthenaClient, options: AthenaOptions & { ddl: CloudTrailTableOptions }): Promise<EnsuredTable> {
  const expected = [...partitionColumns(options.ddl.variant)];
  const existing = await describeAthenaTable(client, { ...options, table: options.ddl.table });
  const where = `${athenaIdentifier('database', options.database)}.${athenaIdentifier('table', options.ddl.table)}`;
  if (existing !== undefined) {
    if (existing.partitionKeys.join(',') !== expected.join(',')) {
      throw new TrailproofError(
        'TP_USAGE',
        `Athena table ${where} exists partitioned by (${existing.partitionKeys.join(', ')}), not by (${expected.join(', ')}) as trailproof's ${options.ddl.variant} table is: use another table name, or DROP TABLE ${where} first`,
      );
    }
    return { ran: false, partitionKeys: existing.partitionKeys };
  }
  const sql = cloudTrailTableDdl({ ...options.ddl, database: options.database });
  const result = await athenaRunner(client, options).run(sql, {});
  return { ran: true, queryId: result.stats.queryId, partitionKeys: expected };
}
