// The collection's clients: a session (src/aws/session.ts: credentials, assumed roles, shared settings) that
// also hands out the set of SDK clients of one account and region, made on first use through src/aws's one
// client factory, and src/aws's hand-signed S3 Control client (or the fake a test puts in its place).
import { AwsSession, type SessionOptions } from '../aws/session.js';
import { makeClient, type CredentialProvider } from '../aws/clients.js';
import type { Scheduler } from '../aws/scheduler.js';
import { CloudTrailClient } from '../aws/sdk/cloudtrail.js';
import { CloudWatchLogsClient } from '../aws/sdk/cloudwatch-logs.js';
import { CloudWatchClient } from '../aws/sdk/cloudwatch.js';
import { EC2Client } from '../aws/sdk/ec2.js';
import { EventBridgeClient } from '../aws/sdk/eventbridge.js';
import { KMSClient } from '../aws/sdk/kms.js';
import { OrganizationsClient } from '../aws/sdk/organizations.js';
import { S3Client } from '../aws/sdk/s3.js';
import { SNSClient } from '../aws/sdk/sns.js';
import { STSClient } from '../aws/sdk/sts.js';
import { makeS3ControlClient, type S3ControlApi } from '../aws/s3control.js';

export type { AccountAccess } from '../aws/session.js';

export interface CollectSessionOptions extends SessionOptions {
  /** Makes the S3 Control client (tests put a fake here). */
  s3control?: ((config: { region: string; credentials: CredentialProvider }) => S3ControlApi) | undefined;
}

export class CollectSession extends AwsSession {
  constructor(readonly collectOptions: CollectSessionOptions, scheduler: Scheduler<string>) {
    super(collectOptions, scheduler);
  }

  clients(account: string, region: string, credentials: CredentialProvider): ClientSet {
    return new ClientSet(this, account, region, credentials);
  }

  s3control(region: string, credentials: CredentialProvider): S3ControlApi {
    if (this.collectOptions.s3control) return this.collectOptions.s3control({ region, credentials });
    return makeS3ControlClient(region, credentials);
  }
}

/** The clients of one account and region, made on first use. */
export class ClientSet {
  private made = new Map<string, unknown>();

  constructor(private readonly session: CollectSession, readonly account: string, readonly region: string, readonly credentials: CredentialProvider) {}

  get cloudtrail(): CloudTrailClient {
    return this.make('cloudtrail', CloudTrailClient);
  }
  get cloudwatch(): CloudWatchClient {
    return this.make('cloudwatch', CloudWatchClient);
  }
  get logs(): CloudWatchLogsClient {
    return this.make('logs', CloudWatchLogsClient);
  }
  get ec2(): EC2Client {
    return this.make('ec2', EC2Client);
  }
  get events(): EventBridgeClient {
    return this.make('events', EventBridgeClient);
  }
  get kms(): KMSClient {
    return this.make('kms', KMSClient);
  }
  get organizations(): OrganizationsClient {
    return this.make('organizations', OrganizationsClient);
  }
  get s3(): S3Client {
    // A bucket answered from the wrong regional endpoint is followed to its own region.
    return this.make('s3', S3Client, { followRegionRedirects: true });
  }
  get sns(): SNSClient {
    return this.make('sns', SNSClient);
  }
  get sts(): STSClient {
    return this.make('sts', STSClient);
  }
  get s3control(): S3ControlApi {
    let client = this.made.get('s3control') as S3ControlApi | undefined;
    if (client === undefined) {
      client = this.session.s3control(this.region, this.credentials);
      this.made.set('s3control', client);
    }
    return client;
  }

  private make<T>(name: string, Client: new (config: never) => T, s3?: { followRegionRedirects: boolean }): T {
    let client = this.made.get(name) as T | undefined;
    if (client === undefined) {
      client = makeClient(Client, { ...this.session.settings(this.region, this.credentials), ...(s3 === undefined ? {} : { s3 }) });
      this.made.set(name, client);
    }
    return client;
  }
}
