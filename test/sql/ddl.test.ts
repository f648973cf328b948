import { expect } from 'chai';
import { TrailproofError } from '../../src/errors.js';
import {
  DEFAULT_START_DAY,
  cloudTrailTableDdl,
  parseS3Location,
  partitionColumns,
  partitionDay,
  timestampPartitionRange,
  type CloudTrailTableOptions,
} from '../../src/sql/ddl.js';
import { ATHENA_COLUMNS, hiveType } from '../../src/sql/schema.js';
import { sqlParsers } from './sql-parser.js';

const account: CloudTrailTableOptions = {
  variant: 'account',
  table: 'cloudtrail_logs',
  database: 'audit',
  location: 's3://example-trail-logs/security/',
  account: '111122223333',
  regions: ['us-east-1', 'eu-west-1', 'us-east-1'],
  startDate: '2024-01-01',
};

const organization: CloudTrailTableOptions = {
  variant: 'organization',
  table: 'org_trail',
  location: 's3://org-trail-logs',
  organizationId: 'o-a1b2c3d4e5',
  accounts: ['111122223333', '444455556666'],
  regions: ['us-east-1'],
};

/** TBLPROPERTIES as a map. */
function properties(ddl: string): Record<string, string> {
  const block = /TBLPROPERTIES \(\n([\s\S]*)\n\)$/.exec(ddl)?.[1] ?? '';
  return Object.fromEntries(block.split(',\n').map((line) => {
    const m = /^ {2}'([^']+)' = '([^']*)'$/.exec(line);
    if (!m) throw new Error(`not a property line: ${line}`);
    return [m[1], m[2]];
  }));
}

/** The top-level column lines between the opening parenthesis and PARTITIONED BY. */
function columnLines(ddl: string): string[] {
  const body = /\(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(ddl)?.[1] ?? '';
  return body.split(',\n').map((l) => l.trim());
}

function usageError(fn: () => unknown): TrailproofError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(TrailproofError);
    expect((err as TrailproofError).code).to.equal('TP_USAGE');
    return err as TrailproofError;
  }
  throw new Error('expected a usage error');
}

