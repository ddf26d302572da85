// Interop with two real clients' own codecs: requests encoded by kafkajs 2.2.4 and by
// @platformatic/kafka 2.12.1 decode correctly with our schemas, and responses we encode parse
// correctly with theirs — an independent check of every field layout we transcribed.
import { createRequire } from 'node:module';
import * as pk from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, Reader, Writer, messageCodec, apiSchema, type MessageKind } from '../src/index';

const require = createRequire(import.meta.url);
type KjsRequest = { encode(): Promise<{ buffer: Buffer }> };
const kjsRequest = (api: string, v: number) => require(`kafkajs/src/protocol/requests/${api}/v${v}/request`) as (args: object) => KjsRequest;
const kjsResponse = (api: string, v: number) => require(`kafkajs/src/protocol/requests/${api}/v${v}/response`) as { decode(b: Buffer): Promise<Record<string, any>> };

function decode(apiKey: number, kind: MessageKind, version: number, body: Buffer): Record<string, any> {
  const r = new Reader(body);
  const out = messageCodec(apiSchema(apiKey)!.schema, kind, version).decode(r) as Record<string, any>;
  expect(r.remaining, 'whole body consumed').toBe(0);
  return out;
}

function encode(apiKey: number, kind: MessageKind, version: number, body: object): Buffer {
  const w = new Writer();
  messageCodec(apiSchema(apiKey)!.schema, kind, version).encode(w, body);
  return w.finishBuffer();
}

type PkModule = { createRequest(...args: unknown[]): { buffer: Buffer }; parseResponse(c: number, k: number, v: number, r: unknown): Record<string, any> };
const pkApi = (name: string) => (pk as unknown as Record<string, PkModule>)[name]!;
const pkParse = (name: string, apiKey: number, v: number, body: Buffer) => pkApi(name).parseResponse(1, apiKey, v, pk.Reader.from(body));

const batch = await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1700000000000n }], baseOffset: 5n });
const TOPIC_ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url');
const TOPIC_ID_DASHED = '00112233-4455-6677-8899-aabbccddeeff';
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('kafkajs 2.2.4 requests decode with our schemas', () => {
  it.each(range(0, 6))('Metadata v%i', async (v) => {
    const { buffer } = await kjsRequest('metadata', v)({ topics: ['a', 'bc'], allowAutoTopicCreation: false }).encode();
    const req = decode(ApiKey.Metadata, 'request', v, buffer);
    expect(req.topics.map((t: { name: string }) => t.name)).toEqual(['a', 'bc']);
    if (v >= 4) expect(req.allowAutoTopicCreation).toBe(false);
  });

  it.each(range(0, 7))('Produce v%i', async (v) => {
    const topicData = [{ topic: 't', partitions: [{ partition: 2, messages: [{ key: 'k', value: 'v', timestamp: 1700000000000 }] }] }];
    const { buffer } = await kjsRequest('produce', v)({ acks: -1, timeout: 1234, topicData, transactionalId: v >= 3 ? 'tx' : undefined }).encode();
    const req = decode(ApiKey.Produce, 'request', v, buffer);
    expect(req).toMatchObject({ acks: -1, timeoutMs: 1234, topicData: [{ name: 't', partitionData: [{ index: 2 }] }] });
    expect(req.transactionalId).toBe(v >= 3 ? 'tx' : null);
    expect(req.topicData[0].partitionData[0].records.length).toBeGreaterThan(0);
  });

  it.each(range(0, 11))('Fetch v%i', async (v) => {
    const topics = [{ topic: 't', partitions: [{ partition: 1, fetchOffset: '42', maxBytes: 1000 }] }];
    const { buffer } = await kjsRequest('fetch', v)({ replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 5000, topics, isolationLevel: 1, rackId: 'r' }).encode();
    const req = decode(ApiKey.Fetch, 'request', v, buffer);
    expect(req).toMatchObject({ replicaId: -1, maxWaitMs: 500, minBytes: 1, topics: [{ topic: 't', partitions: [{ partition: 1, fetchOffset: 42n, partitionMaxBytes: 1000 }] }] });
    if (v >= 3) expect(req.maxBytes).toBe(5000);
    if (v >= 4) expect(req.isolationLevel).toBe(1);
    if (v >= 11) expect(req.rackId).toBe('r');
  });

  it.each(range(0, 3))('ListOffsets v%i', async (v) => {
    const topics = [{ topic: 't', partitions: [{ partition: 3, timestamp: -2 }] }];
    const { buffer } = await kjsRequest('listOffsets', v)({ replicaId: -1, isolationLevel: 1, topics }).encode();
    const req = decode(ApiKey.ListOffsets, 'request', v, buffer);
    expect(req.topics[0]).toMatchObject({ name: 't', partitions: [{ partitionIndex: 3, timestamp: -2n }] });
  });

  it.each(range(0, 1))('InitProducerId v%i', async (v) => {
    const { buffer } = await kjsRequest('initProducerId', v)({ transactionalId: 'tx', transactionTimeout: 6000 }).encode();
    expect(decode(ApiKey.InitProducerId, 'request', v, buffer)).toMatchObject({ transactionalId: 'tx', transactionTimeoutMs: 6000 });
  });
});

