// The Athena table over a trail's log files, as the Athena documentation writes it ("Create the table for
// CloudTrail logs in Athena using partition projection", and its organization-wide variant): the columns of
// ATHENA_COLUMNS, the JSON SerDe and CloudTrail input format, and partition projection so that no partition
// is ever added by hand. A trail of one account is partitioned by region and day; an organization trail by
// account, region and day. The compiler prunes on these partition columns (partitionColumns()), so a
// quarter's query lists and reads a quarter's folders.
import { TrailproofError } from '../errors.js';
import { ATHENA_COLUMNS, hiveType } from './schema.js';

export type TableVariant = 'account' | 'organization';

interface CommonTableOptions {
  table: string;
  /** Qualifies the table in the statement; without it the query's database context decides. */
  database?: string | undefined;
  /** s3://bucket[/prefix]: the trail's bucket and S3KeyPrefix, the part before AWSLogs/. */
  location: string;
  /** Regions whose folders the table projects (a multi-Region trail: every enabled region). */
  regions: readonly string[];
  /** First day the table projects (YYYY-MM-DD, YYYY/MM/DD or an ISO instant); default DEFAULT_START_DAY. */
  startDate?: string | undefined;
}

export type CloudTrailTableOptions =
  | (CommonTableOptions & { variant: 'account'; account: string })
  | (CommonTableOptions & { variant: 'organization'; organizationId: string; accounts: readonly string[] });

/** CloudTrail's launch: a table from then covers any trail's history (queries prune by day regardless). */
export const DEFAULT_START_DAY = '2013/11/01';
/** How the `timestamp` partition spells a day: the S3 folder path YYYY/MM/DD. */
export const TIMESTAMP_FORMAT = 'yyyy/MM/dd';

const PARTITIONS: Record<TableVariant, readonly string[]> = {
  account: ['region', 'timestamp'],
  organization: ['account', 'region', 'timestamp'],
};

/** The partition columns of a variant, in their order. `timestamp` is a reserved word in Trino: quote it. */
export function partitionColumns(variant: TableVariant): readonly string[] {
  return PARTITIONS[variant];
}

const DAY_MS = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** The `timestamp` partition value (YYYY/MM/DD, UTC) of an instant. */
export function partitionDay(instant: number | string | Date): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new TrailproofError('TP_USAGE', `not a date or instant: ${String(instant)}`);
  return day(ms);
}

/**
 * The `timestamp` partitions that can hold events of [fromMs, toMs]: a log file lands in the folder of the day
 * it was written, which is never before its events and can be after them (an event near midnight, a late
 * delivery), so the range runs one day past `to`. The compiler still filters on eventTime.
 */
export function timestampPartitionRange(fromMs: number, toMs: number): { first: string; last: string } {
  return { first: partitionDay(fromMs), last: partitionDay(toMs + DAY_MS) };
}

function invalid(what: string, value: string, fix: string): TrailproofError {
  return new TrailproofError('TP_USAGE', `Athena table: ${what} ${JSON.stringify(value)} is not valid: ${fix}`);
}

/** A database or table name as Athena accepts it (letters, digits, underscores), lower-cased as the catalog keeps it. */
export function athenaIdentifier(what: 'database' | 'table', name: string): string {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) throw invalid(`${what} name`, name, 'use letters, digits and underscores only (at most 255)');
  return name.toLowerCase();
}

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
// us-east-1, us-gov-west-1, ap-southeast-3, eusc-de-east-1
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Bucket and key prefix (no slashes at either end) of s3://bucket[/prefix]. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(location);
  if (!match) throw invalid('location', location, 'give it as s3://bucket or s3://bucket/prefix');
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..')) throw invalid('bucket', bucket, 'an S3 bucket name has 3 to 63 lower-case letters, digits, dots and hyphens');
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  const segments = prefix === '' ? [] : prefix.split('/');
  // The statement holds the location in quotes and the template expands ${...}: neither may come from a prefix.
  if (segments.some((s) => s === '') || /['"\\`$\s]/.test(prefix) || [...prefix].some((c) => c.charCodeAt(0) < 0x20)) {
    throw invalid('prefix', prefix, 'a key prefix of non-empty folders without quotes, backslashes, "$" or spaces');
  }
  if (segments.includes('AWSLogs')) throw invalid('location', location, 'give the bucket and the trail\'s key prefix only, the part before AWSLogs/');
  return { bucket, prefix };
}

