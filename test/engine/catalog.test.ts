// The catalog is tested by machine: every contract id registered, every check under its path with a test file
// that runs it through describeCheck (which proves each message is produced), options defaults valid, every
// framework citation resolvable, and docs/checks.md equal to its rendering from the registry.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { indexFrameworks, loadFrameworks } from '../../src/engine/frameworks.js';
import { resolveOptions } from '../../src/engine/options.js';
import { packageRoot } from '../../src/paths.js';
import { DOCS_UPDATE, expectGolden } from '../helpers/golden.js';
import { renderChecksDoc } from './checks-doc.js';

/** The fixed ids of the issues (CONTRACT section 4): they stay; new checks need no entry here (docs/checks.md lists all). */
const CONTRACT_IDS = [
   'trail.org-coverage', 'trail.log-file-validation',
  'trail.kms-encryption', 'trail.kms-key-rotation', 'trail.global-service-events', 'trail.cloudwatch-logs',
  'trail.insights', 'trail.lake-encryption', 'bucket.not-public', 'bucket.access-logging', 'bucket.versioning-mfa-delete',
  'bucket.object-lock', 'retention.s3-lifecycle', 'retention.cloudwatch-logs', 'cost.duplicate-management-copies',
  // The log-integrity issue.

  // The CIS monitoring issue.
  'monitoring.unauthorized-api-calls', 'monitoring.console-login-without-mfa', 'monitoring.root-usage', 'monitoring.iam-policy-changes',
  'monitoring.cloudtrail-changes', 'monitoring.console-auth-failures', 'monitoring.cmk-disable-or-deletion', 'monitoring.s3-bucket-policy-changes',
  'monitoring.config-changes', 'monitoring.security-group-changes', 'monitoring.nacl-changes', 'monitoring.network-gateway-changes',
  'monitoring.route-table-changes', 'monitoring.vpc-changes', 'monitoring.organizations-changes',
];

/** Checks that no framework requirement asks for, on purpose. */
const UNMAPPED = ['cost.duplicate-management-copies'];

describe('built-in check catalog', () => {
  it('registers every contract id', async () => {
    const registry = await loadBuiltinChecks();
    expect(registry.ids()).to.include.members(CONTRACT_IDS);
  });

  it('is documented in docs/checks.md, rendered from the registry', async () => {
    const registry = await loadBuiltinChecks();
    expectGolden(join(packageRoot, 'docs', 'checks.md'), renderChecksDoc(registry.all().map((r) => r.check)), DOCS_UPDATE);
  });

  it('has a source file at the path its id names, and a test file that runs it through describeCheck', async () => {
    const registry = await loadBuiltinChecks();
    for (const { check } of registry.all()) {
      const rel = check.meta.id.replace(/\./g, '/');
      const source = join(packageRoot, 'checks', `${rel}.ts`);
      expect(existsSync(source), source).to.equal(true);
      const testFile = join(packageRoot, 'test', 'checks', `${rel}.test.ts`);
      expect(existsSync(testFile), `test for ${check.meta.id}`).to.equal(true);
      expect(/\bdescribe(Monitoring)?Check\(/.test(readFileSync(testFile, 'utf8')), `${check.meta.id}: its test runs it through describeCheck`).to.equal(true);
    }
  });

  it('has default options that validate against each check schema', async () => {
    const registry = await loadBuiltinChecks();
    for (const { check } of registry.all()) {
      expect(() => resolveOptions(check, undefined, 'defaults')).to.not.throw();
      const properties = Object.keys((check.meta.schema.properties ?? {}) as object);
      expect(Object.keys(check.meta.defaultOptions).sort(), check.meta.id).to.deep.equal(properties.sort());
    }
  });

  it('writes framework mappings once, in checks/frameworks: no built-in meta repeats them', async () => {
    const registry = await loadBuiltinChecks();
    for (const { check } of registry.all()) expect(check.meta.frameworks, check.meta.id).to.equal(undefined);
  });

  it('maps every check to some framework requirement (but the documented exceptions), and every citation names a real check', async () => {
    const registry = await loadBuiltinChecks();
    const index = indexFrameworks(loadFrameworks(), registry);
    const unmapped = registry.ids().filter((id) => !index.has(id));
    expect(unmapped).to.deep.equal(UNMAPPED);
  });
});
