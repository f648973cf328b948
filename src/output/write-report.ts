// Writing the report of one set of findings: the formats checked against what is asked (stdout takes one text
// format, email needs a folder), the previous audit and the earlier ones of --history found (trends), excerpts
// from the evidence bundle the findings cite, every format written into the folder (or one to stdout), the
// attestation signed last over what was written, and the PDF emailed. `trailproof report` calls it over a saved
// findings file and `trailproof audit` over the findings it just wrote: one function, so the two cannot drift.
// It prints through the callbacks it is given.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Signer } from '../attest/dsse.js';
import type { Config } from '../config/load.js';
import { checkAddress, resolveEmailSettings } from '../email/settings.js';
import { TrailproofError } from '../errors.js';
import type { Findings } from '../model/types.js';
import type { StatusLine } from '../progress.js';
import { loadFindings, type LoadedFindings } from '../report/findings-file.js';
import { loadHistory, otherOrganization } from '../report/trends-history.js';
import { parsePeriod, type PeriodFlags } from '../model/period.js';
import { emailReport, isReportFormat, renderOne, REPORT_FORMATS, reportRenderers, writeReports, type ReportFormat } from './write.js';

/** What to write, as asked (names and addresses not yet checked). */
export interface ReportAsk {
  formats: string[];
  out?: string | undefined;
  previous?: string | undefined;
  history?: string | undefined;
  emailTo?: string[] | undefined;
}

/** The formats to write and the addresses to email, checked. */
export interface ReportPlan {
  formats: ReportFormat[];
  emailTo: string[];
}

/** Checks the formats and their destinations before anything is read: html,pdf by default with a folder. */
export function planReport(ask: ReportAsk): ReportPlan {
  for (const name of ask.formats) if (!isReportFormat(name)) throw new TrailproofError('TP_USAGE', `--format: unknown format "${name}"; available: ${REPORT_FORMATS.join(', ')}`);
  const emailTo = (ask.emailTo ?? []).map((a) => checkAddress(a, '--email-to'));
  let formats = [...new Set(ask.formats.length > 0 ? ask.formats : ask.out !== undefined ? ['html', 'pdf'] : [])].filter(isReportFormat);
  if (emailTo.length > 0 && !formats.includes('pdf')) formats = [...formats, 'pdf'];
  if (ask.previous !== undefined && ask.history !== undefined) throw new TrailproofError('TP_USAGE', '--previous and --history both name the previous audit: give one');
  if (emailTo.length > 0 && ask.out === undefined) throw new TrailproofError('TP_USAGE', '--email-to needs --out DIR: the reports are kept on disk whatever happens to the email');
  if (ask.out === undefined) {
    if (formats.length !== 1) throw new TrailproofError('TP_USAGE', formats.length === 0 ? 'give --out DIR (or one text --format to print to stdout)' : `--format ${formats.join(',')}: several formats need --out DIR`);
    if (reportRenderers[formats[0] as ReportFormat].binary) throw new TrailproofError('TP_USAGE', `--format ${formats[0]} is binary and cannot go to stdout: give --out DIR`);
  }
  return { formats, emailTo };
}

export interface ReportRequest extends ReportPlan {
  /** The findings file (for the attestation, and to find the bundle it records relative to it). */
  findingsPath: string;
  /** The findings already in memory (audit renders what it just wrote): used instead of reading the file. */
  preloaded?: Pick<LoadedFindings, 'findings' | 'sha256'> & { bytes?: Uint8Array };
  out?: string | undefined;
  previous?: string | undefined;
  history?: string | undefined;
  templates?: string | undefined;
  /** The evidence bundle the findings cite (default: the path the findings record). */
  bundle?: string | undefined;
  period?: PeriodFlags;
  paper?: string | undefined;
  emailTransport?: string | undefined;
  emailFrom?: string | undefined;
  emailSubject?: string | undefined;
  /** findings.sarif carries every result, not only those that need attention. */
  sarifAll?: boolean;
  config: Config;
  /** The config file's folder (the logo path in it is relative to it). */
  configBaseDir: string;
  signer?: Signer | undefined;
  /** The command named in the attestation. */
  command: 'audit' | 'report';
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A line of progress or warning (the caller decides whether to show it). */
  log(text: string): void;
  /** A "wrote FILE" line; default: log (audit passes none: its own summary names the files). */
  wrote?: (line: string) => void;
  /** Machine output, when one format goes to stdout. */
  stdout(text: string): void;
  /** The progress display while the formats render (trailproof report); without it, "wrote" lines go to log. */
  status?: StatusLine | undefined;
}

function existingDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Writes the report; returns the findings it rendered. */
export async function writeReport(request: ReportRequest): Promise<Findings> {
  const { cwd, log, formats, emailTo, signer, config } = request;
  const wrote = request.wrote ?? log;
  const emailSettings = emailTo.length > 0
    ? resolveEmailSettings(config.email, request.env, { transport: request.emailTransport, from: request.emailFrom })
    : undefined;
  const findingsPath = request.findingsPath;
  const loaded: NonNullable<ReportRequest['preloaded']> = request.preloaded ?? loadFindings(findingsPath);
  const { findings } = loaded;

  const ctx: Parameters<typeof writeReports>[3] = { findingsSha256: loaded.sha256, warn: (m) => log(`trailproof: warning: ${m}`) };
  const branding = config.report ?? {};
  ctx.branding = { ...branding, ...(branding.logo ? { logo: resolve(request.configBaseDir, branding.logo) } : {}) };
  if (request.templates !== undefined) ctx.templatesDir = resolve(cwd, request.templates);
  // --paper, else the config's report.paper.
  const paper = request.paper ?? config.report?.paper;
  if (paper === 'a4' || paper === 'letter') ctx.paper = paper;
  if (request.sarifAll === true) ctx.sarifInclude = 'all';
  if (signer !== undefined) ctx.signingKey = { keyid: signer.keyid, kind: signer.kind, name: signer.name };
  const period = parsePeriod(request.period ?? {});
  if (period) ctx.period = period;

  // Excerpts come from the bundle the findings cite: --bundle, else the recorded path (relative to the
  // working folder, then to the findings file's folder).
  const recorded = findings.run.bundle?.path;
  const bundleCandidates = request.bundle !== undefined ? [resolve(cwd, request.bundle)] : recorded !== undefined ? [resolve(cwd, recorded), resolve(dirname(findingsPath), recorded)] : [];
  const bundleDir = bundleCandidates.find(existingDir);
  if (request.bundle !== undefined && bundleDir === undefined) throw new TrailproofError('TP_USAGE', `--bundle ${request.bundle}: not a folder`);
  if (bundleDir !== undefined) ctx.bundleDir = bundleDir;
  else if (recorded !== undefined && formats.some((f) => f === 'html' || f === 'pdf')) log(`trailproof: evidence bundle ${recorded} not found: the report shows evidence references and SHA-256 only (give --bundle DIR for excerpts)`);

  if (request.previous !== undefined) {
    const previous = loadFindings(resolve(cwd, request.previous));
    // A comparison across organizations would list every result as new and every old one as gone: refused when
    // both files name their organization, said when only their accounts tell.
    const other = otherOrganization(findings, previous.findings);
    const ids = [findings.run.organization?.id, previous.findings.run.organization?.id];
    if (other !== null && ids.every((id) => id !== undefined)) throw new TrailproofError('TP_USAGE', `--previous ${request.previous}: ${other}; give an earlier findings file of the same organization`);
    if (other !== null) log(`trailproof: warning: --previous ${request.previous}: ${other}; the "changes since" section compares them anyway`);
    ctx.previous = previous.findings;
    ctx.previousFile = request.previous;
  } else if (request.history !== undefined) {
    // Every earlier audit of the same organization makes the trends; the latest is the previous audit. A file
    // that cannot be used is named once here, and in the report's trends.
    // The run's period as the report states it (--period over what the findings record) orders it among the others.
    const self = period ? { ...findings, run: { ...findings.run, period: { from: period.from, to: period.to } } } : findings;
    const history = loadHistory(resolve(cwd, request.history), self, (file) => relative(cwd, file) || file);
    for (const skip of history.skipped) log(`trailproof: history: skipped ${skip.file}: ${skip.reason}`);
    ctx.history = history;
    const latest = history.audits[history.audits.length - 1];
    if (latest) {
      ctx.previous = latest.findings;
      ctx.previousFile = latest.file;
      log(`trailproof: previous audit: ${latest.file} (run ${latest.findings.run.id}); trends over ${history.audits.length + 1} audits`);
    } else log(`trailproof: no earlier audit in ${request.history}: the report has no "changes since" comparison, and its trends show this run alone`);
  }

  if (request.out === undefined) {
    request.stdout(String(await renderOne(formats[0] as ReportFormat, findings, ctx)));
    return findings;
  }
  const outDir = resolve(cwd, request.out);
  // The one progress display (src/progress.ts), when the caller gives one: which format is rendering (a PDF
  // takes seconds), between the "wrote" lines.
  const { status } = request;
  let done = 0;
  status?.repeat((ms) => `report: rendering ${formats[done] ?? ''} (${done + 1} of ${formats.length}), ${(ms / 1000).toFixed(0)}s`);
  let written;
  try {
    written = await writeReports(findings, formats, outDir, ctx, {
      ...(loaded.bytes === undefined ? {} : { originalJson: loaded.bytes }),
      onWritten: (w) => {
        done++;
        const line = `wrote ${relative(cwd, w.path) || w.path} (${Math.max(1, Math.round(w.size / 1024))} KB${w.pages !== undefined ? `, ${w.pages} pages` : ''})`;
        if (status) status.log(`${line}\n`);
        else wrote(line);
      },
    });
  } finally {
    status?.done();
  }
  // The attestation is written last, over every file this run wrote and the findings file when it is in the folder.
  if (signer !== undefined) {
    const { signOutputs } = await import('../attest/folder.js');
    const files = [...written.map((w) => w.path), ...(dirname(findingsPath) === outDir ? [findingsPath] : [])];
    if (bundleDir === undefined && recorded !== undefined) log(`trailproof: warning: evidence bundle ${recorded} not found: the attestation names findings.json (which records the manifest's SHA-256) but not the bundle's manifest.json (give --bundle DIR)`);
    const signed = await signOutputs({ outDir, files, ...(bundleDir === undefined ? {} : { bundleDir }), findings, findingsSha256: loaded.sha256, command: request.command, signer });
    wrote(`wrote ${relative(cwd, signed.path) || signed.path} (${signed.subjects.length} subjects, key ${signer.keyid})`);
  }
  if (emailSettings) {
    const pdf = written.find((w) => w.format === 'pdf');
    if (!pdf) throw new TrailproofError('TP_OUTPUT_FAILED', 'no PDF was written to attach');
    try {
      const sent = await emailReport(findings, pdf, emailTo, emailSettings, ctx, request.emailSubject);
      log(`emailed ${relative(cwd, pdf.path) || pdf.path} to ${sent.accepted.join(', ')} through ${sent.transport}${sent.messageId ? ` (message ${sent.messageId})` : ''}`);
    } catch (err) {
      if (err instanceof TrailproofError) throw new TrailproofError(err.code, `${err.message}; the reports are kept in ${relative(cwd, outDir) || outDir}`, { cause: err });
      throw err;
    }
  }
  return findings;
}
