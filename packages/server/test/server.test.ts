// The server over real sockets: ApiVersions, pipelining order, produce/fetch round trip, long-poll
// wake-up, acks=0, idempotent retries, unknown API, oversized frame and garbage bytes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { ManualClock } from '@mq/timerwheel';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
const clients: RawClient[] = [];

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(broker.port);
  clients.push(c);
  return c;
}

function batch(values: string[], opts: { producerId?: bigint; baseSequence?: number } = {}): Promise<Buffer> {
  return buildRecordBatch({
    records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v) })),
    ...opts,
  });
}

function produceBody(topic: string, records: Buffer, acks = -1) {
  return { transactionalId: null, acks, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

function fetchBody(topic: string, fetchOffset: bigint, maxWaitMs = 0, minBytes = 1) {
  return {
    replicaId: -1,
    maxWaitMs,
    minBytes,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

async function values(records: Buffer): Promise<string[]> {
  const out: string[] = [];
  for (const { batch: b } of splitBatches(records).batches) {
    for (const r of (await decodeRecordBatch(b)).records) out.push(r.value!.toString());
  }
  return out;
}

beforeEach(async () => {
  broker = await startTestBroker({ fetchMaxWaitMsCap: 120_000 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker.stop();
});

describe('ApiVersions', () => {
  it('advertises registered handlers within schema ranges (v3, flexible request header)', async () => {
    const c = await client();
    const res = (await c.send(ApiKey.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' })) as {
      errorCode: number;
      apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
    };
    expect(res.errorCode).toBe(0);
    const byKey = new Map(res.apiKeys.map((k) => [k.apiKey, k]));
    expect(byKey.get(ApiKey.Produce)).toMatchObject({ minVersion: 0 });
    expect(byKey.get(ApiKey.Produce)!.maxVersion).toBeGreaterThanOrEqual(7);
    expect(byKey.get(ApiKey.Fetch)).toMatchObject({ minVersion: 4 });
    expect(byKey.get(ApiKey.Fetch)!.maxVersion).toBeGreaterThanOrEqual(11);
    expect(byKey.get(ApiKey.ApiVersions)).toMatchObject({ minVersion: 0, maxVersion: 3 });
    expect(byKey.has(ApiKey.Metadata)).toBe(true);
  });

  it('answers an unsupported ApiVersions version with error 35 in a v0 response (KIP-511)', async () => {
    const c = await client();
    // Hand-built v9 request as a newer client sends it: header v2 (empty tag buffer), then a body we never read.
    const header = Buffer.alloc(2 + 2 + 4 + 2 + 1);
    header.writeInt16BE(ApiKey.ApiVersions, 0);
    header.writeInt16BE(9, 2);
    header.writeInt32BE(77, 4);
    header.writeInt16BE(-1, 8);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, header.length]), header]);
    const got = new Promise<Buffer>((resolve) => c.socket.once('data', (d: Buffer) => resolve(d)));
    c.writeRaw(frame);
    const data = await got;
    expect(data.readInt32BE(4)).toBe(77); // correlation id
    expect(data.readInt16BE(8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(data.readInt32BE(10)).toBeGreaterThan(5); // api list follows
  });
});

describe('requests', () => {
  it('answers pipelined requests in request order', async () => {
    const c = await client();
    await broker.topics.createTopic('t', 1);
    const slowFetch = c.prepare(ApiKey.Fetch, 11, fetchBody('t', 0n, 300, 1));
    const quick = [1, 2, 3].map(() => c.prepare(ApiKey.ApiVersions, 2, {}));
    const meta = c.prepare(ApiKey.Metadata, 9, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    c.writeRaw(Buffer.concat([slowFetch.bytes, ...quick.map((q) => q.bytes), meta.bytes]));
    await Promise.all([slowFetch.response, ...quick.map((q) => q.response), meta.response]);
    expect(c.arrivals).toEqual([slowFetch.correlationId, ...quick.map((q) => q.correlationId), meta.correlationId]);
  });

  it('round-trips produce and fetch, bytes as stored', async () => {
    const c = await client();
    await broker.topics.createTopic('rt', 1);
    const produced = (await c.send(ApiKey.Produce, 7, produceBody('rt', await batch(['a', 'b', 'c'])))) as {
      responses: { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[];
    };
    expect(produced.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    const second = (await c.send(ApiKey.Produce, 9, produceBody('rt', await batch(['d'])))) as typeof produced;
    expect(second.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 3n });
    const fetched = (await c.send(ApiKey.Fetch, 11, fetchBody('rt', 0n))) as {
      responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer }[] }[];
    };
    const p = fetched.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    expect(p.highWatermark).toBe(4n);
    expect(await values(p.records)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fetches by topic id from v13', async () => {
    const c = await client();
    const topic = (await broker.topics.createTopic('ids', 1))!;
    await c.send(ApiKey.Produce, 9, produceBody('ids', await batch(['x'])));
    const body = fetchBody('ids', 0n) as Record<string, unknown>;
    body.topics = [{ topicId: topic.topicId, partitions: [{ partition: 0, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }];
    const res = (await c.send(ApiKey.Fetch, 13, body)) as { responses: { topicId: string; partitions: { records: Buffer }[] }[] };
    expect(res.responses[0]!.topicId).toBe(topic.topicId);
    expect(await values(res.responses[0]!.partitions[0]!.records)).toEqual(['x']);
  });

  it('wakes a long-polling fetch when data is appended', async () => {
    const consumer = await client();
    const producer = await client();
    await broker.topics.createTopic('lp', 1);
    // max_wait far beyond the test timeout: only the append can answer this fetch in time.
    const waiting = consumer.send(ApiKey.Fetch, 11, fetchBody('lp', 0n, 100_000, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.server.services.fetchPurgatory.size).toBe(1);
    await producer.send(ApiKey.Produce, 7, produceBody('lp', await batch(['wake'])));
    const res = (await waiting) as { responses: { partitions: { records: Buffer }[] }[] };
    expect(await values(res.responses[0]!.partitions[0]!.records)).toEqual(['wake']);
    expect(broker.server.services.fetchPurgatory.size).toBe(0);
  }, 10_000);

  it('sends no response for acks=0 but still appends', async () => {
    const c = await client();
    await broker.topics.createTopic('a0', 1);
    const silent = c.sendNoResponse(ApiKey.Produce, 7, produceBody('a0', await batch(['fire']), 0));
    const next = c.prepare(ApiKey.ApiVersions, 2, {});
    c.writeRaw(next.bytes);
    await next.response;
    expect(c.arrivals).toEqual([next.correlationId]);
    expect(c.arrivals).not.toContain(silent);
    expect(broker.topics.partition('a0', 0).highWatermark).toBe(1n);
  });

  it('closes the connection after a failed acks=0 produce, answering what came before', async () => {
    const c = await client();
    const before = c.prepare(ApiKey.ApiVersions, 2, {});
    c.writeRaw(before.bytes);
    c.sendNoResponse(ApiKey.Produce, 7, produceBody('no-such-topic', await batch(['lost']), 0));
    expect(((await before.response) as { errorCode: number }).errorCode).toBe(0);
    await c.closed;
  });

  it('returns per-partition errors for unknown topics and corrupt batches', async () => {
    const c = await client();
    await broker.topics.createTopic('bad', 1);
    const good = await batch(['v']);
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1]! ^= 0xff;
    const res = (await c.send(ApiKey.Produce, 7, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1000,
      topicData: [
        { name: 'nope', partitionData: [{ index: 0, records: good }] },
        { name: 'bad', partitionData: [{ index: 0, records: corrupt }, { index: 5, records: good }] },
      ],
    })) as { responses: { name: string; partitionResponses: { index: number; errorCode: number }[] }[] };
    expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(res.responses[1]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(res.responses[1]!.partitionResponses[1]).toMatchObject({ index: 5, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  });

  it('answers an idempotent retry with the original offset and rejects a sequence gap', async () => {
    const c = await client();
    await broker.topics.createTopic('idem', 1);
    const init = (await c.send(ApiKey.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000 })) as {
      errorCode: number;
      producerId: bigint;
    };
    expect(init.errorCode).toBe(0);
    const pid = init.producerId;
    const b0 = await batch(['one', 'two'], { producerId: pid, baseSequence: 0 });
    type Res = { responses: { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[] };
    const first = (await c.send(ApiKey.Produce, 7, produceBody('idem', Buffer.from(b0)))) as Res;
    const retry = (await c.send(ApiKey.Produce, 7, produceBody('idem', Buffer.from(b0)))) as Res;
    expect(first.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(retry.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    const gap = (await c.send(ApiKey.Produce, 7, produceBody('idem', await batch(['x'], { producerId: pid, baseSequence: 5 })))) as Res;
    expect(gap.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(broker.topics.partition('idem', 0).highWatermark).toBe(2n);
  });

  it('auto-creates topics through Metadata when allowed', async () => {
    const c = await client();
    const res = (await c.send(ApiKey.Metadata, 12, {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'auto' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    })) as { brokers: { port: number }[]; topics: { errorCode: number; name: string; topicId: string; partitions: unknown[] }[] };
    expect(res.brokers[0]!.port).toBe(broker.port);
    expect(res.topics[0]).toMatchObject({ errorCode: 0, name: 'auto' });
    expect(res.topics[0]!.partitions).toHaveLength(1);
    expect(broker.topics.get('auto')!.topicId).toBe(res.topics[0]!.topicId);
  });
});

describe('graceful stop', () => {
  it('answers in-flight produces and parked fetches before closing', async () => {
    const c = await client();
    await broker.topics.createTopic('stop', 1);
    const fetch = c.send(ApiKey.Fetch, 11, fetchBody('stop', 0n, 100_000, 1 << 30));
    await new Promise((r) => setTimeout(r, 20));
    const produce = c.send(ApiKey.Produce, 7, produceBody('stop', await batch(['last'])));
    // Appended, but its response waits behind the parked fetch (responses go out in order).
    while (broker.topics.partition('stop', 0).highWatermark < 1n) await new Promise((r) => setTimeout(r, 5));
    const stopped = broker.server.stop();
    const [f, p] = (await Promise.all([fetch, produce])) as [
      { responses: { partitions: { errorCode: number }[] }[] },
      { responses: { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[] },
    ];
    expect(f.responses[0]!.partitions[0]!.errorCode).toBe(0);
    expect(p.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    await stopped;
    await c.closed;
  }, 10_000);
});

describe('idle connections', () => {
  it('closes a connection idle past connections.max.idle.ms, but not one with a parked fetch', async () => {
    await broker.stop();
    // The idle limit must exceed the gap between connecting and sending the Fetch even on a loaded
    // machine, and the Fetch's max_wait must exceed the idle limit by a wide margin.
    broker = await startTestBroker({ connectionsMaxIdleMs: 300, fetchMaxWaitMsCap: 120_000 });
    await broker.topics.createTopic('idle', 1);
    const idle = await client();
    await idle.closed;
    const polling = await client();
    const waiting = polling.send(ApiKey.Fetch, 11, fetchBody('idle', 0n, 1500, 1));
    await waiting; // answered after its own max_wait, longer than the idle limit
    expect(((await polling.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });

  it('on a ManualClock: closes exactly at connections.max.idle.ms after the last traffic; a parked fetch holds it open', async () => {
    await broker.stop();
    const clock = new ManualClock();
    broker = await startTestBroker({ connectionsMaxIdleMs: 300, fetchMaxWaitMsCap: 120_000 }, undefined, undefined, undefined, clock);
    await broker.topics.createTopic('idle', 1);
    const c = await client();
    let closed = false;
    void c.closed.then(() => (closed = true));
    await expect.poll(() => broker.server.connectionCount).toBe(1);
    clock.advance(299);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0); // traffic: counts again
    clock.advance(299);
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    // A Fetch parked for 1500 ms: idle time passes, but a request is in flight.
    const waiting = c.send(ApiKey.Fetch, 11, fetchBody('idle', 0n, 1500, 1));
    await expect.poll(() => broker.server.services.fetchPurgatory.size).toBe(1);
    clock.advance(1_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    clock.advance(500); // max_wait runs out: answered empty, and the response counts as traffic
    expect(((await waiting) as { responses: { partitions: { errorCode: number }[] }[] }).responses[0]!.partitions[0]!.errorCode).toBe(0);
    clock.advance(299);
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    clock.advance(1);
    await c.closed;
    await expect.poll(() => broker.server.connectionCount).toBe(0);
  });
});

describe('bad input', () => {
  it('closes the connection on an unknown API key and keeps serving others', async () => {
    const bad = await client();
    const good = await client();
    const header = Buffer.alloc(14);
    header.writeInt32BE(10, 0);
    header.writeInt16BE(9999, 4);
    header.writeInt16BE(0, 6);
    header.writeInt32BE(1, 8);
    header.writeInt16BE(-1, 12);
    bad.writeRaw(header);
    await bad.closed;
    const res = (await good.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number };
    expect(res.errorCode).toBe(0);
  });

  it('closes the connection on an oversized length prefix (2 GB)', async () => {
    const bad = await client();
    bad.writeRaw(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0]));
    await bad.closed;
    const good = await client();
    expect(((await good.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });

  it('closes the connection on garbage bytes', async () => {
    const bad = await client();
    bad.writeRaw(Buffer.from([0, 0, 0, 3, 0xde, 0xad, 0xbe]));
    await bad.closed;
    const good = await client();
    expect(((await good.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });
});
