// Admin and offset APIs over real sockets: CreateTopics validation errors, DeleteTopics by name and
// id, CreatePartitions, DescribeConfigs / AlterConfigs / IncrementalAlterConfigs, ListOffsets,
// DeleteRecords, and a handler exception turning into UNKNOWN_SERVER_ERROR.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { defineHandler, handlers } from '../src/index';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
let c: RawClient;

beforeEach(async () => {
  broker = await startTestBroker();
  c = await RawClient.connect(broker.port);
});

afterEach(async () => {
  c.close();
  await broker.stop();
});

type Obj = Record<string, unknown>;
const topicSpec = (name: string, numPartitions = 1, extra: Obj = {}) => ({
  name,
  numPartitions,
  replicationFactor: 1,
  assignments: [],
  configs: [],
  ...extra,
});

describe('CreateTopics', () => {
  it('creates topics and reports per-topic validation errors', async () => {
    await broker.topics.createTopic('exists', 1);
    const res = (await c.send(ApiKey.CreateTopics, 5, {
      topics: [
        topicSpec('ok', 3, { configs: [{ name: 'retention.ms', value: '1000' }] }),
        topicSpec('exists'),
        topicSpec('bad name!'),
        topicSpec('zero', 0),
        topicSpec('rf', 1, { replicationFactor: 3 }),
        topicSpec('cfg', 1, { configs: [{ name: 'retention.ms', value: 'soon' }] }),
        topicSpec('dflt', -1, { replicationFactor: -1 }),
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })) as { topics: { name: string; errorCode: number; numPartitions: number; configs: { name: string; value: string }[] | null }[] };
    const byName = new Map(res.topics.map((t) => [t.name, t]));
    expect(byName.get('ok')).toMatchObject({ errorCode: 0, numPartitions: 3 });
    expect(byName.get('ok')!.configs!.find((e) => e.name === 'retention.ms')!.value).toBe('1000');
    expect(byName.get('exists')!.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(byName.get('bad name!')!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(byName.get('zero')!.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(byName.get('rf')!.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(byName.get('cfg')!.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(byName.get('dflt')).toMatchObject({ errorCode: 0, numPartitions: 1 });
    expect(broker.topics.get('ok')!.partitions).toHaveLength(3);
  });

  it('validate_only creates nothing', async () => {
    const res = (await c.send(ApiKey.CreateTopics, 4, { topics: [topicSpec('dry', 2)], timeoutMs: 1000, validateOnly: true })) as {
      topics: { errorCode: number }[];
    };
    expect(res.topics[0]!.errorCode).toBe(0);
    expect(broker.topics.get('dry')).toBeUndefined();
  });
});

describe('DeleteTopics and CreatePartitions', () => {
  it('deletes by name (v1) and by id (v6)', async () => {
    await broker.topics.createTopic('a', 1);
    const b = (await broker.topics.createTopic('b', 1))!;
    const r1 = (await c.send(ApiKey.DeleteTopics, 1, { topicNames: ['a', 'missing'], timeoutMs: 1000 })) as {
      responses: { name: string; errorCode: number }[];
    };
    expect(r1.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['a', 0],
      ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const r6 = (await c.send(ApiKey.DeleteTopics, 6, { topics: [{ name: null, topicId: b.topicId }], timeoutMs: 1000 })) as {
      responses: { name: string; errorCode: number }[];
    };
    expect(r6.responses[0]).toMatchObject({ name: 'b', errorCode: 0 });
    expect(broker.topics.list()).toEqual([]);
  });

  it('grows partitions and rejects shrinking', async () => {
    await broker.topics.createTopic('g', 2);
    const res = (await c.send(ApiKey.CreatePartitions, 2, {
      topics: [
        { name: 'g', count: 5, assignments: null },
        { name: 'nope', count: 2, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })) as { results: { name: string; errorCode: number }[] };
    expect(res.results.map((r) => r.errorCode)).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(broker.topics.get('g')!.partitions).toHaveLength(5);
    const shrink = (await c.send(ApiKey.CreatePartitions, 0, { topics: [{ name: 'g', count: 2, assignments: null }], timeoutMs: 1000, validateOnly: false })) as {
      results: { errorCode: number }[];
    };
    expect(shrink.results[0]!.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
  });
});

describe('configs', () => {
  it('describes topic and broker configs and alters them', async () => {
    await broker.topics.createTopic('cf', 1, { 'retention.ms': '1234' });
    const d = (await c.send(ApiKey.DescribeConfigs, 4, {
      resources: [
        { resourceType: 2, resourceName: 'cf', configurationKeys: ['retention.ms', 'cleanup.policy'] },
        { resourceType: 4, resourceName: '0', configurationKeys: null },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    })) as { results: { errorCode: number; configs: { name: string; value: string; configSource: number }[] }[] };
    const topicCfg = new Map(d.results[0]!.configs.map((e) => [e.name, e]));
    expect(topicCfg.get('retention.ms')).toMatchObject({ value: '1234', configSource: 1 });
    expect(topicCfg.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5 });
    expect(topicCfg.size).toBe(2);
    expect(d.results[1]!.configs.find((e) => e.name === 'num.partitions')!.value).toBe('1');
    expect(d.results[2]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const inc = (await c.send(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [{ resourceType: 2, resourceName: 'cf', configs: [{ name: 'segment.ms', configOperation: 0, value: '60000' }, { name: 'retention.ms', configOperation: 1, value: null }] }],
      validateOnly: false,
    })) as { responses: { errorCode: number }[] };
    expect(inc.responses[0]!.errorCode).toBe(0);
    expect(broker.topics.get('cf')!.overrides).toEqual({ 'segment.ms': '60000' });

    const bad = (await c.send(ApiKey.AlterConfigs, 1, {
      resources: [{ resourceType: 2, resourceName: 'cf', configs: [{ name: 'no.such.config', value: '1' }] }],
      validateOnly: false,
    })) as { responses: { errorCode: number }[] };
    expect(bad.responses[0]!.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    const replace = (await c.send(ApiKey.AlterConfigs, 0, {
      resources: [{ resourceType: 2, resourceName: 'cf', configs: [{ name: 'retention.bytes', value: '999' }] }],
      validateOnly: false,
    })) as { responses: { errorCode: number }[] };
    expect(replace.responses[0]!.errorCode).toBe(0);
    expect(broker.topics.get('cf')!.overrides).toEqual({ 'retention.bytes': '999' });
  });
});

describe('ListOffsets and DeleteRecords', () => {
  it('answers earliest, latest, by timestamp and max timestamp; moves the log start', async () => {
    await broker.topics.createTopic('lo', 1);
    const p = broker.topics.partition('lo', 0);
    for (const ts of [100n, 300n, 200n]) {
      await p.append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v'), timestamp: ts }] }));
    }
    const q = (timestamp: bigint) => ({ replicaId: -1, isolationLevel: 0, topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }] });
    const offset = async (ts: bigint, v = 7) =>
      ((await c.send(ApiKey.ListOffsets, v, q(ts))) as { topics: { partitions: { errorCode: number; offset: bigint; timestamp: bigint }[] }[] }).topics[0]!
        .partitions[0]!;
    expect((await offset(-2n)).offset).toBe(0n);
    expect((await offset(-1n)).offset).toBe(3n);
    expect(await offset(150n)).toMatchObject({ offset: 1n, timestamp: 300n });
    expect((await offset(1000n)).offset).toBe(-1n);
    expect(await offset(-3n)).toMatchObject({ offset: 1n, timestamp: 300n });

    const del = (await c.send(ApiKey.DeleteRecords, 1, { topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, offset: 2n }, { partitionIndex: 9, offset: 0n }] }], timeoutMs: 1000 })) as {
      topics: { partitions: { lowWatermark: bigint; errorCode: number }[] }[];
    };
    expect(del.topics[0]!.partitions).toEqual([
      { partitionIndex: 0, lowWatermark: 2n, errorCode: 0 },
      { partitionIndex: 9, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
    expect((await offset(-2n)).offset).toBe(2n);
  });
});

describe('DescribeCluster', () => {
  it('lists this broker as the cluster and its controller', async () => {
    const res = (await c.send(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 })) as {
      errorCode: number;
      controllerId: number;
      brokers: { brokerId: number; port: number }[];
    };
    expect(res.errorCode).toBe(0);
    expect(res.controllerId).toBe(0);
    expect(res.brokers).toMatchObject([{ brokerId: 0, port: broker.port }]);
    const ctl = (await c.send(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 })) as { errorCode: number };
    expect(ctl.errorCode).toBe(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
  });
});

describe('handler failures', () => {
  it('turns a thrown exception into UNKNOWN_SERVER_ERROR and keeps the connection', async () => {
    await broker.stop();
    const exploding = defineHandler<Obj, Obj>({
      apiKey: ApiKey.InitProducerId,
      minVersion: 0,
      maxVersion: 4,
      async handle() {
        throw new Error('boom');
      },
      errorResponse(_req, errorCode) {
        return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
      },
    });
    broker = await startTestBroker({}, undefined, [...handlers.filter((h) => h.apiKey !== ApiKey.InitProducerId), exploding]);
    c = await RawClient.connect(broker.port);
    const res = (await c.send(ApiKey.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 1000 })) as { errorCode: number };
    expect(res.errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });
});