describe('our responses decode with kafkajs 2.2.4', () => {
  it.each(range(0, 6))('Metadata v%i', async (v) => {
    const body = encode(ApiKey.Metadata, 'response', v, {
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: null }],
      clusterId: 'cid',
      controllerId: 1,
      topics: [{ errorCode: 0, name: 't', partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
    });
    const res = await kjsResponse('metadata', v).decode(body);
    expect(res.brokers[0]).toMatchObject({ nodeId: 1, host: 'h', port: 9092 });
    expect(res.topicMetadata[0]).toMatchObject({ topic: 't', partitionMetadata: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1] }] });
  });

  it.each(range(0, 7))('Produce v%i', async (v) => {
    const body = encode(ApiKey.Produce, 'response', v, { responses: [{ name: 't', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 77n, logStartOffset: 3n }] }] });
    const res = await kjsResponse('produce', v).decode(body);
    expect(res.topics[0].topicName).toBe('t');
    expect(res.topics[0].partitions[0]).toMatchObject({ partition: 2, errorCode: 0, [v < 3 ? 'offset' : 'baseOffset']: '77' });
  });

  it.each(range(4, 11))('Fetch v%i with a real record batch', async (v) => {
    const body = encode(ApiKey.Fetch, 'response', v, {
      responses: [{ topic: 't', partitions: [{ partitionIndex: 1, errorCode: 0, highWatermark: 6n, lastStableOffset: 6n, abortedTransactions: [], records: [batch] }] }],
    });
    const res = await kjsResponse('fetch', v).decode(body);
    const p = res.responses[0].partitions[0];
    expect(res.responses[0].topicName).toBe('t');
    expect(p).toMatchObject({ partition: 1, errorCode: 0, highWatermark: '6' });
    expect(p.messages.map((m: { key: Buffer; value: Buffer; offset: string }) => [m.key.toString(), m.value.toString(), m.offset])).toEqual([['k', 'v', '5']]);
  });

  it.each(range(0, 3))('ListOffsets v%i', async (v) => {
    const body = encode(ApiKey.ListOffsets, 'response', v, { topics: [{ name: 't', partitions: [{ partitionIndex: 3, errorCode: 0, oldStyleOffsets: [9n], timestamp: -1n, offset: 9n }] }] });
    const res = await kjsResponse('listOffsets', v).decode(body);
    expect(res.responses[0].topic).toBe('t');
    const p = res.responses[0].partitions[0];
    expect(p.partition).toBe(3);
    expect(v === 0 ? p.offsets : p.offset).toEqual(v === 0 ? ['9'] : '9');
  });

  it.each(range(0, 2))('ApiVersions v%i', async (v) => {
    const body = encode(ApiKey.ApiVersions, 'response', v, { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }] });
    const res = await kjsResponse('apiVersions', v).decode(body);
    expect(res.apiVersions).toEqual([{ apiKey: 0, minVersion: 3, maxVersion: 9 }]);
  });
});

describe('@platformatic/kafka 2.12.1 requests decode with our schemas', () => {
  it.each(range(0, 12))('Metadata v%i', (v) => {
    const { buffer } = pkApi(`metadataV${v}`).createRequest(['a'], false, true);
    const req = decode(ApiKey.Metadata, 'request', v, buffer);
    expect(req.topics.map((t: { name: string }) => t.name)).toEqual(['a']);
    if (v >= 4) expect(req.allowAutoTopicCreation).toBe(false);
  });

  it.each(range(3, 11))('Produce v%i', (v) => {
    const { buffer } = pkApi(`produceV${v}`).createRequest(-1, 1500, [{ topic: 't', partition: 4, key: Buffer.from('k'), value: Buffer.from('v') }]);
    const req = decode(ApiKey.Produce, 'request', v, buffer);
    expect(req).toMatchObject({ acks: -1, timeoutMs: 1500, topicData: [{ name: 't', partitionData: [{ index: 4 }] }] });
  });

  it.each(range(4, 17))('Fetch v%i', (v) => {
    // before v13 platformatic carries the topic name in `topicId`
    const topics = [{ topicId: v >= 13 ? TOPIC_ID_DASHED : 't', partitions: [{ partition: 1, currentLeaderEpoch: 3, fetchOffset: 42n, lastFetchedEpoch: 2, partitionMaxBytes: 1000 }] }];
    const { buffer } = pkApi(`fetchV${v}`).createRequest(500, 1, 5000, 1, 0, -1, topics, [], 'rack');
    const req = decode(ApiKey.Fetch, 'request', v, buffer);
    expect(req).toMatchObject({ maxWaitMs: 500, minBytes: 1, maxBytes: 5000, isolationLevel: 1, topics: [{ partitions: [{ partition: 1, fetchOffset: 42n, partitionMaxBytes: 1000 }] }] });
    if (v >= 13) expect(req.topics[0].topicId).toBe(TOPIC_ID);
    else expect(req.topics[0].topic).toBe('t');
  });

  it.each(range(0, 9))('ListOffsets v%i', (v) => {
    const { buffer } = pkApi(`listOffsetsV${v}`).createRequest(-1, 1, [{ name: 't', partitions: [{ partitionIndex: 3, currentLeaderEpoch: -1, timestamp: -1n }] }]);
    const req = decode(ApiKey.ListOffsets, 'request', v, buffer);
    expect(req.topics[0]).toMatchObject({ name: 't', partitions: [{ partitionIndex: 3, timestamp: -1n }] });
  });

  it.each(range(0, 5))('InitProducerId v%i', (v) => {
    const { buffer } = pkApi(`initProducerIdV${v}`).createRequest(null, 6000, -1n, -1);
    expect(decode(ApiKey.InitProducerId, 'request', v, buffer)).toMatchObject({ transactionalId: null, transactionTimeoutMs: 6000 });
  });

  it.each(range(0, 4))('ApiVersions v%i', (v) => {
    const { buffer } = v >= 3 ? pkApi(`apiVersionsV${v}`).createRequest('pk', '2.12.1') : pkApi(`apiVersionsV${v}`).createRequest();
    const req = decode(ApiKey.ApiVersions, 'request', v, buffer);
    if (v >= 3) expect(req).toEqual({ clientSoftwareName: 'pk', clientSoftwareVersion: '2.12.1' });
  });
});

