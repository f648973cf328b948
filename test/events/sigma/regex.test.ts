// Sigma `re` on RE2: the rewrite of JavaScript syntax into RE2 syntax keeps JavaScript's meaning (pinned by
// property tests over random patterns and texts, and over every `re` pattern of the built-in and SigmaHQ
// rules against the text of every fixture event), and the engine policy: RE2 where it can, JavaScript's
// engine only for a pattern recheck proves safe, a refusal naming the reason otherwise.
import { expect } from 'chai';
import fc from 'fast-check';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileRegex, re2Regex, regexParts, type RegexFlags } from '../../../src/events/sigma/regex.js';
import { re2Syntax } from '../../../src/events/sigma/re2-syntax.js';
import { loadRules } from '../../../src/events/sigma/index.js';
import { RuleProblem } from '../../../src/events/sigma/params.js';
import { packageRoot } from '../../../src/paths.js';
import { detect } from './helpers.js';
import { ct } from './records.js';
import { SIGMAHQ_CASES } from './sigmahq-events.js';

const NO_FLAGS: RegexFlags = { i: false, m: false, s: false };
const flagText = (f: RegexFlags): string => `${f.i ? 'i' : ''}${f.m ? 'm' : ''}${f.s ? 's' : ''}`;

/** Both engines' answers for a pattern RE2 runs (throws when it does not). */
function both(source: string, flags: RegexFlags, text: string): { native: boolean; re2: boolean } {
  const re2 = re2Regex(source, flags);
  if (!re2.ok) throw new Error(`RE2 cannot run /${source}/: ${re2.reason}`);
  return { native: new RegExp(source, flagText(flags)).test(text), re2: re2.re.test(text) };
}

