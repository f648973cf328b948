import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { frameworksDir } from '../../src/paths.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../../src/schema.js';

interface Requirement {
  id: string;
  title: string;
  checks: string[];
  note?: string;
}

interface Framework {
  id: string;
  title: string;
  version: string;
  url: string;
  scope?: string;
  requirements: Requirement[];
}

// The catalog's check ids, from the real registry (loaded before the tests below).
let CHECK_IDS: string[] = [];
before(async () => {
  CHECK_IDS = (await loadBuiltinChecks()).ids();
});

// Checks no compliance requirement asks for. Listing one here is a decision, not a gap: each needs a reason.
const UNMAPPED_BY_DESIGN: Record<string, string> = {
  'cost.duplicate-management-copies': 'cost advice: a second copy of management events costs money but breaks no requirement',
};

const EXPECTED_FILES = [
  'aws-fsbp.json',
  'cis-aws-3.0.json',
  'cis-aws-4.0.json',
  'cis-aws-5.0.json',
  'hipaa.json',
  'iso-27001-2022.json',
  'nist-800-53-r5.json',
  'pci-dss-4.0.json',
  'soc2.json',
];

const files = readdirSync(frameworksDir).filter((name) => name.endsWith('.json')).sort();
const catalogs = files.map((file) => ({
  file,
  data: JSON.parse(readFileSync(join(frameworksDir, file), 'utf8')) as Framework,
}));

describe('framework catalogs (checks/frameworks/*.json)', () => {
  const validate = compileSchema<Framework>(loadSchema('framework.schema.json'));

  it('holds one catalog per supported framework version', () => {
    expect(files).to.deep.equal(EXPECTED_FILES);
  });

  for (const { file, data } of catalogs) {
    it(`${file} validates against schema/framework.schema.json`, () => {
      const valid = validate(structuredClone(data));
      expect(valid, formatAjvErrors(validate.errors, file)).to.equal(true);
    });
  }

  it('names each file after the id it declares', () => {
    for (const { file, data } of catalogs) expect(`${data.id}.json`, file).to.equal(file);
  });

  it('lists each requirement id once per framework', () => {
    for (const { file, data } of catalogs) {
      const ids = data.requirements.map((r) => r.id);
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(repeated, file).to.deep.equal([]);
    }
  });

  it('cites only checks that exist', () => {
    const known = new Set<string>(CHECK_IDS);
    const unknown = catalogs.flatMap(({ file, data }) =>
      data.requirements.flatMap((r) => r.checks.filter((c) => !known.has(c)).map((c) => `${file} ${r.id}: ${c}`)),
    );
    expect(unknown).to.deep.equal([]);
  });

  it('maps every check to at least one framework requirement, unless it is unmapped by design', () => {
    const cited = new Set(catalogs.flatMap(({ data }) => data.requirements.flatMap((r) => r.checks)));
    const unmapped = CHECK_IDS.filter((id) => !cited.has(id));
    expect(unmapped).to.deep.equal(Object.keys(UNMAPPED_BY_DESIGN));
  });

  it('explains every in-scope requirement that no check assesses', () => {
    const silent = catalogs.flatMap(({ file, data }) =>
      data.requirements.filter((r) => r.checks.length === 0 && r.note === undefined).map((r) => `${file} ${r.id}`),
    );
    expect(silent).to.deep.equal([]);
  });

  it('rejects a catalog with a property the schema does not define', () => {
    const first = catalogs[0];
    if (first === undefined) throw new Error(`no framework catalogs in ${frameworksDir}`);
    const extra = { ...structuredClone(first.data), mappings: {} };
    expect(validate(extra)).to.equal(false);
    expect(formatAjvErrors(validate.errors, first.file)).to.contain('has unknown property "mappings"');
  });

  it('rejects a requirement whose check id is not a dotted id', () => {
    const broken: Framework = {
      id: 'x',
      title: 'X',
      version: '1',
      url: 'https://example.com/x',
      requirements: [{ id: '1.1', title: 'One', checks: ['MultiRegion'] }],
    };
    expect(validate(broken)).to.equal(false);
    expect(validate.errors?.[0]?.instancePath).to.equal('/requirements/0/checks/0');
  });
});
