// Which endpoint and credentials each live validate-logs client gets: S3 alone takes the S3 endpoint (an
// S3-compatible server, addressed by path); CloudTrail and Organizations never do (the SDK finds their own
// AWS_ENDPOINT_URL_<SERVICE>), and --profile reaches every client.
import { expect } from 'chai';
import { clientSettings } from '../../src/integrity/s3-store.js';

describe('validate-logs client settings', () => {
  it('gives S3 the S3 endpoint with path-style addressing', () => {
    expect(clientSettings({ endpoint: 'http://127.0.0.1:9000' }, 'eu-west-1')).to.deep.equal({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000', s3: { forcePathStyle: true } });
  });

  it('never gives CloudTrail or Organizations the S3 endpoint', () => {
    expect(clientSettings({ endpoint: 'http://127.0.0.1:9000' }, 'eu-west-1', 'other')).to.deep.equal({ region: 'eu-west-1' });
  });

  it('passes --profile to every client', () => {
    expect(clientSettings({ profile: 'audit', endpoint: 'http://s3.local' }, 'us-east-1')).to.include({ profile: 'audit', endpoint: 'http://s3.local' });
    expect(clientSettings({ profile: 'audit', endpoint: 'http://s3.local' }, 'us-east-1', 'other')).to.deep.equal({ region: 'us-east-1', profile: 'audit' });
  });
});
