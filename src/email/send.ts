// Sends a report message over SMTP (nodemailer) or Amazon SES v2 (nodemailer's SES transport with the SES
// client from src/aws/ses.ts, loaded only when asked for). A send that fails, or that a server accepts for only
// some recipients, is an error that says why; the caller keeps the reports on disk either way.
import { basename } from 'node:path';
import type { Transporter } from 'nodemailer';
import { sesTransportParts } from '../aws/ses.js';
import { TrailproofError, errorMessage } from '../errors.js';
import type { ReportMessage } from './message.js';
import type { EmailSettings, SmtpSettings } from './settings.js';

export interface SendResult {
  messageId: string;
  accepted: string[];
  transport: string;
}

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
  const { sesClient, SendEmailCommand } = await sesTransportParts(settings.ses ?? {});
  const nodemailer = await import('nodemailer');
  return nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } } as never);
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
