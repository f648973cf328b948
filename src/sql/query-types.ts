// What every SQL engine (Athena, CloudTrail Lake, DuckDB) gives back for one query: the rows as text keyed by
// column name (SQL NULL as null), and what the query cost in bytes scanned and time. The compiler's output
// goes in as SQL text; detections are made from these rows by the caller.

export interface QueryStats {
  /** The engine's id of the query (Athena's QueryExecutionId, Lake's QueryId). */
  queryId: string;
  /** Bytes the engine read, as it reports them (Athena bills at least 10 MB a query: see cost.ts). */
  bytesScanned: number;
  /** Time the engine spent running the query. */
  engineMs: number;
  /** Time from submission to the end of the run, queueing included. */
  totalMs: number;
}

export interface QueryResult {
  /** Column names in the order of the SELECT list. */
  columns: string[];
  /** One object per row, keyed by column name; a value the engine returned as NULL is null. */
  rows: Array<Record<string, string | null>>;
  stats: QueryStats;
}

/** What a query reports while it runs: its id and the bytes scanned so far (0 where the engine does not say). */
export interface QueryProgress {
  queryId: string;
  bytesScanned: number;
}

export interface RunOptions {
  /** Aborting stops the query on the engine (StopQueryExecution, CancelQuery) and rejects with an 'aborted' QueryError. */
  signal?: AbortSignal;
  /** Called on each change of the engine's state (QUEUED, RUNNING, SUCCEEDED...), with the bytes scanned so far. */
  onState?: (state: string, progress: QueryProgress) => void;
}

export interface QueryRunner {
  run(sql: string, options: RunOptions): Promise<QueryResult>;
}
