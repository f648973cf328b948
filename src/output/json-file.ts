// Writes the findings file in a stream, result by result, with exactly the bytes JSON.stringify(findings,
// null, 2) would give: an organization of a thousand accounts has tens of thousands of results, and holding
// the whole text (and its bytes) beside the findings would double the audit's peak memory.
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import type { Findings } from '../model/types.js';

/** Indents every line of a nested JSON text by `pad` (its first line is placed by the caller). */
function nest(json: string, pad: string): string {
  return json.replace(/\n/g, `\n${pad}`);
}

/** Writes findings.json beside and renames it into place; returns its SHA-256. */
export function writeFindingsFile(findings: Findings, path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(`${path}.tmp`, 'w');
  let buffer = '';
  const write = (text: string): void => {
    buffer += text;
    if (buffer.length > 1 << 20) flush();
  };
  const flush = (): void => {
    const bytes = Buffer.from(buffer, 'utf8');
    hash.update(bytes);
    writeSync(fd, bytes);
    buffer = '';
  };
  try {
    const entries = Object.entries(findings).filter(([, value]) => value !== undefined);
    write('{');
    entries.forEach(([key, value], i) => {
      write(`${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
      if (Array.isArray(value) && value.length > 0) {
        write('[');
        value.forEach((item: unknown, j) => write(`${j === 0 ? '' : ','}\n    ${nest(JSON.stringify(item, null, 2), '    ')}`));
        write('\n  ]');
      } else {
        write(nest(JSON.stringify(value, null, 2), '  '));
      }
    });
    write('\n}\n');
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
  return hash.digest('hex');
}
