// Where email settings come from: the config file's `email` section, overridden by the environment
// (TRAILPROOF_SMTP_*, TRAILPROOF_EMAIL_FROM). Server, port, TLS and credentials are never flags: flags end up
// in shell history and process listings.
import type { EmailConfig } from '../config/load.js';
import { TrailproofError } from '../errors.js';

export type EmailTransportName = 'smtp' | 'ses';
export const EMAIL_TRANSPORTS: readonly EmailTransportName[] = ['smtp', 'ses'];

/** implicit: TLS from the first byte (port 465); starttls: upgrade required (587); none: plain (loopback relays). */
export type SmtpTls = 'implicit' | 'starttls' | 'none';
const TLS_MODES: readonly SmtpTls[] = ['implicit', 'starttls', 'none'];

/** The config file's `email` section: its type lives with the config (schema/config.schema.json). */
export type { EmailConfig } from '../config/load.js';

export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTls;
  user?: string;
  password?: string;
}

export interface EmailSettings {
  transport: EmailTransportName;
  from: string;
  smtp?: SmtpSettings;
  ses?: { region?: string; configurationSet?: string };
}

export interface EmailRequestFlags {
  transport?: string | undefined;
  from?: string | undefined;
}

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

export function checkAddress(address: string, where: string): string {
  const a = address.trim();
  if (!ADDRESS.test(a)) throw new TrailproofError('TP_USAGE', `${where}: "${address}" is not an email address`);
  return a;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function resolveEmailSettings(config: EmailConfig | undefined, env: NodeJS.ProcessEnv, flags: EmailRequestFlags = {}): EmailSettings {
  const transport = flags.transport ?? env.TRAILPROOF_EMAIL_TRANSPORT ?? config?.transport ?? 'smtp';
  if (!(EMAIL_TRANSPORTS as readonly string[]).includes(transport)) throw new TrailproofError('TP_USAGE', `--email-transport: "${transport}" is not one of ${EMAIL_TRANSPORTS.join(', ')}`);
  const fromValue = flags.from ?? env.TRAILPROOF_EMAIL_FROM ?? config?.from;
  if (fromValue === undefined || fromValue === '') {
    throw new TrailproofError('TP_USAGE', 'email needs a sender: set --email-from, TRAILPROOF_EMAIL_FROM or email.from in the config file');
  }
  const from = checkAddress(fromValue, 'email sender');
  if (transport === 'ses') {
    const ses: { region?: string; configurationSet?: string } = {};
    const region = env.TRAILPROOF_SES_REGION ?? config?.ses?.region;
    if (region) ses.region = region;
    if (config?.ses?.configurationSet) ses.configurationSet = config.ses.configurationSet;
    return { transport: 'ses', from, ses };
  }
  const smtp = config?.smtp ?? {};
  const host = env.TRAILPROOF_SMTP_HOST ?? smtp.host;
  if (!host) throw new TrailproofError('TP_USAGE', 'SMTP email needs a server: set TRAILPROOF_SMTP_HOST or email.smtp.host in the config file (never a flag)');
  const tlsValue = env.TRAILPROOF_SMTP_TLS ?? smtp.tls ?? (Number(env.TRAILPROOF_SMTP_PORT ?? smtp.port) === 465 ? 'implicit' : 'starttls');
  if (!(TLS_MODES as readonly string[]).includes(tlsValue)) throw new TrailproofError('TP_USAGE', `TRAILPROOF_SMTP_TLS / email.smtp.tls: "${tlsValue}" is not one of ${TLS_MODES.join(', ')}`);
  const tls = tlsValue as SmtpTls;
  const portValue = env.TRAILPROOF_SMTP_PORT ?? smtp.port ?? (tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25);
  const port = Number(portValue);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TrailproofError('TP_USAGE', `TRAILPROOF_SMTP_PORT / email.smtp.port: "${portValue}" is not a port number`);
  const settings: SmtpSettings = { host, port, tls };
  const user = env.TRAILPROOF_SMTP_USER ?? smtp.user;
  const password = env.TRAILPROOF_SMTP_PASSWORD ?? smtp.password;
  if (user !== undefined && user !== '') settings.user = user;
  if (password !== undefined && password !== '') settings.password = password;
  if ((settings.user === undefined) !== (settings.password === undefined)) {
    throw new TrailproofError('TP_USAGE', 'SMTP credentials need both a user and a password (TRAILPROOF_SMTP_USER and TRAILPROOF_SMTP_PASSWORD, or email.smtp.user/password)');
  }
  if (tls === 'none' && settings.password !== undefined && !isLoopback(host)) {
    throw new TrailproofError('TP_USAGE', `SMTP with tls "none" would send the password to ${host} in clear text: use starttls or implicit (only a loopback relay may go without TLS)`);
  }
  return { transport: 'smtp', from, smtp: settings };
}
