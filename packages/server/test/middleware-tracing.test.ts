// The request pipeline's seams over real sockets: middleware around every handler (an observer that
// sees dispatch order and responses, an authorizer that refuses without reaching the handler), and
// the diagnostics_channel tracing channels mq:request, mq:append, mq:fetch and mq:group with the
// connection's Session (principal, client id, client software from ApiVersions v3, listener).
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { Compression, buildRecordBatch } from '@mq/records';
import { ApiKey, ErrorCode, kafkaErrorCode } from '@mq/protocol';
import {
  APPEND_CHANNEL,
  Completion,
  FETCH_CHANNEL,
  GROUP_CHANNEL,
  NO_RESPONSE,
  REQUEST_CHANNEL,
  type AppendTrace,
  type FetchTrace,
  type GroupTrace,
  type RequestMiddleware,
  type RequestTrace,
} from '../src/index';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker | undefined;
let c: RawClient | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const f of cleanups.splice(0)) f();
  c?.close();
  await broker?.stop();
  broker = undefined;
  c = undefined;
});

type Obj = Record<string, unknown>;
type ProduceAnswer = { responses: { partitionResponses: { index: number; errorCode: number; baseOffset: bigint }[] }[] };

const produceBody = (topic: string, partitions: { index: number; records: Buffer }[]) => ({
  transactionalId: null,
  acks: -1,
  timeoutMs: 5000,
  topicData: [{ name: topic, partitionData: partitions }],
});

