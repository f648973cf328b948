// Where trailproof's AWS calls go, decided in one place. A region: the command's flag, else the configuration
// file's setting, else AWS_REGION, else AWS_DEFAULT_REGION (the AWS CLI's name), else the profile's `region`
// in the shared config file; a command whose calls have a sensible home (the global services' us-east-1)
// names it as the last fallback, every other command stops with an error that says how to set one. An
// endpoint: the flag or configuration, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else none
// (the SDK's own: the service's public endpoint, or a profile's endpoint_url).
import { TrailproofError } from '../errors.js';
import { quietSdkNodeWarning } from './clients.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface RegionSources {
  /** The flag's value (`--region`), when given. */
  flag?: string | undefined;
  /** The configuration file's value, when it has one. */
  config?: string | undefined;
  env: Env;
  /** The profile whose `region` counts (default: AWS_PROFILE's, or the default profile). */
  profile?: string | undefined;
  /** The region used when nothing else names one; without it, no region is an error. */
  fallback?: string | undefined;
  /** How the message names the flag ("--region", "--regions") and what needs it ("--lookup-events"). */
  flagName: string;
  purpose: string;
  /** Reads a profile's region from the shared config files (default: the SDK's reader). */
  profileRegion?: ((profile: string | undefined) => Promise<string | undefined>) | undefined;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** The environment's steps of the order alone (AWS_REGION, then AWS_DEFAULT_REGION), for a caller with its own fallback. */
export function regionFromEnv(env: Env): string | undefined {
  return nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
}

/** The region, by the order above; a TP_USAGE error naming every way to set it when there is none and no fallback. */
export async function resolveRegion(sources: RegionSources): Promise<string> {
  const named = nonEmpty(sources.flag) ?? nonEmpty(sources.config) ?? regionFromEnv(sources.env);
  if (named !== undefined) return named;
  const fromProfile = nonEmpty(await (sources.profileRegion ?? sdkProfileRegion)(sources.profile));
  if (fromProfile !== undefined) return fromProfile;
  if (sources.fallback !== undefined) return sources.fallback;
  const profile = sources.profile ?? sources.env['AWS_PROFILE'] ?? 'default';
  throw new TrailproofError(
    'TP_USAGE',
    `${sources.purpose}: no region: give ${sources.flagName}, set AWS_REGION (or AWS_DEFAULT_REGION), or set region in profile ${profile} (aws configure set region REGION --profile ${profile})`,
  );
}

/** A provider for a client's `region`, resolved on its first call (a client made before anything is asked stays cheap). */
export function regionProvider(sources: RegionSources): () => Promise<string> {
  let resolved: Promise<string> | undefined;
  return () => (resolved ??= resolveRegion(sources));
}

/** The profile's region as the SDK reads it (shared config and credentials files); undefined when it names none. */
async function sdkProfileRegion(profile: string | undefined): Promise<string | undefined> {
  // The SDK's region chain is the authority on its config files; STS is the lightest client to ask it.
  const { STSClient } = await import('./sdk/sts.js');
  quietSdkNodeWarning();
  const client = new STSClient(profile === undefined ? {} : { profile });
  try {
    return await client.config.region();
  } catch {
    // The chain's only failure is "Region is missing": the profile names none. The caller decides what that means.
    return undefined;
  } finally {
    client.destroy();
  }
}

export interface EndpointSources {
  flag?: string | undefined;
  config?: string | undefined;
  env: Env;
}

/**
 * The endpoint for a service, by its SDK environment name (S3, KMS, S3_CONTROL, SECURITYHUB ...), or undefined
 * for the SDK's default. The SDK reads the same variables itself; this is for clients that must know the
 * endpoint (S3 path-style addressing, the hand-signed S3 Control call) and for messages.
 */
export function resolveEndpoint(service: string, sources: EndpointSources): string | undefined {
  return nonEmpty(sources.flag) ?? nonEmpty(sources.config) ?? nonEmpty(sources.env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(sources.env['AWS_ENDPOINT_URL']);
}

/** The region an ARN names (arn:PARTITION:SERVICE:REGION:...), when it names one. */
export function regionOfArn(arn: string): string | undefined {
  return nonEmpty(/^arn:[^:]+:[^:]+:([^:]*):/.exec(arn)?.[1]);
}
