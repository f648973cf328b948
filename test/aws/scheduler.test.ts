// The scheduler every AWS call of a collection goes through (a bound on calls in flight, a timeout per call or
// page, backoff while throttled, a breaker per account-region) and the pacer LookupEvents is spaced by.
import { expect } from 'chai';
import { classify } from '../../src/aws/errors.js';
import { Pacer, Scheduler, sleep } from '../../src/aws/scheduler.js';

describe('the AWS call scheduler and pacer (src/aws/scheduler.ts)', () => {
  it('never has more calls in flight than its bound', async () => {
    const scheduler = new Scheduler({ concurrency: 3, callTimeoutMs: 1000 });
    let now = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 20 }, () => scheduler.call({ account: '111111111111', region: 'us-east-1' }, async () => {
      peak = Math.max(peak, ++now);
      await sleep(5);
      now--;
    })));
    expect(peak).to.equal(3);
    expect(scheduler.stats.calls).to.equal(20);
  });

  it('turns a call that never answers into a TimeoutError and skips the rest of that region', async () => {
    const scheduler = new Scheduler({ concurrency: 2, callTimeoutMs: 30 });
    const hung = await scheduler.call({ account: '111111111111', region: 'eu-west-1' }, () => new Promise(() => undefined));
    expect(hung).to.deep.equal({ ok: false, error: { name: 'TimeoutError', message: 'no answer within 30 ms' }, kind: 'timeout', skipped: false });
    const next = await scheduler.call({ account: '111111111111', region: 'eu-west-1' }, async () => 'answered');
    expect(next.ok).to.equal(false);
    expect(next.ok === false && next.skipped).to.equal(true);
    const other = await scheduler.call({ account: '111111111111', region: 'us-east-1' }, async () => 'answered');
    expect(other).to.deep.equal({ ok: true, value: 'answered' });
    expect(scheduler.stats.skipped).to.equal(1);
  });

  it('restarts the timeout with every page of a paginated call', async () => {
    // Three pages of 400 ms outlast a 1 s timeout that is not restarted, while each page leaves it 600 ms of
    // margin (a loaded machine's late timers stay far inside it).
    const scheduler = new Scheduler({ concurrency: 1, callTimeoutMs: 1000 });
    const outcome = await scheduler.call({ account: '111111111111', region: 'us-east-1' }, async (_signal, heartbeat) => {
      for (let i = 0; i < 3; i++) {
        await sleep(400);
        heartbeat();
      }
      return 3;
    });
    expect(outcome).to.deep.equal({ ok: true, value: 3 });
  });

  it('backs off and asks again while a call is throttled, up to its limit', async () => {
    const scheduler = new Scheduler({ concurrency: 1, callTimeoutMs: 1000, throttleRetries: 2, throttleBaseDelayMs: 1 });
    let attempts = 0;
    const outcome = await scheduler.call({ account: '111111111111', region: 'us-east-1' }, async () => {
      attempts++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    expect(attempts).to.equal(3);
    expect(outcome.ok === false && outcome.kind).to.equal('throttled');
    expect(scheduler.stats.errorsByKind).to.deep.equal({ throttled: 1 });
  });

  it('names the kind of each AWS error', () => {
    expect(classify({ name: 'AccessDenied', message: '' })).to.equal('denied');
    expect(classify({ name: 'UnauthorizedOperation', message: '' })).to.equal('denied');
    expect(classify({ name: 'Whatever', message: '' }, 403)).to.equal('denied');
    expect(classify({ name: 'ThrottlingException', message: '' })).to.equal('throttled');
    expect(classify({ name: 'SlowDown', message: '' })).to.equal('throttled');
    expect(classify({ name: 'NoSuchBucketPolicy', message: '' })).to.equal('not-configured');
    expect(classify({ name: 'InsightNotEnabledException', message: '' })).to.equal('not-configured');
    expect(classify({ name: 'ECONNREFUSED', message: '' })).to.equal('network');
    expect(classify({ name: 'TrailNotFoundException', message: '' })).to.equal('not-found');
    expect(classify({ name: 'InternalError', message: '' }, 500)).to.equal('other');
  });

  it('spaces calls that share a key (LookupEvents pacing)', async () => {
    // The k-th call's slot is k intervals after the first. Timers never fire early (a millisecond of rounding
    // aside) but may fire late, so each call is held to its slot from below only (a late neighbour can make
    // one gap short and the next long), and the other key's "no wait" to well under one interval.
    const pacer = new Pacer(250);
    const times: number[] = [];
    const first = Date.now();
    await Promise.all(Array.from({ length: 4 }, async () => {
      await pacer.wait('111111111111/us-east-1');
      times.push(Date.now());
    }));
    times.forEach((t, k) => expect(t - first, `call ${k}`).to.be.at.least(k * 250 - 2));
    const start = Date.now();
    await pacer.wait('111111111111/eu-west-1');
    expect(Date.now() - start).to.be.below(200);
  });
});
