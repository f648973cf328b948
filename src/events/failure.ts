// How a CloudTrail call failed, read from its record the way AWS writes a failure. The `events` command's
// RESULT column (src/output/events-text.ts) and `search --errors-only` (search.ts) both read it, so it lives
// with the events, not with either of its readers.
import type { CloudTrailRecord } from './record.js';

/**
 * How a call failed, as AWS writes it: its errorCode; a console sign-in's `responseElements.ConsoleLogin:
 * Failure` (which has no error code, only `errorMessage: Failed authentication`); or an errorMessage alone.
 * Null when the call succeeded. The `events` RESULT column and `--errors-only` read this.
 */
export function failureOf(record: CloudTrailRecord): string | null {
  if (typeof record.errorCode === 'string' && record.errorCode !== '') return record.errorCode;
  const message = typeof record.errorMessage === 'string' && record.errorMessage !== '' ? record.errorMessage : null;
  const response = record.responseElements;
  const login = response !== null && typeof response === 'object' && !Array.isArray(response) ? (response as Record<string, unknown>)['ConsoleLogin'] : undefined;
  if (login === 'Failure') return message === null ? 'Failure' : `Failure: ${message}`;
  return message;
}
