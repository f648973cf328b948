// The fifteen CIS monitoring checks as data: one row per control (CIS AWS Foundations 4.1 to 4.15), naming the
// check (checks/monitoring/<name>.ts, id monitoring.<name>), its title, severity and why it matters. Everything
// else (the chain, the messages, the remediation) is the same for every control and lives in ./check.ts, so a
// new control is one row here, its events in ./cis-patterns.ts and a two-line module under checks/monitoring.
import type { Severity } from '../model/types.js';

export interface MonitoringControl {
  /** The module name under checks/monitoring: the check id is `monitoring.<name>`. */
  name: string;
  /** The CIS control number, a key of CIS_CONTROLS. */
  control: string;
  severity: Severity;
  /** A state, not an instruction. */
  title: string;
  rationale: string;
}

export const MONITORING_CONTROLS: readonly MonitoringControl[] = [
  {
    name: 'unauthorized-api-calls', control: '4.1', severity: 'medium',
    title: 'Unauthorized API calls raise an alarm that reaches a person',
    rationale: 'Repeated AccessDenied and UnauthorizedOperation errors are how a stolen credential or a misconfigured tool shows itself first.',
  },
  {
    name: 'console-login-without-mfa', control: '4.2', severity: 'medium',
    title: 'Console sign-ins without MFA raise an alarm that reaches a person',
    rationale: 'A console sign-in without MFA by an IAM user is a password alone standing between an attacker and the account.',
  },
  {
    name: 'root-usage', control: '4.3', severity: 'high',
    title: 'Use of the root user raises an alarm that reaches a person',
    rationale: 'The root user can do anything and should almost never be used; every use deserves a look.',
  },
  {
    name: 'iam-policy-changes', control: '4.4', severity: 'medium',
    title: 'IAM policy changes raise an alarm that reaches a person',
    rationale: 'Changed IAM policies are how privileges grow, by mistake or by intent.',
  },
  {
    name: 'cloudtrail-changes', control: '4.5', severity: 'high',
    title: 'CloudTrail configuration changes raise an alarm that reaches a person',
    rationale: 'Stopping or changing a trail is how an intruder blinds the audit log.',
  },
  {
    name: 'console-auth-failures', control: '4.6', severity: 'medium',
    title: 'Console authentication failures raise an alarm that reaches a person',
    rationale: 'Repeated failed console sign-ins show password guessing early.',
  },
  {
    name: 'cmk-disable-or-deletion', control: '4.7', severity: 'medium',
    title: 'Disabling or scheduling deletion of customer managed keys raises an alarm that reaches a person',
    rationale: 'Data encrypted under a disabled or deleted key becomes unreadable; scheduled deletion can still be cancelled if someone notices.',
  },
  {
    name: 's3-bucket-policy-changes', control: '4.8', severity: 'medium',
    title: 'S3 bucket policy changes raise an alarm that reaches a person',
    rationale: 'A changed bucket policy or ACL can expose data or open the log bucket itself.',
  },
  {
    name: 'config-changes', control: '4.9', severity: 'medium',
    title: 'AWS Config configuration changes raise an alarm that reaches a person',
    rationale: 'Stopping the configuration recorder hides later changes from compliance history.',
  },
  {
    name: 'security-group-changes', control: '4.10', severity: 'medium',
    title: 'Security group changes raise an alarm that reaches a person',
    rationale: 'An opened security group exposes instances to the network; ModifySecurityGroupRules changes rules as surely as Authorize and Revoke do.',
  },
  {
    name: 'nacl-changes', control: '4.11', severity: 'medium',
    title: 'Network ACL changes raise an alarm that reaches a person',
    rationale: 'Changed network ACLs open or close whole subnets.',
  },
  {
    name: 'network-gateway-changes', control: '4.12', severity: 'medium',
    title: 'Network gateway changes raise an alarm that reaches a person',
    rationale: 'A new or moved gateway opens a path in or out of the network.',
  },
  {
    name: 'route-table-changes', control: '4.13', severity: 'medium',
    title: 'Route table changes raise an alarm that reaches a person',
    rationale: 'Changed routes redirect traffic, e.g. around an inspection point.',
  },
  {
    name: 'vpc-changes', control: '4.14', severity: 'medium',
    title: 'VPC changes raise an alarm that reaches a person',
    rationale: 'VPC and peering changes alter which networks can reach each other.',
  },
  {
    name: 'organizations-changes', control: '4.15', severity: 'medium',
    title: 'AWS Organizations changes raise an alarm that reaches a person',
    rationale: 'Organization changes (policies, accounts leaving or joining) change the guardrails of every account.',
  },
];

/** The row for a check module name; throws for a name the table does not hold (a programming error). */
export function monitoringControl(name: string): MonitoringControl {
  const row = MONITORING_CONTROLS.find((c) => c.name === name);
  if (row === undefined) throw new Error(`no CIS monitoring control is named ${name} in src/monitoring/controls.ts`);
  return row;
}
