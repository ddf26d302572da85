// FetchPurgatory with real partitions: wakes only once min_bytes arrived, on a log-start move or a
// topic deletion, on its timer, and on shutdown; a fetch parked on a deleted topic then answers
// UNKNOWN_TOPIC_OR_PARTITION. Its timers run on a ManualClock: max_wait expiry is exact, not slept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { TopicManager } from '@mq/partition';
import { ManualClock } from '@mq/timerwheel';
import { FetchPurgatory } from '../src/fetch-purgatory';

let dir: string;
let topics: TopicManager;
let purgatory: FetchPurgatory;
let clock: ManualClock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-purgatory-test-'));
  topics = await TopicManager.open({ dataDir: dir });
  clock = new ManualClock();
  purgatory = new FetchPurgatory(clock);
  topics.setChangeListener((p) => purgatory.onPartitionChange(p));
});

afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

const record = (n: number) => buildRecordBatch({ records: [{ key: null, value: Buffer.alloc(n, 1) }] });
const never = new AbortController().signal;

describe('FetchPurgatory', () => {
  it('completes when enough bytes arrived, not before', async () => {
    await topics.createTopic('t', 2);
    const a = topics.partition('t', 0);
    const b = topics.partition('t', 1);
    let woke = false;
    const parked = purgatory.park([a, b], 500, 60_000, never).then(() => (woke = true));
    await a.append(await record(100));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    expect(purgatory.size).toBe(1);
    await b.append(await record(500));
    await parked;
    // Completed early: its max_wait timer is cancelled, not left to fire.
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
  });

  it("a fetch's own wake signal completes it alone, at once, with its timer cancelled", async () => {
    await topics.createTopic('t', 1);
    const p = topics.partition('t', 0);
    const wake = new AbortController();
    let woke = false;
    const other = purgatory.park([p], 1, 60_000, never);
    const parked = purgatory.park([p], 1, 60_000, never, wake.signal).then(() => (woke = true));
    expect(purgatory.size).toBe(2);
    wake.abort();
    await parked;
    expect([woke, purgatory.size, clock.pending]).toEqual([true, 1, 1]);
    // Already woken: parking again with the same signal returns at once, nothing is watched.
    await purgatory.park([p], 1, 60_000, never, wake.signal);
    expect(purgatory.size).toBe(1);
    await p.append(await record(10));
    await other;
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
  });

  it('wakes on its timer and on shutdown', async () => {
    await topics.createTopic('t', 1);
    const p = topics.partition('t', 0);
    let woke = false;
    const expiring = purgatory.park([p], 1, 30, never).then(() => (woke = true));
    expect(clock.pending).toBe(1);
    clock.advance(29);
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    clock.advance(1);
    await expiring;
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
    const ac = new AbortController();
    const parked = purgatory.park([p], 1, 60_000, ac.signal);
    ac.abort();
    await parked;
    expect([purgatory.size, clock.pending]).toEqual([0, 0]);
  });

  it('wakes when the topic is deleted; the partition then reads as unknown', async () => {
    await topics.createTopic('gone', 1);
    const p = topics.partition('gone', 0);
    const parked = purgatory.park([p], 1, 60_000, never);
    await topics.deleteTopic('gone');
    await parked;
    await expect(p.read(0n, 100)).rejects.toMatchObject({ errorCode: 3 });
  });

  it('wakes when the log start moves (DeleteRecords)', async () => {
    await topics.createTopic('dr', 1);
    const p = topics.partition('dr', 0);
    await p.append(await record(10));
    await p.append(await record(10));
    const parked = purgatory.park([p], 1_000_000, 60_000, never);
    await p.deleteRecordsBefore(1n);
    await parked;
    expect(purgatory.size).toBe(0);
  });
});
