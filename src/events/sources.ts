// From the command line's flags to the event sources and the scope: --logs (a folder or s3://), --bundle,
// --lookup-events; --from/--to/--period, --accounts, --regions. The AWS SDK is loaded only for a live source.
import { resolve } from 'node:path';
import { TrailproofError } from '../errors.js';
import { parsePeriod, type Period } from '../model/period.js';
import { bundleEvents } from './readers/bundle.js';
import { localLogs } from './readers/local.js';
import type { LogSource, ScanScope } from './readers/types.js';

export interface SourceFlags {
  logs: string[];
  bundle?: string;
  lookupEvents: boolean;
  profile?: string;
  /** --region: the first region of an s3:// read and the home region of --lookup-events (src/aws/region.ts order). */
  region?: string;
  assumeRole?: string;
}

export interface ScopeFlags {
  period?: string;
  from?: string;
  to?: string;
  accounts: string[];
  regions: string[];
}

export interface OpenedSources {
  sources: LogSource[];
  /** Whether any source is AWS itself (S3 or LookupEvents), for the findings' run.source. */
  live: boolean;
  /** The number of account-regions LookupEvents reads (0 when not asked). */
  lookupTargets: number;
}

export function scopeFromFlags(flags: ScopeFlags): { scope: ScanScope; period: Period | undefined } {
  const period = parsePeriod({ period: flags.period, from: flags.from, to: flags.to });
  for (const a of flags.accounts) if (!/^\d{12}$/.test(a)) throw new TrailproofError('TP_USAGE', `--accounts: "${a}" is not a 12-digit account id`);
  for (const r of flags.regions) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw new TrailproofError('TP_USAGE', `--regions: "${r}" is not a region name (e.g. us-east-1)`);
  const scope: ScanScope = {
    from: period?.from == null ? null : Date.parse(period.from),
    to: period?.to == null ? null : Date.parse(period.to),
    accounts: [...new Set(flags.accounts)].sort(),
    regions: [...new Set(flags.regions)].sort(),
  };
  return { scope, period };
}

export async function openSources(flags: SourceFlags, scope: ScanScope, cwd: string): Promise<OpenedSources> {
  const sources: LogSource[] = [];
  let live = false;
  let lookupTargets = 0;
  for (const logs of flags.logs) {
    if (logs.startsWith('s3://')) {
      const [{ s3Logs }, { s3Client }] = await Promise.all([import('./readers/s3.js'), import('./readers/aws.js')]);
      sources.push(s3Logs(s3Client(flags.profile, flags.region), logs, scope));
      live = true;
    } else sources.push(localLogs(resolve(cwd, logs), scope, logs));
  }
  if (flags.bundle !== undefined) sources.push(bundleEvents(resolve(cwd, flags.bundle), scope, flags.bundle));
  if (flags.lookupEvents) {
    const [{ lookupEvents }, { lookupTargets: targetsFor }] = await Promise.all([import('./readers/lookup-events.js'), import('./readers/aws.js')]);
    const live_: Parameters<typeof targetsFor>[0] = { regions: scope.regions, accounts: scope.accounts };
    if (flags.profile !== undefined) live_.profile = flags.profile;
    if (flags.region !== undefined) live_.region = flags.region;
    if (flags.assumeRole !== undefined) live_.assumeRole = flags.assumeRole;
    const targets = await targetsFor(live_);
    lookupTargets = targets.length;
    sources.push(lookupEvents(targets, scope));
    live = true;
  }
  if (sources.length === 0) throw new TrailproofError('TP_USAGE', 'no events to read: give --logs DIR|s3://bucket/prefix, --bundle DIR or --lookup-events');
  return { sources, live, lookupTargets };
}
