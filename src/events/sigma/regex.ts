// Sigma `re` values, compiled so that no pattern a rule brings can hang a scan. A rule's regular
// expression is untrusted input: `^(a+)+$` over a 40-character user agent takes a backtracking engine
// (JavaScript's) hours. The policy, in order:
//   1. A pattern RE2 can run with JavaScript's meaning (re2-syntax.ts) runs on re2js, whose time is linear
//      in the text whatever the pattern.
//   2. A built-in rule's pattern (checks/rules/*.yml) that RE2 cannot run keeps JavaScript's engine: a test
//      (test/hostile/regex.test.ts) proves each such pattern free of super-linear backtracking with recheck.
//   3. Any other pattern RE2 cannot run (a backreference, lookaround) runs on JavaScript's engine only when
//      recheck proves it safe within RECHECK_TIMEOUT_MS; otherwise the rule is refused with the reason (a
//      rule load error: the scan names it and runs the other rules).
// recheck's verdicts are cached by pattern and flags for the life of the process; `screenRegex` (async)
// gives the same verdicts for the rule lint (`checks list --rules`), which flags super-linear patterns even
// where RE2 runs them, since other Sigma back ends would backtrack on them.
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import type * as Recheck from 'recheck';
import type { Diagnostics } from 'recheck';
import type { RE2JS } from 're2js';
import { packageRoot } from '../../paths.js';
import { RuleProblem } from './params.js';
import { re2Syntax, type RegexFlags } from './re2-syntax.js';

export type { RegexFlags } from './re2-syntax.js';

/** The longest `re` value a rule may hold (characters); a longer one is refused before any engine sees it. */
export const MAX_REGEX_LENGTH = 4096;
/** How long recheck may take to judge one pattern (ms); a pattern it cannot prove safe in time is not safe. */
export const RECHECK_TIMEOUT_MS = 5000;

export type RegexEngine = 're2' | 'native';

export interface CompiledRegex {
  /** Whether the pattern is found in the text (search, not whole-text match, unless the pattern anchors). */
  test: (text: string) => boolean;
  engine: RegexEngine;
  /** The JavaScript source and flags (the leading inline flag group folded into the flags). */
  source: string;
  flags: string;
}

/** recheck's judgement of a pattern under backtracking: `reason` says what is wrong when it is not safe. */
export interface RegexVerdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** e.g. "exponential backtracking (attack: 'a'.repeat(31) + '\x00')"; empty when safe. */
  reason: string;
  /** True when the complexity is exponential (the lint treats it as an error, polynomial as a warning). */
  exponential: boolean;
}

const BUILTIN_RULES = resolve(packageRoot, 'checks', 'rules') + sep;

/** Whether a rule file is one of trailproof's own (its patterns are proven safe by test, not at load). */
export function isBuiltinRuleFile(file: string): boolean {
  return resolve(file).startsWith(BUILTIN_RULES);
}

/** A `re` value's JavaScript source and flags: a leading inline flag group such as `(?i)` becomes a flag. */
export function regexParts(pattern: string, flags: RegexFlags): { source: string; flags: RegexFlags } {
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  if (inline === null) return { source: pattern, flags };
  const set = inline[1] as string;
  return { source: pattern.slice(inline[0].length), flags: { i: flags.i || set.includes('i'), m: flags.m || set.includes('m'), s: flags.s || set.includes('s') } };
}

function flagText(flags: RegexFlags): string {
  return `${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}`;
}

const ATTACK_SHOWN = 60;

function verdictOf(d: Diagnostics): RegexVerdict {
  if (d.status === 'safe') return { status: 'safe', reason: '', exponential: false };
  if (d.status === 'vulnerable') {
    const kind = d.complexity.type === 'exponential' ? 'exponential' : d.complexity.summary.replace(/ \(fuzz\)$/, '');
    const attack = d.attack.pattern.length > ATTACK_SHOWN ? `${d.attack.pattern.slice(0, ATTACK_SHOWN)}...` : d.attack.pattern;
    return { status: 'vulnerable', reason: `${kind} backtracking (attack: ${attack})`, exponential: d.complexity.type === 'exponential' };
  }
  const why = d.error.kind === 'timeout' ? `recheck could not prove it safe within ${RECHECK_TIMEOUT_MS} ms` : `recheck could not judge it (${d.error.kind}${'message' in d.error ? `: ${d.error.message}` : ''})`;
  return { status: 'unknown', reason: why, exponential: false };
}

