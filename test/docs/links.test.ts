// The documentation's links hold: every relative link in README.md and docs/*.md names a file that exists, and
// every #anchor names a heading of the document it points into (GitHub's heading slugs). The README was split
// into docs/ and headings move; a dangling link is a broken promise to the reader.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../src/paths.js';

/** GitHub's anchor for a heading: lower case, punctuation but hyphens and underscores dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = /^#+ (.*)$/.exec(line);
    if (heading && !fenced) anchors.add(slug(heading[1] ?? ''));
    for (const m of line.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(m[1] ?? '');
  }
  return anchors;
}

describe('documentation links', () => {
  const docs = [join(packageRoot, 'README.md'), ...readdirSync(join(packageRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(packageRoot, 'docs', f))];

  it('every relative link names an existing file, and every #anchor a heading of its target', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of docs) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [path = '', anchor] = target.split('#');
        const into = path === '' ? file : normalize(join(dirname(file), path));
        const where = `${relative(packageRoot, file)} -> ${target}`;
        checked++;
        if (!existsSync(into)) broken.push(`${where}: no such file`);
        else if (anchor !== undefined && into.endsWith('.md') && !anchorsOf(into).has(anchor)) broken.push(`${where}: no such heading`);
      }
    }
    expect(broken).to.deep.equal([]);
    expect(checked, 'links checked').to.be.above(50);
  });
});
