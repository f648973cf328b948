// Sending the report: over SMTP to a real loopback server (STARTTLS required by default, so a server that
// offers none is refused before any credentials travel) and through Amazon SES v2 against moto over HTTP.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resolveEmailSettings } from '../../src/email/settings.js';
import { fixtureFindings, writeFixtureBundle } from '../report/fixtures.js';
import { requireReal } from '../report/real-tools.js';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { withEnv } from '../helpers/env.js';
import { requireMoto, startMoto, type MotoServer } from '../helpers/moto.js';
import { ran } from '../helpers/real-parts.js';

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  mail: ParsedMail;
}

/**
 * A real SMTP server on loopback that offers no STARTTLS, requires a login, and keeps every login attempt
 * (user and password as they arrived) and every message it receives.
 */
async function startSmtp(): Promise<{ port: number; received: Received[]; logins: { user: string; password: string }[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const logins: { user: string; password: string }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (auth.username === 'reports' && auth.password === 's3cret-pass') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), user: typeof session.user === 'string' ? session.user : undefined, mail });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  ran('smtp');
  return { port, received, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * A loopback server that hangs up on every connection before the SMTP greeting. It keeps its port for the
 * whole test (a port probed, released and then dialled could meanwhile belong to anything).
 */
async function hangingUp(): Promise<{ port: number; close(): Promise<void> }> {
  const s = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

describe('emailing the report', function () {
  this.timeout(120_000);
  let findingsFile: string;

  before(function () {
    requireReal(this, { chromium: true });
    const bundle = writeFixtureBundle();
    findingsFile = join(mkdtempSync(join(tmpdir(), 'trailproof-email-')), 'findings.json');
    writeFileSync(findingsFile, JSON.stringify(fixtureFindings(bundle), null, 2));
  });

  it('sends the PDF over SMTP on loopback with a summary, to every recipient', async () => {
    const smtp = await startSmtp();
    try {
      const out = mkdtempSync(join(tmpdir(), 'trailproof-email-out-'));
      const io = memoryIo();
      io.env = { ...io.env, TRAILPROOF_SMTP_HOST: '127.0.0.1', TRAILPROOF_SMTP_PORT: String(smtp.port), TRAILPROOF_SMTP_TLS: 'none', TRAILPROOF_SMTP_USER: 'reports', TRAILPROOF_SMTP_PASSWORD: 's3cret-pass', TRAILPROOF_EMAIL_FROM: 'trailproof@example.com' };
      const code = await main(['report', '--findings', findingsFile, '--out', out, '--format', 'html', '--email-to', 'audit@example.com', '--email-to', 'ciso@example.com', '--period', '2026-Q3'], io);
      expect(io.err).to.contain('emailed');
      expect(code).to.equal(0);
      expect(smtp.received).to.have.length(1);
      const got = smtp.received[0] as Received;
      expect(got.user).to.equal('reports');
      expect(got.from).to.equal('trailproof@example.com');
      expect(got.to).to.deep.equal(['audit@example.com', 'ciso@example.com']);
      expect(got.mail.subject).to.equal('[trailproof] AWS organization o-exampleorg1, 2026-Q3 (1 Jul 2026 to 30 Sep 2026): Not compliant (2 failing, 3 risky events)');
      expect(got.mail.text).to.contain('Not compliant: 1 failing result and 2 risky events at or above high severity.');
      expect(got.mail.text).to.contain('Detections (risky events): 3');
      expect(String(got.mail.html)).to.contain('data-verdict="fail"');
      // The message names what matters most as the report's summary page does, with what to do and the owner.
      expect(String(got.mail.html)).to.contain('S3 bucket deleted: Winter ran DeleteBucket on example-prod-customer-data, 14 Sep 2026 03:32:07 UTC (it succeeded)');
      expect(got.mail.text).to.contain('What matters most:\n1. [high] Root user used: root ran GetAccountSummary');
      expect(got.mail.text).to.contain('To do: Add a Deny statement for aws:SecureTransport = false. Owner: not assigned');
      expect(got.mail.attachments).to.have.length(1);
      const attachment = got.mail.attachments[0] as ParsedMail['attachments'][number];
      expect(attachment.filename).to.equal('report.pdf');
      expect(attachment.contentType).to.equal('application/pdf');
      expect(Buffer.compare(attachment.content, readFileSync(join(out, 'report.pdf')))).to.equal(0);
      expect(existsSync(join(out, 'report.html'))).to.equal(true);
    } finally {
      await smtp.close();
    }
  });

  it('keeps the reports, exits non-zero and says why when the send fails', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trailproof-email-out-'));
    const io = memoryIo();
    const server = await hangingUp();
    io.env = { ...io.env, TRAILPROOF_SMTP_HOST: '127.0.0.1', TRAILPROOF_SMTP_PORT: String(server.port), TRAILPROOF_SMTP_TLS: 'none', TRAILPROOF_EMAIL_FROM: 'trailproof@example.com' };
    const code = await main(['report', '--findings', findingsFile, '--out', out, '--email-to', 'audit@example.com'], io).finally(() => server.close());
    expect(code).to.equal(2);
    expect(io.err).to.match(/email to audit@example\.com through SMTP 127\.0\.0\.1:\d+ \(none\) was not sent: .*(Connection closed|ECONNRESET)/);
    expect(io.err).to.contain('the reports are kept in');
    expect(existsSync(join(out, 'report.pdf'))).to.equal(true);
    expect(existsSync(join(out, 'report.html'))).to.equal(true);
  });

  it('refuses, by default, a server that offers no STARTTLS, before any credentials are sent', async () => {
    const smtp = await startSmtp();
    try {
      const io = memoryIo();
      // No TRAILPROOF_SMTP_TLS: the default (STARTTLS required) applies, on loopback too.
      io.env = { ...io.env, TRAILPROOF_SMTP_HOST: '127.0.0.1', TRAILPROOF_SMTP_PORT: String(smtp.port), TRAILPROOF_SMTP_USER: 'reports', TRAILPROOF_SMTP_PASSWORD: 's3cret-pass', TRAILPROOF_EMAIL_FROM: 'trailproof@example.com' };
      delete io.env['TRAILPROOF_SMTP_TLS'];
      const code = await main(['report', '--findings', findingsFile, '--out', mkdtempSync(join(tmpdir(), 'trailproof-email-out-')), '--format', 'html', '--email-to', 'audit@example.com'], io);
      expect(code).to.equal(2);
      expect(io.err).to.match(/email to audit@example\.com through SMTP 127\.0\.0\.1:\d+ \(starttls\) was not sent: .*STARTTLS/);
      expect(smtp.logins, 'no AUTH reached the server').to.deep.equal([]);
      expect(smtp.received).to.have.length(0);
    } finally {
      await smtp.close();
    }
  });

  it('says so when the server refuses the login', async () => {
    const smtp = await startSmtp();
    try {
      const io = memoryIo();
      io.env = { ...io.env, TRAILPROOF_SMTP_HOST: '127.0.0.1', TRAILPROOF_SMTP_PORT: String(smtp.port), TRAILPROOF_SMTP_TLS: 'none', TRAILPROOF_SMTP_USER: 'reports', TRAILPROOF_SMTP_PASSWORD: 'wrong', TRAILPROOF_EMAIL_FROM: 'trailproof@example.com' };
      const code = await main(['report', '--findings', findingsFile, '--out', mkdtempSync(join(tmpdir(), 'trailproof-email-out-')), '--format', 'pdf', '--email-to', 'audit@example.com'], io);
      expect(code).to.equal(2);
      expect(io.err).to.match(/was not sent: EAUTH/);
      expect(smtp.received).to.have.length(0);
    } finally {
      await smtp.close();
    }
  });
});

describe('email settings', () => {
  const env = { TRAILPROOF_SMTP_HOST: 'smtp.example.com', TRAILPROOF_EMAIL_FROM: 'reports@example.com' };

  it('defaults to STARTTLS on 587, implicit TLS on 465, and lets the environment override the config', () => {
    expect(resolveEmailSettings(undefined, env).smtp).to.deep.equal({ host: 'smtp.example.com', port: 587, tls: 'starttls' });
    expect(resolveEmailSettings({ smtp: { port: 465 } }, env).smtp).to.include({ port: 465, tls: 'implicit' });
    expect(resolveEmailSettings({ smtp: { host: 'config.example.com', user: 'u', password: 'p' } }, { TRAILPROOF_EMAIL_FROM: 'a@example.com' }).smtp).to.deep.equal({ host: 'config.example.com', port: 587, tls: 'starttls', user: 'u', password: 'p' });
  });

  it('refuses to send a password in clear text to anything but loopback, and half-given credentials', () => {
    expect(() => resolveEmailSettings(undefined, { ...env, TRAILPROOF_SMTP_TLS: 'none', TRAILPROOF_SMTP_USER: 'u', TRAILPROOF_SMTP_PASSWORD: 'p' })).to.throw(/in clear text/);
    expect(() => resolveEmailSettings(undefined, { ...env, TRAILPROOF_SMTP_USER: 'u' })).to.throw(/both a user and a password/);
  });

  it('needs a sender and a server, and names where to set them', () => {
    expect(() => resolveEmailSettings(undefined, { TRAILPROOF_SMTP_HOST: 'h' })).to.throw(/TRAILPROOF_EMAIL_FROM/);
    expect(() => resolveEmailSettings(undefined, { TRAILPROOF_EMAIL_FROM: 'a@example.com' })).to.throw(/TRAILPROOF_SMTP_HOST/);
    expect(() => resolveEmailSettings(undefined, env, { transport: 'pigeon' })).to.throw(/not one of smtp, ses/);
  });

  it('selects SES v2 with a region from the environment', () => {
    expect(resolveEmailSettings({ transport: 'ses' }, { TRAILPROOF_EMAIL_FROM: 'a@example.com', TRAILPROOF_SES_REGION: 'eu-west-1' })).to.deep.equal({ transport: 'ses', from: 'a@example.com', ses: { region: 'eu-west-1' } });
  });
});

describe('emailing the report through Amazon SES v2 (moto over HTTP)', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  let findingsFile: string;

  before(async function () {
    requireReal(this, { chromium: true });
    requireMoto(this);
    moto = await startMoto();
    const bundle = writeFixtureBundle();
    findingsFile = join(mkdtempSync(join(tmpdir(), 'trailproof-email-ses-')), 'findings.json');
    writeFileSync(findingsFile, JSON.stringify(fixtureFindings(bundle), null, 2));
  });

  after(async () => moto?.stop());

  /** The SDK reads the endpoint and credentials from the process environment, as it does for a user. */
  const awsEnv = (): Record<string, string | undefined> => ({
    AWS_ENDPOINT_URL: (moto as MotoServer).url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  /** What moto's SES recorded as sent (its state, from /moto-api/data.json): sender, recipients and the MIME message. */
  async function sentThroughSes(): Promise<{ source: string; destinations: string[]; mail: ParsedMail }[]> {
    const res = await fetch(`${(moto as MotoServer).url}/moto-api/data.json`);
    const data = (await res.json()) as { ses?: { RawMessage?: { source: string; destinations: string[]; raw_data: string }[] } };
    return Promise.all((data.ses?.RawMessage ?? []).map(async (m) => ({ source: m.source, destinations: m.destinations, mail: await simpleParser(m.raw_data) })));
  }

  it('sends the PDF with the summary through SES v2 from a verified sender, to every recipient', async () => {
    await withEnv(awsEnv(), async () => {
      const ses = new SESv2Client({ region: 'us-east-1' });
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'trailproof@example.com' }));
      const out = mkdtempSync(join(tmpdir(), 'trailproof-email-ses-out-'));
      const io = memoryIo();
      io.env = { ...io.env, TRAILPROOF_EMAIL_FROM: 'trailproof@example.com', TRAILPROOF_SES_REGION: 'us-east-1' };
      const code = await main(['report', '--findings', findingsFile, '--out', out, '--format', 'html', '--email-transport', 'ses', '--email-to', 'audit@example.com', '--email-to', 'ciso@example.com', '--period', '2026-Q3'], io);
      expect(io.err).to.contain('emailed');
      expect(code, io.err).to.equal(0);
      const sent = await sentThroughSes();
      expect(sent).to.have.length(1);
      const got = sent[0] as (typeof sent)[number];
      expect(got.source).to.equal('trailproof@example.com');
      // moto adds the message's own To header to the envelope's recipients, so each shows twice.
      expect([...new Set(got.destinations)].sort()).to.deep.equal(['audit@example.com', 'ciso@example.com']);
      expect(got.mail.subject).to.equal('[trailproof] AWS organization o-exampleorg1, 2026-Q3 (1 Jul 2026 to 30 Sep 2026): Not compliant (2 failing, 3 risky events)');
      expect(got.mail.text).to.contain('Detections (risky events): 3');
      const attachment = got.mail.attachments[0] as ParsedMail['attachments'][number];
      expect(attachment.filename).to.equal('report.pdf');
      expect(Buffer.compare(attachment.content, readFileSync(join(out, 'report.pdf')))).to.equal(0);
    });
  });

  it('exits 2 naming SES and the reason when the sender is not a verified identity, keeping the reports', async () => {
    await withEnv(awsEnv(), async () => {
      const before = (await sentThroughSes()).length;
      const out = mkdtempSync(join(tmpdir(), 'trailproof-email-ses-out-'));
      const io = memoryIo();
      io.env = { ...io.env, TRAILPROOF_EMAIL_FROM: 'unverified@example.org', TRAILPROOF_SES_REGION: 'us-east-1' };
      const code = await main(['report', '--findings', findingsFile, '--out', out, '--format', 'html', '--email-transport', 'ses', '--email-to', 'audit@example.com'], io);
      expect(code).to.equal(2);
      expect(io.err).to.match(/email to audit@example\.com through Amazon SES v2 in us-east-1 was not sent: .*Did not have authority to send from email unverified@example\.org/);
      expect(existsSync(join(out, 'report.pdf'))).to.equal(true);
      expect(await sentThroughSes()).to.have.length(before);
    });
  });
});
