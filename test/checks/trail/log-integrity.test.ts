import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { check } from '../../../checks/trail/log-integrity.js';
import { createContext, type CheckResult } from '../../../src/engine/check.js';
import { Bundle } from '../../../src/evidence/bundle.js';
import { Estate } from '../../../src/evidence/estate.js';
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

async function run(b: BundleBuilder, verify = true): Promise<CheckResult> {
  const bundle = Bundle.open(b.writeTemp());
  const estate = new Estate(bundle, verify ? { logIntegrity: await verifyBundleLogs(bundle) } : {});
  const results = check.run(estate, createContext(check.meta, {}, estate.collectedAt));
  const mine = results.filter((r) => r.resource === ARN);
  expect(mine).to.have.length(1);
  return mine[0] as CheckResult;
}

describe('trail.log-integrity', function () {
  this.timeout(30_000);

  it('PASSes a trail whose digest chain is unbroken and whose every log verifies, with the counts and the span', async () => {
    const result = await run(bundleWithLogs());
    expect(result.status).to.equal('PASS');
    expect(result.message).to.equal('Trail main: 6 log files from 2026-09-14T00:00:31Z to 2026-09-14T03:00:31Z verified intact, 3 digest files in an unbroken chain. The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle\'s producer is trusted.');
    expect(result.evidence.map((e) => e.file)).to.deep.equal([`logs/AWSLogs/${MGMT}/CloudTrail-Digest/us-east-1/2026/09/14/${MGMT}_CloudTrail-Digest_us-east-1_main_us-east-1_20260914T030031Z.json.gz`]);
    expect(result.details).to.deep.include({ bucket: BUCKET, digests: { valid: 3, total: 3 }, logs: { valid: 6, total: 6 }, problemCount: 0 });
  });

  it('FAILs a trail one of whose log files was modified, naming the file and citing it', async () => {
    let modified = '';
    const result = await run(bundleWithLogs({}, (v) => {
      modified = v.logs[3]!.key;
      writeFileSync(pathOf(v, modified), gzipSync('{"Records":[]}'));
    }));
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal(`Trail main: 1 integrity problems in its log and digest files (1 the AWS CLI reports, 0 stricter): logs/${modified}: hash-mismatch.`);
    expect(result.evidence.map((e) => e.file)).to.deep.equal([`logs/${modified}`]);
  });

  it('FAILs a trail whose chain misses a digest', async () => {
    const b = bundleWithLogs({ hours: 4 });
    const gone = [...b.files.keys()].find((f) => f.endsWith('_20260914T020031Z.json.gz')) as string;
    b.remove(gone).remove(`${gone}.metadata.json`);
    const result = await run(b);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain(`${gone}: not-found`);
  });

  it('is MANUAL when the chain restarts (logging or validation was off for a while)', async () => {
    const result = await run(bundleWithLogs({ hours: 4, skipHours: [1] }));
    expect(result.status).to.equal('MANUAL');
    expect(result.message).to.equal('Trail main: 6 log files and 3 digest files verified, but the chain restarts 1 times (no logs were delivered between 2026-09-14T01:00:31Z and 2026-09-14T02:00:31Z); confirm logging or validation was off on purpose. The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle\'s producer is trusted.');
  });

  it('is NOT_TESTED (the proof was not collected), not NOT_APPLICABLE, when the bundle holds no digest files for the trail', async () => {
    const result = await run(writeTrails(builder(), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]));
    expect(result.status).to.equal('NOT_TESTED');
    expect(result.message).to.equal('Not tested: the bundle holds no digest files for trail main, so its log files could not be proven intact (collect with --logs to copy them).');
  });

  it('is MANUAL when the digests were not verified in this run (no precomputed result)', async () => {
    const result = await run(bundleWithLogs(), false);
    expect(result.status).to.equal('MANUAL');
    expect(result.message).to.match(/^The bundle holds 3 digest files for trail main that were not verified in this run/);
  });

  it('is an ERROR when the bundle holds no public keys to check the signatures', async () => {
    const result = await run(bundleWithLogs({}, () => undefined, false));
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain('no CloudTrail public keys (accounts/<account>/<region>/cloudtrail/ListPublicKeys.json)');
  });

  it('is an ERROR when the ListPublicKeys call failed', async () => {
    const b = bundleWithLogs({}, () => undefined, false).putError(MGMT, 'us-east-1', 'cloudtrail/ListPublicKeys.json', 'AccessDeniedException');
    expect((await run(b)).status).to.equal('ERROR');
  });
});
