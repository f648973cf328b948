// `trailproof report --findings FILE`: renders a saved findings file to HTML, PDF and the machine formats,
// with the changes since a previous audit, and emails the PDF. The report modules load when it runs.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';
import { arg, type CommandSpec } from '../command.js';
import type { Io } from '../io.js';
import { splitList } from '../options.js';
import { FORMATS as REPORT_FORMATS } from '../../output/index.js';
import type { Findings } from '../../model/types.js';
import type { SecurityHubOptions } from '../../collect/securityhub.js';
import { importToSecurityHub, securityHubAccessOptions, securityHubOption } from './security-hub.js';
import type { Signer } from '../../attest/dsse.js';
import { resolveSigner, signingOptions, signingFlags, type SigningFlags } from '../signing.js';
import { StatusLine, progressModeOf } from '../../progress.js';

export interface ReportArgs {
  findings: string;
  format?: string;
  out?: string;
  previous?: string;
  history?: string;
  templates?: string;
  bundle?: string;
  period?: string;
  from?: string;
  to?: string;
  paper?: string;
  emailTo?: string[];
  emailTransport?: string;
  emailFrom?: string;
  emailSubject?: string;
  config?: string;
  /** --sarif-all: findings.sarif carries every result, not only those that need attention. */
  sarifAll?: boolean;
  /** --security-hub: import the findings into Security Hub, with these credentials. */
  securityHub?: SecurityHubOptions;
  quiet: boolean;
  /** --no-progress: plain progress lines even on a terminal. */
  progress?: boolean;
  /** The findings already in memory (audit renders what it just wrote): not read and parsed again. */
  preloaded?: { findings: Findings; sha256: string; bytes?: Uint8Array };
  /** --sign-key / --sign-kms-key (with --region/--profile for KMS). */
  signing?: SigningFlags;
  /** A signer already resolved (audit resolves it before the run): used instead of `signing`. */
  signer?: Signer;
}

