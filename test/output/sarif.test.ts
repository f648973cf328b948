import { expect } from 'chai';
import { ran, skipWithout } from '../helpers/real-parts.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { renderSarif } from '../../src/output/sarif.js';
import { packageRoot } from '../../src/paths.js';
import { LOG_BUCKET, TRAIL_ARN, WINTER, fixtureFindings } from '../report/fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The SARIF 2.1.0 JSON Schema, offline: the npm package that ships it, or a copy named by the environment. */
function sarifSchemaFile(): string | undefined {
  const candidates = [process.env.TRAILPROOF_SARIF_SCHEMA, join(packageRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json')];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

interface SarifLog {
  version: string;
  runs: { tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: Record<string, unknown>[] }[];
}

describe('SARIF output', () => {
  const findings = fixtureFindings();
  const log = JSON.parse(renderSarif(findings)) as SarifLog;
  const run = log.runs[0] as SarifLog['runs'][number];

  it('validates against the SARIF 2.1.0 JSON Schema', function () {
    const file = sarifSchemaFile();
    if (!file) skipWithout(this, 'sarif-schema', 'no SARIF 2.1.0 schema file (npm install --save-dev @microsoft/jest-sarif, or TRAILPROOF_SARIF_SCHEMA=<file>)');
    ran('sarif-schema');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // The published schema is draft-04; its keywords mean the same under ajv's default draft.
    delete schema.$schema;
    delete schema.id;
    // Its patterns predate ECMAScript's unicode mode (one has a bracket ajv's u-flag regexes refuse).
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).to.deep.equal([]);
    expect(ok).to.equal(true);
  });

  it('has one rule per check and per detection rule, with levels by severity', () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).to.include.members([...new Set(findings.results.map((r) => r.checkId))]);
    expect(ids).to.include('s3-bucket-deleted');
    expect(run.tool.driver.rules.find((r) => r.id === 'bucket.secure-transport')?.defaultConfiguration.level).to.equal('error');
  });

  it('gives every result a kind and a location naming the resource ARN', () => {
    expect(run.results).to.have.length(findings.results.length + findings.detections.length);
    const byRule = (id: string): Record<string, unknown> => run.results.find((r) => r.ruleId === id) as Record<string, unknown>;
    expect(byRule('trail.log-file-validation')).to.deep.include({ kind: 'fail', level: 'warning' });
    expect(byRule('trail.multi-region')).to.deep.include({ kind: 'pass', level: 'none' });
    expect(byRule('trail.s3-data-events')).to.deep.include({ kind: 'review' });
    expect(byRule('trail.management-events')).to.deep.include({ kind: 'open' });
    expect(JSON.stringify(byRule('trail.log-file-validation').locations)).to.contain(`"fullyQualifiedName":"${TRAIL_ARN}"`);
    expect(JSON.stringify(byRule('trail.log-file-validation').locations)).to.contain('"uri":"accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json","uriBaseId":"BUNDLE"');
    expect(JSON.stringify(byRule('s3-bucket-deleted').locations)).to.contain(WINTER);
  });

  it('reports a waived result as a suppressed failure with the reason', () => {
    const waived = run.results.find((r) => r.ruleId === 'bucket.versioning-mfa-delete') as { suppressions: unknown[]; locations: unknown };
    expect(waived.suppressions).to.deep.equal([{ kind: 'external', status: 'accepted', justification: 'MFA delete cannot be enabled by automation; compensated by Object Lock. (owner security@example.com, expires 2026-12-31)' }]);
    expect(JSON.stringify(waived.locations)).to.contain(LOG_BUCKET);
  });
});