function startDay(value: string | undefined): string {
  if (value === undefined) return DEFAULT_START_DAY;
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:$|T)/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || day(ms) !== `${m[1]}/${m[2]}/${m[3]}`) throw invalid('start date', value, 'give a day as YYYY-MM-DD');
  return day(ms);
}

function distinct(values: readonly string[], what: string, pattern: RegExp, fix: string): string[] {
  if (values.length === 0) throw new TrailproofError('TP_USAGE', `Athena table: no ${what}s given; the table projects a partition per ${what}`);
  for (const v of values) if (!pattern.test(v)) throw invalid(what, v, fix);
  return [...new Set(values)];
}

interface Layout {
  variant: TableVariant;
  location: string;
  template: string;
  enums: Array<[string, string[]]>;
}

function layout(options: CloudTrailTableOptions): Layout {
  const { bucket, prefix } = parseS3Location(options.location);
  const base = `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}AWSLogs`;
  const regions = distinct(options.regions, 'region', REGION, 'a region name such as us-east-1');
  if (options.variant === 'account') {
    if (!ACCOUNT.test(options.account)) throw invalid('account id', options.account, 'an account id has 12 digits');
    const location = `${base}/${options.account}/CloudTrail/`;
    return { variant: 'account', location, template: `${location}\${region}/\${timestamp}`, enums: [['region', regions]] };
  }
  if (!ORGANIZATION.test(options.organizationId)) throw invalid('organization id', options.organizationId, 'an organization id looks like o-a1b2c3d4e5');
  const accounts = distinct(options.accounts, 'account', ACCOUNT, 'an account id has 12 digits');
  const location = `${base}/${options.organizationId}/`;
  return { variant: 'organization', location, template: `${location}\${account}/CloudTrail/\${region}/\${timestamp}`, enums: [['account', accounts], ['region', regions]] };
}

/** The table's qualified name as the statement writes it: `database`.`table` or `table`. */
export function tableName(options: { table: string; database?: string | undefined }): string {
  const table = `\`${athenaIdentifier('table', options.table)}\``;
  return options.database === undefined ? table : `\`${athenaIdentifier('database', options.database)}\`.${table}`;
}

/** The CREATE EXTERNAL TABLE IF NOT EXISTS statement for a trail's logs (running it twice changes nothing). */
export function cloudTrailTableDdl(options: CloudTrailTableOptions): string {
  const name = tableName(options);
  const shape = layout(options);
  const start = startDay(options.startDate);
  const columns = ATHENA_COLUMNS.map((c) => `  ${c.sql} ${hiveType(c.type)}`);
  const partitions = partitionColumns(shape.variant).map((p) => `\`${p}\` STRING`);
  const properties: Array<[string, string]> = [['projection.enabled', 'true']];
  for (const [column, values] of shape.enums) {
    properties.push([`projection.${column}.type`, 'enum'], [`projection.${column}.values`, values.join(',')]);
  }
  properties.push(
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', TIMESTAMP_FORMAT],
    ['projection.timestamp.range', `${start},NOW`],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['storage.location.template', shape.template],
  );
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${partitions.join(', ')})`,
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION '${shape.location}'`,
    'TBLPROPERTIES (',
    properties.map(([k, v]) => `  '${k}' = '${v}'`).join(',\n'),
    ')',
  ].join('\n');
}
