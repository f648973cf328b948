// The catalog is tested by machine: every check registered under its path, meta valid, messages used,
// options defaults valid, a test file per check, and every framework citation resolvable.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { indexFrameworks, loadFrameworks } from '../../src/engine/frameworks.js';
import { resolveOptions } from '../../src/engine/options.js';
import { packageRoot } from '../../src/paths.js';

/** The fixed ids of the issues (CONTRACT section 4). */
const CONTRACT_IDS = [
  'trail.multi-region', 'trail.management-events', 'trail.org-coverage', 'trail.logging-active', 'trail.log-file-validation',
  'trail.kms-encryption', 'trail.kms-key-rotation', 'trail.global-service-events', 'trail.cloudwatch-logs', 'trail.s3-data-events',
  'trail.insights', 'trail.lake-encryption', 'bucket.not-public', 'bucket.access-logging', 'bucket.versioning-mfa-delete',
  'bucket.object-lock', 'bucket.secure-transport', 'retention.s3-lifecycle', 'retention.cloudwatch-logs', 'cost.duplicate-management-copies',
  // The log-integrity issue.
  'trail.log-integrity',
  // The CIS monitoring issue.
  'monitoring.unauthorized-api-calls', 'monitoring.console-login-without-mfa', 'monitoring.root-usage', 'monitoring.iam-policy-changes',
  'monitoring.cloudtrail-changes', 'monitoring.console-auth-failures', 'monitoring.cmk-disable-or-deletion', 'monitoring.s3-bucket-policy-changes',
  'monitoring.config-changes', 'monitoring.security-group-changes', 'monitoring.nacl-changes', 'monitoring.network-gateway-changes',
  'monitoring.route-table-changes', 'monitoring.vpc-changes', 'monitoring.organizations-changes',
];

/** Checks that no framework requirement asks for, on purpose. */
const UNMAPPED = ['cost.duplicate-management-copies'];

describe('built-in check catalog', () => {
  it('registers every contract id, and nothing else', async () => {
    const registry = await loadBuiltinChecks();
    expect(registry.ids()).to.have.members(CONTRACT_IDS);
  });

  it('has a source file at the path its id names, a test file beside the tests, and every message used', async () => {
    const registry = await loadBuiltinChecks();
    for (const { check } of registry.all()) {
      const rel = check.meta.id.replace(/\./g, '/');
      const source = join(packageRoot, 'checks', `${rel}.ts`);
      expect(existsSync(source), source).to.equal(true);
      expect(existsSync(join(packageRoot, 'test', 'checks', `${rel}.test.ts`)), `test for ${check.meta.id}`).to.equal(true);
      const text = readFileSync(source, 'utf8');
      // The monitoring checks are made by one factory (src/monitoring/check.ts): their tests prove each message is produced.
      if (!text.includes('run(')) continue;
      for (const messageId of Object.keys(check.meta.messages)) {
        expect(new RegExp(`['"\`]${messageId}['"\`]|\\b${messageId}:`).test(text.slice(text.indexOf('run('))), `${check.meta.id} uses message ${messageId}`).to.equal(true);
      }
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
