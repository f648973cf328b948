import { expect } from 'chai';
import { OCSF_VERSION, renderOcsf } from '../../src/output/ocsf.js';
import { TRAIL_ARN, WINTER, fixtureFindings } from '../report/fixtures.js';

type Event = Record<string, unknown> & { class_uid: number };

describe('OCSF output', () => {
  const findings = fixtureFindings();
  const events = JSON.parse(renderOcsf(findings)) as Event[];

  it('writes a Compliance Finding per result and a Detection Finding per detection', () => {
    expect(events.filter((e) => e.class_uid === 2003)).to.have.length(findings.results.length);
    expect(events.filter((e) => e.class_uid === 2004)).to.have.length(findings.detections.length);
    for (const e of events) {
      expect(e).to.include({ category_uid: 2, activity_id: 1 });
      expect(e.type_uid).to.equal(e.class_uid * 100 + 1);
      expect((e.metadata as { version: string }).version).to.equal(OCSF_VERSION);
      expect(e.finding_info).to.have.property('uid');
      expect((e.cloud as { provider: string }).provider).to.equal('AWS');
    }
  });

  it('maps statuses, requirements and the resource into the compliance object', () => {
    const failing = events.find((e) => (e.compliance as { control?: string } | undefined)?.control === 'trail.log-file-validation') as Event;
    expect(failing.compliance).to.deep.include({ status_id: 3, status: 'Fail', standards: ['cis-aws-3.0', 'aws-fsbp'], requirements: ['cis-aws-3.0 3.2', 'aws-fsbp CloudTrail.4'] });
    expect((failing.resources as { uid: string }[])[0]?.uid).to.equal(TRAIL_ARN);
    expect(failing).to.include({ severity_id: 3, severity: 'Medium' });
    const waived = events.find((e) => (e.compliance as { control?: string } | undefined)?.control === 'bucket.versioning-mfa-delete') as Event;
    expect(waived).to.include({ status_id: 3, status: 'Suppressed' });
  });

  it('puts who, what, from where and the user agent of a detection into its evidence', () => {
    const winter = events.find((e) => e.class_uid === 2004 && JSON.stringify(e).includes('DeleteBucket')) as Event;
    const evidence = (winter.evidences as Record<string, Record<string, unknown>>[])[0] as Record<string, Record<string, unknown>>;
    expect(evidence.actor).to.deep.equal({ user: { uid: WINTER, name: 'Winter', type: 'IAMUser' } });
    expect(evidence.api).to.deep.include({ operation: 'DeleteBucket', service: { name: 's3.amazonaws.com' } });
    expect(evidence.src_endpoint).to.deep.equal({ ip: '192.0.2.55' });
    expect(String(evidence.http_request?.user_agent)).to.match(/^\[aws-cli\/2\.17\.20/);
    expect(winter.start_time).to.equal(Date.parse('2026-09-14T03:32:07Z'));
  });
});
