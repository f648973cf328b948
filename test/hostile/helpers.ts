// Hostile inputs for the tests under test/hostile: records nested thousands deep (written as text, since
// JSON.stringify itself would overflow on them), and the CLI driven through main() as a user runs it.
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { CloudTrailRecord } from '../../src/events/record.js';

export interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

export async function run(args: string[]): Promise<Run> {
  const io = memoryIo();
  const started = Date.now();
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err, ms: Date.now() - started };
}

/** JSON text of an object `depth` levels deep: {"a":{"a":...{}}}. */
export function deepObjectText(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

/** JSON text of an array `depth` levels deep: [[[...]]]. */
export function deepArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A record's JSON text with one field replaced by raw JSON text (a value too deep to stringify). */
export function recordText(record: CloudTrailRecord, field: string, rawValue: string): string {
  return JSON.stringify({ ...record, [field]: '@@RAW@@' }).replace('"@@RAW@@"', rawValue);
}

/** A log file's text from record texts, as CloudTrail writes it. */
export function logText(records: readonly string[]): string {
  return `{"Records":[${records.join(',')}]}`;
}

/** The one stderr line that names `name` (a file or line) and matches `reason`. */
export function expectSkipLine(err: string, name: string, reason: RegExp): void {
  const lines = err.split('\n').filter((l) => l.includes(name));
  expect(lines, err).to.have.length.greaterThan(0);
  expect(lines.some((l) => reason.test(l)), err).to.equal(true);
}

/** stderr holds no stack trace and no "internal error". */
export function expectNoCrash(err: string): void {
  expect(err).to.not.match(/internal error|^\s+at .+:\d+:\d+\)?$/m);
}
