// EC2's DescribeRegions: every region with its opt-in status, so a region the account has not opted into is
// never called (and the audit knows it is not expected to be covered there).
import { DescribeRegionsCommand } from '../aws/sdk/ec2.js';
import type { ClientSet } from './clients.js';
import { record, type Recorder } from './record.js';

/** The account's enabled regions, or undefined when DescribeRegions failed. */
export async function enabledRegions(rec: Recorder, clients: ClientSet): Promise<string[] | undefined> {
  const out = await record(rec, { account: clients.account, where: 'global' }, 'ec2/DescribeRegions.json', 'ec2:DescribeRegions', (abortSignal) =>
    clients.ec2.send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal }));
  if (out?.Regions === undefined) return undefined;
  return out.Regions.filter((r) => r.OptInStatus !== 'not-opted-in' && r.RegionName !== undefined).map((r) => r.RegionName as string).sort();
}
