// Finds and validates checks: the built-in catalog (one compiled module per check under dist/checks, id equal
// to its path) and third-party plugins named in the config or with --checks.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TrailproofError, errorMessage } from '../errors.js';
import { compiledChecksDir } from '../paths.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';
import type { AnyCheck } from './check.js';
import { optionsValidator } from './options.js';

export interface RegisteredCheck {
  check: AnyCheck;
  /** 'built-in', or the plugin file it came from. */
  origin: string;
}

const validateMeta = compileSchema(loadSchema('check-meta.schema.json'));

export class CheckRegistry {
  private readonly byId = new Map<string, RegisteredCheck>();

  add(entry: RegisteredCheck): void {
    const id = entry.check.meta.id;
    const existing = this.byId.get(id);
    if (existing) {
      throw new TrailproofError('TP_PLUGIN_INVALID', `check id ${id} from ${entry.origin} is already defined by ${existing.origin}; plugin checks need ids of their own`);
    }
    this.byId.set(id, entry);
  }

  get(id: string): RegisteredCheck | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every check, sorted by id. */
  all(): RegisteredCheck[] {
    return [...this.byId.values()].sort((a, b) => (a.check.meta.id < b.check.meta.id ? -1 : 1));
  }

  ids(): string[] {
    return this.all().map((c) => c.check.meta.id);
  }
}

/** Checks the shape of a check object from any source; names the origin in the error. */
export function assertCheck(value: unknown, origin: string): AnyCheck {
  const candidate = value as { meta?: unknown; run?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.run !== 'function') {
    throw new TrailproofError('TP_PLUGIN_INVALID', `${origin}: a check must be an object with a meta block and a run(estate, ctx) function`);
  }
  if (!validateMeta(candidate.meta)) {
    throw new TrailproofError('TP_PLUGIN_INVALID', `${origin}: invalid check meta: ${formatAjvErrors(validateMeta.errors, 'meta')}`);
  }
  const check = candidate as AnyCheck;
  try {
    optionsValidator(check);
  } catch (err) {
    throw new TrailproofError('TP_PLUGIN_INVALID', `${origin}: check ${check.meta.id} has an invalid options schema: ${errorMessage(err)}`);
  }
  return check;
}

function listModules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listModules(full));
    else if (['.js', '.mjs', '.cjs'].includes(extname(entry.name)) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** The built-in catalog. A module's id must equal its path: checks/trail/multi-region -> trail.multi-region. */
export async function loadBuiltinChecks(registry: CheckRegistry = new CheckRegistry()): Promise<CheckRegistry> {
  const files = listModules(compiledChecksDir);
  const modules = await Promise.all(files.map(async (file) => ({ file, mod: (await import(pathToFileURL(file).href)) as Record<string, unknown> })));
  for (const { file, mod } of modules) {
    const rel = relative(compiledChecksDir, file).split(sep).join('/');
    const check = assertCheck(mod.check, `checks/${rel}`);
    const expected = rel.replace(/\.(m|c)?js$/, '').replace(/\//g, '.');
    if (check.meta.id !== expected) {
      throw new TrailproofError('TP_CHECK_INVALID', `checks/${rel}: meta.id is ${check.meta.id} but its path makes it ${expected}`);
    }
    registry.add({ check, origin: 'built-in' });
  }
  return registry;
}

/** Checks a plugin module offers: `check`, `checks`, or a default export (a check, an array, or {checks}). */
function checksOfModule(mod: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  if (mod.check !== undefined) found.push(mod.check);
  if (Array.isArray(mod.checks)) found.push(...(mod.checks as unknown[]));
  const def = mod.default as { checks?: unknown; run?: unknown } | unknown[] | undefined;
  if (Array.isArray(def)) found.push(...def);
  else if (def && typeof def === 'object') {
    if (Array.isArray(def.checks)) found.push(...(def.checks as unknown[]));
    else if (typeof def.run === 'function') found.push(def);
  }
  return found;
}

/**
 * Loads a plugin: a folder of .js/.mjs modules (searched recursively) or an npm package name resolved from
 * baseDir. Every check it offers is validated like a built-in one.
 */
export async function loadPlugin(spec: string, baseDir: string, registry: CheckRegistry): Promise<void> {
  const asPath = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  let files: string[];
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || isAbsolute(spec);
  let isDir: boolean;
  try {
    isDir = statSync(asPath).isDirectory();
  } catch {
    isDir = false;
  }
  if (isDir) files = listModules(asPath);
  else if (looksLikePath) {
    try {
      statSync(asPath);
    } catch {
      throw new TrailproofError('TP_PLUGIN_INVALID', `plugin ${spec}: no such file or folder (${asPath})`);
    }
    files = [asPath];
  } else {
    try {
      files = [createRequire(join(baseDir, 'noop.js')).resolve(spec)];
    } catch (err) {
      throw new TrailproofError('TP_PLUGIN_INVALID', `plugin ${spec}: cannot resolve the package from ${baseDir}: ${errorMessage(err)}`);
    }
  }
  let count = 0;
  for (const file of files) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw new TrailproofError('TP_PLUGIN_INVALID', `plugin ${file} failed to load: ${errorMessage(err)}`);
    }
    for (const candidate of checksOfModule(mod)) {
      registry.add({ check: assertCheck(candidate, file), origin: file });
      count++;
    }
  }
  if (count === 0) throw new TrailproofError('TP_PLUGIN_INVALID', `plugin ${spec}: no checks found (export \`check\`, \`checks\` or a default plugin object)`);
}
