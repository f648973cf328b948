import { expect } from 'chai';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bundle, parseJson } from '../../src/evidence/bundle.js';
import { TrailproofError } from '../../src/errors.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';

function sample(): BundleBuilder {
  return new BundleBuilder()
    .describeTrails('111111111111', 'us-east-1', [])
    .putError('111111111111', 'us-east-1', 'cloudtrail/ListEventDataStores.json', 'AccessDeniedException', 'User is not authorized to perform: cloudtrail:ListEventDataStores');
}

describe('evidence bundle reader', () => {
  it('reads responses and $error documents as typed ok and error reads', () => {
    const bundle = Bundle.open(sample().writeTemp());
    const ok = bundle.read('accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json');
    expect(ok.kind).to.equal('ok');
    const failed = bundle.read('accounts/111111111111/us-east-1/cloudtrail/ListEventDataStores.json');
    expect(failed.kind).to.equal('error');
    if (failed.kind === 'error') expect(failed.error.name).to.equal('AccessDeniedException');
    expect(bundle.read('accounts/111111111111/us-east-1/cloudtrail/Nope.json')).to.deep.equal({ kind: 'missing', file: 'accounts/111111111111/us-east-1/cloudtrail/Nope.json' });
    expect(bundle.integrity.verified).to.equal(true);
    expect(bundle.collectedAt.toISOString()).to.equal('2026-10-01T06:00:00.000Z');
  });

  it('marks a file whose SHA-256 differs from the manifest as tampered, and reads of it carry the mark', () => {
    const dir = sample().writeTemp();
    const file = 'accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json';
    writeFileSync(join(dir, file), JSON.stringify({ trailList: [{ Name: 'forged' }] }));
    const bundle = Bundle.open(dir);
    expect(bundle.integrity.verified).to.equal(false);
    expect(bundle.integrity.modified).to.deep.equal([file]);
    const read = bundle.read(file);
    expect(read.kind === 'ok' && read.source.tampered).to.equal(true);
  });

  it('lists files named in the manifest but absent as missing, and never reads files the manifest does not list', () => {
    const dir = sample().writeTemp();
    rmSync(join(dir, 'accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json'));
    writeFileSync(join(dir, 'extra.json'), '{}');
    const bundle = Bundle.open(dir);
    expect(bundle.integrity.missing).to.deep.equal(['accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json']);
    expect(bundle.files()).to.not.include('extra.json');
    expect(bundle.read('extra.json').kind).to.equal('missing');
    expect(bundle.read('accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json').kind).to.equal('missing');
  });

  it('names the file, line and column of malformed JSON', () => {
    const dir = sample().writeTemp();
    const file = 'accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json';
    appendFileSync(join(dir, file), '}');
    // Re-hash so only the syntax is wrong.
    const builder = sample();
    builder.file(file, readFileSync(join(dir, file)));
    const dir2 = builder.writeTemp();
    expect(() => Bundle.open(dir2)).to.throw(TrailproofError, /malformed JSON in accounts\/111111111111\/us-east-1\/cloudtrail\/DescribeTrails\.json at line 4, column 1/);
  });

  it('rejects a manifest that does not match the schema, naming the field', () => {
    const dir = sample().writeTemp();
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.collectedAt;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(() => Bundle.open(dir)).to.throw(TrailproofError, /manifest\.json.*collectedAt/);
  });

  it('says which folder is not a bundle', () => {
    expect(() => Bundle.open('/nonexistent/bundle')).to.throw(TrailproofError, /cannot read evidence bundle \/nonexistent\/bundle/);
  });

  it('reports JSON errors at the end of a truncated document', () => {
    expect(() => parseJson('{"a": [1, 2', 'x.json')).to.throw(/malformed JSON in x\.json at line 1/);
  });
});
