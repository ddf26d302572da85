// The HTTP queue API's long poll (QueueService.receive) over a real TopicManager (temp dir) and
// ShareCoordinator, on a ManualClock that is never advanced: a poll parked with nothing to take can
// only return because it was woken — by another consumer's release, by an acknowledgement that
// frees a lock under group.share.partition.max.record.locks, or by its client going away — never
// by a timer. The clock handed to the QueueService reports each wait it arms, so the tests act
// once the poll is parked (order of events, no timing).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { buildRecordBatch } from '@mq/records';
import { ShareCoordinator, type ShareGroupConfig } from '@mq/share';
import { type Clock, ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Received, QueueService } from '../src/queues/queue-service';

let dir: string;
let clock: ManualClock;
let topics: TopicManager;
let share: ShareCoordinator;
let queues: QueueService;
/** Resolves the next time the QueueService arms a wait on its clock (a long poll parked). */
let nextWait: () => Promise<void>;

async function open(config: Partial<ShareGroupConfig> = {}): Promise<void> {
  topics = await TopicManager.open({ dataDir: dir, clock });
  share = await ShareCoordinator.open({ topicManager: topics, clock, config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 1, ...config } });
  await topics.createTopic('t', 1);
  const p = topics.partition('t', 0);
  for (const v of ['m0', 'm1']) await p.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from(v) }] }));
  let waiting: (() => void)[] = [];
  nextWait = () => new Promise((resolve) => waiting.push(resolve));
  const reporting: Clock = {
    now: () => clock.now(),
    monotonic: () => clock.monotonic(),
    schedule: (ms, fn) => {
      const cancel = clock.schedule(ms, fn);
      const woken = waiting;
      waiting = [];
      for (const w of woken) w();
      return cancel;
    },
  };
  queues = new QueueService({ topics, share: () => share, clock: reporting });
}

const receive = (consumerId: string, maxMessages: number, waitMs: number, signal?: AbortSignal): Promise<Received> =>
  queues.receive('g', 't', { consumerId, maxMessages, waitMs, encoding: 'STRING', clientHost: '127.0.0.1', ...(signal === undefined ? {} : { signal }) });

/** `consumerId` long-polls with nothing to take; resolves once it is parked (its answer in `poll`), logging both in `events`. */
async function parkedPoll(consumerId: string, events: string[], signal?: AbortSignal): Promise<{ poll: Promise<Received> }> {
  const parked = nextWait();
  const poll = receive(consumerId, 10, 20_000, signal).then((r) => {
    events.push(`${consumerId} received`);
    return r;
  });
  await parked;
  events.push(`${consumerId} parked`);
  return { poll };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-queue-poll-'));
  clock = new ManualClock();
});
afterEach(async () => {
  queues.close();
  await share.close();
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP queue long poll', () => {
  it("returns the record another consumer released while it was parked, with its delivery count raised", async () => {
    await open();
    const a = await receive('a', 2, 0);
    expect(a.messages.map((m) => m.value?.data)).toEqual(['m0', 'm1']);
    const events: string[] = [];
    const b = await parkedPoll('b', events);
    const settled = await queues.settle('release', 'g', 't', [a.messages[1]!.receipt], '127.0.0.1');
    expect(settled[0]!.error_code).toBe(0);
    events.push('a released');
    const got = await b.poll;
    expect(events).toEqual(['b parked', 'a released', 'b received']);
    expect(got.messages.map((m) => [m.value?.data, m.delivery_count])).toEqual([['m1', 2]]);
    // Nothing ran on the clock: the release woke the poll.
    expect(clock.monotonic()).toBe(0);
  });

  it('wakes when an acknowledgement frees a lock under group.share.partition.max.record.locks', async () => {
    await open({ partitionMaxRecordLocks: 1 });
    const a = await receive('a', 10, 0);
    expect(a.messages.map((m) => m.value?.data)).toEqual(['m0']);
    const events: string[] = [];
    const b = await parkedPoll('b', events);
    expect((await queues.settle('ack', 'g', 't', [a.messages[0]!.receipt], '127.0.0.1'))[0]!.error_code).toBe(0);
    events.push('a acknowledged');
    const got = await b.poll;
    expect(events).toEqual(['b parked', 'a acknowledged', 'b received']);
    expect(got.messages.map((m) => [m.value?.data, m.delivery_count])).toEqual([['m1', 1]]);
    expect(clock.monotonic()).toBe(0);
  });

  it("ends a parked poll when its client goes away (the request's signal), with nothing acquired", async () => {
    await open();
    await receive('a', 2, 0);
    const gone = new AbortController();
    const events: string[] = [];
    const b = await parkedPoll('b', events, gone.signal);
    gone.abort();
    events.push('client gone');
    expect((await b.poll).messages).toEqual([]);
    expect(events).toEqual(['b parked', 'client gone', 'b received']);
    expect(clock.monotonic()).toBe(0);
  });
});
