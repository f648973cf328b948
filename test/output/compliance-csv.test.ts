// The compliance CSV (one row per framework requirement) and the contents page naming framework versions.
import { expect } from 'chai';
import { MAX_EVIDENCE_PER_CELL, renderComplianceCsv } from '../../src/output/compliance-csv.js';
import { buildReportView } from '../../src/report/model.js';
import type { Findings } from '../../src/model/types.js';
import { fixtureFindings } from '../report/fixtures.js';
import { parseCsv } from '../helpers/csv.js';


describe('compliance CSV (--format compliance)', () => {
  const findings = fixtureFindings();
  const [header, ...rows] = parseCsv(renderComplianceCsv(findings));
  const col = (name: string): number => (header as string[]).indexOf(name);
  const row = (framework: string, requirement: string): string[] => rows.find((r) => r[col('framework')] === framework && r[col('requirement')] === requirement) as string[];

  it('has one row per requirement of each framework, frameworks in id order, with title and version', () => {
    expect(header).to.deep.equal(['framework', 'framework_title', 'framework_version', 'requirement', 'requirement_title', 'status', 'results', 'checks', 'accounts', 'evidence', 'aggregation']);
    expect(rows.map((r) => `${r[col('framework')]} ${r[col('requirement')]}`)).to.deep.equal(['aws-fsbp CloudTrail.1', 'aws-fsbp CloudTrail.4', 'cis-aws-3.0 3.1', 'cis-aws-3.0 3.2', 'cis-aws-3.0 3.3', 'cis-aws-3.0 3.5', 'cis-aws-3.0 3.7']);
    expect(row('cis-aws-3.0', '3.2').slice(0, 3)).to.deep.equal(['cis-aws-3.0', 'CIS Amazon Web Services Foundations Benchmark', '3.0.0']);
  });

  it('states the requirement status, result counts, checks, accounts and the evidence its results cite', () => {
    const validation = row('cis-aws-3.0', '3.2');
    expect(validation[col('status')]).to.equal('FAIL');
    expect(validation[col('results')]).to.equal('1 FAIL');
    expect(validation[col('checks')]).to.equal('trail.log-file-validation');
    expect(validation[col('accounts')]).to.equal('111111111111');
    expect(validation[col('evidence')]).to.match(/cloudtrail\/DescribeTrails\.json#\/trailList\/0\/LogFileValidationEnabled$/);
    expect(row('cis-aws-3.0', '3.1')[col('results')]).to.equal('1 ERROR; 1 PASS');
    const unassessed = row('cis-aws-3.0', '3.7');
    expect([unassessed[col('status')], unassessed[col('checks')], unassessed[col('evidence')]]).to.deep.equal(['NOT_ASSESSED', '', '']);
  });

  it('bounds the evidence cell and counts what it leaves out', () => {
    const many = structuredClone(findings) as Findings;
    const target = many.results.find((r) => r.checkId === 'trail.log-file-validation');
    if (!target) throw new Error('fixture lacks trail.log-file-validation');
    target.evidence = Array.from({ length: MAX_EVIDENCE_PER_CELL + 7 }, (_, i) => ({ file: `f${i}.json`, sha256: '0'.repeat(64), pointer: '/x' }));
    const [, ...bounded] = parseCsv(renderComplianceCsv(many));
    const cell = (bounded.find((r) => r[3] === '3.2') as string[])[9] as string;
    expect(cell.split('; ')).to.have.length(MAX_EVIDENCE_PER_CELL + 1);
    expect(cell).to.match(/\.\.\. and 7 more \(findings\.json lists them\)$/);
  });
});

describe('report contents page', () => {
  it('names each framework with its versions: versions of one benchmark share one table and one entry naming them all', () => {
    const findings = fixtureFindings();
    const cis3 = (findings.frameworks ?? [])[0];
    if (!cis3) throw new Error('fixture lacks frameworks');
    findings.frameworks = [...(findings.frameworks ?? []), { ...structuredClone(cis3), id: 'cis-aws-4.0', version: '4.0.0' }];
    const toc = buildReportView(findings, { generatedAt: new Date('2026-10-02T00:00:00Z') }).toc.filter((t) => t.level === 2).map((t) => t.title);
    expect(toc).to.include.members(['CIS Amazon Web Services Foundations Benchmark, versions 3.0.0, 4.0.0', 'AWS Foundational Security Best Practices, version 1.0.0']);
    expect(new Set(toc).size).to.equal(toc.length);
  });
});
