// Builds evidence bundles (CONTRACT section 2) for tests, the demo organization and the benchmark: raw API
// responses placed where the collector would place them, and a manifest with every file's SHA-256.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Trail } from '../../src/evidence/aws.js';

export interface BuilderOptions {
  collectedAt?: string;
  identity?: { Account: string; Arn: string; UserId?: string };
  accounts?: string[];
  regions?: string[];
  tool?: string;
  version?: string;
}

export type Where = 'global' | string;

export class BundleBuilder {
  readonly files = new Map<string, Buffer>();
  collectedAt: string;
  identity: { Account: string; Arn: string; UserId?: string };
  accounts: string[];
  regions: string[];
  extraManifest: Record<string, unknown> = {};

  constructor(private readonly options: BuilderOptions = {}) {
    this.collectedAt = options.collectedAt ?? '2026-10-01T06:00:00.000Z';
    this.accounts = options.accounts ?? ['111111111111'];
    this.regions = options.regions ?? ['us-east-1'];
    this.identity = options.identity ?? { Account: this.accounts[0] ?? '111111111111', Arn: `arn:aws:iam::${this.accounts[0] ?? '111111111111'}:role/Auditor`, UserId: 'AROAEXAMPLEAUDITOR:trailproof' };
  }

  /** A raw file at a bundle-relative path (JSON values are written with two-space indentation). */
  file(path: string, content: unknown): this {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
    this.files.set(path, bytes);
    return this;
  }

  /** An API response at accounts/<account>/<where>/<service>/<path>. */
  put(account: string, where: Where, path: string, response: unknown): this {
    return this.file(`accounts/${account}/${where}/${path}`, response);
  }

  /** A call that failed, stored as `{"$error": {...}}`. */
  putError(account: string, where: Where, path: string, name: string, message = `${name} (simulated)`): this {
    return this.put(account, where, path, { $error: { name, message } });
  }

  remove(path: string): this {
    this.files.delete(path);
    return this;
  }

  /** DescribeTrails in one account and region (includeShadowTrails: true). */
  describeTrails(account: string, region: string, trails: Trail[]): this {
    return this.put(account, region, 'cloudtrail/DescribeTrails.json', { trailList: trails });
  }

  manifest(): Record<string, unknown> {
    const files: Record<string, string> = {};
    for (const [path, bytes] of [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      files[path] = createHash('sha256').update(bytes).digest('hex');
    }
    return {
      tool: this.options.tool ?? 'trailproof-test-builder',
      version: this.options.version ?? '0.0.0',
      collectedAt: this.collectedAt,
      identity: this.identity,
      scope: { accounts: this.accounts, regions: this.regions },
      ...this.extraManifest,
      files,
    };
  }

  /** Writes the bundle into dir (created) and returns dir. */
  write(dir: string): string {
    for (const [path, bytes] of this.files) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, bytes);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(this.manifest(), null, 2) + '\n');
    return dir;
  }

  /** Writes the bundle into a new temporary folder. */
  writeTemp(prefix = 'trailproof-bundle-'): string {
    return this.write(mkdtempSync(join(tmpdir(), prefix)));
  }
}

export function trailArn(account: string, region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}
