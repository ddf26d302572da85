// KIP-227 fetch sessions over real sockets: a full fetch at epoch 0 opens a session, incremental
// fetches answer only partitions with news (records, errors, moved offsets) and remember fetch
// offsets the client did not resend, forgotten partitions leave, bad ids and epochs get
// FETCH_SESSION_ID_NOT_FOUND / INVALID_FETCH_SESSION_EPOCH / FETCH_SESSION_TOPIC_ID_ERROR, and a
// full cache evicts by Kafka's rule (idle 2 min, else a smaller session) on a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { ManualClock } from '@mq/timerwheel';
import type { BrokerConfig } from '../src/index';
import { FETCH_SESSION_IDLE_EVICTION_MS } from '../src/fetch-session-cache';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker?.stop();
  broker = undefined;
});

async function start(config: Partial<BrokerConfig> = {}, clock?: ManualClock): Promise<RawClient> {
  broker = await startTestBroker(config, undefined, undefined, undefined, clock);
  await broker.topics.createTopic('s', 3);
  const c = await RawClient.connect(broker.port);
  clients.push(c);
  return c;
}

async function produce(c: RawClient, partition: number, value: string): Promise<void> {
  const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from(value) }] });
  const res = (await c.send(ApiKey.Produce, 7, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: 's', partitionData: [{ index: partition, records }] }],
  })) as { responses: { partitionResponses: { errorCode: number }[] }[] };
  expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
}

interface Answer {
  errorCode: number;
  sessionId: number;
  /** partition → [highWatermark, record bytes] of the partitions the response carries. */
  parts: Map<number, [bigint, number]>;
}

async function fetch(
  c: RawClient,
  sessionId: number,
  sessionEpoch: number,
  partitions: { partition: number; fetchOffset: bigint }[],
  forgotten: number[] = [],
  version = 12,
): Promise<Answer> {
  const topicId = version >= 13 ? broker!.topics.get('s')!.topicId : undefined;
  const name = (v: object) => (topicId === undefined ? { topic: 's', ...v } : { topicId, ...v });
  const res = (await c.send(ApiKey.Fetch, version, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId,
    sessionEpoch,
    topics: partitions.length === 0 ? [] : [name({ partitions: partitions.map((p) => ({ ...p, currentLeaderEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 })) })],
    forgottenTopicsData: forgotten.length === 0 ? [] : [name({ partitions: forgotten })],
    rackId: '',
  })) as { errorCode: number; sessionId: number; responses: { partitions: { partitionIndex: number; highWatermark: bigint; records: Buffer | null }[] }[] };
  const parts = new Map<number, [bigint, number]>();
  for (const t of res.responses) for (const p of t.partitions) parts.set(p.partitionIndex, [p.highWatermark, p.records?.length ?? 0]);
  return { errorCode: res.errorCode, sessionId: res.sessionId, parts };
}

const FROM_ZERO = [0, 1, 2].map((partition) => ({ partition, fetchOffset: 0n }));

