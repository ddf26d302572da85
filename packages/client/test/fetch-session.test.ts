// KIP-227 fetch sessions from the consumer's side: the handler's request plans on their own, then a
// real broker — the first fetch opens a session, later ones carry only moved partitions and name
// dropped ones in forgotten_topics_data, an evicted session falls back to a full fetch without
// losing or repeating a record, and close() ends the session on the broker.
import { type RunningBroker, startBroker } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Connection, type Consumer, MqClient } from '../src/index';
import { FetchSessionHandler } from '../src/consumer/fetch-session';
import { pollUntil, topicName } from './helpers';

const want = (partition: number, fetchOffset: bigint) => ({ topic: 't', partition, fetchOffset });

describe('FetchSessionHandler', () => {
  it('opens with a full fetch, then sends only what moved and forgets what is gone', () => {
    const s = new FetchSessionHandler();
    const first = s.build([want(0, 0n), want(1, 5n), want(2, 9n)], 1024);
    expect(first).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true, forgottenTopicsData: [] });
    expect(first.topics[0]!.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    s.onResponse(ErrorCode.NONE, 77);
    expect([s.id, s.nextEpoch]).toEqual([77, 1]);

    const second = s.build([want(0, 3n), want(1, 5n), want(2, 9n)], 1024);
    expect(second).toMatchObject({ sessionId: 77, sessionEpoch: 1, full: false });
    expect(second.topics).toEqual([{ topic: 't', partitions: [want(0, 3n)] }]);
    s.onResponse(ErrorCode.NONE, 77);

    const third = s.build([want(0, 3n), want(2, 9n)], 2048);
    expect(third.sessionEpoch).toBe(2);
    // A new partitionMaxBytes changes every partition's parameters.
    expect(third.topics[0]!.partitions.map((p) => p.partition)).toEqual([0, 2]);
    expect(third.forgottenTopicsData).toEqual([{ topic: 't', partitions: [1] }]);
    s.onResponse(ErrorCode.NONE, 77);
    expect(s.nextEpoch).toBe(3);
  });

  it('after a session error or a lost request the next fetch is full again', () => {
    const s = new FetchSessionHandler();
    s.build([want(0, 0n)], 1024);
    s.onResponse(ErrorCode.NONE, 5);
    s.build([want(0, 1n)], 1024);
    s.onResponse(ErrorCode.FETCH_SESSION_ID_NOT_FOUND, 0);
    expect(s.build([want(0, 1n)], 1024)).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true });
    s.onFailure();
    expect(s.build([want(0, 1n)], 1024).full).toBe(true);
    // No slot on the broker (session id 0): stays sessionless and asks again next time.
    s.onResponse(ErrorCode.NONE, 0);
    expect(s.build([want(0, 1n)], 1024)).toMatchObject({ sessionEpoch: 0, full: true });
    s.onResponse(ErrorCode.NONE, 9);
    expect(s.closeRequest()).toEqual({ sessionId: 9, sessionEpoch: -1 });
    expect(s.closeRequest()).toBeUndefined();
  });
});

interface SeenFetch {
  sessionId: number;
  sessionEpoch: number;
  partitions: number[];
  forgotten: number[];
  /** The broker's answer: top-level error and session id. */
  answer: Promise<{ errorCode: number; sessionId: number }>;
}

/** Every Fetch any Connection sends from now on, with what the broker answered. */
function watchFetches(): SeenFetch[] {
  const seen: SeenFetch[] = [];
  const original = Connection.prototype.request;
  vi.spyOn(Connection.prototype, 'request').mockImplementation(function (this: Connection, apiKey, body, opts) {
    const res = original.call(this, apiKey, body, opts);
    if (apiKey === ApiKey.Fetch) {
      const b = body as { sessionId: number; sessionEpoch: number; topics: { partitions: { partition: number }[] }[]; forgottenTopicsData: { partitions: number[] }[] };
      seen.push({
        sessionId: b.sessionId,
        sessionEpoch: b.sessionEpoch,
        partitions: b.topics.flatMap((t) => t.partitions.map((p) => p.partition)),
        forgotten: b.forgottenTopicsData.flatMap((f) => f.partitions),
        answer: (res as Promise<{ errorCode: number; sessionId: number }>).then((r) => ({ errorCode: r.errorCode, sessionId: r.sessionId })),
      });
    }
    return res;
  });
  return seen;
}

