import { defineCheck, describeUnusable, type Estate, type EvidenceRef, type KeyModel, locatedRef, readRef, type TrailModel } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'trail.kms-key-rotation',
    title: 'KMS keys that encrypt trail logs are customer managed, enabled and rotated',
    severity: 'medium',
    scope: 'trail-key',
    description:
      'Each distinct KMS key set on a trail is read with DescribeKey and GetKeyRotationStatus, in the account that owns the key.',
    rationale:
      'CloudTrail cannot deliver log files while its key is disabled or pending deletion, and once the key is deleted every file encrypted with it is unreadable. ' +
      'Automatic rotation limits how much data one key version protects and is required by CIS AWS 3.6.',
    remediation: {
      text: 'Use a customer managed symmetric key, keep it Enabled (cancel a scheduled deletion), and turn on automatic rotation.',
      cli: 'aws kms cancel-key-deletion --key-id <key> ; aws kms enable-key --key-id <key> ; aws kms enable-key-rotation --key-id <key>',
      iac: 'AWS::KMS::Key Enabled: true, EnableKeyRotation: true, PendingWindowInDays with a DeletionPolicy of Retain',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      rotated: 'KMS key {{key}} (used by {{trails}}) is customer managed, enabled and rotated automatically.',
      failing: 'KMS key {{key}} (used by {{trails}}): {{problems}}.',
      noKey: 'Trail {{trail}} has no KMS key, so there is no key to rotate (see trail.kms-encryption).',
    },
  },
  run(estate, ctx) {
    const byKey = new Map<string, { key: KeyModel; trails: TrailModel[] }>();
    for (const trail of estate.trails) {
      if (trail.key === undefined) continue;
      const known = byKey.get(trail.key.arn) ?? { key: trail.key, trails: [] };
      known.trails.push(trail);
      byKey.set(trail.key.arn, known);
    }
    if (byKey.size === 0) {
      return estate.trails.map((trail) =>
        ctx.result('NOT_APPLICABLE', {
          account: trail.ownerAccount,
          region: trail.homeRegion,
          resource: trail.arn,
          messageId: 'noKey',
          data: { trail: trail.name },
          evidence: [locatedRef(trail.entry)],
        }),
      );
    }

    return [...byKey.values()].sort((a, b) => (a.key.arn < b.key.arn ? -1 : 1)).map(({ key, trails }) => {
      const subject = { account: key.account, region: key.region, resource: key.arn };
      const users = `${trails.length === 1 ? 'trail' : 'trails'} ${trails.map((t) => t.name).join(', ')}`;
      const trailRefs = trails.map((t) => locatedRef(t.entry, '/KmsKeyId'));
      if (!key.collected && !placeCollected(estate, key)) return ctx.notCollected(subject, `KMS key ${key.arn} (used by ${users})`);
      const describe = key.describe;
      if (describe.kind !== 'ok') {
        const error = ctx.error(describe, subject, `KMS key ${key.arn} (used by ${users})`);
        return { ...error, evidence: [...error.evidence, ...trailRefs] };
      }

      const meta = describe.value.KeyMetadata ?? {};
      const problems: string[] = [];
      const evidence: EvidenceRef[] = [...trailRefs, ...readRef(describe, '/KeyMetadata/KeyState'), ...readRef(describe, '/KeyMetadata/KeyManager')];
      if (meta.KeyState === 'Disabled') {
        problems.push('the key is Disabled, so CloudTrail cannot deliver log files encrypted with it');
      } else if (meta.KeyState === 'PendingDeletion') {
        const when = meta.DeletionDate === undefined ? 'soon' : `on ${meta.DeletionDate}`;
        problems.push(`the key is PendingDeletion and will be deleted ${when}: CloudTrail cannot deliver log files encrypted with it, and after deletion no log file it encrypted can be read`);
        if (meta.DeletionDate !== undefined) evidence.push(...readRef(describe, '/KeyMetadata/DeletionDate'));
      } else if (meta.KeyState !== 'Enabled') {
        problems.push(`the key is in state ${meta.KeyState ?? '(not reported)'}, not Enabled`);
      }
      if (meta.KeyManager !== 'CUSTOMER') {
        problems.push(`the key is ${meta.KeyManager === 'AWS' ? 'AWS managed' : `managed by ${meta.KeyManager ?? '(not reported)'}`}, not customer managed`);
      }

      const rotation = key.rotation;
      const details: Record<string, unknown> = {
        keyArn: key.arn,
        keyManager: meta.KeyManager ?? null,
        keyState: meta.KeyState ?? null,
        deletionDate: meta.DeletionDate ?? null,
        rotationEnabled: rotation.kind === 'ok' ? rotation.value.KeyRotationEnabled === true : null,
        trails: trails.map((t) => t.arn),
      };
      if (rotation.kind === 'ok') {
        evidence.push(...readRef(rotation, '/KeyRotationEnabled'));
        if (rotation.value.KeyRotationEnabled !== true) problems.push('automatic key rotation is off');
        if (rotation.value.RotationPeriodInDays !== undefined) details.rotationPeriodInDays = rotation.value.RotationPeriodInDays;
      } else if (problems.length === 0) {
        const error = ctx.error(rotation, subject, `KMS key ${key.arn} (used by ${users})`);
        return { ...error, evidence: [...error.evidence, ...evidence], details };
      } else {
        // The key already fails on what DescribeKey shows; the unreadable rotation status does not change that verdict.
        details.rotationUnreadable = describeUnusable(rotation);
        evidence.push(...readRef(rotation));
      }

      const base = { ...subject, evidence, details };
      return problems.length > 0
        ? ctx.result('FAIL', { ...base, messageId: 'failing', data: { key: key.arn, trails: users, problems: problems.join('; ') } })
        : ctx.result('PASS', { ...base, messageId: 'rotated', data: { key: key.arn, trails: users } });
    });
  },
});

/** Whether the key's account and region were in the collected scope (so a missing DescribeKey is a gap, not out of scope). */
function placeCollected(estate: Estate, key: KeyModel): boolean {
  return estate.isCollectedAccount(key.account) && estate.regionsOf(key.account).some((r) => r.region === key.region);
}
