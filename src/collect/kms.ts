// KMS: the key that encrypts a trail's log files, read in the key's own account and region.
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from '../aws/sdk/kms.js';
import type { ClientSet } from './clients.js';
import { store, type Recorder } from './record.js';
import { isSafePath } from './writer.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** Where a key lives, from its ARN (an alias ARN is resolved by DescribeKey); a bare id lives with the trail. */
export function keyLocation(ref: string, fallbackAccount: string, fallbackRegion: string): { account: string; region: string; keyId?: string } {
  const m = KEY_ARN.exec(ref);
  if (!m) return /^[A-Za-z0-9-]+$/.test(ref) && !ref.startsWith('alias') ? { account: fallbackAccount, region: fallbackRegion, keyId: ref } : { account: fallbackAccount, region: fallbackRegion };
  const [region, account, kind, id] = [m[1] as string, m[2] as string, m[3] as string, m[4] as string];
  return kind === 'key' ? { account, region, keyId: id } : { account, region };
}

/** DescribeKey, GetKeyRotationStatus and GetKeyPolicy under kms/<keyId>/; false when no key id could be named. */
export async function keyEvidence(rec: Recorder, clients: ClientSet, ref: string, knownKeyId: string | undefined): Promise<boolean> {
  const place = { account: clients.account, where: clients.region };
  const kms = clients.kms;
  const call = <T>(action: 'kms:DescribeKey' | 'kms:GetKeyRotationStatus' | 'kms:GetKeyPolicy', send: (abortSignal: AbortSignal) => Promise<T>) =>
    rec.scheduler.call({ action, account: place.account, region: place.where }, send);
  const describe = await call('kms:DescribeKey', (abortSignal) => kms.send(new DescribeKeyCommand({ KeyId: ref }), { abortSignal }));
  const keyId = knownKeyId ?? (describe.ok ? describe.value.KeyMetadata?.KeyId : undefined);
  if (keyId === undefined || !isSafePath(keyId)) return false;
  const dir = `kms/${keyId}`;
  await store(rec, place, `${dir}/DescribeKey.json`, describe);
  const keyArn = describe.ok ? (describe.value.KeyMetadata?.Arn ?? ref) : ref;
  await Promise.all([
    call('kms:GetKeyRotationStatus', (abortSignal) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }), { abortSignal }))
      .then((o) => store(rec, place, `${dir}/GetKeyRotationStatus.json`, o)),
    call('kms:GetKeyPolicy', (abortSignal) => kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }), { abortSignal }))
      .then((o) => store(rec, place, `${dir}/GetKeyPolicy.json`, o)),
  ]);
  return true;
}