// recheck takes a good part of a second to load: only a rule lint or a pattern RE2 cannot run needs it.
let recheckModule: typeof Recheck | null = null;
function recheck(): typeof Recheck {
  recheckModule ??= createRequire(import.meta.url)('recheck') as typeof Recheck;
  return recheckModule;
}

// re2js is a quarter of a megabyte of code each thread of a scan would load and hold; the built-in rules
// compile their patterns on first use, so a scan whose records never reach one never loads it.
let re2Module: { RE2JS: typeof RE2JS } | null = null;
function re2(): typeof RE2JS {
  re2Module ??= createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JS };
  return re2Module.RE2JS;
}

const verdicts = new Map<string, RegexVerdict>();
const pending = new Map<string, Promise<RegexVerdict>>();

/** recheck's verdict on a pattern (JavaScript source and flags), cached; blocks while recheck runs. */
export function screenRegexSync(source: string, flags: RegexFlags): RegexVerdict {
  const key = `${flagText(flags)}/${source}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = verdictOf(recheck().checkSync(source, flagText(flags), { timeout: RECHECK_TIMEOUT_MS }));
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** The same verdict without blocking (the lint screens many patterns at once). */
export function screenRegex(source: string, flags: RegexFlags): Promise<RegexVerdict> {
  const key = `${flagText(flags)}/${source}`;
  const known = verdicts.get(key);
  if (known !== undefined) return Promise.resolve(known);
  let running = pending.get(key);
  if (running === undefined) {
    running = recheck().check(source, flagText(flags), { timeout: RECHECK_TIMEOUT_MS }).then((d) => {
      const verdict = verdictOf(d);
      verdicts.set(key, verdict);
      pending.delete(key);
      return verdict;
    });
    pending.set(key, running);
  }
  return running;
}

/** The pattern on RE2 with JavaScript's meaning, or why RE2 cannot run it. */
export function re2Regex(source: string, flags: RegexFlags): { ok: true; re: RE2JS } | { ok: false; reason: string } {
  const syntax = re2Syntax(source, flags);
  if (!syntax.ok) return syntax;
  try {
    const engine = re2();
    return { ok: true, re: engine.compile(syntax.source, flags.i ? engine.CASE_INSENSITIVE : 0) };
  } catch (err) {
    return { ok: false, reason: `RE2 does not accept it (${err instanceof Error ? err.message : String(err)})` };
  }
}

/**
 * Compiles a Sigma `re` value (throws RuleProblem when the pattern is invalid or refused). `builtin`: the
 * rule is one of trailproof's own, whose patterns RE2 cannot run are proven safe by test.
 */
export function compileRegex(pattern: string, subModifiers: RegexFlags, builtin = false): CompiledRegex {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RuleProblem(`the regular expression is ${pattern.length} characters long; trailproof reads at most ${MAX_REGEX_LENGTH} (MAX_REGEX_LENGTH)`);
  const { source, flags } = regexParts(pattern, subModifiers);
  const native = new RegExp(source, flagText(flags));
  if (builtin) {
    // A built-in pattern RE2 can read is compiled on its first test, not here: RE2JS takes about a
    // millisecond a pattern, every thread of a scan compiles the rules, and most built-in patterns never meet
    // a record of their event names. That RE2 accepts each of them is proven by test (test/hostile/regex.test.ts);
    // were one refused, it would run natively, as a built-in pattern RE2 cannot read does.
    const syntax = re2Syntax(source, flags);
    if (syntax.ok) {
      let run: ((text: string) => boolean) | null = null;
      const firstRun = (): ((text: string) => boolean) => {
        const re2 = re2Regex(source, flags);
        return re2.ok ? (text) => re2.re.test(text) : (text) => native.test(text);
      };
      return { test: (text) => (run ??= firstRun())(text), engine: 're2', source: native.source, flags: native.flags };
    }
  }
  const re2 = re2Regex(source, flags);
  if (re2.ok) {
    const re = re2.re;
    return { test: (text) => re.test(text), engine: 're2', source: native.source, flags: native.flags };
  }
  if (!builtin) {
    const verdict = screenRegexSync(source, flags);
    if (verdict.status !== 'safe') {
      throw new RuleProblem(`the regular expression /${source}/${flagText(flags)} is refused: ${re2.reason}, so the linear-time engine cannot run it, and ${verdict.status === 'vulnerable' ? `recheck finds ${verdict.reason}` : verdict.reason}; rewrite it without backreferences or lookaround`);
    }
  }
  return { test: (text) => native.test(text), engine: 'native', source: native.source, flags: native.flags };
}
