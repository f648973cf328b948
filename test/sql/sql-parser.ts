// dt-sql-parser (the Hive and Trino grammars the SQL tests parse with) ships ES modules whose relative imports
// have no file extension, which Node's loader refuses. A resolve hook, registered once and for that package
// only, tries `<specifier>.js` and `<specifier>/index.js` as a bundler would.
import { register } from 'node:module';
import type * as DtSqlParser from 'dt-sql-parser';

type Parsers = typeof DtSqlParser;

const HOOK = `
export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes('/node_modules/dt-sql-parser/') && specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    for (const candidate of [specifier + '.js', specifier + '/index.js']) {
      try {
        return await next(candidate, context);
      } catch {
        // not this one: try the next spelling
      }
    }
  }
  return next(specifier, context);
}`;

let parsers: Promise<Parsers> | undefined;

export function sqlParsers(): Promise<Parsers> {
  if (parsers === undefined) {
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
    parsers = import('dt-sql-parser');
  }
  return parsers;
}
