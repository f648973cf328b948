// How src/aws/errors.ts reads an AWS failure: the SDK's or Node's error reduced to {name, message} and the
// HTTP status, and the kind every caller acts on (the collection counts it, the query engines retry on
// throttling, messages say "denied").
import { expect } from 'chai';
import { classify, toCallError, TimeoutError } from '../../src/aws/errors.js';
import { awsError } from '../helpers/fake-clock.js';

const kind = (err: unknown): string => {
  const { error, status } = toCallError(err);
  return classify(error, status);
};

describe('AWS error classification (src/aws/errors.ts)', () => {
  it('reads throttling by name or by HTTP 429', () => {
    expect(kind(awsError('ThrottlingException', 'Rate exceeded'))).to.equal('throttled');
    expect(kind(awsError('SlowDown', 'Please reduce your request rate', 503))).to.equal('throttled');
    expect(kind(awsError('SomethingNew', 'busy', 429))).to.equal('throttled');
  });

  it('reads denial by name or by HTTP 403, and missing credentials as denial', () => {
    expect(kind(awsError('AccessDeniedException', 'not authorized'))).to.equal('denied');
    expect(kind(awsError('UnrecognizedClientException', 'bad token'))).to.equal('denied');
    expect(kind(awsError('CredentialsProviderError', 'Could not load credentials from any providers'))).to.equal('denied');
    expect(kind(awsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 400))).to.equal('denied');
    expect(kind(awsError('Forbidden', '', 403))).to.equal('denied');
  });

  it('reads not-found by name or by HTTP 404, apart from answers that mean "not configured"', () => {
    expect(kind(awsError('TrailNotFoundException', 'Unknown trail'))).to.equal('not-found');
    expect(kind(awsError('NoSuchKey', '', 404))).to.equal('not-found');
    expect(kind(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404))).to.equal('not-configured');
    expect(kind(awsError('AWSOrganizationsNotInUseException', 'not in an organization'))).to.equal('not-configured');
  });

  it("reads timeouts and Node's network errors from their code", () => {
    expect(kind(new TimeoutError(30_000))).to.equal('timeout');
    expect(kind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).to.equal('network');
    expect(kind(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }))).to.equal('network');
  });

  it('leaves anything else as other', () => {
    expect(kind(awsError('InternalError', 'We encountered an internal error', 500))).to.equal('other');
    expect(kind('a string thrown')).to.equal('other');
  });

  it("keeps the error's name, message (at most 2,000 characters) and status", () => {
    expect(toCallError(awsError('AccessDenied', 'no', 403))).to.deep.equal({ error: { name: 'AccessDenied', message: 'no' }, status: 403 });
    expect(toCallError(new Error('x'.repeat(5000))).error.message).to.have.length(2000);
    expect(toCallError(42)).to.deep.equal({ error: { name: 'Error', message: '42' } });
  });
});
