import { type CheckResult, defineCheck, evidenceRef, type EvidenceRef, type LogKeysTrust } from '../../src/check-kit.js';
import { bundleDigestFiles, LOGS_FOLDER } from '../../src/integrity/bundle.js';

const FIRST_PROBLEMS = 5;

export const check = defineCheck({
  meta: {
    id: 'trail.log-integrity',
    title: 'Trail log files are proven intact by their digest chain',
    severity: 'high',
    scope: 'trail',
    description:
      'Verifies the CloudTrail digest files a bundle holds for the trail (signatures, the chain of previous-digest links) and every log file they list (SHA-256 of the inflated file), as `aws cloudtrail validate-logs` does, plus stricter checks: previous-digest hash and signature, bytes appended after the gzip member, log files listed in no digest.',
    rationale:
      'Log file validation being on is a setting; auditors ask for the proof that the logs of the period are complete and unaltered. A broken chain, a missing or modified log file is exactly what an intruder covering their tracks leaves behind.',
    remediation: {
      text: 'Investigate every file named: restore deleted or modified log and digest files from a replica or backup, protect the bucket with Object Lock and MFA delete, and find who changed them in the S3 server access logs and data events.',
      cli: 'trailproof validate-logs --logs <bundle>/logs --public-keys <list-public-keys.json>',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      intact: 'Trail {{trail}}: {{logs}} log files from {{from}} to {{to}} verified intact, {{digests}} digest files in an unbroken chain. {{trust}}.',
      broken: 'Trail {{trail}}: {{count}} integrity problems in its log and digest files ({{invalid}} the AWS CLI reports, {{stricter}} stricter): {{first}}.',
      gaps: 'Trail {{trail}}: {{logs}} log files and {{digests}} digest files verified, but the chain restarts {{count}} times (no logs were delivered {{first}}); confirm logging or validation was off on purpose. {{trust}}.',
      noDigests: 'Not tested: the bundle holds no digest files for trail {{trail}}, so its log files could not be proven intact (collect with --logs to copy them).',
      notVerified: 'The bundle holds {{count}} digest files for trail {{trail}} that were not verified in this run; run `trailproof validate-logs --logs <bundle>/logs` to verify them.',
      noKeys: 'The bundle holds {{count}} digest files for trail {{trail}} but no CloudTrail public keys (accounts/<account>/<region>/cloudtrail/ListPublicKeys.json) to verify their signatures.',
      unreadable: 'The digest and log files of trail {{trail}} could not be read: {{error}}.',
    },
  },
  run(estate, ctx) {
    const bundle = estate.bundle;
    const integrity = estate.logIntegrity;
    const digestFiles = bundleDigestFiles(bundle.files());
    // Whether the bundle was collected with --logs (readers ignore manifest fields they do not know).
    const collection = bundle.manifest['collection'];
    const logsCollected = typeof collection === 'object' && collection !== null && 'logs' in collection;
    const ref = (file: string): EvidenceRef[] => {
      const source = bundle.source(file);
      return source === undefined ? [] : [evidenceRef(source)];
    };
    return estate.trails.map((trail): CheckResult => {
      const subject = { account: trail.ownerAccount, region: trail.homeRegion, resource: trail.arn };
      const prefix = (trail.config.S3KeyPrefix ?? '').replace(/\/+$/, '');
      const mine = digestFiles.filter((d) => d.chain.trail === trail.name && d.chain.homeRegion === trail.homeRegion && d.chain.prefix === prefix);
      const data = { trail: trail.name, count: mine.length };
      // `collect --logs` writes a listing or object of the bucket it could not read as an $error document
      // beside the bucket's evidence: the copy is incomplete, so nothing it holds proves the trail intact.
      const bucket = trail.bucket;
      if (bucket?.collected === true) {
        for (const call of ['ListObjectsV2', 'GetObject']) {
          const read = bundle.read<unknown>(`accounts/${bucket.account ?? ''}/${bucket.region ?? ''}/s3/${bucket.name}/${call}.json`);
          if (read.kind === 'error') return ctx.error(read, subject, `The copy of trail ${trail.name}'s log files is incomplete (collect --logs could not read s3://${bucket.name})`);
        }
      } else if (bucket !== undefined && logsCollected) {
        return ctx.notCollected(subject, `Bucket ${bucket.name}, where trail ${trail.name} delivers its log and digest files,`);
      }
      // No digest files: the proof was not collected (NOT_TESTED), which is not "does not apply".
      if (mine.length === 0) return ctx.result('NOT_TESTED', { ...subject, messageId: 'noDigests', data: { trail: trail.name } });
      const newestFile = mine.reduce((a, b) => (b.chain.end > a.chain.end ? b : a)).file;
      if (integrity === undefined) return ctx.result('MANUAL', { ...subject, messageId: 'notVerified', data, evidence: ref(newestFile) });
      if (integrity.keyFiles.length === 0 && integrity.trust?.source !== 'pinned') return ctx.result('ERROR', { ...subject, messageId: 'noKeys', data, evidence: ref(newestFile) });
      const group = integrity.trails.find((g) => g.trail === trail.name && g.homeRegion === trail.homeRegion && g.prefix === prefix && g.bucket === trail.config.S3BucketName)
        ?? integrity.trails.find((g) => g.trail === trail.name && g.homeRegion === trail.homeRegion && g.prefix === prefix);
      if (group?.report === undefined) {
        return ctx.result('ERROR', { ...subject, messageId: 'unreadable', data: { trail: trail.name, error: group?.error ?? 'the verification has no result for this trail' }, evidence: ref(newestFile) });
      }
      const { summary, problems, gaps, proven } = group.report;
      const details = {
        bucket: group.bucket, digests: summary.digests, backfillDigests: summary.backfillDigests, logs: summary.logs,
        provenFrom: proven.from, provenTo: proven.to, gaps, problems: problems.slice(0, FIRST_PROBLEMS).map((p) => ({ level: p.level, file: p.file, reason: p.reason, key: p.key ?? null, message: p.message })),
        problemCount: problems.length,
        trust: integrity.trust ?? null,
      };
      const counts = { trail: trail.name, logs: summary.logs.total, digests: summary.digests.total + summary.backfillDigests.total, trust: trustPhrase(integrity.trust) };
      if (problems.length > 0) {
        const first = problems.slice(0, 3).map((p) => `${p.key === undefined ? p.where : `${LOGS_FOLDER}/${p.key}`}: ${p.reason}`).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
        const evidence = problems.slice(0, FIRST_PROBLEMS).flatMap((p) => (p.key === undefined ? [] : ref(`${LOGS_FOLDER}/${p.key}`)));
        return ctx.result('FAIL', { ...subject, messageId: 'broken', data: { trail: trail.name, count: problems.length, invalid: summary.invalid, stricter: summary.stricter, first }, evidence: evidence.length > 0 ? evidence : ref(newestFile), details });
      }
      if (gaps.length > 0) {
        const first = gaps.slice(0, 2).map((g) => `between ${g.from} and ${g.to}`).join(', ') + (gaps.length > 2 ? ` and ${gaps.length - 2} more` : '');
        return ctx.result('MANUAL', { ...subject, messageId: 'gaps', data: { ...counts, count: gaps.length, first }, evidence: ref(newestFile), details });
      }
      return ctx.result('PASS', { ...subject, messageId: 'intact', data: { ...counts, from: proven.from ?? '?', to: proven.to ?? '?' }, evidence: ref(newestFile), details });
    });
  },
});

/** How a verdict names the keys it trusted: plainly, when they came with the evidence itself. */
function trustPhrase(trust: LogKeysTrust | undefined): string {
  switch (trust?.source) {
    case undefined:
      return 'No public keys were trusted';
    case 'bundle':
      return "The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle's producer is trusted";
    case 'live':
      return 'The signing keys were fetched from CloudTrail by this run';
    case 'auditor':
      return 'The signing keys were given by the auditor (--public-keys)';
    case 'pinned':
      return `The signing keys were pinned by the auditor (${trust.fingerprints.join(', ')})`;
  }
}
