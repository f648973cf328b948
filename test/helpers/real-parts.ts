// The real parts the suite exercises (Chromium, a real SMTP server, moto over HTTP, the AWS CLI's own
// validate-logs code, DuckDB, the SigmaHQ corpus, the PDF/XML tools ...) and whether each one ran. A test
// that needs a missing part skips through skipWithout(), which names the part and why it is missing, and
// a test that uses a part says so with ran(); the root hook (real-parts-hooks.ts) prints one line per part
// at the end of the run and, in CI, fails the run when any part did not run. A green CI run therefore says
// that every real part was exercised, not only that nothing failed.
import { spawnSync } from 'node:child_process';

export const REAL_PARTS = {
  chromium: 'Chromium (HTML to PDF through Puppeteer)',
  smtp: 'SMTP (a real loopback server, smtp-server)',
  moto: 'moto over HTTP (python3 -m moto.server)',
  'aws-cli': 'the AWS CLI oracle (awscli validate-logs code)',
  botocore: 'botocore (SigV4 oracle)',
  duckdb: 'DuckDB (@duckdb/node-api)',
  sigmahq: 'the SigmaHQ corpus (../shared/data)',
  'demo-org': 'the demo organization (examples/demo-org)',
  pdftotext: 'pdftotext/pdfinfo (poppler-utils)',
  qpdf: 'qpdf --check',
  xmllint: 'xmllint (libxml2-utils)',
  tar: 'the system tar',
  'sarif-schema': 'the SARIF 2.1.0 JSON Schema',
  'sarif-multitool': 'the SARIF Multitool (@microsoft/sarif-multitool validate, GitHub rules)',
  openssl: 'openssl (independent check of signed attestations)',
} as const;

export type RealPart = keyof typeof REAL_PARTS;

interface Use {
  ran: number;
  skipped: Map<string, number>;
}

export interface PartLine {
  part: RealPart;
  ok: boolean;
  /** ran, skipped (why) or not exercised */
  status: string;
  line: string;
}

/** True when the CI variable is set to anything but an empty string, 0 or false. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** What ran and what skipped, part by part. The suite shares one (realParts); the helper's own test makes its own. */
export class RealPartsRecord {
  private readonly uses = new Map<RealPart, Use>();

  private useOf(part: RealPart): Use {
    let use = this.uses.get(part);
    if (!use) {
      use = { ran: 0, skipped: new Map() };
      this.uses.set(part, use);
    }
    return use;
  }

  /** Records that a test exercised the part. */
  ran(part: RealPart): void {
    this.useOf(part).ran++;
  }

  /** Records a skip for want of the part, with the reason. */
  skipped(part: RealPart, why: string): void {
    const use = this.useOf(part);
    use.skipped.set(why, (use.skipped.get(why) ?? 0) + 1);
  }

  /** One line per known part, in a fixed order: ran, skipped (why) or not exercised. */
  lines(): PartLine[] {
    return (Object.keys(REAL_PARTS) as RealPart[]).map((part) => {
      const status = this.statusOf(part);
      return { part, ok: status === 'ran', status, line: `${part.padEnd(15)} ${REAL_PARTS[part]}: ${status}` };
    });
  }

  private statusOf(part: RealPart): string {
    const use = this.uses.get(part);
    if (!use || (use.ran === 0 && use.skipped.size === 0)) return 'not exercised (no test used it in this run)';
    if (use.skipped.size === 0) return 'ran';
    const skips = [...use.skipped].map(([why, n]) => (n > 1 ? `${why} (${n} times)` : why)).join('; ');
    return `${use.ran > 0 ? 'ran in part, ' : ''}skipped (${skips})`;
  }
}

/** The run's record, read by the root hook at the end. */
export const realParts = new RealPartsRecord();

/** Records that a test exercised the part. */
export function ran(part: RealPart): void {
  realParts.ran(part);
}

/**
 * Skips the current test or suite (call in it() or before()) because `part` is missing, saying which part and
 * why on stderr and in the closing real-parts lines. In CI the skip fails the run (--forbid-pending and the
 * root hook), so the reason should say how to get the part.
 */
export function skipWithout(ctx: Mocha.Context, part: RealPart, why: string): never {
  realParts.skipped(part, why);
  console.warn(`      skipped: needs ${REAL_PARTS[part]}: ${why}`);
  ctx.skip();
}

/** Skips without the part when `missing` says why it is missing, and otherwise records that it runs. */
export function requirePart(ctx: Mocha.Context, part: RealPart, missing: string | undefined): void {
  if (missing !== undefined) skipWithout(ctx, part, missing);
  ran(part);
}

/** Why a command-line tool cannot run here, or undefined when it answers. */
export function toolMissing(name: string, pkg: string): string | undefined {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  return probe.error === undefined ? undefined : `${name} is not on PATH (apt-get install ${pkg})`;
}