describe('Athena CloudTrail table DDL', () => {
  it('writes the account table: idempotent CREATE, region and day projected under the account folder', () => {
    const ddl = cloudTrailTableDdl(account);
    expect(ddl.split('\n')[0]).to.equal('CREATE EXTERNAL TABLE IF NOT EXISTS `audit`.`cloudtrail_logs` (');
    expect(ddl).to.include('PARTITIONED BY (`region` STRING, `timestamp` STRING)');
    expect(ddl).to.include("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).to.include("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).to.include("OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'");
    expect(ddl).to.include("LOCATION 's3://example-trail-logs/security/AWSLogs/111122223333/CloudTrail/'");
    expect(properties(ddl)).to.deep.equal({
      'projection.enabled': 'true',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1,eu-west-1',
      'projection.timestamp.type': 'date',
      'projection.timestamp.format': 'yyyy/MM/dd',
      'projection.timestamp.range': '2024/01/01,NOW',
      'projection.timestamp.interval': '1',
      'projection.timestamp.interval.unit': 'DAYS',
      'storage.location.template': 's3://example-trail-logs/security/AWSLogs/111122223333/CloudTrail/${region}/${timestamp}',
    });
  });

  it('writes the organization table: account, region and day projected under the organization folder', () => {
    const ddl = cloudTrailTableDdl(organization);
    expect(ddl.split('\n')[0]).to.equal('CREATE EXTERNAL TABLE IF NOT EXISTS `org_trail` (');
    expect(ddl).to.include('PARTITIONED BY (`account` STRING, `region` STRING, `timestamp` STRING)');
    expect(ddl).to.include("LOCATION 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/'");
    expect(properties(ddl)).to.deep.equal({
      'projection.enabled': 'true',
      'projection.account.type': 'enum',
      'projection.account.values': '111122223333,444455556666',
      'projection.region.type': 'enum',
      'projection.region.values': 'us-east-1',
      'projection.timestamp.type': 'date',
      'projection.timestamp.format': 'yyyy/MM/dd',
      'projection.timestamp.range': `${DEFAULT_START_DAY},NOW`,
      'projection.timestamp.interval': '1',
      'projection.timestamp.interval.unit': 'DAYS',
      'storage.location.template': 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}',
    });
  });

  it('lists every column of ATHENA_COLUMNS in order, with its Hive type', () => {
    const lines = columnLines(cloudTrailTableDdl(account));
    expect(lines).to.deep.equal(ATHENA_COLUMNS.map((c) => `${c.sql} ${hiveType(c.type)}`));
    expect(lines).to.include('eventname STRING');
    expect(lines).to.include('requestparameters STRING');
    expect(lines).to.include('resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>');
    expect(lines.find((l) => l.startsWith('useridentity '))).to.match(/^useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, /);
  });

  it('names partition columns that no table column shadows', () => {
    expect(partitionColumns('account')).to.deep.equal(['region', 'timestamp']);
    expect(partitionColumns('organization')).to.deep.equal(['account', 'region', 'timestamp']);
    const names = ATHENA_COLUMNS.map((c) => c.sql);
    for (const p of partitionColumns('organization')) expect(names).to.not.include(p);
  });

  it('parses with the Hive grammar, for both variants (and the grammar does reject a broken statement)', async function () {
    this.timeout(30_000);
    const { HiveSQL } = await sqlParsers();
    const hive = new HiveSQL();
    expect(hive.validate(cloudTrailTableDdl(account))).to.deep.equal([]);
    expect(hive.validate(cloudTrailTableDdl(organization))).to.deep.equal([]);
    expect(hive.validate(cloudTrailTableDdl(account).replace('PARTITIONED BY', 'PARTITIONED BYE')).length).to.be.greaterThan(0);
  });

  it('takes the location with or without a prefix and a trailing slash', () => {
    expect(parseS3Location('s3://bucket-1')).to.deep.equal({ bucket: 'bucket-1', prefix: '' });
    expect(parseS3Location('s3://bucket-1/')).to.deep.equal({ bucket: 'bucket-1', prefix: '' });
    expect(parseS3Location('s3://bucket-1/a/b/')).to.deep.equal({ bucket: 'bucket-1', prefix: 'a/b' });
  });

  it('refuses names, locations, ids and dates that would make a wrong or broken statement', () => {
    expect(usageError(() => cloudTrailTableDdl({ ...account, table: 'logs; DROP' })).message).to.include('table name "logs; DROP"');
    expect(usageError(() => cloudTrailTableDdl({ ...account, database: 'my-db' })).message).to.include('database name "my-db"');
    expect(usageError(() => cloudTrailTableDdl({ ...account, location: 'https://bucket/x' })).message).to.include('s3://bucket');
    expect(usageError(() => cloudTrailTableDdl({ ...account, location: 's3://Bucket_Upper' })).message).to.include('bucket "Bucket_Upper"');
    expect(usageError(() => cloudTrailTableDdl({ ...account, location: "s3://bucket/it's" })).message).to.include('prefix');
    expect(usageError(() => cloudTrailTableDdl({ ...account, location: 's3://bucket/a//b' })).message).to.include('prefix');
    expect(usageError(() => cloudTrailTableDdl({ ...account, location: 's3://bucket/AWSLogs/111122223333' })).message).to.include('before AWSLogs/');
    expect(usageError(() => cloudTrailTableDdl({ ...account, account: '1111' })).message).to.include('account id "1111"');
    expect(usageError(() => cloudTrailTableDdl({ ...account, regions: ['us-east-1', 'Mars'] })).message).to.include('region "Mars"');
    expect(usageError(() => cloudTrailTableDdl({ ...account, regions: [] })).message).to.include('no regions given');
    expect(usageError(() => cloudTrailTableDdl({ ...account, startDate: '2024-02-30' })).message).to.include('start date "2024-02-30"');
    expect(usageError(() => cloudTrailTableDdl({ ...organization, organizationId: 'org-1' })).message).to.include('organization id "org-1"');
    expect(usageError(() => cloudTrailTableDdl({ ...organization, accounts: ['111122223333', 'x'] })).message).to.include('account "x"');
    expect(usageError(() => cloudTrailTableDdl({ ...organization, accounts: [] })).message).to.include('no accounts given');
  });

  it('accepts the start day as YYYY/MM/DD or an ISO instant, and lower-cases names', () => {
    expect(cloudTrailTableDdl({ ...account, startDate: '2025/03/04' })).to.include("'projection.timestamp.range' = '2025/03/04,NOW'");
    expect(cloudTrailTableDdl({ ...account, startDate: '2025-03-04T10:00:00Z' })).to.include("'projection.timestamp.range' = '2025/03/04,NOW'");
    expect(cloudTrailTableDdl({ ...account, table: 'CloudTrail_Logs', database: 'Audit' }).split('\n')[0]).to.equal('CREATE EXTERNAL TABLE IF NOT EXISTS `audit`.`cloudtrail_logs` (');
  });

  it('spells days as the timestamp partition does, the range reaching one day past its end', () => {
    expect(partitionDay('2026-09-14T23:59:59Z')).to.equal('2026/09/14');
    expect(partitionDay(Date.parse('2026-01-01T00:00:00Z'))).to.equal('2026/01/01');
    expect(timestampPartitionRange(Date.parse('2026-07-01T00:00:00Z'), Date.parse('2026-09-30T23:59:59.999Z'))).to.deep.equal({ first: '2026/07/01', last: '2026/10/01' });
    expect(usageError(() => partitionDay('yesterday')).message).to.include('yesterday');
  });
});
