// What a text output may assume about where it goes: how wide the screen is (or that lines must stay whole,
// for a pipe or a file) and whether colour is wanted. Colour is a handful of ANSI codes kept here, so no
// dependency is needed and no other module writes an escape sequence. The choice follows the conventions
// people already set: --color/--no-color first, then NO_COLOR, FORCE_COLOR, CI and TERM=dumb, then whether
// the stream is a terminal at all. A file, a pipe or a CI log never gets colour unless it is forced.
import type { Severity, Status } from '../model/types.js';

/** How a text output is laid out: `width` undefined means lines are whole (not a terminal, or --wide). */
export interface Screen {
  width: number | undefined;
  color: boolean;
}

/** Whole lines, no colour: files, pipes, tests and every caller that does not say otherwise. */
export const PLAIN: Screen = { width: undefined, color: false };

/** The width assumed for a terminal that does not report one. */
export const DEFAULT_TERMINAL_COLUMNS = 80;

/** Narrower than this, a terminal is laid out as if it had this many columns (a table needs some room). */
export const MIN_TERMINAL_COLUMNS = 40;

/** What is known about one output stream. */
export interface StreamFacts {
  isTty: boolean;
  /** The terminal's columns, when it reports them. */
  columns: number | undefined;
}

/** The user's say: --color (true), --no-color (false) or neither (undefined); --wide. */
export interface ScreenFlags {
  color?: boolean | undefined;
  wide?: boolean | undefined;
}

function envSet(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function falsy(value: string): boolean {
  return ['0', 'false', 'no'].includes(value.trim().toLowerCase());
}

/** Whether to colour: the flag, then NO_COLOR, FORCE_COLOR, CI, TERM=dumb, then whether it is a terminal. */
export function colorWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (flag !== undefined) return flag;
  if (envSet(env, 'NO_COLOR') !== undefined) return false;
  const force = envSet(env, 'FORCE_COLOR');
  if (force !== undefined) return !falsy(force);
  const ci = envSet(env, 'CI');
  if (ci !== undefined && !falsy(ci)) return false;
  if (env['TERM'] === 'dumb') return false;
  return isTty;
}

/** The screen for one stream: fitted to the terminal's width unless --wide or not a terminal. */
export function screenOf(stream: StreamFacts, flags: ScreenFlags, env: NodeJS.ProcessEnv): Screen {
  const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_TERMINAL_COLUMNS;
  return {
    width: stream.isTty && flags.wide !== true ? Math.max(MIN_TERMINAL_COLUMNS, columns) : undefined,
    color: colorWanted(flags.color, env, stream.isTty),
  };
}

/** What a value means to the reader: bad stands out, quiet recedes. */
export type Tone = 'bad' | 'alert' | 'warn' | 'quiet' | 'plain';

const ANSI: Record<Exclude<Tone, 'plain'>, [string, string]> = {
  bad: ['\u001b[1;31m', '\u001b[0m'], // bold red
  alert: ['\u001b[31m', '\u001b[0m'], // red
  warn: ['\u001b[33m', '\u001b[0m'], // yellow
  quiet: ['\u001b[2m', '\u001b[0m'], // dim
};

/** The text in its tone's colour when colour is on; the text itself otherwise. */
export function paint(text: string, tone: Tone, color: boolean): string {
  if (!color || tone === 'plain' || text === '') return text;
  const [open, close] = ANSI[tone];
  return `${open}${text}${close}`;
}

const STATUS_TONES: Record<Status, Tone> = { FAIL: 'bad', ERROR: 'alert', NOT_TESTED: 'warn', MANUAL: 'warn', PASS: 'quiet', WAIVED: 'quiet', NOT_APPLICABLE: 'quiet' };
const SEVERITY_TONES: Record<Severity, Tone> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'plain', info: 'quiet' };

/** FAIL stands out, ERROR is red, MANUAL and NOT_TESTED yellow, PASS and the settled statuses are dim. */
export function statusTone(value: string): Tone {
  return (STATUS_TONES as Record<string, Tone | undefined>)[value] ?? 'plain';
}

/** critical and high stand out, medium is yellow, info dim. Sigma's levels read the same. */
export function severityTone(value: string): Tone {
  return (SEVERITY_TONES as Record<string, Tone | undefined>)[value.toLowerCase()] ?? 'plain';
}
