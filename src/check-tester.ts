// A tester for checks in the style of ESLint's RuleTester: `describeCheck(check, { valid, invalid })` declares one
// mocha test per case (a bundle, options, the expected status and message id) and one test over the whole set:
// every message id the check declares is asserted by some case, and some case is an ERROR (missing or denied
// evidence must never pass). A result's message id is recorded as the check produces it, so a case names the
// message it expects (`messageId: 'missing'`), not its wording; a message id the check does not declare fails
// the case. A check that by design never reports ERROR (it returns nothing when its evidence cannot be read and
// leaves that to other checks) says so in the call, `errorCase: 'none: <why>'`, so the exemption is written where
// a reviewer reads the cases, never granted silently. Cases about the whole result list (none, one per trail, in
// order) go in `results`. Runs under mocha (its global describe/it), with node:assert so it needs no assertion library.
import assert from 'node:assert/strict';
import { Bundle } from './evidence/bundle.js';
import { Estate, type EstateVerifications } from './evidence/estate.js';
import { createContext, type AnyCheck, type CheckResult } from './engine/check.js';
import type { Status } from './model/types.js';

/** Statuses a valid case may expect: the check has nothing to report. */
const VALID_STATUSES: readonly Status[] = ['PASS', 'NOT_APPLICABLE'];

export interface CheckCase {
  /** What the case shows, as a test title: "a trail whose log group is in another account". */
  name: string;
  /** A bundle folder, or something that writes one (the tests' BundleBuilder). Built when the case runs. */
  bundle: string | { writeTemp(): string } | (() => string | { writeTemp(): string });
  /** Options merged over the check's defaults, as the engine does. */
  options?: Record<string, unknown>;
  /**
   * What the engine verifies before the checks run (asynchronous work, e.g. `logIntegrity: await verifyBundleLogs(bundle)`),
   * given to the estate; left out, nothing was verified in this run.
   */
  verify?: (bundle: Bundle) => Promise<EstateVerifications>;
  /** The result judged: the one about this resource; by default the check must return exactly one. */
  resource?: string;
  /** And in this region, for a check that reports one resource per region (an account, region by region). */
  region?: string;
  status: Exclude<Status, 'WAIVED'>;
  /**
   * The message id the result was made with; required for every status but ERROR and MANUAL, which a check may
   * make with ctx.error / ctx.notCollected (no message id: leave it out).
   */
  messageId?: string;
  /** Further assertions on the judged result (all results alongside). */
  check?: (result: CheckResult, all: CheckResult[]) => void;
}

/** A case about every result of a run (how many, in what order, which accounts), not about one result. */
export interface ResultsCase {
  /** What the case shows, as a test title: "reports an organization trail once, under the owner account". */
  name: string;
  bundle: CheckCase['bundle'];
  options?: Record<string, unknown>;
  verify?: (bundle: Bundle) => Promise<EstateVerifications>;
  /** Assertions on all the results; a message id seen here does not count as produced (use valid/invalid for that). */
  check: (all: CheckResult[]) => void;
}

export interface CheckCases {
  /** Cases where the check has nothing to report: PASS or NOT_APPLICABLE. */
  valid: CheckCase[];
  /** Cases that report: FAIL, MANUAL, NOT_TESTED, ERROR (at least one ERROR: missing or denied evidence, unless errorCase says none). */
  invalid: CheckCase[];
  /** Cases about the whole result list. */
  results?: ResultsCase[];
  /**
   * Only for a check that never reports ERROR by design: `'none: <why>'`, e.g. "none: when no trail can be listed it
   * returns nothing, and the per-account checks report that". Then no case may expect ERROR.
   */
  errorCase?: `none: ${string}`;
}

type CaseRun = { results: CheckResult[]; messageIds: Map<CheckResult, string> };

function openBundle(c: Pick<CheckCase, 'bundle'>): Bundle {
  const source = typeof c.bundle === 'function' ? c.bundle() : c.bundle;
  return Bundle.open(typeof source === 'string' ? source : source.writeTemp());
}

/** The results of one run with the message id of each, as the check produced it (undefined for ctx.error/notCollected). */
export function runCheckCase(check: AnyCheck, c: Pick<CheckCase, 'bundle' | 'options'>): CaseRun {
  return runOver(check, new Estate(openBundle(c)), c);
}

