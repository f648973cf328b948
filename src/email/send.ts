// Sends a report message over SMTP (nodemailer) or Amazon SES v2 (nodemailer's SES transport with
// @aws-sdk/client-sesv2, loaded only when asked for). A send that fails, or that a server accepts for only
// some recipients, is an error that says why; the caller keeps the reports on disk either way.
import { basename } from 'node:path';
import type { Transporter } from 'nodemailer';
import { TrailproofError, errorMessage } from '../errors.js';
import type { ReportMessage } from './message.js';
import type { EmailSettings, SmtpSettings } from './settings.js';

export interface SendResult {
  messageId: string;
  accepted: string[];
  transport: string;
}

/** SES v2's client, as much of it as nodemailer's SES transport uses. */
interface SesModule {
  SESv2Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown>; config: unknown };
  SendEmailCommand: new (input: unknown) => unknown;
}

const SES_PACKAGE = '@aws-sdk/client-sesv2';

function smtpOptions(s: SmtpSettings): Record<string, unknown> {
  const options: Record<string, unknown> = {
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
  if (s.user !== undefined && s.password !== undefined) options.auth = { user: s.user, pass: s.password };
  return options;
}

async function sesTransport(settings: EmailSettings): Promise<Transporter> {
  let ses: SesModule;
  try {
    // A variable specifier: the package is optional, and only this path needs it.
    const name = SES_PACKAGE;
    ses = (await import(name)) as SesModule;
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `--email-transport ses needs the ${SES_PACKAGE} package (npm install ${SES_PACKAGE}): ${errorMessage(err).split('\n')[0] ?? ''}`);
  }
  const clientConfig: Record<string, unknown> = {};
  if (settings.ses?.region) clientConfig.region = settings.ses.region;
  const nodemailer = await import('nodemailer');
  return nodemailer.createTransport({ SES: { sesClient: new ses.SESv2Client(clientConfig), SendEmailCommand: ses.SendEmailCommand } } as never);
}

function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; response?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const message = errorMessage(err).split('\n')[0] ?? '';
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export async function sendReportMessage(message: ReportMessage, to: string[], settings: EmailSettings): Promise<SendResult> {
  const where = settings.transport === 'smtp' && settings.smtp ? `SMTP ${settings.smtp.host}:${settings.smtp.port} (${settings.smtp.tls})` : `Amazon SES v2${settings.ses?.region ? ` in ${settings.ses.region}` : ''}`;
  let transporter: Transporter;
  if (settings.transport === 'ses') transporter = await sesTransport(settings);
  else {
    const nodemailer = await import('nodemailer');
    transporter = nodemailer.createTransport(smtpOptions(settings.smtp as SmtpSettings) as never);
  }
  try {
    const mail: Record<string, unknown> = {
      from: settings.from,
      to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments.map((a) => ({ filename: basename(a.path), content: Buffer.from(a.bytes), contentType: a.contentType })),
    };
    if (settings.transport === 'ses' && settings.ses?.configurationSet) mail.ses = { ConfigurationSetName: settings.ses.configurationSet };
    const info = (await transporter.sendMail(mail as never)) as { messageId?: string; accepted?: unknown[]; rejected?: unknown[] };
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0) throw new Error(`the server refused ${rejected.join(', ')}`);
    return { messageId: info.messageId ?? '', accepted: (info.accepted ?? to).map(String), transport: where };
  } catch (err) {
    throw new TrailproofError('TP_OUTPUT_FAILED', `email to ${to.join(', ')} through ${where} was not sent: ${describeFailure(err)}`, { cause: err });
  } finally {
    transporter.close();
  }
}
