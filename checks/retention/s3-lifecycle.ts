import {
  bucketSubject, defineCheck, evidenceRef, type GetBucketLifecycleConfigurationResponse, type LifecycleViolation, lifecycleViolations, logPrefixOf, readRef, ruleCoversPrefix,
} from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'retention.s3-lifecycle',
    title: 'Trail log buckets keep logs for the retention period',
    severity: 'medium',
    scope: 'bucket',
    description:
      'No enabled lifecycle rule of a trail log bucket that applies to the trail log prefix expires current or noncurrent log objects before minRetentionDays, or moves them to a storage class that needs a restore (GLACIER, DEEP_ARCHIVE) before minHotDays. Rules filtered by tag are ignored: CloudTrail does not tag what it writes.',
    rationale:
      'Audit logs must outlive the period an investigation or an assessor looks back over (PCI DSS keeps a year, the last three months at hand). A lifecycle rule that deletes them early destroys the evidence silently; one that archives them early makes the recent months slow and costly to read when an incident needs them.',
    remediation: {
      text: 'Change the lifecycle rules that cover the log prefix so that they expire objects (and noncurrent versions) no sooner than the retention period, and archive them to GLACIER or DEEP_ARCHIVE no sooner than the readable period (GLACIER_IR and the IA classes stay readable).',
      cli: 'aws s3api put-bucket-lifecycle-configuration --bucket <bucket> --lifecycle-configuration file://lifecycle.json',
      iac: 'AWS::S3::Bucket LifecycleConfiguration.Rules: [{Status: Enabled, Prefix: AWSLogs/, Transitions: [{StorageClass: GLACIER, TransitionInDays: 90}], ExpirationInDays: 365}]',
    },
    defaultOptions: { minRetentionDays: 365, minHotDays: 90 },
    schema: {
      type: 'object',
      properties: {
        minRetentionDays: { type: 'integer', minimum: 1, default: 365, description: 'Days log objects must be kept before any rule may expire them.' },
        minHotDays: { type: 'integer', minimum: 1, default: 90, description: 'Days log objects must stay readable without a restore before any rule may archive them.' },
      },
      additionalProperties: false,
    },
    messages: {
      noRules: 'Bucket {{bucket}} has no lifecycle rules: logs are kept until deleted.',
      kept: 'Bucket {{bucket}} keeps trail logs under {{prefixes}} at least {{min}} days, readable at least {{hot}} days ({{covering}}).',
      early: 'Bucket {{bucket}} (logs of {{trails}}) has lifecycle rules that remove trail logs under {{prefixes}} too early: {{violations}}.',
    },
  },
  run(estate, ctx) {
    const { minRetentionDays, minHotDays } = ctx.options;
    return estate.trailBuckets().map(({ bucket, trails }) => {
      const subject = bucketSubject(bucket, trails);
      if (!bucket.collected) return ctx.notCollected(subject, `Bucket ${bucket.name}`);
      const read = bucket.read<GetBucketLifecycleConfigurationResponse>('GetBucketLifecycleConfiguration');
      const data = { bucket: bucket.name, trails: trails.map((t) => t.name).join(', '), min: minRetentionDays, hot: minHotDays };
      if (read.kind === 'error' && read.error.name === 'NoSuchLifecycleConfiguration') {
        return ctx.result('PASS', { ...subject, messageId: 'noRules', data, evidence: readRef(read), details: { rules: 0 } });
      }
      if (read.kind !== 'ok') return ctx.error(read, subject, `Bucket ${bucket.name}`);

      const rules = Array.isArray(read.value.Rules) ? read.value.Rules : [];
      const prefixes = [...new Set(trails.map((t) => logPrefixOf(t.config.S3KeyPrefix)))].sort();
      // One rule can break the minimum for several trails' prefixes: report it once, with every prefix it reaches.
      const found = new Map<string, LifecycleViolation & { logPrefixes: string[] }>();
      for (const logPrefix of prefixes) {
        for (const v of lifecycleViolations(rules, { logPrefix, minRetentionDays, minHotDays, collectedAt: ctx.collectedAt })) {
          const key = `${v.pointer} ${v.detail}`;
          const known = found.get(key);
          if (known) known.logPrefixes.push(logPrefix);
          else found.set(key, { ...v, logPrefixes: [logPrefix] });
        }
      }
      const violations = [...found.values()].sort((a, b) => a.ruleIndex - b.ruleIndex || (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
      const covering = rules.flatMap((rule, i) => (rule.Status === 'Enabled' && prefixes.some((p) => ruleCoversPrefix(rule, p)) ? [i] : []));
      const details = { logPrefixes: prefixes, rules: rules.length, coveringRules: covering, minRetentionDays, minHotDays, violations };
      const shown = { ...data, prefixes: prefixes.join(', ') };
      if (violations.length > 0) {
        return ctx.result('FAIL', {
          ...subject, messageId: 'early', details,
          data: { ...shown, violations: violations.map((v) => v.detail).join('; ') },
          evidence: violations.map((v) => evidenceRef(read.source, v.pointer)),
        });
      }
      const evidence = covering.length > 0 ? covering.map((i) => evidenceRef(read.source, `/Rules/${i}`)) : [evidenceRef(read.source, '/Rules')];
      return ctx.result('PASS', { ...subject, messageId: 'kept', data: { ...shown, covering: coveringText(covering.length) }, evidence, details });
    });
  },
});

function coveringText(n: number): string {
  return n === 0 ? 'no enabled lifecycle rule applies to them' : n === 1 ? '1 enabled lifecycle rule applies to them' : `${n} enabled lifecycle rules apply to them`;
}
