// Topic configs over real sockets: CreateTopics and IncrementalAlterConfigs take every topic config
// Kafka knows, DescribeConfigs reports their types, sources and (when asked) synonyms, and the
// broker resource lists each topic default under its Kafka broker property name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
let c: RawClient;

beforeEach(async () => {
  broker = await startTestBroker({ topicDefaults: { 'flush.messages': '1', 'min.compaction.lag.ms': '1000' } });
  c = await RawClient.connect(broker.port);
});

afterEach(async () => {
  c.close();
  await broker.stop();
});

/** Configs CreateTopics refused before every Kafka topic config was accepted. */
const ONCE_REFUSED: Record<string, string> = {
  'min.cleanable.dirty.ratio': '0.2',
  'delete.retention.ms': '60000',
  'min.compaction.lag.ms': '5000',
  'max.compaction.lag.ms': '600000',
  'unclean.leader.election.enable': 'true',
  'message.timestamp.difference.max.ms': '3600000',
  'compression.type': 'lz4',
  'segment.jitter.ms': '1000',
  'segment.index.bytes': '1048576',
  'index.interval.bytes': '1024',
  'file.delete.delay.ms': '1000',
  preallocate: 'true',
};

interface DescribedConfig {
  name: string;
  value: string;
  configSource: number;
  configType: number;
  synonyms: { name: string; value: string; source: number }[];
}

async function describeTopic(name: string, keys: string[] | null, includeSynonyms: boolean): Promise<Map<string, DescribedConfig>> {
  const d = (await c.send(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: 2, resourceName: name, configurationKeys: keys }],
    includeSynonyms,
    includeDocumentation: false,
  })) as { results: { errorCode: number; configs: DescribedConfig[] }[] };
  expect(d.results[0]!.errorCode).toBe(ErrorCode.NONE);
  return new Map(d.results[0]!.configs.map((e) => [e.name, e]));
}

