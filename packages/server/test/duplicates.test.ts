// Requests naming the same thing twice, over real TCP: as Kafka, every such entry is
// INVALID_REQUEST and nothing is applied for it, while the other entries are served normally.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
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

async function produce(topic: string, partition: number, n: number): Promise<void> {
  const records = await buildRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })) });
  const res = (await c.send(ApiKey.Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  })) as { responses: { partitionResponses: { errorCode: number }[] }[] };
  expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
}

type Partitions = { partitionIndex: number; errorCode: number; offset?: bigint; lowWatermark?: bigint }[];

describe('ListOffsets', () => {
  it('answers INVALID_REQUEST for a partition named twice, in one topic entry or in two (v1, v5, v9)', async () => {
    await broker.topics.createTopic('lo', 3);
    await produce('lo', 0, 5);
    for (const v of [1, 5, 9]) {
      const p = (partitionIndex: number, timestamp: bigint) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 });
      const res = (await c.send(ApiKey.ListOffsets, v, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [
          { name: 'lo', partitions: [p(0, -1n), p(0, -2n), p(1, -1n)] },
          { name: 'lo', partitions: [p(2, -1n), p(1, -2n)] },
        ],
        timeoutMs: 1000,
      })) as { topics: { name: string; partitions: Partitions }[] };
      const flat = res.topics.flatMap((t) => t.partitions.map((e) => [e.partitionIndex, e.errorCode]));
      expect(flat, `v${v}`).toEqual([
        [0, ErrorCode.INVALID_REQUEST],
        [0, ErrorCode.INVALID_REQUEST],
        [1, ErrorCode.INVALID_REQUEST],
        [2, ErrorCode.NONE],
        [1, ErrorCode.INVALID_REQUEST],
      ]);
      expect(res.topics[0]!.partitions[0]!.offset).toBe(-1n);
    }
    // The same partition once is still answered.
    const single = (await c.send(ApiKey.ListOffsets, 5, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
    })) as { topics: { partitions: Partitions }[] };
    expect(single.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 5n });
  });
});

describe('DeleteRecords', () => {
  it('deletes nothing for a partition named twice and answers INVALID_REQUEST (stricter than Kafka)', async () => {
    await broker.topics.createTopic('dr', 2);
    await produce('dr', 0, 10);
    await produce('dr', 1, 10);
    const res = (await c.send(ApiKey.DeleteRecords, 2, {
      topics: [
        { name: 'dr', partitions: [{ partitionIndex: 0, offset: 3n }, { partitionIndex: 1, offset: 4n }] },
        { name: 'dr', partitions: [{ partitionIndex: 0, offset: 8n }] },
      ],
      timeoutMs: 1000,
    })) as { topics: { partitions: Partitions }[] };
    expect(res.topics.flatMap((t) => t.partitions.map((e) => [e.partitionIndex, e.errorCode]))).toEqual([
      [0, ErrorCode.INVALID_REQUEST],
      [1, ErrorCode.NONE],
      [0, ErrorCode.INVALID_REQUEST],
    ]);
    expect(broker.topics.get('dr')!.partitions[0]!.logStartOffset).toBe(0n);
    expect(broker.topics.get('dr')!.partitions[1]!.logStartOffset).toBe(4n);
  });
});

