// `--lookup-events`: the last 90 days of management events through CloudTrail's LookupEvents, for each
// account and region asked for. LookupEvents allows two requests per second per account and region, so each
// of those has its own pacer (src/aws's, the collection's too); several run at once. Each page becomes a unit
// of records, `CloudTrailEvent` parsed into the record.
import { LookupEventsCommand, type CloudTrailClient, type Event } from '../../aws/sdk/cloudtrail.js';
import { Pacer } from '../../aws/scheduler.js';
import { errorMessage } from '../../errors.js';
import type { CloudTrailRecord } from '../record.js';
import { recordFromLookupEvent } from './decode.js';
import type { LogSource, Pruned, RecordsUnit, ScanScope, SkippedInput } from './types.js';

export interface LookupTarget {
  account: string;
  region: string;
  client: CloudTrailClient;
}

export interface LookupOptions {
  /** Requests per second per account and region (CloudTrail's limit is 2). */
  rate?: number;
  /** Account-regions read at once. */
  concurrency?: number;
  /** Clock and sleep, for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const LOOKUP_RATE = 2;
const LOOKUP_MAX_RESULTS = 50;

/** A bounded hand-off between producers (the pagers) and one consumer: put() waits while the buffer is full. */
class Channel<T> {
  private readonly items: T[] = [];
  private readonly putters: (() => void)[] = [];
  private taker: (() => void) | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  async put(item: T): Promise<void> {
    while (this.items.length >= this.capacity) await new Promise<void>((resolve) => this.putters.push(resolve));
    this.items.push(item);
    this.taker?.();
  }

  close(): void {
    this.closed = true;
    this.taker?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        this.putters.shift()?.();
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.taker = resolve;
      });
      this.taker = undefined;
    }
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function lookupEvents(targets: LookupTarget[], scope: ScanScope, options: LookupOptions = {}): LogSource {
  const skipped: SkippedInput[] = [];
  const rate = options.rate ?? LOOKUP_RATE;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const inScope = targets.filter((t) => (scope.accounts.length === 0 || scope.accounts.includes(t.account)) && (scope.regions.length === 0 || scope.regions.includes(t.region)));

  const read = async (target: LookupTarget, channel: Channel<RecordsUnit>): Promise<void> => {
    const pacer = new Pacer(1000 / rate, { now, sleep });
    let token: string | undefined;
    let page = 0;
    try {
      do {
        await pacer.wait();
        const input: ConstructorParameters<typeof LookupEventsCommand>[0] = { MaxResults: LOOKUP_MAX_RESULTS, NextToken: token };
        if (scope.from !== null) input.StartTime = new Date(scope.from);
        if (scope.to !== null) input.EndTime = new Date(scope.to);
        const res = await target.client.send(new LookupEventsCommand(input));
        page++;
        // An Event that cannot be read is that event's problem, named; the page and the pages after go on.
        const records: CloudTrailRecord[] = [];
        (res.Events ?? []).forEach((e: Event, i) => {
          try {
            records.push(recordFromLookupEvent(e as unknown as Record<string, unknown>, { account: target.account, region: target.region }));
          } catch (err) {
            skipped.push({ name: `LookupEvents ${target.account} ${target.region} page ${page} event ${i}${e.EventId === undefined ? '' : ` (${e.EventId})`}`, reason: errorMessage(err), events: 1 });
          }
        });
        await channel.put({ kind: 'records', name: `LookupEvents ${target.account} ${target.region} page ${page}`, size: 0, delivered: null, records });
        token = res.NextToken;
      } while (token !== undefined && token !== '');
    } catch (err) {
      const name = (err as { name?: string }).name;
      skipped.push({ name: `LookupEvents ${target.account} ${target.region}${page > 0 ? ` after page ${page}` : ''}`, reason: `${name ? `${name}: ` : ''}${errorMessage(err)}`, events: null });
    }
  };

  return {
    describe: `LookupEvents (${inScope.length} account-region${inScope.length === 1 ? '' : 's'})`,
    async *units() {
      const channel = new Channel<RecordsUnit>(4);
      const concurrency = Math.max(1, options.concurrency ?? 4);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < inScope.length) await read(inScope[next++] as LookupTarget, channel);
      };
      const done = Promise.all(Array.from({ length: Math.min(concurrency, inScope.length) }, worker)).then(() => channel.close());
      yield* channel.drain();
      await done;
    },
    skipped: () => skipped,
    pruned: (): Pruned => ({ folders: 0, files: targets.length - inScope.length }),
    // Each account-region's history is read once.
    mayRepeat: () => false,
  };
}
