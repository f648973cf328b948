import { expect } from 'chai';
import { compileRuleSource, eventSources, fieldProblem, lintRule, type SigmaRule } from '../../../src/events/sigma/index.js';
import { detect, LOGSOURCE } from './helpers.js';

const codes = (body: string, extra = ''): string[] => lintRule(detect(body, extra)).map((i) => `${i.level} ${i.code}`);

describe('lintRule', function () {
  it('passes a rule that reads documented CloudTrail fields', function () {
    expect(codes("sel:\n  eventSource: iam.amazonaws.com\n  userIdentity.sessionContext.sessionIssuer.arn|endswith: ':role/admin'\n  requestParameters.anything.below: x\n  tlsDetails.tlsVersion: TLSv1.2\ncondition: sel")).to.deep.equal([]);
  });

  it('flags a field CloudTrail records never have, suggesting the right name', function () {
    const issues = lintRule(detect('sel:\n  EventName: DeleteBucket\ncondition: sel'));
    expect(issues.map((i) => [i.level, i.code, i.message])).to.deep.equal([['error', 'unknown-field', 'selection sel: field "EventName" never matches raw CloudTrail: CloudTrail records have no field "EventName" (did you mean eventName?)']]);
    expect(fieldProblem('userIdentity.sessionContext.sessionIssuer.nme')).to.equal('userIdentity.sessionContext.sessionIssuer has no field "nme"');
    expect(fieldProblem('eventName.value')).to.equal('eventName is a single value in CloudTrail records; it has no field "value"');
    expect(fieldProblem('additionalEventData.MFAUsed')).to.equal(null);
  });

  it('flags an eventSource that does not exist, accepting wildcards that reach a real one', function () {
    expect(codes('sel:\n  eventSource: s3.amazonaws.co\ncondition: sel')).to.deep.equal(['error unknown-event-source']);
    expect(codes("sel:\n  eventSource: 'sso*'\ncondition: sel")).to.deep.equal([]);
    expect(codes("sel:\n  eventSource|startswith: 'nothing-like-this'\ncondition: sel")).to.deep.equal(['error unknown-event-source']);
    expect(codes("sel:\n  eventSource|re: '^(sts|iam)\\.amazonaws\\.com$'\ncondition: sel")).to.deep.equal([]);
  });

  it('knows the event sources of the common services', function () {
    const known = new Set(eventSources());
    for (const s of ['s3', 'iam', 'sts', 'signin', 'cloudtrail', 'kms', 'ec2', 'organizations', 'bedrock', 'sso-directory', 'ses', 'monitoring', 'logs', 'secretsmanager', 'rolesanywhere', 'account']) expect(known.has(`${s}.amazonaws.com`), s).to.equal(true);
  });

  it('flags a condition that needs two eventNames at once', function () {
    expect(codes('a:\n  eventName: DeleteBucket\nb:\n  eventName: CreateBucket\ncondition: a and b')).to.deep.equal(['error never-matches']);
  });

  it('warns about a value that looks like a field name', function () {
    expect(codes('sel:\n  userIdentity.arn|contains: requestParameters.userName\ncondition: sel')).to.deep.equal(['warning value-looks-like-field']);
  });

  it('warns when a rule counting successes never reads the outcome', function () {
    expect(codes('sel:\n  eventName: DeleteBucket\ncondition: sel', 'trailproof:\n  counts: success')).to.deep.equal(['warning counts-without-outcome']);
    expect(codes('sel:\n  eventName: DeleteBucket\n  errorCode: null\ncondition: sel', 'trailproof:\n  counts: success')).to.deep.equal([]);
  });

  it('checks the fields a correlation groups and counts by', function () {
    const text = `title: Base\nname: base\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  condition: sel\n---\ntitle: C\ncorrelation:\n  type: value_count\n  rules: [base]\n  group-by: [sourceIp]\n  timespan: 5m\n  condition:\n    field: userIdentity.userName\n    gte: 2\n`;
    const correlation = compileRuleSource(text, 'c.yml')[1];
    expect(lintRule(correlation as SigmaRule).map((i) => i.message)).to.deep.equal(['correlation: field "sourceIp" never matches raw CloudTrail: CloudTrail records have no field "sourceIp" (did you mean sourceIPAddress?)']);
  });
});
