// docs/rules.md rendered from the rule files themselves, so the catalog's documentation cannot drift from
// the rules: the test compares the file with this rendering (npm run golden:update rewrites it).
import type { CatalogFile, YamlDoc } from './harness.js';
import { reportingDoc } from './harness.js';

/** The issue's groups, in its order; every rule is in exactly one. */
export const CATEGORIES: ReadonlyArray<{ title: string; ids: readonly string[] }> = [
  {
    title: 'Logging and monitoring evasion',
    ids: ['cloudtrail-logging-stopped', 'cloudtrail-trail-deleted', 'cloudtrail-trail-updated', 'cloudtrail-event-selectors-changed', 'trail-bucket-lifecycle-shortened', 'config-recorder-stopped', 'guardduty-disabled', 'securityhub-disabled', 'vpc-flow-logs-deleted', 'dns-query-logs-deleted'],
  },
  {
    title: 'Sign-in and credentials',
    ids: ['root-account-usage', 'root-access-key-created', 'console-login-without-mfa', 'console-login-failures', 'root-login-failures', 'password-spray', 'unauthorized-api-calls', 'federation-token-issued', 'ec2-password-data-retrieved', 'secrets-mass-retrieval'],
  },
  {
    title: 'IAM persistence and escalation',
    ids: ['iam-policy-changed', 'admin-policy-attached', 'access-key-created-for-other-user', 'login-profile-changed-for-other-user', 'role-trust-policy-changed', 'lambda-made-public', 'roles-anywhere-trust-anchor-created', 'privilege-escalation-burst', 'enumeration-burst'],
  },
  {
    title: 'Data exposure and destruction',
    ids: ['s3-bucket-made-public', 's3-bucket-policy-changed', 'snapshot-or-image-shared', 's3-bucket-deleted', 's3-versioning-suspended', 'kms-key-deletion-scheduled', 's3-mass-deletion'],
  },
  { title: 'Network', ids: ['security-group-open-to-world', 'security-group-changed', 'nacl-changed', 'network-gateway-changed', 'route-table-changed', 'vpc-changed'] },
  {
    title: 'Organization and compute abuse',
    ids: ['organizations-leave', 'organizations-changed', 'region-enabled', 'ec2-user-data-modified', 'ec2-user-data-retrieved', 'ec2-unusual-instance-launch', 'ssm-remote-execution', 'llm-jacking'],
  },
  { title: 'Anomalies', ids: ['api-call-rate-anomaly', 'api-error-rate-anomaly'] },
];

/** CIS AWS Foundations Benchmark v3.0.0, section 4 (Monitoring): what each recommendation monitors. */
export const CIS_MONITORING: Readonly<Record<string, string>> = {
  '4.1': 'unauthorized API calls',
  '4.2': 'Management Console sign-in without MFA',
  '4.3': 'usage of the root user',
  '4.4': 'IAM policy changes',
  '4.5': 'CloudTrail configuration changes',
  '4.6': 'Management Console authentication failures',
  '4.7': 'disabling or scheduled deletion of customer managed keys',
  '4.8': 'S3 bucket policy changes',
  '4.9': 'AWS Config configuration changes',
  '4.10': 'security group changes',
  '4.11': 'network ACL changes',
  '4.12': 'network gateway changes',
  '4.13': 'route table changes',
  '4.14': 'VPC changes',
  '4.15': 'AWS Organizations changes',
};

const CIS_NOTES: Readonly<Record<string, string>> = {
  '4.9': 'not implemented as a whole: `config-recorder-stopped` reports the calls that stop or remove recording (StopConfigurationRecorder, DeleteConfigurationRecorder, DeleteDeliveryChannel); PutConfigurationRecorder and PutDeliveryChannel are ordinary configuration and are not reported',
};

