import { expect } from 'chai';
import { csvCell, renderCsv } from '../../src/output/csv.js';
import { fixtureFindings } from '../report/fixtures.js';
import { parseCsv } from '../helpers/csv.js';


describe('CSV output', () => {
  const findings = fixtureFindings();

  it('has one row per result and a column per framework with the requirement ids', () => {
    const [header, ...rows] = parseCsv(renderCsv(findings));
    expect(rows).to.have.length(findings.results.length);
    expect(header).to.include.members(['account', 'check_id', 'status', 'resource', 'aws-fsbp', 'cis-aws-3.0']);
    const col = (name: string): number => (header as string[]).indexOf(name);
    const validation = rows.find((r) => r[col('check_id')] === 'trail.log-file-validation') as string[];
    expect(validation[col('cis-aws-3.0')]).to.equal('3.2');
    expect(validation[col('aws-fsbp')]).to.equal('CloudTrail.4');
    expect(validation[col('status')]).to.equal('FAIL');
    expect(validation[col('evidence')]).to.equal('accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/LogFileValidationEnabled');
    const waived = rows.find((r) => r[col('status')] === 'WAIVED') as string[];
    expect(waived[col('waiver_owner')]).to.equal('security@example.com');
  });

  it('quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"\nthere')).to.equal('"say ""hi""\nthere"');
    expect(csvCell('=HYPERLINK("http://x")')).to.equal('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvCell('arn:aws:s3:::b')).to.equal('arn:aws:s3:::b');
  });
});
