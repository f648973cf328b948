// Region and endpoint resolution in src/aws/region.ts, and the client factory that applies them: the order
// flag > config > AWS_REGION > AWS_DEFAULT_REGION > profile > fallback or an error naming how to set one, with
// the profile's region read by the SDK from a real shared config file.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionPool, makeClient } from '../../src/aws/clients.js';
import { regionOfArn, regionProvider, resolveEndpoint, resolveRegion, type RegionSources } from '../../src/aws/region.js';
import { S3Client } from '../../src/aws/sdk/s3.js';
import { TrailproofError } from '../../src/errors.js';

const noProfile = async (): Promise<undefined> => undefined;
const base: RegionSources = { env: {}, flagName: '--region', purpose: 'collect', profileRegion: noProfile };

/** Runs fn with the SDK's shared config file replaced and AWS_REGION/AWS_PROFILE unset (the SDK reads process.env itself). */
async function withConfigFile<T>(text: string, fn: () => Promise<T>): Promise<T> {
  const file = join(mkdtempSync(join(tmpdir(), 'trailproof-aws-config-')), 'config');
  writeFileSync(file, text);
  const names = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'] as const;
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  process.env['AWS_CONFIG_FILE'] = file;
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(file, '..', 'credentials');
  try {
    return await fn();
  } finally {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  }
}

describe('AWS region and endpoint resolution (src/aws/region.ts)', () => {
  it('takes the flag over the config, the environment and the profile', async () => {
    const profileRegion = async (): Promise<string> => 'ap-south-1';
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };
    expect(await resolveRegion({ ...base, flag: 'us-west-2', config: 'ca-central-1', env, profileRegion })).to.equal('us-west-2');
    expect(await resolveRegion({ ...base, config: 'ca-central-1', env, profileRegion })).to.equal('ca-central-1');
    expect(await resolveRegion({ ...base, env, profileRegion })).to.equal('eu-west-1');
    expect(await resolveRegion({ ...base, env: { AWS_DEFAULT_REGION: 'eu-west-2' }, profileRegion })).to.equal('eu-west-2');
    expect(await resolveRegion({ ...base, profileRegion, fallback: 'us-east-1' })).to.equal('ap-south-1');
  });

  it('treats an empty flag or variable as unset', async () => {
    expect(await resolveRegion({ ...base, flag: '', env: { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'eu-north-1' } })).to.equal('eu-north-1');
  });

  it('uses the fallback only when nothing names a region', async () => {
    expect(await resolveRegion({ ...base, fallback: 'us-east-1' })).to.equal('us-east-1');
  });

  it('without a fallback, refuses with a usage error naming the flag, the variables and the profile', async () => {
    const err = await resolveRegion({ ...base, flagName: '--regions', purpose: '--lookup-events', profile: 'audit' }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(TrailproofError);
    expect((err as TrailproofError).code).to.equal('TP_USAGE');
    expect((err as TrailproofError).message).to.equal(
      '--lookup-events: no region: give --regions, set AWS_REGION (or AWS_DEFAULT_REGION), or set region in profile audit (aws configure set region REGION --profile audit)',
    );
  });

  it("reads a profile's region from the shared config file as the SDK does", async () => {
    const config = '[default]\nregion = sa-east-1\n\n[profile audit]\nregion = ap-southeast-2\n\n[profile bare]\noutput = json\n';
    await withConfigFile(config, async () => {
      const sources = { env: {}, flagName: '--region', purpose: 'collect' };
      expect(await resolveRegion({ ...sources, profile: 'audit' })).to.equal('ap-southeast-2');
      expect(await resolveRegion(sources)).to.equal('sa-east-1');
      expect(await resolveRegion({ ...sources, profile: 'bare', fallback: 'us-east-1' })).to.equal('us-east-1');
      const err = await resolveRegion({ ...sources, profile: 'bare' }).then(() => undefined, (e: unknown) => e);
      expect((err as Error).message).to.include('set region in profile bare');
    });
  });

  it('resolves a provider once, on first use', async () => {
    let asked = 0;
    const provider = regionProvider({ ...base, fallback: 'us-east-1', profileRegion: async () => { asked++; return 'eu-central-1'; } });
    expect(asked).to.equal(0);
    expect([await provider(), await provider()]).to.deep.equal(['eu-central-1', 'eu-central-1']);
    expect(asked).to.equal(1);
  });

  it('takes an endpoint from the flag, the config, the service variable, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'http://s3.local:9000', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' };
    expect(resolveEndpoint('S3', { flag: 'http://flag', config: 'http://config', env })).to.equal('http://flag');
    expect(resolveEndpoint('S3', { config: 'http://config', env })).to.equal('http://config');
    expect(resolveEndpoint('S3', { env })).to.equal('http://s3.local:9000');
    expect(resolveEndpoint('KMS', { env })).to.equal('http://127.0.0.1:5000');
    expect(resolveEndpoint('S3_CONTROL', { env: { AWS_ENDPOINT_URL_S3_CONTROL: '' } })).to.equal(undefined);
  });

  it('reads the region an ARN names', () => {
    expect(regionOfArn('arn:aws:kms:eu-west-1:111122223333:key/1234')).to.equal('eu-west-1');
    expect(regionOfArn('arn:aws:iam::111122223333:role/audit')).to.equal(undefined);
    expect(regionOfArn('alias/trailproof')).to.equal(undefined);
  });
});

describe('the AWS client factory (src/aws/clients.ts)', () => {
  it('makes a client with the resolved region, endpoint, path-style addressing and retry settings', async () => {
    const client = makeClient(S3Client, {
      region: regionProvider({ ...base, env: { AWS_DEFAULT_REGION: 'eu-west-3' } }),
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
      endpoint: 'http://127.0.0.1:1',
      retry: { mode: 'adaptive', maxAttempts: 4 },
      s3: { forcePathStyle: true, followRegionRedirects: true },
    });
    try {
      expect(await client.config.region()).to.equal('eu-west-3');
      expect(client.config.forcePathStyle).to.equal(true);
      expect(client.config.followRegionRedirects).to.equal(true);
      expect(await client.config.maxAttempts()).to.equal(4);
      expect(await client.config.retryStrategy()).to.have.property('mode', 'adaptive');
      const endpoint = await client.config.endpoint?.();
      expect(endpoint?.hostname).to.equal('127.0.0.1');
    } finally {
      client.destroy();
    }
  });

  it("uses the SDK's standard retries and no endpoint of its own by default", async () => {
    const client = makeClient(S3Client, { region: 'us-east-1' });
    try {
      expect(await client.config.maxAttempts()).to.equal(3);
      expect(await client.config.retryStrategy()).to.have.property('mode', 'standard');
      expect(client.config.isCustomEndpoint).to.equal(false);
      expect(client.config.forcePathStyle).to.not.equal(true);
    } finally {
      client.destroy();
    }
  });

  it('fails a call whose region cannot be resolved with the error that says how to set it', async () => {
    const client = makeClient(S3Client, { region: regionProvider({ ...base, purpose: '--logs s3://' }), credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) });
    const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
    try {
      const err = await client.send(new ListBucketsCommand({})).then(() => undefined, (e: unknown) => e);
      expect((err as Error).message).to.match(/^--logs s3:\/\/: no region: give --region, set AWS_REGION/);
    } finally {
      client.destroy();
    }
  });

  it('shares one pool of connections between the clients given it', () => {
    const pool = new ConnectionPool(8);
    try {
      expect(pool.httpsAgent.maxSockets).to.equal(8);
    } finally {
      pool.destroy();
    }
  });
});