interface Block {
  id: string;
  severity: string;
  counts: 'success' | 'attempts';
  cis?: string[];
  parameters?: Record<string, { default: unknown; description?: string; type?: string }>;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The description split into what the rule detects and the reason for its counting choice. */
export function countsParagraph(description: string): { detects: string; counts: 'success' | 'attempts' | null; reason: string } {
  const match = /Counts (attempts|successes):([\s\S]*)$/.exec(description);
  if (match === null) return { detects: oneLine(description), counts: null, reason: '' };
  return { detects: oneLine(description.slice(0, match.index)), counts: match[1] === 'attempts' ? 'attempts' : 'success', reason: oneLine(match[2] as string) };
}

function text(doc: YamlDoc, key: string): string {
  const v = doc[key];
  return typeof v === 'string' ? v : '';
}

function list(doc: YamlDoc, key: string): string[] {
  const v = doc[key];
  return Array.isArray(v) ? v.map(String) : [];
}

function cell(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.replace(/\|/g, '\\|');
}

function kindOf(doc: YamlDoc): string {
  const c = doc.correlation as Record<string, unknown> | undefined;
  if (c === undefined) return 'single event';
  const groupBy = (c['group-by'] as string[] | undefined) ?? [];
  const condition = (c.condition as Record<string, unknown> | undefined) ?? {};
  const field = typeof condition.field === 'string' ? ` of distinct \`${condition.field}\`` : '';
  return `correlation \`${String(c.type)}\`${field}, grouped by ${groupBy.map((g) => `\`${g}\``).join(', ')}`;
}

function block(doc: YamlDoc): Block {
  return doc.trailproof as Block;
}

function ruleSection(file: CatalogFile): string[] {
  const doc = reportingDoc(file);
  const b = block(doc);
  const { detects, counts, reason } = countsParagraph(text(doc, 'description'));
  const out = [`<a id="${file.ruleId}"></a>`, '', `### \`${file.ruleId}\`: ${text(doc, 'title')}`, ''];
  out.push(`- **Severity:** ${b.severity}`);
  out.push(`- **Counts:** ${counts === 'attempts' ? 'attempts (refused and failed calls too)' : 'successful calls only'}. ${reason.charAt(0).toUpperCase()}${reason.slice(1)}`);
  out.push(`- **Kind:** ${kindOf(doc)}`);
  out.push(`- **CIS AWS Foundations 3.0:** ${b.cis !== undefined && b.cis.length > 0 ? b.cis.map((c) => `${c} (${CIS_MONITORING[c] ?? '?'})`).join(', ') : 'none'}`);
  out.push(`- **ATT&CK:** ${list(doc, 'tags').map((t) => `\`${t}\``).join(', ')}`);
  out.push('', detects, '');
  const params = Object.entries(b.parameters ?? {});
  if (params.length > 0) {
    out.push('| parameter | default | meaning |', '| --- | --- | --- |');
    for (const [name, schema] of params) out.push(`| \`${name}\` | \`${cell(schema.default)}\` | ${cell(schema.description ?? '')} |`);
    out.push('');
  }
  out.push('False positives:', '', ...list(doc, 'falsepositives').map((f) => `- ${f}`), '');
  out.push(`References: ${list(doc, 'references').map((r) => `<${r}>`).join(', ')}`, '');
  return out;
}

export function renderCatalog(files: readonly CatalogFile[]): string {
  const byId = new Map(files.map((f) => [f.ruleId, f]));
  const out: string[] = [
    '# Built-in event rules',
    '',
    '<!-- Generated from checks/rules/*.yml by test/checks/rules/catalog-doc.ts; the catalog test fails when it is stale.',
    '     Rewrite it with: npm run golden:update -->',
    '',
    '`trailproof scan` (and `audit`, when its evidence holds events) runs these rules over CloudTrail events. Each',
    'rule is a Sigma rule in `checks/rules/<ruleId>.yml` (logsource `product: aws`, `service: cloudtrail`), so it',
    'reads like any community rule and runs in any Sigma toolchain that handles the same features; the',
    '`trailproof:` block adds the fixed rule id, the severity, whether the rule counts successful calls only or',
    'attempts too, the CIS recommendation it implements, and its parameters.',
    '',
    '- **Counts.** Every rule says on purpose whether a refused or failed call counts. Rules that implement a',
    '  CIS 4.x metric filter count attempts, as the filter does; rules about a change that must have happened',
    '  (a bucket made public, a key created) count successes, and the refusals show in `unauthorized-api-calls`.',
    '- **Correlations.** Threshold rules are Sigma correlation rules (`event_count`, `value_count`) over base',
    '  rules in the same file; the base rules feed the correlation and report nothing themselves. Windows are',
    '  inclusive: events exactly one window apart are inside it.',
    '- **Parameters.** Thresholds, windows and lists are parameters with the defaults below; set them in the',
    '  config file under `checks.<ruleId>` (for example `checks: {password-spray: {users: 10, window: 30m}}`),',
    '  where `enabled: false` and `severity` also apply.',
    '- **ATT&CK.** Tags follow ATT&CK v19 as the SigmaHQ rules do (`stealth` and `defense-impairment` replace',
    '  `defense-evasion`).',
    '- **Anomalies.** `api-call-rate-anomaly` and `api-error-rate-anomaly` use trailproof\'s `rate_anomaly`',
    '  correlation type (per-interval counts against a trailing baseline), which plain Sigma cannot express.',
    '',
    '## Summary',
    '',
    '| rule | severity | counts | kind | CIS |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const category of CATEGORIES) {
    for (const id of category.ids) {
      const file = byId.get(id);
      if (file === undefined) continue;
      const doc = reportingDoc(file);
      const b = block(doc);
      const kind = doc.correlation === undefined ? 'event' : String((doc.correlation as Record<string, unknown>).type);
      out.push(`| [\`${id}\`](#${id}) | ${b.severity} | ${b.counts} | ${kind} | ${(b.cis ?? []).join(', ')} |`);
    }
  }
  out.push('', '## CIS AWS Foundations Benchmark 3.0, section 4 (Monitoring)', '', '| recommendation | monitors | rules |', '| --- | --- | --- |');
  for (const [id, what] of Object.entries(CIS_MONITORING)) {
    const rules = files.filter((f) => (block(reportingDoc(f)).cis ?? []).includes(id)).map((f) => `\`${f.ruleId}\``);
    out.push(`| ${id} | ${what} | ${rules.length > 0 ? rules.join(', ') : (CIS_NOTES[id] ?? 'not covered')} |`);
  }
  out.push('');
  for (const category of CATEGORIES) {
    out.push(`## ${category.title}`, '');
    for (const id of category.ids) {
      const file = byId.get(id);
      if (file !== undefined) out.push(...ruleSection(file));
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
