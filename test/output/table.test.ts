// The one table module and the terminal choices: how cells are shortened (ARNs keep their account and name),
// how a table gives way to a narrow screen (minimums, then hiding the least important columns, named on a
// last line), that lines stay whole without a width, and when colour is on.
import { expect } from 'chai';
import { renderTable, shorten, type Column } from '../../src/output/table.js';
import { colorWanted, screenOf, statusTone } from '../../src/output/terminal.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

describe('table shortening', () => {
  it('keeps the account id and the name of a long ARN, dropping the path between', () => {
    const arn = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/Admin';
    expect(shorten(arn, 40, 'arn')).to.equal('arn:aws:iam::123456789012:role/…/Admin');
    expect(shorten(arn, 36, 'arn')).to.equal('arn:aws:iam::123456789012:…/Admin');
    expect(shorten(arn, 20, 'arn')).to.equal('arn:aws:iam::…/Admin');
    expect(shorten(arn, 8, 'arn')).to.equal('…/Admin');
  });

  it('keeps the bucket name of an S3 ARN whole when it fits, after a mark', () => {
    expect(shorten('arn:aws:s3:::example-prod-customer-data', 28, 'arn')).to.equal('…:example-prod-customer-data');
  });

  it('cuts a user agent in the middle, keeping its start and its end, and plain text at the end', () => {
    const agent = 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3api.delete-bucket';
    const short = shorten(agent, 21, 'middle');
    expect(short).to.equal('aws-cli/2.…ete-bucket');
    expect(short).to.have.length(21);
    expect(shorten('Trail log buckets are not public', 10)).to.equal('Trail log…');
    expect(shorten('short', 10, 'middle')).to.equal('short');
  });
});

describe('renderTable', () => {
  it('hides less important columns before it shortens a keepWhole column, and serves it first within its tier', () => {
    const columns: Column[] = [
      { header: 'WHEN', priority: 1, min: 4 },
      { header: 'RESOURCE', priority: 2, min: 8, keepWhole: true },
      { header: 'WHO', priority: 2, min: 6 },
      { header: 'EXTRA', priority: 4, min: 8 },
    ];
    const rows = [['2026', 'example-prod-customer-data', 'arn:aws:iam::111111111111:user/Winter', 'some-extra-value']];
    const lines = renderTable(columns, rows, { width: 46, color: false }).split('\n');
    expect(lines[0]).to.match(/^WHEN\s+RESOURCE\s+WHO$/);
    expect(lines[2]).to.contain('example-prod-customer-data');
    expect(lines[3]).to.contain('--wide shows EXTRA');
    expect(Math.max(...lines.map((l) => l.length))).to.be.at.most(46);
  });

  const columns: Column[] = [
    { header: 'ID', priority: 1, min: 8 },
    { header: 'STATUS', priority: 1, min: 6, tone: statusTone },
    { header: 'ACTOR', priority: 2, min: 12, shorten: 'arn' },
    { header: 'AGENT', priority: 3, min: 10, shorten: 'middle' },
  ];
  const rows = [
    ['check.one', 'FAIL', 'arn:aws:iam::123456789012:role/a/b/c/Admin', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120'],
    ['check.two', 'PASS', 'arn:aws:iam::123456789012:user/Winter', 'aws-cli/2.17.20'],
  ];

  it('prints every line whole without a width (a pipe or a file), whatever its length', () => {
    const text = renderTable(columns, rows);
    expect(text).to.include(rows[0]?.[2]).and.include(rows[0]?.[3]);
    expect(text).not.to.match(ANSI);
  });

  it('fits a width by shortening, then hides the least important column and names it', () => {
    const wide = renderTable(columns, rows, { width: 70, color: false }).split('\n');
    for (const line of wide) expect(line.length).to.be.at.most(70);
    expect(wide[0]).to.match(/^ID\s+STATUS\s+ACTOR\s+AGENT$/);
    const narrow = renderTable(columns, rows, { width: 40, color: false }).split('\n');
    for (const line of narrow) expect(line.length).to.be.at.most(40);
    expect(narrow[0]).to.match(/^ID\s+STATUS\s+ACTOR$/);
    expect(narrow[2]).to.include('…/Admin');
    expect(narrow[narrow.length - 1]).to.equal('(--wide shows AGENT)');
  });

  it('colours cells by their tone only when the screen wants colour, without moving the columns', () => {
    const plain = renderTable(columns, rows, { width: 100, color: false });
    const coloured = renderTable(columns, rows, { width: 100, color: true });
    expect(coloured).to.include('\u001b[1;31mFAIL\u001b[0m').and.include('\u001b[2mPASS\u001b[0m');
    expect(coloured.replace(ANSI, '')).to.equal(plain);
  });

  it('shows control characters in a cell as ?, so a value cannot drive the terminal', () => {
    expect(renderTable(columns, [['x', 'PASS', 'a\u001b[2Jb', 'c\nd']])).to.include('a?[2Jb').and.include('c?d');
  });
});

describe('terminal choices', () => {
  it('colours a terminal and nothing else, unless forced; NO_COLOR, CI and the flag are honoured', () => {
    expect(colorWanted(undefined, {}, true)).to.equal(true);
    expect(colorWanted(undefined, {}, false)).to.equal(false);
    expect(colorWanted(undefined, { NO_COLOR: '1' }, true)).to.equal(false);
    expect(colorWanted(undefined, { FORCE_COLOR: '1' }, false)).to.equal(true);
    expect(colorWanted(undefined, { FORCE_COLOR: '0' }, true)).to.equal(false);
    expect(colorWanted(undefined, { CI: 'true' }, true)).to.equal(false);
    expect(colorWanted(undefined, { TERM: 'dumb' }, true)).to.equal(false);
    expect(colorWanted(true, { NO_COLOR: '1' }, false)).to.equal(true);
    expect(colorWanted(false, { FORCE_COLOR: '1' }, true)).to.equal(false);
  });

  it('fits a terminal to its columns (80 when it reports none), and never a pipe or --wide', () => {
    expect(screenOf({ isTty: true, columns: 100 }, {}, {}).width).to.equal(100);
    expect(screenOf({ isTty: true, columns: undefined }, {}, {}).width).to.equal(80);
    expect(screenOf({ isTty: true, columns: 100 }, { wide: true }, {}).width).to.equal(undefined);
    expect(screenOf({ isTty: false, columns: 100 }, {}, {}).width).to.equal(undefined);
  });
});