export const reportOptions = {
  findings: { type: 'string', describe: 'The findings file to render (findings.json from `audit` or `scan`)', requiresArg: true, demandOption: true },
  format: { type: 'string', describe: `Comma list of formats: ${REPORT_FORMATS.join(',')} (default html,pdf)`, requiresArg: true },
  out: { type: 'string', describe: 'Write the reports into this folder (report.html, report.pdf, ...)', requiresArg: true },
  previous: { type: 'string', describe: 'The previous audit\'s findings file, for "changes since the previous audit"', requiresArg: true },
  history: { type: 'string', describe: 'A folder of earlier runs (each with its findings.json): the latest earlier one is the previous audit', requiresArg: true },
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

function existingDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export async function report(args: ReportArgs, io: Io): Promise<number> {
  const { isReportFormat, writeReports, renderOne, emailReport, reportRenderers } = await import('../../output/write.js');
  const { loadFindings, latestEarlierRun } = await import('../../report/findings-file.js');
  const { parsePeriod } = await import('../../model/period.js');
  const { resolveEmailSettings, checkAddress } = await import('../../email/settings.js');
  const log = (text: string): void => {
    if (!args.quiet) io.stderr(`${text}\n`);
  };

  const names = splitList(args.format);
  for (const name of names) if (!isReportFormat(name)) throw new TrailproofError('TP_USAGE', `--format: unknown format "${name}"; available: ${REPORT_FORMATS.join(', ')}`);
  const emailTo = splitList(args.emailTo).map((a) => checkAddress(a, '--email-to'));
  let formats = [...new Set(names.length > 0 ? names : args.out !== undefined ? ['html', 'pdf'] : [])].filter(isReportFormat);
  if (emailTo.length > 0 && !formats.includes('pdf')) formats = [...formats, 'pdf'];
  if (args.previous !== undefined && args.history !== undefined) throw new TrailproofError('TP_USAGE', '--previous and --history both name the previous audit: give one');
  if (emailTo.length > 0 && args.out === undefined) throw new TrailproofError('TP_USAGE', '--email-to needs --out DIR: the reports are kept on disk whatever happens to the email');
  if (args.out === undefined) {
    if (formats.length !== 1) throw new TrailproofError('TP_USAGE', formats.length === 0 ? 'give --out DIR (or one text --format to print to stdout)' : `--format ${formats.join(',')}: several formats need --out DIR`);
    if (reportRenderers[formats[0] as keyof typeof reportRenderers].binary) throw new TrailproofError('TP_USAGE', `--format ${formats[0]} is binary and cannot go to stdout: give --out DIR`);
  }

  // The signing key is read first: a bad key fails before anything is rendered, and its fingerprint goes on the cover.
  const signer = args.signer ?? (await resolveSigner(args.signing ?? {}, args.out, io));
  const { config, baseDir } = loadConfig(args.config, io.cwd);
  const emailSettings = emailTo.length > 0
    ? resolveEmailSettings(config.email, io.env, { transport: args.emailTransport, from: args.emailFrom })
    : undefined;
  const findingsPath = resolve(io.cwd, args.findings);
  const loaded = args.preloaded ?? loadFindings(findingsPath);
  const { findings } = loaded;

  const ctx: Parameters<typeof writeReports>[3] = { findingsSha256: loaded.sha256, warn: (m) => log(`trailproof: warning: ${m}`) };
  const branding = config.report ?? {};
  ctx.branding = { ...branding, ...(branding.logo ? { logo: resolve(baseDir, branding.logo) } : {}) };
  if (args.templates !== undefined) ctx.templatesDir = resolve(io.cwd, args.templates);
  const paper = args.paper ?? config.report?.paper;
  if (paper === 'a4' || paper === 'letter') ctx.paper = paper;
  if (args.sarifAll === true) ctx.sarifInclude = 'all';
  if (signer !== undefined) ctx.signingKey = { keyid: signer.keyid, kind: signer.kind, name: signer.name };
  const period = parsePeriod({ period: args.period, from: args.from, to: args.to });
  if (period) ctx.period = period;

  // Excerpts come from the bundle the findings cite: --bundle, else the recorded path (relative to the
  // working folder, then to the findings file's folder).
  const recorded = findings.run.bundle?.path;
  const bundleCandidates = args.bundle !== undefined ? [resolve(io.cwd, args.bundle)] : recorded !== undefined ? [resolve(io.cwd, recorded), resolve(dirname(findingsPath), recorded)] : [];
  const bundleDir = bundleCandidates.find(existingDir);
  if (args.bundle !== undefined && bundleDir === undefined) throw new TrailproofError('TP_USAGE', `--bundle ${args.bundle}: not a folder`);
  if (bundleDir !== undefined) ctx.bundleDir = bundleDir;
  else if (recorded !== undefined && formats.some((f) => f === 'html' || f === 'pdf')) log(`trailproof: evidence bundle ${recorded} not found: the report shows evidence references and SHA-256 only (give --bundle DIR for excerpts)`);

  if (args.previous !== undefined) {
    const previous = loadFindings(resolve(io.cwd, args.previous));
    ctx.previous = previous.findings;
    ctx.previousFile = args.previous;
  } else if (args.history !== undefined) {
    const found = latestEarlierRun(resolve(io.cwd, args.history), findings);
    if (found) {
      ctx.previous = found.findings;
      ctx.previousFile = relative(io.cwd, found.file) || found.file;
      log(`trailproof: previous audit: ${ctx.previousFile} (run ${found.findings.run.id})`);
    } else log(`trailproof: no earlier audit in ${args.history}: the report has no "changes since" comparison`);
  }

  if (args.out === undefined) {
    io.stdout(String(await renderOne(formats[0] as (typeof formats)[number], findings, ctx)));
    if (args.securityHub) await importToSecurityHub(findings, args.securityHub, io);
    return 0;
  }
  const outDir = resolve(io.cwd, args.out);
  // The one progress display: which format is rendering (a PDF takes seconds), between the "wrote" lines.
  const status = new StatusLine({ mode: progressModeOf({ quiet: args.quiet, progress: args.progress !== false, stderrIsTty: io.stderrIsTty === true }), write: io.stderr, intervalMs: 5000, redrawMs: 250, plainPrefix: 'trailproof: ' });
  let done = 0;
  status.repeat((ms) => `report: rendering ${formats[done] ?? ''} (${done + 1} of ${formats.length}), ${(ms / 1000).toFixed(0)}s`);
  let written;
  try {
    written = await writeReports(findings, formats, outDir, ctx, {
      ...(loaded.bytes === undefined ? {} : { originalJson: loaded.bytes }),
      onWritten: (w) => {
        done++;
        if (!args.quiet) status.log(`wrote ${relative(io.cwd, w.path) || w.path} (${Math.max(1, Math.round(w.bytes.length / 1024))} KB${w.pages !== undefined ? `, ${w.pages} pages` : ''})\n`);
      },
    });
  } finally {
    status.done();
  }
  // The attestation is written last, over every file this run wrote and the findings file when it is in the folder.
  if (signer !== undefined) {
    const { signOutputs } = await import('../../attest/folder.js');
    const files = [...written.map((w) => w.path), ...(dirname(findingsPath) === outDir ? [findingsPath] : [])];
    if (bundleDir === undefined && recorded !== undefined) log(`trailproof: warning: evidence bundle ${recorded} not found: the attestation names findings.json (which records the manifest's SHA-256) but not the bundle's manifest.json (give --bundle DIR)`);
    const signed = await signOutputs({ outDir, files, ...(bundleDir === undefined ? {} : { bundleDir }), findings, findingsSha256: loaded.sha256, command: args.preloaded ? 'audit' : 'report', signer }); // only audit hands its findings over preloaded
    log(`wrote ${relative(io.cwd, signed.path) || signed.path} (${signed.subjects.length} subjects, key ${signer.keyid})`);
  }
  if (emailSettings) {
    const pdf = written.find((w) => w.format === 'pdf');
    if (!pdf) throw new TrailproofError('TP_OUTPUT_FAILED', 'no PDF was written to attach');
    try {
      const sent = await emailReport(findings, pdf, emailTo, emailSettings, ctx, args.emailSubject);
      log(`emailed ${relative(io.cwd, pdf.path) || pdf.path} to ${sent.accepted.join(', ')} through ${sent.transport}${sent.messageId ? ` (message ${sent.messageId})` : ''}`);
    } catch (err) {
      if (err instanceof TrailproofError) throw new TrailproofError(err.code, `${err.message}; the reports are kept in ${relative(io.cwd, outDir) || outDir}`, { cause: err });
      throw err;
    }
  }
  if (args.securityHub) await importToSecurityHub(findings, args.securityHub, io);
  return 0;
}

export const command: CommandSpec = {
  name: 'report',
  describe: 'Render a findings file to HTML/PDF and other formats, compare with the previous audit, email the PDF',
  builder: (y) =>
    y
      .options(reportOptions)
      .options(securityHubOption)
      .options({
        ...securityHubAccessOptions,
        region: { type: 'string', requiresArg: true, describe: 'Region for STS with --security-hub, and of --sign-kms-key when it is not an ARN (default AWS_REGION, else us-east-1)' },
        profile: { type: 'string', requiresArg: true, describe: 'AWS profile for --security-hub and --sign-kms-key (default: the SDK default credential chain)' },
      })
      .example('$0 report --findings reports/q3/findings.json --out reports/q3 --period 2026-Q3 --history reports', 'The quarterly HTML and PDF, with changes since the last quarter')
      .example('$0 report --findings findings.json --out out --email-to audit@example.com', 'Email the PDF (SMTP server from TRAILPROOF_SMTP_* or the config)')
      .example('$0 report --findings findings.json --format markdown >> "$GITHUB_STEP_SUMMARY"', 'A summary for a CI job page')
      .example('$0 report --findings findings.json --out out --format asff --security-hub --assume-role TrailproofAudit', 'Write findings.asff.json and import it into each account\'s Security Hub'),
  run: (args, io) => {
    const parsed: ReportArgs = { findings: arg.string(args, 'findings') ?? '', quiet: arg.boolean(args, 'quiet'), progress: args['progress'] !== false };
    const set = <K extends keyof ReportArgs>(key: K, value: ReportArgs[K] | undefined): void => {
      if (value !== undefined) parsed[key] = value;
    };
    set('format', arg.string(args, 'format'));
    set('out', arg.string(args, 'out'));
    set('previous', arg.string(args, 'previous'));
    set('history', arg.string(args, 'history'));
    set('templates', arg.string(args, 'templates'));
    set('bundle', arg.string(args, 'bundle'));
    set('period', arg.string(args, 'period'));
    set('from', arg.string(args, 'from'));
    set('to', arg.string(args, 'to'));
    set('paper', arg.string(args, 'paper'));
    set('emailTo', arg.strings(args, 'email-to'));
    set('emailTransport', arg.string(args, 'email-transport'));
    set('emailFrom', arg.string(args, 'email-from'));
    set('emailSubject', arg.string(args, 'email-subject'));
    set('config', arg.string(args, 'config'));
    if (arg.boolean(args, 'sarif-all')) parsed.sarifAll = true;
    if (arg.boolean(args, 'security-hub')) {
      parsed.securityHub = { profile: arg.string(args, 'profile'), region: arg.string(args, 'region'), assumeRole: arg.string(args, 'assume-role'), externalId: arg.string(args, 'external-id') };
    }
    parsed.signing = signingFlags(args);
    return report(parsed, io);
  },
};
