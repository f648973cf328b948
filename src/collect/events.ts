// EventBridge: the rules of an account and region's default event bus and each rule's targets, which the CIS
// monitoring checks accept in place of a metric filter and alarm; returns the SNS topics the rules notify, so
// their subscriptions are collected like an alarm's.
import { ListRulesCommand, ListTargetsByRuleCommand, type ListRulesCommandOutput, type ListTargetsByRuleCommandOutput } from '../aws/sdk/eventbridge.js';
import type { ClientSet } from './clients.js';
import { recordPages, type Recorder } from './record.js';
import { parseTopicArn } from './sns.js';
import { isSafePath } from './writer.js';

export interface EventRules {
  /** SNS topic ARNs that the rules target, sorted. */
  topics: string[];
  /** Rules whose name cannot be a file name: their targets were not read. */
  unsafeNames: string[];
}

/**
 * EventBridge has no SDK paginators: pages follow NextToken until a page has none (recordPages bounds the
 * number of pages, so a token that never ends is an error).
 */
async function* byNextToken<P extends { NextToken?: string | undefined }>(send: (token: string | undefined) => Promise<P>): AsyncIterable<P> {
  let token: string | undefined;
  do {
    const page = await send(token);
    yield page;
    token = page.NextToken === '' ? undefined : page.NextToken;
  } while (token !== undefined);
}

/** Stores ListRules and ListTargetsByRule per rule (default bus: no EventBusName given). */
export async function eventRules(rec: Recorder, clients: ClientSet): Promise<EventRules> {
  const place = { account: clients.account, where: clients.region };
  const client = clients.events;
  const listed = await recordPages(rec, place, 'events/ListRules.json', 'events:ListRules', ['Rules'], (abortSignal) =>
    byNextToken<ListRulesCommandOutput>((NextToken) => client.send(new ListRulesCommand(NextToken === undefined ? {} : { NextToken }), { abortSignal })));
  const names = ((listed?.['Rules'] ?? []) as { Name?: string }[]).flatMap((r) => (r.Name === undefined ? [] : [r.Name]));
  const unsafeNames = names.filter((n) => !isSafePath(n));
  const targets = await Promise.all(names.filter((n) => isSafePath(n)).map((Rule) =>
    recordPages(rec, place, `events/ListTargetsByRule/${Rule}.json`, 'events:ListTargetsByRule', ['Targets'], (abortSignal) =>
      byNextToken<ListTargetsByRuleCommandOutput>((NextToken) =>
        client.send(new ListTargetsByRuleCommand(NextToken === undefined ? { Rule } : { Rule, NextToken }), { abortSignal })))));
  const topics = new Set<string>();
  for (const answer of targets) {
    for (const target of (answer?.['Targets'] ?? []) as { Arn?: string }[]) {
      if (target.Arn !== undefined && parseTopicArn(target.Arn) !== undefined) topics.add(target.Arn);
    }
  }
  return { topics: [...topics].sort(), unsafeNames };
}
