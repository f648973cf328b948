// `--security-hub` (audit, and report over a saved findings file): sends the run's ASFF findings to Security
// Hub, the results that now pass as archived so the findings they once raised close themselves. What Security
// Hub refuses is named on stderr finding by finding and does not change the gate's exit code; an import that
// got nothing in (every finding refused, no account reachable) is an error of its own, exit 3.
import { TrailproofError } from '../../errors.js';
import type { Findings } from '../../model/types.js';
import { asffFindings } from '../../output/asff.js';
import { importFindings, importLines, type SecurityHubTarget } from '../../output/security-hub.js';
import type { SecurityHubOptions } from '../../collect/securityhub.js';
import type { Io } from '../io.js';

export const securityHubOption = {
  'security-hub': { type: 'boolean', describe: 'Import the findings into AWS Security Hub (BatchImportFindings, per account and region of each finding; passing results archive earlier findings)' },
} as const;

/** Options only `report` needs for the import (audit has them from its live collection options). */
export const securityHubAccessOptions = {
  profile: { type: 'string', describe: 'AWS profile for --security-hub (default: the SDK default credential chain)', requiresArg: true },
  region: { type: 'string', describe: 'Region for STS with --security-hub (default: the profile or AWS_REGION, else us-east-1)', requiresArg: true },
  'assume-role': { type: 'string', describe: "Role NAME assumed for --security-hub in every account other than the caller's", requiresArg: true },
  'external-id': { type: 'string', describe: 'External id for --assume-role', requiresArg: true },
} as const;

export async function importToSecurityHub(findings: Findings, options: SecurityHubOptions, io: Io, target?: SecurityHubTarget): Promise<void> {
  const asff = asffFindings(findings, { resolved: true });
  let hub = target;
  let destroy = (): void => undefined;
  if (hub === undefined) {
    // The SDK takes time to load: only a run that imports pays for it.
    const made = await (await import('../../collect/securityhub.js')).securityHubTarget(options);
    hub = made;
    destroy = () => made.destroy();
  }
  try {
    const report = await importFindings(asff, hub);
    for (const line of importLines(report)) io.stderr(`trailproof: ${line}\n`);
    if (report.sent > 0 && report.imported === 0) {
      const first = report.failed[0];
      throw new TrailproofError('TP_SECURITY_HUB_FAILED', `--security-hub: none of the ${report.sent} findings was imported${first ? ` (first: ${first.code}: ${first.message})` : ''}; the outputs are written, check Security Hub is enabled and the role may call securityhub:BatchImportFindings`, { exitCode: 3 });
    }
  } finally {
    destroy();
  }
}
