// The examples every command's --help ends with that work as written from a clone of the repository, on the
// demo organization (examples/demo-org), each with the exit code it ends with. The examples a command's
// builder declares use generic paths (an installed package, your own evidence); these are the ones you can
// paste in the repository right now. test/cli/help-examples.test.ts runs every one of them in order (later
// ones read what earlier ones wrote, as they would for a person) and checks the exit code written here.
export interface CloneExample {
  /** The words after `trailproof`, as a person types them. */
  args: string;
  describe: string;
  /** The exit code it ends with (CONTRACT section 1). */
  exit: 0 | 1 | 2 | 3;
}

const DEMO = 'examples/demo-org';
const DEMO_KEYS = `${DEMO}/accounts/111111111111/us-east-1/cloudtrail/ListPublicKeys.json`;

/** By command path ('audit', 'rules list'); order matters across commands: audit writes reports/demo first. */
export const CLONE_EXAMPLES: Readonly<Record<string, readonly CloneExample[]>> = {
  audit: [
    { args: `audit --bundle ${DEMO} --out reports/demo --format json,junit`, describe: 'Audit the demo organization: exit 1, it has high FAILs', exit: 1 },
    { args: `audit --bundle ${DEMO} --fail-on none --format json`, describe: 'The findings as JSON on stdout; the gate never fails', exit: 0 },
  ],
  collect: [{ args: 'collect --print-policy', describe: 'The IAM policy a collection needs (no AWS call)', exit: 0 }],
  scan: [
    { args: `scan --bundle ${DEMO}`, describe: 'The built-in rules over the demo: one row per rule; exit 1 for its high detections', exit: 1 },
    { args: `scan --bundle ${DEMO} --fail-on none --no-group --tz Europe/Berlin`, describe: 'Every detection, times in Berlin', exit: 0 },
  ],
  events: [
    { args: `events --bundle ${DEMO} --resource example-prod-customer-data --name DeleteBucket`, describe: 'Who deleted this bucket, when, from where', exit: 0 },
    { args: `events --bundle ${DEMO} --since 18d --user Winter`, describe: "One user's calls in the bundle's last 18 days (before its collectedAt)", exit: 0 },
    { args: `events --bundle ${DEMO} --id c034be56-2178-48ce-a9e7-41fc5e7a6bd8`, describe: 'That deletion in words, then its record', exit: 0 },
  ],
  report: [{ args: 'report --findings reports/demo/findings.json --out reports/demo --format html,markdown', describe: 'The HTML report and a Markdown summary of the audit above', exit: 0 }],
  'validate-logs': [{ args: `validate-logs --logs ${DEMO}/logs --public-keys ${DEMO_KEYS}`, describe: "The demo trail's digest chains, offline", exit: 0 }],
  gate: [
    { args: `gate --bundle ${DEMO} --account 111111111111`, describe: 'An account the organization trail covers: passes', exit: 0 },
    { args: `gate --bundle ${DEMO} --account 444444444444`, describe: 'An account with a public log bucket: fails', exit: 1 },
  ],
  verify: [],
  'checks list': [{ args: 'checks list --format json', describe: 'The check catalog as JSON', exit: 0 }],
  'rules list': [{ args: 'rules list', describe: 'The built-in rules', exit: 0 }],
  'rules sql': [{ args: 'rules sql --engine athena --period 2026-Q3', describe: 'The rules as Athena SQL (nothing runs)', exit: 0 }],
  'frameworks list': [{ args: 'frameworks list', describe: 'The frameworks --framework accepts', exit: 0 }],
};

/** The help's closing section: the clone examples of one command, or nothing when it has none. */
export function cloneEpilog(path: string): string {
  const examples = CLONE_EXAMPLES[path] ?? [];
  if (examples.length === 0) return '';
  const lines = examples.map((e) => `  trailproof ${e.args}\n      ${e.describe} (exit ${e.exit})`);
  return `From a clone of the repository (npx trailproof there), on the demo organization:\n${lines.join('\n')}`;
}
