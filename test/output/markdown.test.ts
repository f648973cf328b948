import { expect } from 'chai';
import { resultId } from '../../src/engine/result-id.js';
import { mdCell, renderMarkdown } from '../../src/output/markdown.js';
import { fixtureFindings } from '../report/fixtures.js';

describe('Markdown summary', () => {
  const md = renderMarkdown(fixtureFindings());

  it('states the verdict, the counts and the gate', () => {
    expect(md).to.match(/^## trailproof audit: not compliant\n/);
    // PASS FAIL MANUAL ERROR NOT_APPLICABLE WAIVED NOT_TESTED, then observations and detections.
    expect(md).to.contain('| 2 | 2 | 1 | 1 | 1 | 1 | 0 | 0 | 3 |');
    expect(md).to.contain('`--fail-on high` **failed**');
  });

  it('lists failures with their requirements and the risky events', () => {
    const id = resultId('bucket.secure-transport', '222222222222', 'us-east-1', 'arn:aws:s3:::example-cloudtrail-logs-222222222222');
    expect(md).to.contain(`| \`${id}\` | high | \`bucket.secure-transport\` | \`arn:aws:s3:::example-cloudtrail-logs-222222222222\` | 222222222222 | cis-aws-3.0 3.3 |  |`);
    expect(md).to.contain('| 2026-09-14T03:32:07Z | high | `s3-bucket-deleted` | `arn:aws:iam::444444444444:user/Winter` | DeleteBucket | `192.0.2.55` |');
    expect(md).to.contain('**Expired waivers:** `trail.kms-encryption`');
  });

  it('keeps table cells intact whatever the text holds', () => {
    expect(mdCell('a|b\nc *d*')).to.equal('a\\|b c \\*d\\*');
  });
});