describe('topic configs on the wire', () => {
  it('CreateTopics accepts the configs it used to refuse and DescribeConfigs reports them with synonyms', async () => {
    const res = (await c.send(ApiKey.CreateTopics, 5, {
      topics: [
        {
          name: 'cfg',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: Object.entries(ONCE_REFUSED).map(([name, value]) => ({ name, value })),
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })) as { topics: { errorCode: number; errorMessage: string | null }[] };
    expect(res.topics[0]).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(broker.topics.get('cfg')!.config).toMatchObject({ minCleanableDirtyRatio: 0.2, deleteRetentionMs: 60_000, maxCompactionLagMs: 600_000 });

    const described = await describeTopic('cfg', null, true);
    for (const [name, value] of Object.entries(ONCE_REFUSED)) expect(described.get(name), name).toMatchObject({ value, configSource: 1 });
    expect(described.get('min.cleanable.dirty.ratio')).toMatchObject({
      configType: 6,
      synonyms: [
        { name: 'min.cleanable.dirty.ratio', value: '0.2', source: 1 },
        { name: 'log.cleaner.min.cleanable.ratio', value: '0.5', source: 5 },
      ],
    });
    expect(described.get('unclean.leader.election.enable')!.configType).toBe(1);
    // Neither overridden nor set on the broker: DEFAULT_CONFIG, named by the broker property.
    const lag = (await describeTopic('cfg', ['max.message.bytes'], true)).get('max.message.bytes')!;
    expect(lag).toMatchObject({ configSource: 5, synonyms: [{ name: 'message.max.bytes', value: '1048588', source: 5 }] });
    // Without include_synonyms the list stays empty (Kafka's behaviour).
    expect((await describeTopic('cfg', ['delete.retention.ms'], false)).get('delete.retention.ms')!.synonyms).toEqual([]);
  });

  it('a broker default shows as STATIC_BROKER_CONFIG with its log.* synonym', async () => {
    await broker.topics.createTopic('dflt', 1);
    const e = (await describeTopic('dflt', ['min.compaction.lag.ms'], true)).get('min.compaction.lag.ms')!;
    expect(e).toMatchObject({
      value: '1000',
      configSource: 4,
      synonyms: [
        { name: 'log.cleaner.min.compaction.lag.ms', value: '1000', source: 4 },
        { name: 'log.cleaner.min.compaction.lag.ms', value: '0', source: 5 },
      ],
    });
  });

  it('IncrementalAlterConfigs sets them, refuses conflicting lags and bad values with INVALID_CONFIG', async () => {
    await broker.topics.createTopic('inc', 1);
    const alter = async (configs: { name: string; configOperation: number; value: string | null }[]) =>
      ((await c.send(ApiKey.IncrementalAlterConfigs, 1, {
        resources: [{ resourceType: 2, resourceName: 'inc', configs }],
        validateOnly: false,
      })) as { responses: { errorCode: number; errorMessage: string | null }[] }).responses[0]!;
    const set = Object.entries(ONCE_REFUSED).map(([name, value]) => ({ name, configOperation: 0, value }));
    expect(await alter(set)).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(broker.topics.get('inc')!.overrides).toEqual(ONCE_REFUSED);

    const conflict = await alter([{ name: 'max.compaction.lag.ms', configOperation: 0, value: '10' }]);
    expect(conflict.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(conflict.errorMessage).toMatch(/min.compaction.lag.ms/);
    const ratio = await alter([{ name: 'min.cleanable.dirty.ratio', configOperation: 0, value: '2' }]);
    expect(ratio.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    const tiered = await alter([{ name: 'remote.storage.enable', configOperation: 0, value: 'true' }]);
    expect(tiered.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    // APPEND works on every list config, not only cleanup.policy.
    const appended = await alter([{ name: 'leader.replication.throttled.replicas', configOperation: 2, value: '0:0' }]);
    expect(appended.errorCode).toBe(ErrorCode.NONE);
    expect(broker.topics.get('inc')!.overrides['leader.replication.throttled.replicas']).toBe('0:0');
    expect(broker.topics.get('inc')!.overrides['max.compaction.lag.ms']).toBe('600000');
  });

  it('the broker resource lists every topic default under its broker property name', async () => {
    const d = (await c.send(ApiKey.DescribeConfigs, 4, {
      resources: [{ resourceType: 4, resourceName: '0', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    })) as { results: { configs: { name: string; value: string; configSource: number; readOnly: boolean }[] }[] };
    const by = new Map(d.results[0]!.configs.map((e) => [e.name, e]));
    for (const name of ['log.cleaner.min.cleanable.ratio', 'log.cleaner.delete.retention.ms', 'log.cleaner.max.compaction.lag.ms', 'log.roll.jitter.ms', 'unclean.leader.election.enable']) {
      expect(by.get(name), name).toMatchObject({ readOnly: true, configSource: 5 });
    }
    expect(by.get('log.cleaner.min.compaction.lag.ms')).toMatchObject({ value: '1000', configSource: 4 });
  });
});

describe('the log cleaner in a running broker', () => {
  it('compacts on log.cleaner.backoff.ms, independent of the 5-minute retention check', async () => {
    const fast = await startTestBroker({ logCleanerBackoffMs: 20, retentionCheckIntervalMs: 3_600_000 });
    try {
      await fast.topics.createTopic('cleaned', 1, { 'cleanup.policy': 'compact', 'segment.bytes': '200' });
      const p = fast.topics.partition('cleaned', 0);
      for (let i = 0; i < 8; i++) {
        await p.append(await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from(`v${i}-${'x'.repeat(60)}`) }] }));
      }
      // Records a consumer reading the whole partition would get (a read stops at a segment's end).
      const count = async () => {
        let n = 0;
        let offset = p.logStartOffset;
        while (offset < p.highWatermark) {
          const { batches } = splitBatches(await p.read(offset, 1 << 20));
          if (batches.length === 0) break;
          for (const { batch } of batches) {
            const { header, records } = await decodeRecordBatch(batch);
            n += records.filter((r) => r.offset >= offset).length;
            offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
          }
        }
        return n;
      };
      await expect.poll(count, { timeout: 10_000, interval: 20 }).toBeLessThan(8);
    } finally {
      await fast.stop();
    }
  });
});
