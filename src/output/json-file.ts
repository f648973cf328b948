// Writes the findings file in a stream, result by result, with exactly the bytes JSON.stringify(findings,
// null, 2) would give: an organization of a thousand accounts has tens of thousands of results, and holding
// the whole text (and its bytes) beside the findings would double the audit's peak memory.
import type { Findings } from '../model/types.js';
import { writeChunked } from './chunked-file.js';

/** Indents every line of a nested JSON text by `pad` (its first line is placed by the caller). */
function nest(json: string, pad: string): string {
  return json.replace(/\n/g, `\n${pad}`);
}

/** Writes findings.json beside and renames it into place; returns its SHA-256. */
export function writeFindingsFile(findings: Findings, path: string): string {
  return writeChunked(path, (write) => {
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
  }).sha256;
}
