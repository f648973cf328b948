// JUnit XML that CI systems show natively: one test suite per check, one test case per result, named by its
// subject and stable result id. FAIL is a failure (message and remediation), ERROR an error, MANUAL /
// NOT_APPLICABLE / NOT_TESTED / WAIVED and observations (FAIL at severity info) are skipped with why.
// A first suite, "trailproof.gate", holds one test case for the gate itself, from the run's recorded outcome:
// a failure on exit 1, an error on exit 2 (evidence modified) or 3 (not decided), so a CI dashboard turns red
// exactly when the exit code says no, even when no single result failed.
import { gateLine, outcomeOf } from '../engine/gate.js';
import type { Findings, Result } from '../model/types.js';

export function xmlEscape(text: string): string {
  return text
    // XML 1.0 cannot carry most control characters at all, escaped or not.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Management response lines for a failure's body (working papers). */
function responseLines(r: Result): string[] {
  return r.response === undefined ? [] : [`Response (${r.response.owner}${r.response.dueDate === undefined ? '' : `, due ${r.response.dueDate}`}): ${r.response.response}`];
}

function testCase(r: Result): string {
  const name = xmlEscape(`${r.resource} [${r.account} ${r.region}] ${r.id}`);
  const open = `    <testcase classname="${xmlEscape(r.checkId)}" name="${name}" time="0"`;
  const body = (lines: string[]): string => xmlEscape(lines.filter((l) => l !== '').join('\n'));
  const remediation = r.remediation ? [`Remediation: ${r.remediation.text}`, r.remediation.cli ? `CLI: ${r.remediation.cli}` : ''] : [];
  const evidence = r.evidence.map((e) => `Evidence: ${e.file}#${e.pointer} (sha256 ${e.sha256}${e.tampered ? ', TAMPERED' : ''})`);
  switch (r.status) {
    case 'PASS':
      return `${open}/>`;
    case 'FAIL':
      if (r.observation === true) return `${open}>\n      <skipped message="${xmlEscape(`OBSERVATION (info, not a failure): ${r.message}`)}"/>\n    </testcase>`;
      return `${open}>\n      <failure type="${r.severity}" message="${xmlEscape(r.message)}">${body([`[${r.severity}] ${r.message}`, `Result id: ${r.id}`, ...responseLines(r), ...remediation, ...evidence])}</failure>\n    </testcase>`;
    case 'ERROR':
      return `${open}>\n      <error type="ERROR" message="${xmlEscape(r.message)}">${body([r.message, `Result id: ${r.id}`, ...evidence])}</error>\n    </testcase>`;
    case 'MANUAL':
    case 'NOT_APPLICABLE':
    case 'NOT_TESTED':
      return `${open}>\n      <skipped message="${xmlEscape(`${r.status}: ${r.message}`)}"/>\n    </testcase>`;
    case 'WAIVED':
      return `${open}>\n      <skipped message="${xmlEscape(`WAIVED until ${r.waiver?.expires ?? '?'} by ${r.waiver?.owner ?? '?'}${r.waiver?.approvedBy === undefined ? '' : `, approved by ${r.waiver.approvedBy}${r.waiver.approvedOn === undefined ? '' : ` on ${r.waiver.approvedOn}`}`}: ${r.waiver?.reason ?? ''} (${r.message})`)}"/>\n    </testcase>`;
  }
}

/** The gate's own suite; `failed`/`errored` are 0 or 1 each, added to the root's counts. */
function gateSuite(findings: Findings): { xml: string; failed: number; errored: number } {
  const o = outcomeOf(findings);
  const open = `    <testcase classname="trailproof.gate" name="${xmlEscape(`--fail-on ${findings.run.failOn}`)}" time="0"`;
  const text = xmlEscape(`${gateLine(findings)}: ${o.reason}`);
  const failed = o.exitCode === 1 ? 1 : 0;
  const errored = o.exitCode === 2 || o.exitCode === 3 ? 1 : 0;
  const body = failed ? `${open}>\n      <failure type="gate" message="${text}">${text}</failure>\n    </testcase>`
    : errored ? `${open}>\n      <error type="${xmlEscape(o.verdict)}" message="${text}">${text}</error>\n    </testcase>`
    : `${open}/>`;
  return {
    xml: [
      `  <testsuite name="trailproof.gate" tests="1" failures="${failed}" errors="${errored}" skipped="0" time="0" timestamp="${findings.run.finishedAt}">`,
      `    <properties><property name="exitCode" value="${o.exitCode}"/><property name="verdict" value="${xmlEscape(o.verdict)}"/><property name="reason" value="${xmlEscape(o.reason)}"/></properties>`,
      body,
      '  </testsuite>',
    ].join('\n'),
    failed,
    errored,
  };
}

/** The document piece by piece (a suite's cases one at a time), for writing without holding the whole text. */
export function* junitChunks(findings: Findings): Generator<string> {
  const gate = gateSuite(findings);
  const byCheck = new Map<string, Result[]>();
  for (const r of findings.results) {
    const list = byCheck.get(r.checkId) ?? [];
    list.push(r);
    byCheck.set(r.checkId, list);
  }
  // Observations are skipped, never counted as failures.
  const count = (list: Result[], ...statuses: string[]): number => list.filter((r) => statuses.includes(r.status) && r.observation !== true).length;
  const skipped = (list: Result[]): number => list.filter((r) => ['MANUAL', 'NOT_APPLICABLE', 'NOT_TESTED', 'WAIVED'].includes(r.status) || r.observation === true).length;
  const all = findings.results;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  // No "skipped" on the root: Jenkins' JUnit schema refuses it there (each suite carries its own count).
  yield `<testsuites name="trailproof audit ${xmlEscape(findings.run.id)}" tests="${all.length + 1}" failures="${count(all, 'FAIL') + gate.failed}" errors="${count(all, 'ERROR') + gate.errored}" time="0">\n`;
  yield `${gate.xml}\n`;
  for (const [checkId, list] of [...byCheck.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const title = list[0]?.title ?? checkId;
    yield `  <testsuite name="${xmlEscape(checkId)}" tests="${list.length}" failures="${count(list, 'FAIL')}" errors="${count(list, 'ERROR')}" skipped="${skipped(list)}" time="0" timestamp="${findings.run.finishedAt}">\n`;
    yield `    <properties><property name="title" value="${xmlEscape(title)}"/><property name="severity" value="${list[0]?.severity ?? ''}"/></properties>\n`;
    for (const r of list) yield `${testCase(r)}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

export function renderJunit(findings: Findings): string {
  return [...junitChunks(findings)].join('');
}
