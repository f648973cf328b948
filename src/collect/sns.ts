// SNS: who receives an alarm's notifications (the subscriptions of each topic an alarm notifies).
import { paginateListSubscriptionsByTopic } from '../aws/sdk/sns.js';
import type { ClientSet } from './clients.js';
import { recordPages, type Recorder } from './record.js';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/;

export function parseTopicArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = TOPIC_ARN.exec(arn);
  return m ? { region: m[1] as string, account: m[2] as string, name: m[3] as string } : undefined;
}

export async function topicSubscriptions(rec: Recorder, clients: ClientSet, topicArn: string, name: string): Promise<void> {
  await recordPages(rec, { account: clients.account, where: clients.region }, `sns/ListSubscriptionsByTopic/${name}.json`, 'sns:ListSubscriptionsByTopic', ['Subscriptions'], (abortSignal) =>
    paginateListSubscriptionsByTopic({ client: clients.sns }, { TopicArn: topicArn }, { abortSignal }));
}
