// The report's "Log protection" section: the digest-chain verdicts (trail.log-integrity) and the checks that
// keep the logs, gathered where an auditor looks for "complete, intact and kept".
import { expect } from 'chai';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Findings } from '../../src/model/types.js';
import { renderHtml } from '../../src/output/html.js';
import { packageRoot } from '../../src/paths.js';

describe('report: log protection', () => {
  it('states how many log files were verified intact and in how many digests, with the other log protection results', async () => {
    const io = memoryIo();
    await main(['audit', '--bundle', join(packageRoot, 'examples', 'demo-org'), '--checks', 'trail.log-integrity', '--checks', 'trail.log-file-validation', '--format', 'json', '--fail-on', 'none', '--quiet'], io);
    const findings = JSON.parse(io.out) as Findings;
    const html = await renderHtml(findings);
    const section = html.slice(html.indexOf('id="sec-log-protection"'), html.indexOf('</section>', html.indexOf('id="sec-log-protection"')));
    expect(section).to.contain('Log protection');
    expect(section).to.match(/Trail example-org-trail: 40 log files from [^<]+ verified intact, 876 digest files in an unbroken chain\./);
    expect(section).to.contain('trail.log-file-validation');
    expect(html).to.contain('href="#sec-log-protection"');
  });
});
