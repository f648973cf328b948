// Where a run's config comes from without --config (TRAILPROOF_CONFIG, then .trailproof.yml/.yaml/.json in the
// working directory), and that the documentation's config examples are configs the schema accepts: every YAML
// block in README.md and docs/*.md whose top-level keys are config keys, and examples/*.yml, validates.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { findConfigFile, loadConfig } from '../../src/config/load.js';
import { TrailproofError } from '../../src/errors.js';
import { packageRoot } from '../../src/paths.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-config-find-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('config discovery', () => {
  it('reads .trailproof.yml in the working directory when no --config is given', () => {
    const dir = folder({ '.trailproof.yml': 'failOn: medium\n' });
    const loaded = loadConfig(undefined, dir, {});
    expect(loaded.config.failOn).to.equal('medium');
    expect(loaded.file).to.equal(join(dir, '.trailproof.yml'));
  });

  it('finds .trailproof.yaml and .trailproof.json too', () => {
    expect(loadConfig(undefined, folder({ '.trailproof.yaml': 'failOn: low\n' }), {}).config.failOn).to.equal('low');
    expect(loadConfig(undefined, folder({ '.trailproof.json': '{"failOn": "critical"}' }), {}).config.failOn).to.equal('critical');
  });

  it('--config wins over TRAILPROOF_CONFIG, which wins over a discovered file', () => {
    const dir = folder({ '.trailproof.yml': 'failOn: medium\n', 'env.yml': 'failOn: low\n', 'flag.yml': 'failOn: critical\n' });
    expect(loadConfig('flag.yml', dir, { TRAILPROOF_CONFIG: 'env.yml' }).config.failOn).to.equal('critical');
    expect(loadConfig(undefined, dir, { TRAILPROOF_CONFIG: 'env.yml' }).config.failOn).to.equal('low');
    expect(loadConfig(undefined, dir, { TRAILPROOF_CONFIG: '' }).config.failOn).to.equal('medium');
  });

  it('no config anywhere is an empty config, relative paths resolving against the working directory', () => {
    const dir = folder({ 'trailproof.yml': 'failOn: low\n' });
    expect(loadConfig(undefined, dir, {})).to.deep.equal({ config: {}, file: undefined, baseDir: dir });
  });

  it('refuses two discovered files, naming both', () => {
    const dir = folder({ '.trailproof.yml': 'failOn: low\n', '.trailproof.json': '{}' });
    expect(() => findConfigFile(undefined, dir, {})).to.throw(TrailproofError, /both \.trailproof\.yml and \.trailproof\.json/);
  });

  it('a TRAILPROOF_CONFIG naming a missing file is an error naming it', () => {
    const dir = folder({});
    expect(() => loadConfig(undefined, dir, { TRAILPROOF_CONFIG: 'nowhere.yml' })).to.throw(TrailproofError, /nowhere\.yml/);
  });
});

/** Fenced ```yaml blocks of a Markdown file. */
function yamlBlocks(file: string): { file: string; line: number; text: string }[] {
  const blocks: { file: string; line: number; text: string }[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() !== '```yaml') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && (lines[i] ?? '').trim() !== '```'; i++) body.push(lines[i] ?? '');
    blocks.push({ file, line: start, text: body.join('\n') });
  }
  return blocks;
}

describe('the documentation\'s config examples', () => {
  const schema = JSON.parse(readFileSync(join(packageRoot, 'schema', 'config.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
  const configKeys = new Set(Object.keys(schema.properties).filter((k) => k !== '$schema'));
  const docs = [join(packageRoot, 'README.md'), ...readdirSync(join(packageRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(packageRoot, 'docs', f))];

  it('every YAML block that sets a config key is a config the schema accepts, whole', () => {
    const configs: string[] = [];
    for (const block of docs.flatMap(yamlBlocks)) {
      let value: unknown;
      try {
        value = parse(block.text);
      } catch {
        continue; // a fragment (a workflow step list) rather than a document
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const keys = Object.keys(value);
      const known = keys.filter((k) => configKeys.has(k));
      if (known.length === 0) continue;
      const where = `${block.file.slice(packageRoot.length + 1)}:${block.line}`;
      expect(known, `${where} mixes config keys with others`).to.deep.equal(keys);
      const dir = folder({ 'example.yml': block.text });
      expect(() => loadConfig('example.yml', dir, {}), where).not.to.throw();
      configs.push(where);
    }
    expect(configs.some((where) => where.startsWith('docs/reference.md:')), `the reference's Config file example is among ${configs.join(', ')}`).to.equal(true);
  });

  it('examples/*.yml are configs the schema accepts', () => {
    const examples = readdirSync(join(packageRoot, 'examples')).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
    expect(examples).to.include('trailproof.yml');
    for (const name of examples) expect(() => loadConfig(name, join(packageRoot, 'examples'), {}), name).not.to.throw();
  });
});
