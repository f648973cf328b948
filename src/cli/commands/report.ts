// `trailproof report --findings FILE`: renders a saved findings file to HTML, PDF and the machine formats,
// with the changes since a previous audit, and emails the PDF (src/output/write-report.ts, which audit calls too),
// then imports the findings into Security Hub when asked. The report modules load when it runs.
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { defineCommand, type ArgsOf } from '../command.js';
import type { Io } from '../io.js';
import { splitList } from '../options.js';
import { FORMATS as REPORT_FORMATS } from '../../output/index.js';
import { importToSecurityHub, securityHubAccessOptions, securityHubOption } from './security-hub.js';
import { resolveSigner, signingOptions, signingFlags } from '../signing.js';
import { StatusLine, progressModeOf } from '../../progress.js';

export const reportOptions = {
  findings: { type: 'string', describe: 'The findings file to render (findings.json from `audit` or `scan`)', requiresArg: true, demandOption: true },
  format: { type: 'string', describe: `Comma list of formats: ${REPORT_FORMATS.join(',')} (default html,pdf)`, requiresArg: true },
  out: { type: 'string', describe: 'Write the reports into this folder (report.html, report.pdf, ...)', requiresArg: true },
  previous: { type: 'string', describe: 'The previous audit\'s findings file, for "changes since the previous audit"', requiresArg: true },
  history: { type: 'string', describe: 'A folder of earlier runs (their findings.json, up to 3 folders deep): trends over the earlier audits of the same organization; the latest one is the previous audit', requiresArg: true },
  templates: { type: 'string', describe: 'A folder whose files override templates/ (report.hbs, report.css, partials/*.hbs ...)', requiresArg: true },
  bundle: { type: 'string', describe: 'The evidence bundle the findings cite (default: the path the findings record), for excerpts and the file list', requiresArg: true },
  period: { type: 'string', describe: 'The period the report covers: 2026-Q3, 2026-H2, 2026-09 or 2026', requiresArg: true },
  from: { type: 'string', describe: 'Start of the period (date or ISO-8601 instant, UTC)', requiresArg: true },
  to: { type: 'string', describe: 'End of the period, inclusive (a date includes the whole day)', requiresArg: true },
  paper: { type: 'string', choices: ['a4', 'letter'], describe: 'PDF paper size (default a4)' },
  'email-to': { type: 'string', array: true, describe: 'Email the PDF to this address (repeatable; needs --out)', requiresArg: true },
  'email-transport': { type: 'string', choices: ['smtp', 'ses'], describe: 'smtp (server from the config or TRAILPROOF_SMTP_*) or ses (Amazon SES v2)' },
  'email-from': { type: 'string', describe: 'Sender address (else TRAILPROOF_EMAIL_FROM or email.from in the config)', requiresArg: true },
  'email-subject': { type: 'string', describe: 'Subject line (default: organization, period and verdict)', requiresArg: true },
  'sarif-all': { type: 'boolean', describe: 'findings.sarif carries every result (PASS, NOT_APPLICABLE, WAIVED too), not only FAIL, ERROR, MANUAL and detections' },
  ...signingOptions,
} as const;

const REPORT_TABLES = [reportOptions, securityHubOption, {
  ...securityHubAccessOptions,
  region: { type: 'string', requiresArg: true, describe: 'Region for STS with --security-hub, and of --sign-kms-key when it is not an ARN (default AWS_REGION, else us-east-1)' },
  profile: { type: 'string', requiresArg: true, describe: 'AWS profile for --security-hub and --sign-kms-key (default: the SDK default credential chain)' },
}] as const;

export async function report(args: ArgsOf<typeof REPORT_TABLES>, io: Io): Promise<number> {
  // The report modules load when a report is written.
  const { planReport, writeReport } = await import('../../output/write-report.js');
  const plan = planReport({ formats: splitList(args.format), out: args.out, previous: args.previous, history: args.history, emailTo: splitList(args['email-to']) });
  // The signing key is read first: a bad key fails before anything is rendered, and its fingerprint goes on the cover.
  const signer = await resolveSigner(signingFlags(args), args.out, io);
  const { config, baseDir } = loadConfig(args.config, io.cwd);
  const findings = await writeReport({
    ...plan,
    findingsPath: resolve(io.cwd, args.findings),
    out: args.out,
    previous: args.previous,
    history: args.history,
    templates: args.templates,
    bundle: args.bundle,
    period: { period: args.period, from: args.from, to: args.to },
    paper: args.paper,
    emailTransport: args['email-transport'],
    emailFrom: args['email-from'],
    emailSubject: args['email-subject'],
    sarifAll: args['sarif-all'] === true,
    config,
    configBaseDir: baseDir,
    signer,
    command: 'report',
    cwd: io.cwd,
    env: io.env,
    log: (text) => {
      if (!args.quiet) io.stderr(`${text}\n`);
    },
    stdout: (text) => io.stdout(text),
    // --quiet: no display, and the "wrote" lines go to log, which says nothing.
    status: args.quiet ? undefined : new StatusLine({ mode: progressModeOf({ quiet: false, progress: args.progress !== false, stderrIsTty: io.stderrIsTty === true }), write: io.stderr, intervalMs: 5000, redrawMs: 250, plainPrefix: 'trailproof: ' }),
  });
  if (args['security-hub'] === true) {
    await importToSecurityHub(findings, { profile: args.profile, region: args.region, assumeRole: args['assume-role'], externalId: args['external-id'] }, io);
  }
  return 0;
}

export const command = defineCommand({
  name: 'report',
  describe: 'Render a findings file to HTML/PDF and other formats, compare with the previous audit, email the PDF',
  options: REPORT_TABLES,
  builder: (y) =>
    y
      .example('$0 report --findings reports/q3/findings.json --out reports/q3 --period 2026-Q3 --history reports', 'The quarterly HTML and PDF, with changes since the last quarter')
      .example('$0 report --findings findings.json --out out --email-to audit@example.com', 'Email the PDF (SMTP server from TRAILPROOF_SMTP_* or the config)')
      .example('$0 report --findings findings.json --format markdown >> "$GITHUB_STEP_SUMMARY"', 'A summary for a CI job page')
      .example('$0 report --findings findings.json --out out --format asff --security-hub --assume-role TrailproofAudit', 'Write findings.asff.json and import it into each account\'s Security Hub'),
  run: report,
});