const fetchBody = (topic: string, fetchOffset: bigint, maxWaitMs: number) => ({
  replicaId: -1,
  maxWaitMs,
  minBytes: 1,
  maxBytes: 1 << 20,
  isolationLevel: 0,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [{ topic, partitions: [{ partition: 0, fetchOffset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
  forgottenTopicsData: [],
  rackId: '',
});

/** Subscribes to every event of a tracing channel; the subscription ends with the test. */
function record<T extends object>(name: string): { event: string; ctx: T }[] {
  const events: { event: string; ctx: T }[] = [];
  const handlers = {
    start: (ctx: unknown) => events.push({ event: 'start', ctx: ctx as T }),
    end: (ctx: unknown) => events.push({ event: 'end', ctx: ctx as T }),
    asyncStart: (ctx: unknown) => events.push({ event: 'asyncStart', ctx: ctx as T }),
    asyncEnd: (ctx: unknown) => events.push({ event: 'asyncEnd', ctx: ctx as T }),
    error: (ctx: unknown) => events.push({ event: 'error', ctx: ctx as T }),
  };
  const channel = tracingChannel(name);
  channel.subscribe(handlers);
  cleanups.push(() => channel.unsubscribe(handlers));
  return events;
}

describe('middleware', () => {
  it('runs around every handler in order: observes dispatch order and responses, and refuses without reaching the handler', async () => {
    const dispatched: number[] = [];
    const answered: { correlationId: number; response: unknown }[] = [];
    const observer: RequestMiddleware = (call, next) => {
      dispatched.push(call.ctx.correlationId);
      return next().map(async (response) => {
        answered.push({ correlationId: call.ctx.correlationId, response: await response });
        return response;
      });
    };
    // An authorizer: CreateTopics is refused for everyone, with the handler's own error response.
    const authorizer: RequestMiddleware = (call, next) =>
      call.ctx.apiKey === ApiKey.CreateTopics && call.ctx.session.principal === 'User:ANONYMOUS'
        ? Completion.now(call.errorResponse(ErrorCode.TOPIC_AUTHORIZATION_FAILED))
        : next();
    broker = await startTestBroker({}, undefined, undefined, [observer, authorizer]);
    c = await RawClient.connect(broker.port);
    await broker.topics.createTopic('mw', 1);

    const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });
    const create = c.prepare(ApiKey.CreateTopics, 5, {
      topics: [{ name: 'refused', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    const produces = [0, 1, 2].map(() => c!.prepare(ApiKey.Produce, 9, produceBody('mw', [{ index: 0, records }])));
    c.writeRaw(Buffer.concat([create.bytes, ...produces.map((p) => p.bytes)]));

    const created = (await create.response) as { topics: { name: string; errorCode: number }[] };
    expect(created.topics).toEqual([expect.objectContaining({ name: 'refused', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })]);
    expect(broker.topics.get('refused')).toBeUndefined();
    const offsets = ((await Promise.all(produces.map((p) => p.response))) as ProduceAnswer[]).map((a) => a.responses[0]!.partitionResponses[0]!.baseOffset);
    expect(offsets).toEqual([0n, 1n, 2n]);

    // The observer (outermost) saw all four in request order, the refusal included, and their responses.
    const ids = [create.correlationId, ...produces.map((p) => p.correlationId)];
    expect(dispatched).toEqual(ids);
    expect(answered.map((a) => a.correlationId).sort((a, b) => a - b)).toEqual(ids);
    const refusal = answered.find((a) => a.correlationId === create.correlationId)!.response as { topics: { errorCode: number }[] };
    expect(refusal.topics[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  });
});

describe('tracing channels', () => {
  it('mq:request carries the session (principal, client id, client software from ApiVersions v3, listener) and the response', async () => {
    broker = await startTestBroker();
    const requests = record<RequestTrace>(REQUEST_CHANNEL);
    c = await RawClient.connect(broker.port);
    await c.send(ApiKey.ApiVersions, 3, { clientSoftwareName: 'mq-trace-test', clientSoftwareVersion: '1.2.3' });
    const metadata = c.prepare(ApiKey.Metadata, 9, { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    c.writeRaw(metadata.bytes);
    await metadata.response;

    const mine = requests.filter((e) => e.ctx.correlationId === metadata.correlationId);
    expect(mine.map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const trace = mine[0]!.ctx;
    expect(trace).toMatchObject({ apiKey: ApiKey.Metadata, apiVersion: 9, correlationId: metadata.correlationId, request: { topics: [] } });
    expect(trace.session).toMatchObject({
      principal: 'User:ANONYMOUS',
      clientId: 'raw-client',
      clientSoftwareName: 'mq-trace-test',
      clientSoftwareVersion: '1.2.3',
      listenerName: 'PLAINTEXT',
      remoteAddress: '127.0.0.1',
      remotePort: c.socket.localPort,
    });
    expect(trace.session.connectionId).toBeGreaterThan(0);
    expect((trace.result as { brokers: { nodeId: number }[] }).brokers).toEqual([expect.objectContaining({ nodeId: broker.server.services.nodeId })]);
    // The ApiVersions request itself was traced too, on the same connection.
    const apiVersions = requests.find((e) => e.event === 'asyncEnd' && e.ctx.apiKey === ApiKey.ApiVersions)!.ctx;
    expect(apiVersions.session.connectionId).toBe(trace.session.connectionId);
  });

  it('mq:request reports a produce with acks=0 as NO_RESPONSE', async () => {
    broker = await startTestBroker();
    await broker.topics.createTopic('quiet', 1);
    const requests = record<RequestTrace>(REQUEST_CHANNEL);
    c = await RawClient.connect(broker.port);
    const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('q') }] });
    const id = c.sendNoResponse(ApiKey.Produce, 9, { ...produceBody('quiet', [{ index: 0, records }]), acks: 0 });
    await expect.poll(() => requests.find((e) => e.event === 'asyncEnd' && e.ctx.correlationId === id)).toBeDefined();
    expect(requests.find((e) => e.event === 'asyncEnd' && e.ctx.correlationId === id)!.ctx.result).toBe(NO_RESPONSE);
  });

  it('mq:append traces each partition append with its offsets, and a refused batch as an error', async () => {
    broker = await startTestBroker();
    await broker.topics.createTopic('traced', 2);
    const appends = record<AppendTrace>(APPEND_CHANNEL);
    c = await RawClient.connect(broker.port);
    const plain = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }] });
    const zstd = await buildRecordBatch({ compression: Compression.zstd, records: [{ key: null, value: Buffer.from('c') }] });
    await c.send(ApiKey.Produce, 9, produceBody('traced', [{ index: 0, records: plain }, { index: 1, records: zstd }]));

    const done = appends.filter((e) => e.event === 'asyncEnd').map((e) => e.ctx);
    expect(done).toHaveLength(2);
    expect(done.find((t) => t.partition === 0)).toMatchObject({ topic: 'traced', bytes: plain.length, result: { baseOffset: 0n, lastOffset: 1n } });
    expect(done.find((t) => t.partition === 1)).toMatchObject({ topic: 'traced', bytes: zstd.length, result: { baseOffset: 0n, lastOffset: 0n } });
    expect(done[0]!.session.principal).toBe('User:ANONYMOUS');

    const corrupt = Buffer.from(plain);
    corrupt[corrupt.length - 1]! ^= 0xff; // the CRC no longer matches
    const res = (await c.send(ApiKey.Produce, 9, produceBody('traced', [{ index: 0, records: corrupt }]))) as ProduceAnswer;
    expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const failed = appends.filter((e) => e.event === 'error');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.ctx).toMatchObject({ topic: 'traced', partition: 0, bytes: corrupt.length });
    expect(kafkaErrorCode(failed[0]!.ctx.error)).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('mq:fetch spans a long poll from dispatch to the response the append woke', async () => {
    broker = await startTestBroker();
    await broker.topics.createTopic('polled', 1);
    const fetches = record<FetchTrace>(FETCH_CHANNEL);
    c = await RawClient.connect(broker.port);
    const poll = c.send(ApiKey.Fetch, 11, fetchBody('polled', 0n, 10_000));
    await expect.poll(() => fetches.some((e) => e.event === 'end')).toBe(true);
    expect(fetches.some((e) => e.event === 'asyncEnd')).toBe(false); // parked, not answered

    const producer = await RawClient.connect(broker.port);
    const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('wake') }] });
    await producer.send(ApiKey.Produce, 9, produceBody('polled', [{ index: 0, records }]));
    producer.close();
    await poll;
    const done = fetches.filter((e) => e.event === 'asyncEnd');
    expect(done).toHaveLength(1);
    expect(done[0]!.ctx.request).toMatchObject({ maxWaitMs: 10_000, topics: [{ topic: 'polled' }] });
    const result = done[0]!.ctx.result as { responses: { partitions: { highWatermark: bigint; records: Buffer }[] }[] };
    expect(result.responses[0]!.partitions[0]!.highWatermark).toBe(1n);
    expect(result.responses[0]!.partitions[0]!.records.length).toBe(records.length);
  });

  it('mq:group traces the group APIs with their group and member ids, and nothing else', async () => {
    broker = await startTestBroker();
    const groups = record<GroupTrace>(GROUP_CHANNEL);
    c = await RawClient.connect(broker.port);
    await c.send(ApiKey.Metadata, 9, { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    // This test broker runs no group coordinator: the answer is COORDINATOR_NOT_AVAILABLE, traced all the same.
    const res = (await c.send(ApiKey.Heartbeat, 4, { groupId: 'billing', generationId: 3, memberId: 'member-1', groupInstanceId: null })) as Obj;
    expect(res.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(groups.map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(groups[0]!.ctx).toMatchObject({ apiKey: ApiKey.Heartbeat, groupId: 'billing', memberId: 'member-1', request: { generationId: 3 } });
    expect((groups[3]!.ctx.result as Obj).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
