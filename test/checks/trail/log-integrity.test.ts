import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { check } from '../../../checks/trail/log-integrity.js';
import { describeCheck } from '../../../src/check-tester.js';
import type { Bundle } from '../../../src/evidence/bundle.js';
import { verifyBundleLogs } from '../../../src/integrity/bundle.js';
import { trailArn, type BundleBuilder } from '../../../fixtures/bundle-builder.js';
import { MGMT, builder, writeTrails } from '../trail-key-estate.js';
import { chainOf, pathOf, publicKeysDocument, signingKey, writeChain, type ChainOptions, type Vectors } from '../../../fixtures/integrity-vectors.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const BUCKET = `cloudtrail-logs-${MGMT}`;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** A bundle with trail `main`, its digest chain and logs under logs/, and the public keys. */
function bundleWithLogs(options: ChainOptions = {}, change: (v: Vectors) => void = () => undefined, keys = true): BundleBuilder {
  const b = writeTrails(builder(), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]);
  const v = writeChain({ bucket: BUCKET, chain: chainOf({ account: MGMT }), hours: 3, ...options });
  change(v);
  for (const file of files(v.dir)) b.file(`logs/${file}`, readFileSync(join(v.dir, file)));
  if (keys) b.put(MGMT, 'us-east-1', 'cloudtrail/ListPublicKeys.json', publicKeysDocument([signingKey()]));
  return b;
}

// The file a case changed, named by its bundle (built when the case runs) for its assertions.
let modified = '';
let gone = '';

/** The engine's verification of the bundle's logs, made before the checks run. */
async function verified(bundle: Bundle) {
  return { logIntegrity: await verifyBundleLogs(bundle) };
}

describeCheck(check, {
  valid: [
    {
      name: 'a trail whose digest chain is unbroken and whose every log verifies, with the counts and the span', bundle: () => bundleWithLogs(), verify: verified, resource: ARN, status: 'PASS', messageId: 'intact',
      check(r) {
        expect(r.message).to.equal('Trail main: 6 log files from 2026-09-14T00:00:31Z to 2026-09-14T03:00:31Z verified intact, 3 digest files in an unbroken chain. The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle\'s producer is trusted.');
        expect(r.evidence.map((e) => e.file)).to.deep.equal([`logs/AWSLogs/${MGMT}/CloudTrail-Digest/us-east-1/2026/09/14/${MGMT}_CloudTrail-Digest_us-east-1_main_us-east-1_20260914T030031Z.json.gz`]);
        expect(r.details).to.deep.include({ bucket: BUCKET, digests: { valid: 3, total: 3 }, logs: { valid: 6, total: 6 }, problemCount: 0 });
      },
    },
  ],
  invalid: [
    {
      name: 'a trail one of whose log files was modified, naming the file and citing it',
      bundle: () => bundleWithLogs({}, (v) => {
        modified = v.logs[3]!.key;
        writeFileSync(pathOf(v, modified), gzipSync('{"Records":[]}'));
      }),
      verify: verified, resource: ARN, status: 'FAIL', messageId: 'broken',
      check(r) {
        expect(r.message).to.equal(`Trail main: 1 integrity problems in its log and digest files (1 the AWS CLI reports, 0 stricter): logs/${modified}: hash-mismatch.`);
        expect(r.evidence.map((e) => e.file)).to.deep.equal([`logs/${modified}`]);
      },
    },
    {
      name: 'a trail whose chain misses a digest',
      bundle: () => {
        const b = bundleWithLogs({ hours: 4 });
        gone = [...b.files.keys()].find((f) => f.endsWith('_20260914T020031Z.json.gz')) as string;
        return b.remove(gone).remove(`${gone}.metadata.json`);
      },
      verify: verified, resource: ARN, status: 'FAIL', messageId: 'broken',
      check: (r) => expect(r.message).to.contain(`${gone}: not-found`),
    },
    {
      name: 'a chain that restarts (logging or validation was off for a while)', bundle: () => bundleWithLogs({ hours: 4, skipHours: [1] }), verify: verified, resource: ARN, status: 'MANUAL', messageId: 'gaps',
      check: (r) => expect(r.message).to.equal('Trail main: 6 log files and 3 digest files verified, but the chain restarts 1 times (no logs were delivered between 2026-09-14T01:00:31Z and 2026-09-14T02:00:31Z); confirm logging or validation was off on purpose. The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle\'s producer is trusted.'),
    },
    {
      name: 'a bundle holding no digest files for the trail: the proof was not collected (not NOT_APPLICABLE)',
      bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]), verify: verified, resource: ARN, status: 'NOT_TESTED', messageId: 'noDigests',
      check: (r) => expect(r.message).to.equal('Not tested: the bundle holds no digest files for trail main, so its log files could not be proven intact (collect with --logs to copy them).'),
    },
    {
      name: 'digests that were not verified in this run (no precomputed result)', bundle: () => bundleWithLogs(), resource: ARN, status: 'MANUAL', messageId: 'notVerified',
      check: (r) => expect(r.message).to.match(/^The bundle holds 3 digest files for trail main that were not verified in this run/),
    },
    {
      name: 'a bundle holding no public keys to check the signatures', bundle: () => bundleWithLogs({}, () => undefined, false), verify: verified, resource: ARN, status: 'ERROR', messageId: 'noKeys',
      check: (r) => expect(r.message).to.contain('no CloudTrail public keys (accounts/<account>/<region>/cloudtrail/ListPublicKeys.json)'),
    },
    {
      name: 'a failed ListPublicKeys call', bundle: () => bundleWithLogs({}, () => undefined, false).putError(MGMT, 'us-east-1', 'cloudtrail/ListPublicKeys.json', 'AccessDeniedException'),
      verify: verified, resource: ARN, status: 'ERROR', messageId: 'unreadable',
      check: (r) => expect(r.message).to.equal('The digest and log files of trail main could not be read: the verification has no result for this trail.'),
    },
    {
      name: 'a verification that has no result for the trail', bundle: () => bundleWithLogs(), resource: ARN, status: 'ERROR', messageId: 'unreadable',
      verify: async (bundle) => ({ logIntegrity: { ...(await verifyBundleLogs(bundle)), trails: [] } }),
      check: (r) => expect(r.message).to.equal('The digest and log files of trail main could not be read: the verification has no result for this trail.'),
    },
  ],
});
