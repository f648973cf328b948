import { expect } from 'chai';
import { FilterPatternError, parseFilterPattern } from '../../src/monitoring/filter-pattern.js';
import { TrailproofError } from '../../src/errors.js';

const event = {
  eventName: 'ConsoleLogin',
  eventSource: 'signin.amazonaws.com',
  errorCode: 'Client.UnauthorizedOperation',
  latency: 1200,
  ratio: 0.5,
  readOnly: false,
  managementEvent: true,
  responseElements: null,
  userIdentity: { type: 'IAMUser', userName: 'winter' },
  resources: [{ ARN: 'arn:aws:s3:::example-prod-customer-data', type: 'AWS::S3::Bucket' }, { ARN: 'arn:aws:s3:::other' }],
  message: 'He said "hi"',
};

function matches(pattern: string): boolean {
  return parseFilterPattern(pattern, 'test-filter').test(event);
}

describe('CloudWatch Logs filter patterns for JSON events', () => {
  it('matches string equality with bare and quoted values alike', () => {
    expect(matches('{ $.eventName = ConsoleLogin }')).to.equal(true);
    expect(matches('{ $.eventName = "ConsoleLogin" }')).to.equal(true);
    expect(matches('{$.eventName="ConsoleLogin"}')).to.equal(true);
    expect(matches('{ $.eventName = "consolelogin" }')).to.equal(false);
    expect(matches('{ $.eventName != ConsoleLogin }')).to.equal(false);
    expect(matches('{ $.eventSource = signin.amazonaws.com }')).to.equal(true);
  });

  it('reads escaped quotes inside a quoted value', () => {
    expect(matches('{ $.message = "He said \\"hi\\"" }')).to.equal(true);
  });

  it('treats * as a wildcard at either end or in the middle', () => {
    expect(matches('{ $.errorCode = "*UnauthorizedOperation" }')).to.equal(true);
    expect(matches('{ $.errorCode = "Client.*" }')).to.equal(true);
    expect(matches('{ $.errorCode = "Client*Operation" }')).to.equal(true);
    expect(matches('{ $.errorCode = "AccessDenied*" }')).to.equal(false);
    expect(matches('{ $.errorCode = * }')).to.equal(true);
    expect(matches('{ $.errorCode != "*Unauthorized*" }')).to.equal(false);
  });

  it('compares numbers numerically', () => {
    expect(matches('{ $.latency > 1000 }')).to.equal(true);
    expect(matches('{ $.latency >= 1200 }')).to.equal(true);
    expect(matches('{ $.latency < 1200 }')).to.equal(false);
    expect(matches('{ $.latency <= 1200.0 }')).to.equal(true);
    expect(matches('{ $.latency = 1.2e3 }')).to.equal(true);
    expect(matches('{ $.latency != 1200 }')).to.equal(false);
    expect(matches('{ $.ratio < 1 }')).to.equal(true);
    expect(matches('{ $.eventName > 3 }')).to.equal(false);
  });

  it('tests booleans, null and existence', () => {
    expect(matches('{ $.managementEvent IS TRUE }')).to.equal(true);
    expect(matches('{ $.readOnly IS FALSE }')).to.equal(true);
    expect(matches('{ $.readOnly IS TRUE }')).to.equal(false);
    expect(matches('{ $.responseElements IS NULL }')).to.equal(true);
    expect(matches('{ $.userIdentity.invokedBy NOT EXISTS }')).to.equal(true);
    expect(matches('{ $.userIdentity.type EXISTS }')).to.equal(true);
    expect(matches('{ $.userIdentity.type NOT EXISTS }')).to.equal(false);
  });

  it('matches no comparison on an absent field, != included', () => {
    expect(matches('{ $.errorMessage = "*" }')).to.equal(false);
    expect(matches('{ $.errorMessage != "Failed authentication" }')).to.equal(false);
    expect(matches('{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }')).to.equal(false);
    expect(matches('{ $.latency.value = 3 }')).to.equal(false);
  });

  it('indexes arrays', () => {
    expect(matches('{ $.resources[0].type = "AWS::S3::Bucket" }')).to.equal(true);
    expect(matches('{ $.resources[1].ARN = "arn:aws:s3:::other" }')).to.equal(true);
    expect(matches('{ $.resources[2].ARN EXISTS }')).to.equal(false);
    expect(matches('{ $.userIdentity[0] EXISTS }')).to.equal(false);
  });

  it('binds && tighter than ||, and parentheses override it', () => {
    // true || (false && false) = true; (true || false) && false = false
    expect(matches('{ $.eventName = ConsoleLogin || $.latency < 5 && $.readOnly IS TRUE }')).to.equal(true);
    expect(matches('{ ($.eventName = ConsoleLogin || $.latency < 5) && $.readOnly IS TRUE }')).to.equal(false);
    // (false && true) || true = true
    expect(matches('{ $.latency < 5 && $.readOnly IS FALSE || $.eventSource = "signin.amazonaws.com" }')).to.equal(true);
    expect(matches('{ (($.eventName = A) || ($.eventName = B)) || (($.eventName = ConsoleLogin)) }')).to.equal(true);
  });

  it('rejects malformed patterns with an error naming the filter, never a crash', () => {
    const bad = [
      '',
      '$.eventName = ConsoleLogin',
      '{ $.eventName = ConsoleLogin',
      '{ ($.eventName = ConsoleLogin }',
      '{ $.eventName = "ConsoleLogin }',
      '{ $.eventName }',
      '{ $.eventName = }',
      '{ $.eventName < "abc" }',
      '{ $.eventName = ConsoleLogin && }',
      '{ $.a IS MAYBE }',
      '{ $.a NOT THERE }',
      '{ eventName = x }',
      '{ $.a = 1 } extra',
      '{ $.a = %regex% }',
      'ERROR',
    ];
    for (const pattern of bad) {
      let caught: unknown;
      try {
        parseFilterPattern(pattern, 'CISBadFilter');
      } catch (err) {
        caught = err;
      }
      expect(caught, pattern).to.be.instanceOf(FilterPatternError);
      expect(caught).to.be.instanceOf(TrailproofError);
      expect((caught as FilterPatternError).message, pattern).to.match(/^Metric filter CISBadFilter: unreadable filter pattern: /);
      expect((caught as FilterPatternError).code).to.equal('TP_RULE_INVALID');
    }
  });
});
