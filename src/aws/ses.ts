// Amazon SES v2 for `--email-transport ses`: the client nodemailer's SES transport sends through, made by the
// one client factory. The package is loaded only when asked for, by a variable specifier, so an install
// without it still runs every other command and says which package this one needs.
import { TrailproofError, errorMessage } from '../errors.js';
import { makeClient } from './clients.js';
import { regionProvider } from './region.js';

/** SES v2's client, as much of it as nodemailer's SES transport uses. */
interface SesModule {
  SESv2Client: new (config: never) => { send(command: unknown): Promise<unknown>; config: unknown };
  SendEmailCommand: new (input: unknown) => unknown;
}

export const SES_PACKAGE = '@aws-sdk/client-sesv2';

export interface SesTransportParts {
  sesClient: InstanceType<SesModule['SESv2Client']>;
  SendEmailCommand: SesModule['SendEmailCommand'];
}

/** The SES v2 client and command class; the region from TRAILPROOF_SES_REGION or the config, else AWS_REGION, AWS_DEFAULT_REGION, the profile's. */
export async function sesTransportParts(settings: { region?: string | undefined }): Promise<SesTransportParts> {
  let ses: SesModule;
  try {
    // A variable specifier: the package is optional, and only this path needs it.
    const name = SES_PACKAGE;
    ses = (await import(name)) as SesModule;
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `--email-transport ses needs the ${SES_PACKAGE} package (npm install ${SES_PACKAGE}): ${errorMessage(err).split('\n')[0] ?? ''}`);
  }
  const region = regionProvider({ config: settings.region, env: process.env, flagName: 'TRAILPROOF_SES_REGION (or email.ses.region in the config)', purpose: '--email-transport ses' });
  return { sesClient: makeClient(ses.SESv2Client, { region }), SendEmailCommand: ses.SendEmailCommand };
}