describe('Sigma re on RE2 (regex.ts, re2-syntax.ts)', function () {
  describe('JavaScript meaning kept', function () {
    const cases: Array<[string, RegexFlags, string, boolean]> = [
      ['a\\sb', NO_FLAGS, 'a\u00a0b', true],
      ['a\\sb', NO_FLAGS, 'a\u000bb', true],
      ['a\\Sb', NO_FLAGS, 'a\u2028b', false],
      ['a[\\s\\S]b', NO_FLAGS, 'a\nb', true],
      ['a.b', NO_FLAGS, 'a\rb', false],
      ['a.b', NO_FLAGS, 'a\u2028b', false],
      ['a.b', { i: false, m: false, s: true }, 'a\rb', true],
      ['\\u0041', NO_FLAGS, 'A', true],
      ['[]', NO_FLAGS, 'x', false],
      ['[^]', NO_FLAGS, '\n', true],
      ['\\p{L}', NO_FLAGS, 'p{L}', true],
      ['\\p{L}', NO_FLAGS, 'é', false],
      ['\\z', NO_FLAGS, 'z', true],
      ['\\A', NO_FLAGS, 'A', true],
      ['[\\b]', NO_FLAGS, '\b', true],
      ['[\\w-]', NO_FLAGS, '-', true],
      ['[\\s-z]', NO_FLAGS, 'y', false],
      ['a{,2}', NO_FLAGS, 'a{,2}', true],
      ['[[:alpha:]]', NO_FLAGS, ':]', true],
      ['ab$', NO_FLAGS, 'ab\n', false],
      ['^ab', NO_FLAGS, 'x\nab', false],
      ['(?<year>\\d{4})-', NO_FLAGS, '2026-', true],
      ['ADMIN', { i: true, m: false, s: false }, 'admin', true],
    ];
    for (const [source, flags, text, expected] of cases) {
      it(`/${source}/${flagText(flags)} on ${JSON.stringify(text)} is ${expected} in both engines`, function () {
        expect(both(source, flags, text)).to.deep.equal({ native: expected, re2: expected });
      });
    }

    it('names what RE2 cannot run with JavaScript meaning instead of guessing', function () {
      expect(re2Syntax('(a)\\1', NO_FLAGS)).to.deep.include({ ok: false });
      expect(re2Syntax('a(?=b)', NO_FLAGS)).to.deep.equal({ ok: false, reason: 'it uses lookahead' });
      expect(re2Syntax('(?<!a)b', NO_FLAGS)).to.deep.equal({ ok: false, reason: 'it uses lookbehind' });
      expect(re2Syntax('^a$', { i: false, m: true, s: false })).to.deep.include({ ok: false });
      expect(re2Syntax('\u{1F600}+', NO_FLAGS)).to.deep.include({ ok: false });
      expect(re2Regex('a{1001}', NO_FLAGS)).to.deep.include({ ok: false });
    });

    it('folds a leading inline flag group into the flags', function () {
      expect(regexParts('(?is)a.b', NO_FLAGS)).to.deep.equal({ source: 'a.b', flags: { i: true, m: false, s: true } });
      const re = compileRegex('(?i)^DELETE', NO_FLAGS);
      expect([re.engine, re.flags, re.test('deleteBucket')]).to.deep.equal(['re2', 'i', true]);
    });
  });

  describe('property: random patterns agree wherever both engines compile', function () {
    // A small alphabet with the characters where the dialects differ: JavaScript's wider \s and line
    // terminators, brackets and dashes. (Unicode case-fold corners such as KELVIN SIGN are documented.)
    const chars = ['a', 'b', 'B', '-', ' ', '\n', '\r', '\u00a0', '\u2028', '_', '1', ']', '{', '%'];
    const atom = fc.constantFrom('a', 'b', 'B', '\\-', ' ', '.', '\\s', '\\S', '\\d', '\\w', '\\W', '\\b', '\\B', '[ab]', '[^a]', '[\\s\\S]', '[a-b]', '[\\w-]', '[\\s-]', '[^\\s]', '\\n', '\\r', '\\u00a0', '\\]', ']', '\\{', '{', '%', '^', '$', '[]', '[^]', '\\x41');
    const pattern = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, tie('seq'), tie('alt'), tie('group'), tie('repeat')),
      seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((xs) => (xs as string[]).join('')),
      alt: fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a as string}|${b as string}`),
      group: fc.tuple(fc.constantFrom('(', '(?:', '(?<g>'), tie('node')).map(([open, x]) => `${open}${x as string})`),
      repeat: fc.tuple(fc.constantFrom('(?:', '['), tie('node'), fc.constantFrom('*', '+', '?', '{1,2}', '*?', '{2}')).map(([open, x, q]) => (open === '[' ? `(?:${x as string})${q}` : `${open}${x as string})${q}`)),
    })).node as fc.Arbitrary<string>;
    const flags = fc.record({ i: fc.boolean(), m: fc.boolean(), s: fc.boolean() });
    const text = fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((xs) => xs.join(''));

    it('gives the same answer as JavaScript on random texts (2,000 patterns x 8 texts)', function () {
      let compared = 0;
      fc.assert(
        fc.property(pattern, flags, fc.array(text, { minLength: 8, maxLength: 8 }), (source, f, texts) => {
          let native: RegExp;
          try {
            native = new RegExp(source, flagText(f));
          } catch {
            return true;
          }
          const re2 = re2Regex(source, f);
          if (!re2.ok) return true;
          compared++;
          for (const t of texts) if (native.test(t) !== re2.re.test(t)) throw new Error(`/${source}/${flagText(f)} on ${JSON.stringify(t)}: JavaScript ${native.test(t)}, RE2 ${re2.re.test(t)}`);
          return true;
        }),
        { numRuns: 2000, seed: 20261206 },
      );
      expect(compared).to.be.greaterThan(1000);
    });
  });

  describe('every re pattern of the built-in and SigmaHQ rules, on every fixture event', function () {
    const sigmaHq = join(packageRoot, '..', 'shared', 'data', 'sigmahq-aws-cloudtrail');

    async function fixtureTexts(): Promise<string[]> {
      const out = new Set<string>();
      const walk = (v: unknown): void => {
        if (typeof v === 'string') out.add(v);
        else if (typeof v === 'number' || typeof v === 'boolean') out.add(String(v));
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v !== null && typeof v === 'object') {
          // A record's whole text too (keywords and objects are matched as JSON), not the fixture lists'.
          if ('eventName' in v) out.add(JSON.stringify(v));
          Object.values(v).forEach(walk);
        }
      };
      const dir = join(packageRoot, 'dist', 'test', 'checks', 'rules', 'fixtures');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) walk(((await import(pathToFileURL(join(dir, file)).href)) as { fixture: unknown }).fixture);
      walk(SIGMAHQ_CASES);
      return [...out];
    }

    it('runs each on RE2 with the same answer as JavaScript (or, built-in only, keeps JavaScript)', async function () {
      const dirs = [join(packageRoot, 'checks', 'rules'), ...(existsSync(sigmaHq) ? [sigmaHq] : [])];
      const loaded = loadRules(dirs);
      expect(loaded.errors).to.deep.equal([]);
      const patterns = loaded.rules.flatMap((r) => (r.kind === 'event' ? r.fieldUses.filter((u) => u.modifiers.includes('re')).flatMap((u) => u.values.map((v) => ({ rule: r.ruleId, value: String(v), flags: { i: u.modifiers.includes('i'), m: u.modifiers.includes('m'), s: u.modifiers.includes('s') } }))) : []));
      expect(patterns.length).to.be.greaterThan(6);
      // Up to 400 characters (names, ARNs, user agents, small documents): the SigmaHQ pattern
      // .+:assumed-role/aws:.+ is quadratic on JavaScript's engine, 24 s over the longer texts.
      const texts = (await fixtureTexts()).filter((t) => t.length <= 400);
      expect(texts.length).to.be.greaterThan(500);
      let onRe2 = 0;
      for (const p of patterns) {
        const { source, flags } = regexParts(p.value, p.flags);
        const re2 = re2Regex(source, flags);
        if (!re2.ok) continue;
        onRe2++;
        const native = new RegExp(source, flagText(flags));
        const differ = texts.filter((t) => re2.re.test(t) !== native.test(t));
        expect(differ, `${p.rule}: /${source}/`).to.deep.equal([]);
      }
      expect(onRe2).to.be.greaterThan(patterns.length / 2);
    });

    it("keeps admin-policy-attached's Action/Resource list pattern equal to the lookahead form it replaced", function () {
      const head = '(?:"|%22)Action(?:"|%22)(?:\\s|%20|%0A|%0D|%09|\\+)*(?::|%3A)(?:\\s|%20|%0A|%0D|%09|\\+)*';
      const tail = '(?:"|%22)(?:\\*|%2A)(?:"|%22)';
      const before = new RegExp(`${head}(?:(?:\\[|%5B)(?:(?!\\]|%5D)[\\s\\S])*?)?${tail}`, 'i');
      const after = `${head}(?:(?:\\[|%5B)(?:[^\\]%]|%(?:%|5%)*(?:[^\\]%5]|5[^\\]%d]))*(?:%(?:%|5%)*5?)?)?${tail}`;
      const re2 = re2Regex(after, { i: true, m: false, s: false });
      if (!re2.ok) throw new Error(re2.reason);
      const token = fc.constantFrom('"', '%22', 'Action', ':', '%3A', ' ', '[', '%5B', ']', '%5D', '%5d', '%', '5', 'D', '*', '%2A', 'x', ',', '%25');
      const start = fc.constantFrom('', '"Action":[', '%22Action%22%3A%5B', '"action": [');
      fc.assert(
        fc.property(start, fc.array(token, { maxLength: 24 }), (s, xs) => {
          const t = s + xs.join('');
          return before.test(t) === re2.re.test(t);
        }),
        { numRuns: 20000, seed: 7 },
      );
    });
  });

  describe('engine policy', function () {
    it('runs a pattern RE2 accepts on RE2, through the rule compiler (i, m and s sub-modifiers)', function () {
      const rule = detect(`
        sel:
          userAgent|re|i: '^AWS-CLI/2\\.'
        condition: sel`);
      expect(rule.match(ct({ userAgent: 'aws-cli/2.17.20' }))).to.equal(true);
      expect(rule.match(ct({ userAgent: 'Boto3/1.34' }))).to.equal(false);
      expect(compileRegex('a.b', { i: false, m: false, s: true }).engine).to.equal('re2');
    });

    it('runs a backreference natively when recheck proves it safe', function () {
      this.timeout(60000);
      const re = compileRegex('^(\\w+)-\\1$', NO_FLAGS);
      expect([re.engine, re.test('abc-abc'), re.test('abc-abd')]).to.deep.equal(['native', true, false]);
    });

    it('refuses a backreference pattern recheck finds exponential, naming why', function () {
      this.timeout(60000);
      expect(() => compileRegex('^(a|a)*\\1$', NO_FLAGS)).to.throw(RuleProblem, /refused: it uses \\1, a backreference.*recheck finds exponential backtracking/);
    });

    it('refuses a pattern longer than MAX_REGEX_LENGTH before any engine sees it', function () {
      expect(() => compileRegex('a'.repeat(5000), NO_FLAGS)).to.throw(RuleProblem, /5000 characters long; trailproof reads at most 4096/);
    });
  });
});
