import { expect } from 'chai';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { compileSources, readRuleSources, type RuleSource } from '../../../src/events/sigma/index.js';
import { requireSigmaHq, SIGMAHQ_DIR } from '../../helpers/sigmahq.js';
import { LOGSOURCE } from './helpers.js';
import { assumedRole, ct, iamUser, root } from './records.js';
import { SIGMAHQ_CASES } from './sigmahq-events.js';


function rule(id: string, detection: string): RuleSource {
  return { file: `${id}.yml`, text: `title: ${id}\nid: ${id}\n${LOGSOURCE}detection:\n${detection}\n` };
}

/** Rules whose index keys are easy to get wrong: or-branches, negations, wildcards, case, conflicts. */
const TRICKY: RuleSource[] = [
  rule('or-of-maps', '  sel:\n    - eventName: DeleteBucket\n    - eventName: PutBucketPolicy\n      eventSource: s3.amazonaws.com\n  condition: sel'),
  rule('or-with-unpinned', '  a:\n    eventName: DeleteBucket\n  b:\n    userAgent|contains: boto3\n  condition: a or b'),
  rule('not-pinned', '  a:\n    eventName: ListBuckets\n  condition: not a'),
  rule('and-of-pins', '  a:\n    eventName: [DeleteBucket, DeleteObject]\n  b:\n    eventName: [deleteobject, PutObject]\n  condition: a and b'),
  rule('conflict', '  a:\n    eventName: DeleteBucket\n  b:\n    eventName: CreateBucket\n  condition: a and b'),
  rule('wildcard-name', '  a:\n    eventName: Delete*\n    eventSource: s3.amazonaws.com\n  condition: a'),
  rule('cased-name', '  a:\n    eventName|cased: ConsoleLogin\n  condition: a'),
  rule('null-name', '  a:\n    eventName: [null, ConsoleLogin]\n  condition: a'),
  rule('one-of', '  sel_a:\n    eventName: StopLogging\n  sel_b:\n    eventSource: kms.amazonaws.com\n  condition: 1 of sel_*'),
  rule('all-of', '  sel_a:\n    eventName: [StopLogging, DeleteTrail]\n  sel_b:\n    eventSource: cloudtrail.amazonaws.com\n  condition: all of sel_*'),
  rule('keyword', "  keywords:\n    - 'evil'\n  condition: keywords"),
  rule('root-anything', '  a:\n    userIdentity.type: Root\n  condition: a'),
  rule('neq-name', '  a:\n    eventName|neq: ListBuckets\n    eventSource: s3.amazonaws.com\n  condition: a'),
];

/** A small deterministic generator, so the corpus is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function corpus(size: number): CloudTrailRecord[] {
  const random = prng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const written = Object.values(SIGMAHQ_CASES).flatMap((c) => [...c.match, ...c.nearMiss]);
  const names = [...new Set(written.map((r) => r.eventName as string)), 'DeleteObject', 'PutObject', 'PutBucketPolicy', 'ListBuckets', 'ConsoleLogin', 'DeleteBucket', 'CreateBucket'];
  const sources = [...new Set(written.map((r) => r.eventSource as string)), 'kms.amazonaws.com', 'unknown.amazonaws.com'];
  const identities = [iamUser(), iamUser('bob'), assumedRole(), root(), { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }];
  const agents = ['aws-cli/2.15.30', 'Boto3/1.34.0', 'TruffleHog', 'S3 Browser 11.6.7', 'console.amazonaws.com', 'evil-tool/1.0'];
  const out: CloudTrailRecord[] = [...written];
  while (out.length < size) {
    const base = pick(written);
    const name = pick(names);
    const record: CloudTrailRecord = {
      ...base,
      eventName: random() < 0.1 ? name.toLowerCase() : random() < 0.05 ? name.toUpperCase() : name,
      eventSource: random() < 0.7 ? (base.eventSource as string) : pick(sources),
      userIdentity: pick(identities),
      userAgent: pick(agents),
    };
    if (random() < 0.2) record.errorCode = pick(['AccessDenied', 'Success', 'Client.UnauthorizedOperation']);
    if (random() < 0.03) delete record.eventName;
    out.push(record);
  }
  return out;
}

describe('RuleSet index', function () {
  it('gives exactly the matches of testing every rule, on a varied corpus', function () {
    requireSigmaHq(this);
    const sigmahq = readRuleSources(SIGMAHQ_DIR).sources;
    const { ruleSet, errors } = compileSources([...sigmahq, ...TRICKY]);
    expect(errors).to.deep.equal([]);
    let matched = 0;
    const records = corpus(6000);
    const disagreements: string[] = [];
    for (const [i, record] of records.entries()) {
      const indexed = ruleSet.matchIndices(record).join(',');
      const brute = ruleSet.matchIndicesWithoutIndex(record).join(',');
      if (indexed !== brute) disagreements.push(`record ${i} (${record.eventSource} ${record.eventName}): indexed [${indexed}] brute force [${brute}]`);
      matched += indexed === '' ? 0 : indexed.split(',').length;
    }
    expect(disagreements).to.deep.equal([]);
    expect(matched).to.be.greaterThan(records.length / 2);
  });

  it('keys a rule on eventName when every branch pins it, else on eventSource, else tests it against every event', function () {
    const { ruleSet } = compileSources(TRICKY);
    const keys = Object.fromEntries(ruleSet.rules.map((r) => [r.ruleId, r.index]));
    expect(keys['or-of-maps']).to.deep.equal({ eventNames: ['deletebucket', 'putbucketpolicy'], eventSources: null });
    expect(keys['or-with-unpinned']).to.deep.equal({ eventNames: null, eventSources: null });
    expect(keys['not-pinned']?.eventNames).to.equal(null);
    expect(keys['and-of-pins']?.eventNames).to.deep.equal(['deleteobject']);
    expect(keys['conflict']?.eventNames).to.deep.equal([]);
    expect(keys['wildcard-name']).to.deep.equal({ eventNames: null, eventSources: ['s3.amazonaws.com'] });
    expect(keys['null-name']?.eventNames).to.equal(null);
    expect(keys['one-of']).to.deep.equal({ eventNames: null, eventSources: null });
    expect(keys['all-of']).to.deep.equal({ eventNames: ['deletetrail', 'stoplogging'], eventSources: ['cloudtrail.amazonaws.com'] });
    expect(ruleSet.indexStats()).to.deep.equal({ byName: 4, bySource: 2, catchAll: 7 });
  });

  it('matches eventName keys whatever their case', function () {
    const { ruleSet } = compileSources(TRICKY);
    expect(ruleSet.matches(ct({ eventName: 'DELETEOBJECT', eventSource: 's3.amazonaws.com' })).map((r) => r.ruleId)).to.include('and-of-pins');
  });
});