describe('CreateTopics, CreatePartitions, DeleteTopics', () => {
  const spec = (name: string) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] });

  it('CreateTopics: a name given twice creates neither', async () => {
    const res = (await c.send(ApiKey.CreateTopics, 5, { topics: [spec('twice'), spec('once'), spec('twice')], timeoutMs: 1000, validateOnly: false })) as {
      topics: { name: string; errorCode: number }[];
    };
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['twice', ErrorCode.INVALID_REQUEST],
      ['once', ErrorCode.NONE],
      ['twice', ErrorCode.INVALID_REQUEST],
    ]);
    expect(broker.topics.get('twice')).toBeUndefined();
  });

  it('CreatePartitions: a topic given twice grows neither', async () => {
    await broker.topics.createTopic('cp', 1);
    const res = (await c.send(ApiKey.CreatePartitions, 3, {
      topics: [
        { name: 'cp', count: 2, assignments: null },
        { name: 'cp', count: 3, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })) as { results: { errorCode: number }[] };
    expect(res.results.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    expect(broker.topics.get('cp')!.partitions).toHaveLength(1);
  });

  it('DeleteTopics: a topic named twice — by name, by id, or once each — is not deleted', async () => {
    await broker.topics.createTopic('n2', 1);
    const byId = (await broker.topics.createTopic('i2', 1))!;
    const mixed = (await broker.topics.createTopic('mx', 1))!;
    await broker.topics.createTopic('keep-going', 1);
    const r1 = (await c.send(ApiKey.DeleteTopics, 4, { topicNames: ['n2', 'keep-going', 'n2'], timeoutMs: 1000 })) as {
      responses: { name: string; errorCode: number }[];
    };
    expect(r1.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['n2', ErrorCode.INVALID_REQUEST],
      ['keep-going', ErrorCode.NONE],
      ['n2', ErrorCode.INVALID_REQUEST],
    ]);
    const r6 = (await c.send(ApiKey.DeleteTopics, 6, {
      topics: [
        { name: null, topicId: byId.topicId },
        { name: null, topicId: byId.topicId },
        { name: 'mx', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { name: null, topicId: mixed.topicId },
      ],
      timeoutMs: 1000,
    })) as { responses: { errorCode: number }[] };
    expect(r6.responses.map((r) => r.errorCode)).toEqual(Array(4).fill(ErrorCode.INVALID_REQUEST));
    expect(broker.topics.list().map((t) => t.name).sort()).toEqual(['i2', 'mx', 'n2']);
  });
});

describe('AlterConfigs and IncrementalAlterConfigs', () => {
  it('a resource named twice is INVALID_REQUEST in both entries and applies neither', async () => {
    await broker.topics.createTopic('ac', 1);
    await broker.topics.createTopic('other', 1);
    const legacy = (await c.send(ApiKey.AlterConfigs, 1, {
      resources: [
        { resourceType: 2, resourceName: 'ac', configs: [{ name: 'retention.ms', value: '1000' }] },
        { resourceType: 2, resourceName: 'other', configs: [{ name: 'retention.ms', value: '2000' }] },
        { resourceType: 2, resourceName: 'ac', configs: [{ name: 'retention.ms', value: '3000' }] },
      ],
      validateOnly: false,
    })) as { responses: { resourceName: string; errorCode: number; errorMessage: string | null }[] };
    expect(legacy.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['ac', ErrorCode.INVALID_REQUEST],
      ['other', ErrorCode.NONE],
      ['ac', ErrorCode.INVALID_REQUEST],
    ]);
    expect(legacy.responses[0]!.errorMessage).toBe('Each resource must appear at most once.');
    expect(broker.topics.get('ac')!.overrides).toEqual({});

    const inc = (await c.send(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        { resourceType: 2, resourceName: 'ac', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] },
        { resourceType: 2, resourceName: 'ac', configs: [{ name: 'segment.ms', configOperation: 0, value: '60000' }] },
      ],
      validateOnly: false,
    })) as { responses: { errorCode: number }[] };
    expect(inc.responses.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    expect(broker.topics.get('ac')!.overrides).toEqual({});
  });

  it('AlterConfigs: a config key named twice in one resource is INVALID_REQUEST, as Kafka', async () => {
    await broker.topics.createTopic('keys', 1);
    const res = (await c.send(ApiKey.AlterConfigs, 2, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'keys',
          configs: [
            { name: 'retention.ms', value: '1000' },
            { name: 'retention.ms', value: '2000' },
          ],
        },
      ],
      validateOnly: false,
    })) as { responses: { errorCode: number; errorMessage: string | null }[] };
    expect(res.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' });
    expect(broker.topics.get('keys')!.overrides).toEqual({});
  });
});
