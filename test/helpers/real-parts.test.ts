// The suite's own guards: the real-parts record that ends every run and the golden-file rule that CI cannot
// refresh a golden file.
import { expect } from 'chai';
import { goldenAction } from './golden.js';
import { inCi, RealPartsRecord } from './real-parts.js';

describe('the real-parts record', () => {
  it('says ran for a part that ran, names the reason for a skip, and not exercised for one never used', () => {
    const record = new RealPartsRecord();
    record.ran('moto');
    record.ran('moto');
    record.skipped('qpdf', 'qpdf is not on PATH (apt-get install qpdf)');
    record.skipped('qpdf', 'qpdf is not on PATH (apt-get install qpdf)');
    record.ran('sigmahq');
    record.skipped('sigmahq', 'absent');
    const byPart = new Map(record.lines().map((l) => [l.part, l]));
    expect(byPart.get('moto')).to.include({ ok: true, status: 'ran' });
    expect(byPart.get('qpdf')).to.include({ ok: false, status: 'skipped (qpdf is not on PATH (apt-get install qpdf) (2 times))' });
    expect(byPart.get('sigmahq')).to.include({ ok: false, status: 'ran in part, skipped (absent)' });
    expect(byPart.get('chromium')).to.include({ ok: false, status: 'not exercised (no test used it in this run)' });
    expect(record.lines().map((l) => l.part).slice(0, 4)).to.deep.equal(['chromium', 'smtp', 'moto', 'aws-cli']);
  });

  it('reads CI as set for any value but empty, 0 or false', () => {
    expect([{ CI: 'true' }, { CI: '1' }, { CI: 'yes' }, {}, { CI: '' }, { CI: '0' }, { CI: 'False' }].map((env) => inCi(env))).to.deep.equal([true, true, true, false, false, false, false]);
  });
});

describe('golden files', () => {
  const V = 'TRAILPROOF_UPDATE_GOLDEN';

  it('fails on a missing golden file instead of writing it and comparing it with itself', () => {
    expect(goldenAction(false, V, {})).to.deep.equal({ do: 'fail', why: 'it is missing: write it with npm run golden:update, check it by eye and commit it' });
    expect(goldenAction(false, V, { CI: 'true' })).to.have.property('do', 'fail');
  });

  it('refuses the update variable in CI, and writes only when asked outside it', () => {
    expect(goldenAction(true, V, { CI: 'true', [V]: '1' })).to.deep.equal({ do: 'fail', why: `${V}=1 is refused in CI: golden files are updated locally with npm run golden:update and committed` });
    expect(goldenAction(false, V, { CI: 'true', [V]: '1' })).to.have.property('do', 'fail');
    expect(goldenAction(true, V, { [V]: '1' })).to.deep.equal({ do: 'write' });
    expect(goldenAction(true, V, {})).to.deep.equal({ do: 'compare' });
    expect(goldenAction(true, V, { CI: 'true', [V]: '0' })).to.deep.equal({ do: 'compare' });
  });
});
