// Queries on a CloudTrail Lake event data store: StartQuery (the store is named in the statement's FROM),
// DescribeQuery polled until the query ends, GetQueryResults paged back; CancelQuery when it times out or the
// run is interrupted. Lake returns each row as a list of one-key objects ({column: value}) in SELECT order;
// a column a row does not carry is NULL in that row.
import {
  CancelQueryCommand,
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type DescribeQueryResponse,
  type GetQueryResultsResponse,
  type StartQueryRequest,
} from '../aws/sdk/cloudtrail.js';
import { makeClient } from '../aws/clients.js';
import { regionProvider } from '../aws/region.js';
import { abortableSleep, callAws, QueryError, type Sleep } from './aws-call.js';
import { DEFAULT_MAX_ROWS, MAX_PAGES, execute, tooManyRows, type Engine, type EngineStatus, type PollOptions, type Rows } from './execute.js';
import type { QueryRunner } from './query-types.js';

export interface LakeOptions extends PollOptions {
  /** s3://... where Lake also delivers the results (optional). */
  deliveryS3Uri?: string | undefined;
  /** The account that owns the event data store, when it is another account's (shared through Lake). */
  eventDataStoreOwnerAccountId?: string | undefined;
  /** Rows a query may return before it is taken for a mistake (default 1,000,000). */
  maxRows?: number | undefined;
}

/** A CloudTrail Lake client with the SDK's adaptive retries (credentials from the default chain or a profile; the region from the flag, AWS_REGION, AWS_DEFAULT_REGION or the profile). */
export function lakeClient(config: { region?: string | undefined; profile?: string | undefined } = {}): CloudTrailClient {
  return makeClient(CloudTrailClient, {
    region: regionProvider({ flag: config.region, env: process.env, profile: config.profile, flagName: '--athena-region', purpose: '--engine lake' }),
    profile: config.profile,
    retry: { mode: 'adaptive', maxAttempts: 5 },
    // A connection that never answers fails the call in time instead of holding the run forever.
    timeouts: { connectionMs: 10_000, requestMs: 60_000 },
  });
}

const PAGE_SIZE = 1000;

/** The store owner's account, which every call about the query carries when the store is another account's. */
type Owner = { EventDataStoreOwnerAccountId?: string };

function lakeStatus(answer: DescribeQueryResponse): EngineStatus {
  const state = answer.QueryStatus ?? 'UNKNOWN';
  const phase =
    state === 'FINISHED' ? 'succeeded' : state === 'FAILED' ? 'failed' : state === 'CANCELLED' ? 'cancelled' : state === 'TIMED_OUT' ? 'timed-out' : 'pending';
  return {
    state,
    phase,
    reason: answer.ErrorMessage,
    bytesScanned: answer.QueryStatistics?.BytesScanned ?? 0,
    engineMs: answer.QueryStatistics?.ExecutionTimeInMillis ?? 0,
  };
}

async function pagedRows(client: CloudTrailClient, queryId: string, owner: Owner, signal: AbortSignal, sleep: Sleep, maxRows: number): Promise<Rows> {
  const columns: string[] = [];
  const seen = new Set<string>();
  const cells: Array<Map<string, string>> = [];
  let token: string | undefined;
  for (let page = 0; page === 0 || token !== undefined; page++) {
    if (page >= MAX_PAGES) throw tooManyRows('CloudTrail Lake', queryId, maxRows);
    const input = { QueryId: queryId, ...owner, MaxQueryResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) };
    const answer: GetQueryResultsResponse = await callAws('cloudtrail:GetQueryResults', () => client.send(new GetQueryResultsCommand(input), { abortSignal: signal }), { sleep, signal });
    for (const row of answer.QueryResultRows ?? []) {
      const values = new Map<string, string>();
      for (const cell of row) {
        for (const [column, value] of Object.entries(cell)) {
          // Columns in the order they first appear: a column NULL in the first rows shows up later.
          if (!seen.has(column)) {
            seen.add(column);
            columns.push(column);
          }
          values.set(column, value);
        }
      }
      cells.push(values);
    }
    if (cells.length > maxRows) throw tooManyRows('CloudTrail Lake', queryId, maxRows);
    token = answer.NextToken === '' ? undefined : answer.NextToken;
  }
  const rows = cells.map((values) => Object.fromEntries(columns.map((c) => [c, values.get(c) ?? null])));
  return { columns, rows };
}

function lakeEngine(client: CloudTrailClient, options: LakeOptions): Engine<EngineStatus> {
  const sleep = options.sleep ?? abortableSleep;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const owner: Owner = options.eventDataStoreOwnerAccountId === undefined ? {} : { EventDataStoreOwnerAccountId: options.eventDataStoreOwnerAccountId };
  return {
    name: 'CloudTrail Lake',
    stopAction: 'cloudtrail:CancelQuery',
    stopByHand: (id) => `cancel it with: aws cloudtrail cancel-query --query-id ${id}`,
    async start(sql) {
      const input: StartQueryRequest = { QueryStatement: sql, ...owner };
      if (options.deliveryS3Uri !== undefined) input.DeliveryS3Uri = options.deliveryS3Uri;
      const answer = await callAws('cloudtrail:StartQuery', () => client.send(new StartQueryCommand(input)), { sleep });
      if (answer.QueryId === undefined) throw new QueryError('call', 'cloudtrail:StartQuery answered without a QueryId');
      return answer.QueryId;
    },
    async status(queryId, signal) {
      const input = { QueryId: queryId, ...owner };
      return lakeStatus(await callAws('cloudtrail:DescribeQuery', () => client.send(new DescribeQueryCommand(input), { abortSignal: signal }), { sleep, signal }));
    },
    async stop(queryId) {
      await callAws('cloudtrail:CancelQuery', () => client.send(new CancelQueryCommand({ QueryId: queryId, ...owner })), { sleep });
    },
    results: (queryId, _final, signal) => pagedRows(client, queryId, owner, signal, sleep, maxRows),
  };
}

/** Runs queries on CloudTrail Lake, one run() per query. */
export function lakeRunner(client: CloudTrailClient, options: LakeOptions = {}): QueryRunner {
  const engine = lakeEngine(client, options);
  return { run: (sql, run) => execute(engine, sql, run, options) };
}
