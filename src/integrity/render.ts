// How a validation reads: one line per problem naming the file and what is wrong, then the summary in the
// AWS CLI's words (`N/M digest files valid`) with the time range proven; or the report as JSON.
import { toolVersion } from '../paths.js';
import { describeChain } from '../evidence/s3-layout.js';
import type { Count, ValidationReport } from './validate.js';

export function renderText(report: ValidationReport): string {
  const lines: string[] = [];
  for (const p of report.problems) lines.push(p.message);
  if (lines.length > 0) lines.push('');
  for (const c of report.chains) lines.push(`Chain: ${describeChain(c.chain)}, bucket ${c.bucket}`);
  lines.push(`Results requested for ${report.requested.from ?? 'the oldest digest'} to ${report.requested.to}`);
  const { summary } = report;
  if (summary.digests.total + summary.backfillDigests.total === 0) {
    lines.push('No digests found');
  } else {
    lines.push(report.proven.from === null || report.proven.to === null ? 'No valid digests found in range' : `Results found for ${report.proven.from} to ${report.proven.to}:`);
    lines.push(ratio(summary.digests, 'digest'));
    if (summary.backfillDigests.total > 0) lines.push(ratio(summary.backfillDigests, 'backfill digest'));
    if (summary.logs.total > 0) lines.push(ratio(summary.logs, 'log'));
  }
  for (const g of report.gaps) lines.push(`${g.backfill ? '(backfill) ' : ''}No log files were delivered by CloudTrail between ${g.from} and ${g.to} (${g.chain})`);
  if (summary.stricter > 0) lines.push(`${summary.stricter} stricter problem${summary.stricter === 1 ? '' : 's'} (checks the AWS CLI does not make)`);
  return lines.join('\n') + '\n';
}

function ratio(count: Count, name: string): string {
  const invalid = count.total - count.valid;
  return `${count.valid}/${count.total} ${name} files valid${invalid > 0 ? `, ${invalid}/${count.total} ${name} files INVALID` : ''}`;
}

export function renderJson(report: ValidationReport): string {
  const out = { schemaVersion: '1', tool: { name: 'trailproof', version: toolVersion }, ...report };
  return JSON.stringify(out, null, 2) + '\n';
}

/** 0 when everything in the range is valid, 1 when anything is invalid, missing or out of chain. */
export function exitCodeOf(report: ValidationReport): 0 | 1 {
  return report.problems.length > 0 ? 1 : 0;
}
