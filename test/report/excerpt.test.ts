import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceReader, excerptLines } from '../../src/report/excerpt.js';
import { writeFixtureBundle, MGMT, LOGS } from './fixtures.js';

const marked = (lines: { text: string; mark: boolean }[]): string[] => lines.filter((l) => l.mark).map((l) => l.text.trim());

describe('evidence excerpts', () => {
  it('shows the member a pointer names, marked, inside its object with the lines that identify it', () => {
    const doc = { trailList: [{ Name: 'org-trail', TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail', S3BucketName: 'b', LogFileValidationEnabled: false }] };
    const { lines, note } = excerptLines(doc, '/trailList/0/LogFileValidationEnabled');
    expect(note).to.equal(null);
    expect(marked(lines)).to.deep.equal(['"LogFileValidationEnabled": false']);
    expect(lines.map((l) => l.text.trim())).to.include('"Name": "org-trail",');
  });

  it('says (absent) when the evidence is the absence of a member', () => {
    expect(marked(excerptLines({ Status: 'Enabled' }, '/MFADelete').lines)).to.deep.equal(['"MFADelete": (absent)']);
  });

  it('shows a policy stored as a JSON string as the parsed document', () => {
    const { lines } = excerptLines({ Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' }, '/Policy');
    expect(marked(lines)).to.include('"Effect": "Allow"');
  });

  it('decodes ~0 and ~1 and reports a pointer that does not resolve', () => {
    expect(marked(excerptLines({ 'a/b': { 'c~d': 1 } }, '/a~1b/c~0d').lines)).to.deep.equal(['"c~d": 1']);
    expect(excerptLines({ a: 1 }, '/x/y').note).to.match(/does not resolve/);
  });

  it('reads cited bundle files only when their SHA-256 still matches the audit', () => {
    const bundle = writeFixtureBundle();
    const reader = new EvidenceReader(bundle.dir);
    const trails = bundle.ref(`accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`, '/trailList/0/LogFileValidationEnabled');
    expect(marked(reader.view(trails).lines)).to.deep.equal(['"LogFileValidationEnabled": false']);
    const versioning = `accounts/${LOGS}/us-east-1/s3/example-cloudtrail-logs-222222222222/GetBucketVersioning.json`;
    const ref = bundle.ref(versioning, '/MFADelete');
    writeFileSync(join(bundle.dir, versioning), JSON.stringify({ Status: 'Enabled', MFADelete: 'Enabled' }));
    const view = new EvidenceReader(bundle.dir).view(ref);
    expect(view.lines).to.deep.equal([]);
    expect(view.note).to.match(/no longer matches the SHA-256 recorded by the audit/);
  });

  it('never reads outside the bundle, and shows references alone without one', () => {
    const bundle = writeFixtureBundle();
    const outside = new EvidenceReader(bundle.dir).view({ file: '../../etc/passwd', sha256: '0'.repeat(64), pointer: '' });
    expect(outside.note).to.match(/leaves the bundle folder/);
    const none = new EvidenceReader(undefined).view({ file: 'accounts/x.json', sha256: '0'.repeat(64), pointer: '/a' });
    expect(none).to.deep.include({ file: 'accounts/x.json', lines: [], note: null });
  });
});