describe('fetch sessions (KIP-227)', () => {
  it('an incremental fetch answers only partitions with news and keeps the offsets it was not sent', async () => {
    const c = await start();
    await produce(c, 0, 'a');
    await produce(c, 1, 'b');
    const full = await fetch(c, 0, 0, FROM_ZERO);
    expect(full.errorCode).toBe(ErrorCode.NONE);
    expect(full.sessionId).toBeGreaterThan(0);
    expect([...full.parts.keys()].sort()).toEqual([0, 1, 2]);
    const id = full.sessionId;
    // The client moved past what it read on 0 and 1: nothing new anywhere, so nothing is answered.
    const quiet = await fetch(c, id, 1, [{ partition: 0, fetchOffset: 1n }, { partition: 1, fetchOffset: 1n }]);
    expect(quiet).toEqual({ errorCode: ErrorCode.NONE, sessionId: id, parts: new Map() });
    // New records on 1 only: the next incremental fetch names no partition and gets just 1, from
    // the offset the session remembers.
    await produce(c, 1, 'c');
    const one = await fetch(c, id, 2, []);
    expect([...one.parts.keys()]).toEqual([1]);
    expect(one.parts.get(1)![0]).toBe(2n);
    expect(one.parts.get(1)![1]).toBeGreaterThan(0);
    // Partition 0 forgotten: records appended to it are no longer answered; 2 still is.
    await produce(c, 0, 'd');
    await produce(c, 2, 'e');
    const forgot = await fetch(c, id, 3, [{ partition: 1, fetchOffset: 2n }], [0]);
    expect([...forgot.parts.keys()]).toEqual([2]);
    // A partition added back by an incremental fetch is answered (the session never sent it); 2,
    // moved past what it read, is not (it would be, from its old offset, had the client not said).
    const back = await fetch(c, id, 4, [{ partition: 0, fetchOffset: 2n }, { partition: 2, fetchOffset: 1n }]);
    expect([...back.parts.keys()]).toEqual([0]);
    expect(back.parts.get(0)).toEqual([2n, 0]);
  });

  it('refuses unknown ids and wrong epochs without harming the session; epoch -1 closes it', async () => {
    const c = await start();
    const { sessionId: id } = await fetch(c, 0, 0, FROM_ZERO);
    expect(await fetch(c, id + 1, 1, [])).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0 });
    expect(await fetch(c, id, 7, [])).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: 0 });
    expect(await fetch(c, 0, 3, [])).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: 0 });
    expect(await fetch(c, id, 1, [])).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: id });
    // The same epoch twice (a retried request) is refused: the session is at epoch 2 now.
    expect(await fetch(c, id, 1, [])).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH });
    const closed = await fetch(c, id, -1, FROM_ZERO);
    expect(closed).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: 0 });
    expect(closed.parts.size).toBe(3);
    expect(await fetch(c, id, 2, [])).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND });
  });

  it('a session opened by topic id (v13) refuses a fetch by name (v12): FETCH_SESSION_TOPIC_ID_ERROR', async () => {
    const c = await start();
    await produce(c, 2, 'x');
    const full = await fetch(c, 0, 0, FROM_ZERO, [], 13);
    expect(full.parts.get(2)![1]).toBeGreaterThan(0);
    expect(await fetch(c, full.sessionId, 1, [], [], 12)).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR });
    expect((await fetch(c, full.sessionId, 1, [{ partition: 2, fetchOffset: 1n }], [], 13)).errorCode).toBe(ErrorCode.NONE);
  });

  it('a full cache: a larger session evicts a smaller one, an equal one waits for one idle two minutes', async () => {
    const clock = new ManualClock();
    const c = await start({ maxIncrementalFetchSessionCacheSlots: 1 }, clock);
    const small = await fetch(c, 0, 0, FROM_ZERO.slice(0, 1));
    const large = await fetch(c, 0, 0, FROM_ZERO.slice(0, 2));
    expect(large.sessionId).toBeGreaterThan(0);
    expect((await fetch(c, small.sessionId, 1, [])).errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    // Same size, and the holder was just used: the fetch is served without a session.
    const refused = await fetch(c, 0, 0, FROM_ZERO.slice(1, 3));
    expect(refused).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: 0 });
    expect(refused.parts.size).toBe(2);
    clock.advance(FETCH_SESSION_IDLE_EVICTION_MS);
    const later = await fetch(c, 0, 0, FROM_ZERO.slice(1, 3));
    expect(later.sessionId).toBeGreaterThan(0);
    expect((await fetch(c, large.sessionId, 1, [])).errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    expect((await fetch(c, later.sessionId, 1, [])).errorCode).toBe(ErrorCode.NONE);
  });

  it('max.incremental.fetch.session.cache.slots=0 answers every fetch without a session', async () => {
    const c = await start({ maxIncrementalFetchSessionCacheSlots: 0 });
    const full = await fetch(c, 0, 0, FROM_ZERO);
    expect(full).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: 0 });
    expect(full.parts.size).toBe(3);
  });
});