describe('our responses decode with @platformatic/kafka 2.12.1', () => {
  it.each(range(0, 12))('Metadata v%i', (v) => {
    const body = encode(ApiKey.Metadata, 'response', v, {
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: null }],
      clusterId: 'cid',
      controllerId: 1,
      topics: [{ errorCode: 0, name: 't', topicId: TOPIC_ID, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1] }] }],
    });
    const res = pkParse(`metadataV${v}`, ApiKey.Metadata, v, body);
    expect(res.brokers[0]).toMatchObject({ nodeId: 1, host: 'h', port: 9092 });
    expect(res.topics[0]).toMatchObject({ name: 't', partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] });
    if (v >= 10) expect(res.topics[0].topicId).toBe(TOPIC_ID_DASHED);
  });

  it.each(range(3, 11))('Produce v%i', (v) => {
    const body = encode(ApiKey.Produce, 'response', v, { responses: [{ name: 't', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 77n }] }], throttleTimeMs: 0 });
    const res = pkParse(`produceV${v}`, ApiKey.Produce, v, body);
    expect(res.responses[0]).toMatchObject({ name: 't', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 77n }] });
  });

  it.each(range(4, 17))('Fetch v%i with a real record batch', (v) => {
    const body = encode(ApiKey.Fetch, 'response', v, {
      responses: [{ topic: 't', topicId: TOPIC_ID, partitions: [{ partitionIndex: 1, errorCode: 0, highWatermark: 6n, lastStableOffset: 6n, records: batch }] }],
    });
    const res = pkParse(`fetchV${v}`, ApiKey.Fetch, v, body);
    const p = res.responses[0].partitions[0];
    expect(p).toMatchObject({ partitionIndex: 1, errorCode: 0, highWatermark: 6n });
    if (v >= 13) expect(res.responses[0].topicId).toBe(TOPIC_ID_DASHED);
    const records = p.records.flatMap((b: { records: { key: Buffer; value: Buffer }[] }) => b.records);
    expect(records.map((r: { key: Buffer; value: Buffer }) => [r.key.toString(), r.value.toString()])).toEqual([['k', 'v']]);
  });

  it.each(range(0, 9))('ListOffsets v%i', (v) => {
    const body = encode(ApiKey.ListOffsets, 'response', v, { topics: [{ name: 't', partitions: [{ partitionIndex: 3, errorCode: 0, oldStyleOffsets: [9n], timestamp: -1n, offset: 9n, leaderEpoch: 0 }] }] });
    const res = pkParse(`listOffsetsV${v}`, ApiKey.ListOffsets, v, body);
    expect(res.topics[0]).toMatchObject({ name: 't', partitions: [{ partitionIndex: 3, errorCode: 0 }] });
  });

  it.each(range(0, 5))('InitProducerId v%i', (v) => {
    const body = encode(ApiKey.InitProducerId, 'response', v, { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 2 });
    expect(pkParse(`initProducerIdV${v}`, ApiKey.InitProducerId, v, body)).toMatchObject({ producerId: 1000n, producerEpoch: 2 });
  });

  it.each(range(0, 4))('ApiVersions v%i', (v) => {
    const body = encode(ApiKey.ApiVersions, 'response', v, { errorCode: 0, apiKeys: [{ apiKey: 1, minVersion: 4, maxVersion: 17 }] });
    const res = pkParse(`apiVersionsV${v}`, ApiKey.ApiVersions, v, body);
    expect(res.apiKeys[0]).toMatchObject({ apiKey: 1, minVersion: 4, maxVersion: 17 });
  });
});
