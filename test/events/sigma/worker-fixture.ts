// A worker thread as the scan runs one: compile the posted rule sources, match the posted records and post
// back (event index, rule ordinal) pairs and the correlation inputs. Used by worker.test.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { compileSources, type CorrelationInput, type RuleSource } from '../../../src/events/sigma/index.js';

const { sources, lines } = workerData as { sources: RuleSource[]; lines: string[] };
const { ruleSet } = compileSources(sources);
const matches: Array<[number, number]> = [];
const inputs: CorrelationInput[] = [];
lines.forEach((line, eventIndex) => {
  const record = JSON.parse(line) as CloudTrailRecord;
  for (const ordinal of ruleSet.matchIndices(record)) {
    matches.push([eventIndex, ordinal]);
    const input = ruleSet.correlationInput(ordinal, record, eventIndex);
    if (input !== null) inputs.push(input);
  }
});
parentPort?.postMessage({ ruleIds: ruleSet.rules.map((r) => r.ruleId), matches, inputs });
