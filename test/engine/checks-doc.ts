// docs/checks.md rendered from the check registry (each check's own meta: title, severity, scope, description,
// options with their defaults and descriptions), so the catalog's documentation cannot drift from the checks:
// test/engine/catalog.test.ts compares the file with this rendering (npm run golden:update rewrites it). The
// prose that is not per check (how the CIS monitoring chain is walked) is written here once.
import type { AnyCheck } from '../../src/engine/check.js';
import { MONITORING_CONTROLS } from '../../src/monitoring/controls.js';

/** The families of checks, in the order a reader meets them; a family not named here follows, alphabetically. */
const FAMILIES: ReadonlyArray<{ prefix: string; title: string }> = [
  { prefix: 'trail', title: 'Trails' },
  { prefix: 'bucket', title: 'Trail log buckets' },
  { prefix: 'retention', title: 'Retention' },
  { prefix: 'cost', title: 'Cost' },
  { prefix: 'monitoring', title: 'CIS monitoring (4.1-4.15)' },
];

const MONITORING_PROSE = `Each monitoring check walks the whole chain per account: a logging multi-region trail recording all management
events into a CloudWatch Logs group -> a metric filter on that group whose pattern *matches every canonical event
of the control* (trailproof evaluates the CloudWatch filter pattern language itself, so order, quoting and extra
conditions do not matter; its \`*\` wildcards, like the \`*\` and \`?\` of S3 and IAM policy documents the bucket
checks read, are matched without regular expressions, so a hostile pattern in evidence cannot stall an audit; a
filter that also matches more is accepted and reported as *broader*) -> an alarm on the filter's metric name and
namespace with actions enabled -> an SNS topic with at least one confirmed subscription. A FAIL names the missing
link (\`trail\`, \`metric-filter\`, \`alarm\`, \`subscription\`) and, for a filter, the events it misses (the v3-era
security-group filter misses \`ModifySecurityGroupRules\`). An EventBridge rule (bundle files
\`events/ListRules.json\`, \`events/ListTargetsByRule/<rule>.json\`) whose pattern matches the same events and
targets a subscribed topic is accepted and labelled *EventBridge*.

**Central monitoring.** The log group may live in another account: a member account whose events an organization
(or other) trail delivers to a group in the management or a security account, where the filter, alarm and topic
exist, is monitored, and the result cites that chain (\`trail -> log group G in account X -> metric filter ->
alarm -> topic\`, with \`details.central\` and \`details.logGroupAccount\`). The group's account must be collected;
when it is not, the result is MANUAL. Auditors who require the alarms in every account set
\`requireAlarmInEachAccount: true\` for the monitoring checks (in the config, under \`checks.monitoring.<name>\`):
then only a group in the account itself counts, and a central one FAILs on the trail link.`;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function familyOf(id: string): string {
  return id.slice(0, id.indexOf('.'));
}

function optionLines(check: AnyCheck): string[] {
  const properties = (check.meta.schema.properties ?? {}) as Record<string, { type?: string; description?: string }>;
  const defaults = check.meta.defaultOptions as Record<string, unknown>;
  return Object.entries(properties).map(([name, p]) => `- \`${name}\` (${p.type ?? 'any'}, default \`${JSON.stringify(defaults[name])}\`): ${oneLine(p.description ?? '')}`);
}

function section(check: AnyCheck): string {
  const { meta } = check;
  const options = optionLines(check);
  return [
    `### \`${meta.id}\``,
    '',
    `${meta.title}. Severity **${meta.severity}**, one result per ${meta.scope}.`,
    '',
    oneLine(meta.description),
    '',
    `*Why:* ${oneLine(meta.rationale)}`,
    ...(options.length > 0 ? ['', 'Options:', ...options] : []),
    '',
  ].join('\n');
}

/** The whole of docs/checks.md for these checks. */
export function renderChecksDoc(checks: AnyCheck[]): string {
  const byFamily = new Map<string, AnyCheck[]>();
  // Monitoring checks in CIS order (4.1 to 4.15), the others by id.
  const rank = (id: string): number => MONITORING_CONTROLS.findIndex((c) => `monitoring.${c.name}` === id);
  for (const check of [...checks].sort((a, b) => rank(a.meta.id) - rank(b.meta.id) || (a.meta.id < b.meta.id ? -1 : 1))) {
    const family = familyOf(check.meta.id);
    byFamily.set(family, [...(byFamily.get(family) ?? []), check]);
  }
  const known = FAMILIES.map((f) => f.prefix);
  const order = [...FAMILIES, ...[...byFamily.keys()].filter((p) => !known.includes(p)).sort().map((prefix) => ({ prefix, title: prefix }))];
  const cisOf = new Map(MONITORING_CONTROLS.map((c) => [`monitoring.${c.name}`, c.control]));
  const out: string[] = [
    '# The checks',
    '',
    '<!-- Generated from the check registry by test/engine/checks-doc.ts: edit the checks\' meta, then run npm run golden:update. -->',
    '',
    `${checks.length} built-in checks. Each is one module under \`checks/\` whose id is its path; options are set in the config under`,
    '`checks.<id>`; the framework mappings live in `checks/frameworks/<framework>.json`. `trailproof checks list` prints the same',
    'catalog from the same metadata.',
    '',
    '| id | severity | one result per | passes when |',
    '| --- | --- | --- | --- |',
  ];
  for (const { prefix } of order) {
    for (const check of byFamily.get(prefix) ?? []) {
      const cis = cisOf.get(check.meta.id);
      out.push(`| \`${check.meta.id}\`${cis === undefined ? '' : ` (CIS ${cis})`} | ${check.meta.severity} | ${check.meta.scope} | ${cell(check.meta.title)} |`);
    }
  }
  for (const { prefix, title } of order) {
    const family = byFamily.get(prefix);
    if (family === undefined) continue;
    out.push('', `## ${title}`, '');
    if (prefix === 'monitoring') out.push(MONITORING_PROSE, '');
    for (const check of family) out.push(section(check));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
