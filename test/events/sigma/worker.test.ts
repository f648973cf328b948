import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { compileSources, Correlator, type CorrelationInput, type RuleSource } from '../../../src/events/sigma/index.js';
import { LOGSOURCE } from './helpers.js';
import { at, ct } from './records.js';

const SOURCES: RuleSource[] = [
  { file: 'delete.yml', text: `title: Bucket deleted\nid: bucket-deleted\n${LOGSOURCE}detection:\n  sel:\n    eventName: DeleteBucket\n  condition: sel\n` },
  {
    file: 'denied.yml',
    text: `title: Denied call\nname: denied\n${LOGSOURCE}detection:\n  sel:\n    errorCode: [AccessDenied, Client.UnauthorizedOperation]\n  condition: sel\n---\ntitle: Burst of denied calls\nid: unauthorized-burst\ncorrelation:\n  type: event_count\n  rules: [denied]\n  group-by: [userIdentity.arn]\n  timespan: 5m\n  condition:\n    gte: 3\n`,
  },
];

function inWorker(lines: string[]): Promise<{ ruleIds: string[]; matches: Array<[number, number]>; inputs: CorrelationInput[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker-fixture.js', import.meta.url), { workerData: { sources: SOURCES, lines } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('Rules in worker threads', function () {
  it('compile from posted sources to the same ordinals, and their correlation inputs correlate in the main thread', async function () {
    const records = [
      ct({ eventName: 'DeleteBucket' }),
      ...[0, 30, 60].map((s) => at(ct({ eventName: 'GetObject', errorCode: 'AccessDenied' }), s)),
      at(ct({ eventName: 'DescribeInstances', errorCode: 'Client.UnauthorizedOperation' }), 90),
    ];
    const lines = records.map((r) => JSON.stringify(r));
    const posted = await inWorker(lines);
    const { ruleSet } = compileSources(SOURCES);
    expect(posted.ruleIds).to.deep.equal(ruleSet.rules.map((r) => r.ruleId));
    const local = records.flatMap((r, i) => ruleSet.matchIndices(r).map((o) => [i, o]));
    expect(posted.matches).to.deep.equal(local);
    const correlator = new Correlator(ruleSet);
    const matches = [...posted.inputs.flatMap((input) => correlator.push(input)), ...correlator.flush()];
    expect(matches.map((m) => [m.ruleId, m.count, m.samples.map((s) => s.eventIndex)])).to.deep.equal([['unauthorized-burst', 4, [1, 2, 3, 4]]]);
  });
});
