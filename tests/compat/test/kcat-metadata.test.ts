// Acceptance: `kcat -L` (librdkafka 2.0.2) lists our broker, its topics and their partitions.
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcat, kcatMetadata } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

describe('kcat -L', () => {
  let broker: Broker;
  let dataDir: string;
  let bootstrap: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('metadata');
    broker = await startBroker({ dataDir, config: { numPartitions: 3 } });
    bootstrap = `${broker.host}:${broker.port}`;
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('lists the broker itself with its advertised host:port', async () => {
    const md = await kcatMetadata(bootstrap);
    expect(md.brokers).toHaveLength(1);
    expect(md.brokers[0]!.name).toBe(bootstrap);
  });

  it('lists auto-created topics with every partition led by the broker', async () => {
    // Producing auto-creates the topic through Metadata (num.partitions = 3).
    for (const topic of ['meta-alpha', 'meta-beta']) {
      await kcat(['-P', '-b', bootstrap, '-t', topic], 60_000, 'hello\nworld\n');
    }
    const md = await kcatMetadata(bootstrap);
    const brokerId = md.brokers[0]!.id;
    for (const name of ['meta-alpha', 'meta-beta']) {
      const topic = md.topics.find((t) => t.topic === name);
      expect(topic, `${name} in kcat -L`).toBeDefined();
      expect(topic!.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
      for (const p of topic!.partitions) {
        expect(p.leader).toBe(brokerId);
        expect(p.err).toBeUndefined();
      }
    }
  });

  it('answers a metadata query for one topic with just that topic', async () => {
    const md = await kcatMetadata(bootstrap, 'meta-alpha');
    expect(md.topics.map((t) => t.topic)).toEqual(['meta-alpha']);
    expect(md.topics[0]!.partitions).toHaveLength(3);
  });
});
