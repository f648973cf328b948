import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, suggest } from '../../src/config/load.js';
import { TrailproofError } from '../../src/errors.js';

function write(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-config-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe('config file', () => {
  it('reads YAML with checks, parameters, frameworks and waivers', () => {
    const dir = write('trailproof.yml', [
      'failOn: medium',
      'frameworks: [cis-aws-3.0]',
      'checks:',
      '  trail.logging-active:',
      '    maxDeliveryAgeHours: 12',
      '    severity: critical',
      '  bucket.object-lock:',
      '    enabled: false',
      'waivers:',
      '  - check: bucket.access-logging',
      '    resource: "arn:aws:s3:::example-*"',
      '    reason: Access logs are shipped by the bucket owner instead',
      '    owner: security@example.com',
      '    expires: 2026-12-31',
    ].join('\n'));
    const { config, baseDir } = loadConfig('trailproof.yml', dir);
    expect(baseDir).to.equal(dir);
    expect(config.failOn).to.equal('medium');
    expect(config.checks?.['trail.logging-active']).to.deep.equal({ maxDeliveryAgeHours: 12, severity: 'critical' });
    expect(config.waivers?.[0]?.expires).to.equal('2026-12-31');
  });

  it('reads JSON too', () => {
    const dir = write('c.json', JSON.stringify({ failOn: 'none', accounts: ['111111111111'] }));
    expect(loadConfig('c.json', dir).config).to.deep.equal({ failOn: 'none', accounts: ['111111111111'] });
  });

  it('names the path and the allowed values of an invalid key', () => {
    const dir = write('c.yml', 'failOn: hihg\n');
    expect(() => loadConfig('c.yml', dir)).to.throw(TrailproofError, /config file c\.yml: failOn must be one of "critical", "high", "medium", "low", "info", "none"/);
  });

  it('names an unknown top-level key and a waiver without a real reason', () => {
    const dir = write('c.yml', 'failon: high\n');
    expect(() => loadConfig('c.yml', dir)).to.throw(/\(top level\) has unknown property "failon"/);
    const dir2 = write('c.yml', 'waivers:\n  - {check: a.b, resource: "*", reason: "ok", owner: me, expires: 2026-01-01}\n');
    expect(() => loadConfig('c.yml', dir2)).to.throw(/waivers\.0\.reason must NOT have fewer than 10 characters/);
  });

  it('gives the line and column of a YAML syntax error', () => {
    const dir = write('c.yml', 'checks:\n  a.b: [unclosed\n');
    expect(() => loadConfig('c.yml', dir)).to.throw(/c\.yml is not valid YAML\/JSON at line \d+, column \d+/);
  });

  it('says which config file cannot be read', () => {
    expect(() => loadConfig('missing.yml', tmpdir())).to.throw(TrailproofError, /cannot read config file missing\.yml/);
  });

  it('suggests the check id that was probably meant', () => {
    expect(suggest('trail.multiregion', ['trail.multi-region', 'trail.insights'])).to.equal('trail.multi-region');
    expect(suggest('completely.different', ['trail.multi-region'])).to.equal(undefined);
  });
});