/** As runCheckCase, with the case's verifications made first (as the engine makes them) when it asks for any. */
async function runCase(check: AnyCheck, c: Pick<CheckCase, 'bundle' | 'options' | 'verify'>): Promise<CaseRun> {
  if (c.verify === undefined) return runCheckCase(check, c);
  const bundle = openBundle(c);
  return runOver(check, new Estate(bundle, await c.verify(bundle)), c);
}

function runOver(check: AnyCheck, estate: Estate, c: Pick<CheckCase, 'options'>): CaseRun {
  const options = { ...(check.meta.defaultOptions as Record<string, unknown>), ...c.options };
  const ctx = createContext(check.meta, options, estate.collectedAt);
  const messageIds = new Map<CheckResult, string>();
  const result = ctx.result.bind(ctx);
  ctx.result = (status, input) => {
    const made = result(status, input);
    messageIds.set(made, input.messageId);
    return made;
  };
  return { results: check.run(estate, ctx), messageIds };
}

function judged(c: CheckCase, results: CheckResult[]): CheckResult {
  const found = results.filter((r) => (c.resource === undefined || r.resource === c.resource) && (c.region === undefined || r.region === c.region));
  const about = c.resource === undefined && c.region === undefined ? 'in all' : `about ${c.resource ?? 'any resource'}${c.region === undefined ? '' : ` in ${c.region}`}`;
  assert.equal(found.length, 1, `expected one result ${about}, got ${found.length}: ${JSON.stringify(results.map((r) => [r.resource, r.status]))}`);
  return found[0] as CheckResult;
}

/** Declares the cases of one check as mocha tests, under a describe block named by the check id. */
export function describeCheck(check: AnyCheck, cases: CheckCases): void {
  const declared = Object.keys(check.meta.messages);
  const produced = new Set<string>();
  let errorCases = 0;
  describe(`${check.meta.id} (describeCheck)`, () => {
    for (const [kind, list] of [['valid', cases.valid], ['invalid', cases.invalid]] as const) {
      for (const c of list) {
        if (c.status === 'ERROR') errorCases += 1;
        it(`${c.status}${c.messageId === undefined ? '' : ` (${c.messageId})`}: ${c.name}`, async () => {
          const validStatus = VALID_STATUSES.includes(c.status);
          assert.equal(validStatus, kind === 'valid', `a ${kind} case cannot expect ${c.status}: valid cases are ${VALID_STATUSES.join(' or ')}, invalid ones FAIL, MANUAL, NOT_TESTED or ERROR`);
          if (c.messageId !== undefined) assert.ok(declared.includes(c.messageId), `the case names message id "${c.messageId}", which ${check.meta.id} does not declare (${declared.join(', ')})`);
          else assert.ok(c.status === 'ERROR' || c.status === 'MANUAL', `a ${c.status} case must name the message id it expects`);
          const { results, messageIds } = await runCase(check, c);
          const r = judged(c, results);
          assert.equal(r.status, c.status, `status of ${r.resource}: ${r.message}`);
          assert.equal(messageIds.get(r), c.messageId, `message id of ${r.resource}: ${r.message}`);
          // Only a message a case asserts counts as produced: one that merely appears beside it is untested.
          if (c.messageId !== undefined) produced.add(c.messageId);
          c.check?.(r, results);
        });
      }
    }
    for (const c of cases.results ?? []) it(c.name, async () => c.check((await runCase(check, c)).results));
    const why = cases.errorCase === undefined ? undefined : cases.errorCase.slice('none:'.length).trim();
    it(why === undefined ? 'has an ERROR case and produces every message it declares' : 'declares why it has no ERROR case, and produces every message it declares', () => {
      if (why === undefined) assert.ok(errorCases > 0, `${check.meta.id} needs an invalid case with status ERROR: what it reports when its evidence is missing or denied (or errorCase: 'none: <why>' when it never reports ERROR by design)`);
      else {
        assert.ok(why.length > 0, `${check.meta.id}: errorCase 'none:' must say why the check never reports ERROR`);
        assert.equal(errorCases, 0, `${check.meta.id} declares errorCase 'none: ${why}' but has an ERROR case: drop the declaration`);
      }
      const never = declared.filter((id) => !produced.has(id));
      assert.deepEqual(never, [], `${check.meta.id} declares messages no case produces: ${never.join(', ')} (add cases, or remove the messages)`);
    });
  });
}
