import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJunit } from '../../src/output/junit.js';
import { fixtureFindings } from '../report/fixtures.js';
import { requireReal } from '../report/real-tools.js';

// The XSD sits beside this test's source (tests run from dist-*/test/output).
const XSD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'output', 'junit.xsd');

function xmllint(xml: string): { ok: boolean; errors: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'trailproof-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { ok: r.status === 0, errors: r.stderr };
}

describe('JUnit output against its XSD (xmllint)', () => {
  before(function () {
    requireReal(this, { tools: ['xmllint'] });
  });

  it('validates for a findings file with every status', () => {
    const result = xmllint(renderJunit(fixtureFindings()));
    expect(result.errors).to.match(/junit\.xml validates\n$/);
    expect(result.ok).to.equal(true);
  });

  it('stays valid with markup, quotes and control characters in AWS data', () => {
    const f = fixtureFindings();
    (f.results[1] as { message: string }).message = 'a <b>&"\'\u0001</b> ]]> message';
    (f.results[1] as { resource: string }).resource = 'arn:aws:s3:::bucket<&>';
    expect(xmllint(renderJunit(f)).ok).to.equal(true);
  });

  it('is refused by the XSD when the structure is wrong (the schema does check)', () => {
    expect(xmllint('<testsuites><testcase name="x" classname="y"/></testsuites>').ok).to.equal(false);
    expect(xmllint('<testsuites skipped="1"/>').ok).to.equal(false);
  });
});