describe('consumer fetch sessions against a broker', () => {
  let broker: RunningBroker;
  let client: MqClient;
  beforeAll(async () => {
    // One session slot, so a second, larger session evicts the first.
    broker = await startBroker({ port: 0, config: { maxIncrementalFetchSessionCacheSlots: 1 } });
    client = new MqClient({ bootstrapServers: `${broker.host}:${broker.port}`, clientId: 'fetch-session-test' });
  });
  afterAll(async () => {
    await client?.close();
    await broker?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function topicWith(partitions: number, perPartition: number): Promise<string> {
    const topic = topicName('session');
    await client.admin().createTopics([{ name: topic, numPartitions: partitions }]);
    const messages = Array.from({ length: partitions * perPartition }, (_, i) => ({ value: `${i % partitions}:${Math.floor(i / partitions)}`, partition: i % partitions }));
    await client.producer().send({ topic, messages });
    return topic;
  }

  const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value!.toString());
  // No pre-fetching: one Fetch per poll(), so each request's plan is read in order.
  const oneFetchPerPoll = { autoOffsetReset: 'earliest', maxWaitMs: 50, prefetchBytes: 0 } as const;

  it('opens a session, sends only moved partitions, forgets unassigned ones and closes it', async () => {
    const topic = await topicWith(3, 2);
    const seen = watchFetches();
    const c = client.consumer(oneFetchPerPoll);
    c.assign([0, 1, 2].map((partition) => ({ topic, partition })));
    expect(await pollUntil(() => c.poll(), 6)).toHaveLength(6);
    const opened = seen[0]!;
    expect(opened).toMatchObject({ sessionId: 0, sessionEpoch: 0, partitions: [0, 1, 2] });
    const { sessionId } = await opened.answer;
    expect(sessionId).toBeGreaterThan(0);

    // One fetch to send the positions the last records moved; then only partition 1 gets a record,
    // and the next fetches name a partition only when its position moved.
    await c.poll();
    const before = seen.length;
    await client.producer().send({ topic, messages: [{ value: '1:2', partition: 1 }] });
    expect(values(await pollUntil(() => c.poll(), 1))).toEqual(['1:2']);
    await c.poll();
    const later = seen.slice(before);

    expect(later.every((f) => f.sessionId === sessionId && f.sessionEpoch > 0)).toBe(true);
    expect(later.every((f) => f.partitions.every((p) => p === 1))).toBe(true);
    expect(later.at(-1)!.partitions).toEqual([1]);
    for (const f of later) expect(await f.answer).toEqual({ errorCode: ErrorCode.NONE, sessionId });

    // Unassigning partition 2 names it in forgotten_topics_data.
    c.assign([
      { topic, partition: 0, offset: 2n },
      { topic, partition: 1, offset: 3n },
    ]);
    const atUnassign = seen.length;
    await c.poll();
    expect(seen[atUnassign]).toMatchObject({ sessionId, forgotten: [2] });

    await c.close();
    const closing = seen.at(-1)!;
    expect(closing).toMatchObject({ sessionId, sessionEpoch: -1, partitions: [] });
    // The broker no longer knows the session.
    const conn = await Connection.connect({ host: broker.host, port: broker.port, clientId: 'probe' });
    const res = await conn.request(ApiKey.Fetch, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1024,
      isolationLevel: 0,
      sessionId,
      sessionEpoch: 5,
      topics: [],
      forgottenTopicsData: [],
      rackId: '',
    });
    conn.close();
    expect(res.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });

  it('an evicted session falls back to a full fetch in the same poll, no record lost or repeated', async () => {
    const small = await topicWith(1, 3);
    const big = await topicWith(2, 1);
    const seen = watchFetches();
    const a = client.consumer(oneFetchPerPoll);
    a.assign([{ topic: small, partition: 0 }]);
    expect(values(await pollUntil(() => a.poll(), 3))).toEqual(['0:0', '0:1', '0:2']);
    const aSession = (await seen[0]!.answer).sessionId;
    expect(aSession).toBeGreaterThan(0);

    // A two-partition session takes the only slot from A's one-partition session.
    const b: Consumer = client.consumer(oneFetchPerPoll);
    b.assign([0, 1].map((partition) => ({ topic: big, partition })));
    expect(await pollUntil(() => b.poll(), 2)).toHaveLength(2);

    await client.producer().send({ topic: small, messages: [{ value: 'after eviction', partition: 0 }] });
    const atEviction = seen.length;
    const got = await pollUntil(() => a.poll(), 1);
    expect(values(got)).toEqual(['after eviction']);
    expect(got[0]!.offset).toBe(3n);
    const [refused, full] = seen.slice(atEviction);
    expect(refused).toMatchObject({ sessionId: aSession });
    expect(await refused!.answer).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND });
    expect(full).toMatchObject({ sessionId: 0, sessionEpoch: 0, partitions: [0] });
    // B still holds the slot and is larger: A goes on without a session, still reading in order.
    expect(await full!.answer).toEqual({ errorCode: ErrorCode.NONE, sessionId: 0 });
    await client.producer().send({ topic: small, messages: [{ value: 'sessionless', partition: 0 }] });
    expect(values(await pollUntil(() => a.poll(), 1))).toEqual(['sessionless']);

    // Once B closes its session, A's next full fetch gets the slot.
    await b.close();
    const atReopen = seen.length;
    await a.poll();
    expect(seen[atReopen]).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
    expect((await seen[atReopen]!.answer).sessionId).toBeGreaterThan(0);
    await a.close();
  });
});
