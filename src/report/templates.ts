// The Handlebars environment: templates/ (layout, partials, print CSS, PDF header and footer, email body) with
// any file of `--templates DIR` taking the place of the built-in one of the same name. Templates are data;
// the helpers format (dates, counts, badges, plurals) and never decide anything.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { TrailproofError, errorMessage } from '../errors.js';
import { SEVERITIES, STATUSES } from '../model/types.js';
import { packageRoot } from '../paths.js';
import { STATUS_LABELS, type ChartStatus } from './charts.js';
import { checkedScript } from './interactive.js';
import { formatCount, formatDateTime, formatDay, formatTime, plural } from './format.js';

export const builtinTemplatesDir = join(packageRoot, 'templates');

/** The top-level templates; partials/*.hbs are registered by file name and may be added by an override. */
export const TEMPLATE_NAMES = ['report.hbs', 'report.css', 'report.js', 'pdf-header.hbs', 'pdf-footer.hbs', 'email.hbs'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface TemplateSet {
  render(name: Exclude<TemplateName, 'report.css' | 'report.js'>, view: unknown): string;
  css: string;
  /** The report's inline script (report.js; see interactive.ts), or null when the file is empty. */
  script: string | null;
  /** Which files came from the override folder (for --debug and tests). */
  overridden: string[];
}

type HelperOptions = Handlebars.HelperOptions;

function badgeClass(value: string): string {
  return value.toLowerCase().replace(/_/g, '-');
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('date', (iso: unknown) => formatDateTime(typeof iso === 'string' ? iso : null));
  hb.registerHelper('day', (iso: unknown) => (typeof iso === 'string' ? formatDay(iso) : '—'));
  hb.registerHelper('time', (iso: unknown) => (typeof iso === 'string' ? formatTime(iso) : '—'));
  hb.registerHelper('count', (n: unknown) => formatCount(Number(n)));
  hb.registerHelper('plural', (n: unknown, word: unknown, ...rest: unknown[]) => {
    const pluralForm = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    return plural(Number(n), String(word), pluralForm);
  });
  hb.registerHelper('badge', (value: unknown) => {
    const text = String(value);
    const known = (STATUSES as readonly string[]).includes(text) || text === 'NOT_ASSESSED' || text === 'NOT_TESTED' || (SEVERITIES as readonly string[]).includes(text);
    const label = text in STATUS_LABELS ? STATUS_LABELS[text as ChartStatus] : text;
    return new hb.SafeString(`<span class="badge badge-${known ? badgeClass(text) : 'other'}">${hb.escapeExpression(label)}</span>`);
  });
  hb.registerHelper('statusClass', (value: unknown) => badgeClass(String(value)));
  hb.registerHelper('statusLabel', (value: unknown) => (String(value) in STATUS_LABELS ? STATUS_LABELS[String(value) as ChartStatus] : String(value)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('lower', (s: unknown) => String(s).toLowerCase());
  hb.registerHelper('upper', (s: unknown) => String(s).toUpperCase());
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : ''));
  // Long identifiers (ARNs, S3 keys, SHA-256) get break opportunities after separators so a cell wraps
  // instead of overflowing the page; copy-paste still yields the identifier (<wbr> adds no characters).
  hb.registerHelper('breakable', (value: unknown) => {
    const escaped = hb.escapeExpression(String(value));
    return new hb.SafeString(escaped.replace(/([/:._-])(?=[^\s])/g, '$1<wbr>').replace(/([0-9a-f]{16})(?=[0-9a-f])/g, '$1<wbr>'));
  });
  // An owner or approver (often an e-mail address) breaks only before its '@' and '.', never inside a word:
  // 'security@exa' / 'mple.com' across two lines reads as two wrong addresses.
  hb.registerHelper('breakAddress', (value: unknown) => new hb.SafeString(hb.escapeExpression(String(value)).replace(/(?<=\S)([@.])(?=\S)/g, '<wbr>$1')));
  hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
  hb.registerHelper('ifAny', function (this: unknown, list: unknown, options: HelperOptions) {
    return Array.isArray(list) && list.length > 0 ? options.fn(this) : options.inverse(this);
  });
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TrailproofError('TP_USAGE', `cannot read template ${file}: ${errorMessage(err)}`);
  }
}

function listPartials(dir: string): string[] {
  const partials = join(dir, 'partials');
  if (!existsSync(partials)) return [];
  return readdirSync(partials).filter((f) => f.endsWith('.hbs')).sort();
}

/** Checks an override folder: only known top-level names and partials/*.hbs, so a typo fails loudly. */
function overrideFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TrailproofError('TP_USAGE', `--templates ${dir}: not a folder`);
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === 'partials') {
      for (const p of readdirSync(join(dir, 'partials'))) {
        if (!p.endsWith('.hbs')) throw new TrailproofError('TP_USAGE', `--templates ${dir}: partials/${p} is not a .hbs partial`);
        out.push(`partials/${p}`);
      }
    } else if (entry.isFile() && (TEMPLATE_NAMES as readonly string[]).includes(entry.name)) {
      out.push(entry.name);
    } else if (!entry.name.startsWith('.') && entry.name !== 'README.md' && !entry.name.endsWith('.png') && !entry.name.endsWith('.svg')) {
      throw new TrailproofError('TP_USAGE', `--templates ${dir}: unknown template "${entry.name}"; overridable: ${TEMPLATE_NAMES.join(', ')} and partials/*.hbs`);
    }
  }
  return out.sort();
}

const cache = new Map<string, TemplateSet>();

/** The template set for an override folder (or the built-ins), compiled once per process. */
export function loadTemplates(overrideDir?: string): TemplateSet {
  const key = overrideDir ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const overridden = overrideDir === undefined ? [] : overrideFiles(overrideDir);
  const pick = (name: string): string => (overrideDir !== undefined && overridden.includes(name) ? join(overrideDir, name) : join(builtinTemplatesDir, name));
  const hb = Handlebars.create();
  registerHelpers(hb);
  const partialNames = new Set([...listPartials(builtinTemplatesDir), ...overridden.filter((f) => f.startsWith('partials/')).map((f) => f.slice('partials/'.length))]);
  for (const file of partialNames) {
    const path = pick(`partials/${file}`);
    try {
      hb.registerPartial(file.replace(/\.hbs$/, ''), hb.compile(read(path), { strict: true }));
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `template ${relative(packageRoot, path)}: ${errorMessage(err)}`);
    }
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const name of TEMPLATE_NAMES) {
    if (name === 'report.css' || name === 'report.js') continue;
    const path = pick(name);
    try {
      compiled.set(name, hb.compile(read(path), { strict: true }));
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `template ${path}: ${errorMessage(err)}`);
    }
  }
  const set: TemplateSet = {
    css: read(pick('report.css')),
    script: checkedScript(read(pick('report.js')), overridden.includes('report.js') ? join(overrideDir ?? '', 'report.js') : 'templates/report.js'),
    overridden,
    render(name, view) {
      const template = compiled.get(name);
      if (!template) throw new TrailproofError('TP_OUTPUT_FAILED', `no template ${name}`);
      try {
        return template(view);
      } catch (err) {
        throw new TrailproofError('TP_OUTPUT_FAILED', `rendering ${overridden.includes(name) ? join(overrideDir ?? '', name) : `templates/${name}`}: ${errorMessage(err)}`);
      }
    },
  };
  cache.set(key, set);
  return set;
}
