// The signing key's fingerprint in the report: on the cover, and in the PDF's metadata (document info and
// keywords), only when the outputs are signed.
import { expect } from 'chai';
import { buildReportView } from '../../src/report/model.js';
import { pdfInfo } from '../../src/report/pdf.js';
import { renderReportHtml } from '../../src/report/html.js';
import { fixtureFindings } from '../report/fixtures.js';

describe('the report of signed outputs', () => {
  const findings = fixtureFindings();
  const keyid = 'ab'.repeat(32);
  const signed = { generatedAt: new Date('2026-10-02T00:00:00Z'), signingKey: { keyid, kind: 'kms' as const, name: 'alias/audit-signing' } };

  it('puts the fingerprint in the PDF metadata', () => {
    const info = pdfInfo(buildReportView(findings, signed));
    expect(info.custom?.['TrailproofSigningKeySHA256']).to.equal(keyid);
    expect(info.keywords).to.contain(`signing key sha256 ${keyid}`);
    const unsigned = pdfInfo(buildReportView(findings, { generatedAt: signed.generatedAt }));
    expect(unsigned.custom).not.to.have.property('TrailproofSigningKeySHA256');
    expect(unsigned.keywords).not.to.contain('signing key');
  });

  it('shows it on the cover, with where the key is, and nothing when unsigned', () => {
    const { html } = renderReportHtml(findings, signed);
    const cover = html.slice(html.indexOf('id="sec-cover"'), html.indexOf('</section>', html.indexOf('id="sec-cover"')));
    expect(cover).to.contain(`data-keyid="${keyid}"`).and.contain('AWS KMS key alias/audit-signing');
    expect(renderReportHtml(findings, { generatedAt: signed.generatedAt }).html).not.to.contain('Signed with');
  });
});
