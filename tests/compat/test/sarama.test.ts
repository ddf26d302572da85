// Sarama 1.22 (Go; Debian's golang-github-shopify-sarama-dev) against a real broker: the README's
// "set config.Version to V0_11_0_0 or later" claim, run. With Sarama's own default Version (0.8.2)
// it sends message sets v0/v1, which mq refuses — as Kafka 4.0 does — with
// UNSUPPORTED_FOR_MESSAGE_FORMAT, storing nothing; from 0.11 on it produces (headers, every codec
// from 2.1) and a Sarama consumer group reads everything once and resumes from its commits.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSaramaClient, runSarama, type SaramaConsumed, type SaramaProduced } from '../src/sarama';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

describe('Sarama 1.22 (Go)', () => {
  let broker: Broker;
  let dir: string;
  let bin: string;
  let admin: Admin;
  let bootstrap: string;

  beforeAll(async () => {
    dir = await makeTempDir('sarama');
    bin = await buildSaramaClient(dir);
    broker = await startBroker({});
    bootstrap = `127.0.0.1:${broker.port}`;
    admin = new Kafka({ clientId: 'sarama-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: ['sarama-default', 'sarama-v011', 'sarama-codecs'].map((topic) => ({ topic, numPartitions: 1 })) });
  }, 360_000);
  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
    await removeDir(dir);
  });

  const produce = (topic: string, version: string, n: number, codec = 'none') =>
    runSarama<SaramaProduced>(bin, ['produce', '-brokers', bootstrap, '-version', version, '-topic', topic, '-n', String(n), '-codec', codec]);
  const consumeGroup = (topic: string, version: string, group: string, n: number) =>
    runSarama<SaramaConsumed>(bin, ['consume-group', '-brokers', bootstrap, '-version', version, '-topic', topic, '-group', group, '-n', String(n)]);
  const highWatermark = async (topic: string) => Number((await admin.fetchTopicOffsets(topic))[0]!.high);

  it("with Sarama's default Version the produce is refused with Kafka's message-format error and nothing is stored", async () => {
    const r = await produce('sarama-default', 'default', 3);
    expect(r.offsets).toEqual([]);
    expect(r.error).toBe('kafka server: The requested operation is not supported by the message format version.');
    expect(await highWatermark('sarama-default')).toBe(0);
  });

  it('with Version 0.11.0.0 a consumer group reads every record once, with its headers, and resumes from its commits', async () => {
    const first = await produce('sarama-v011', '0.11.0.0', 20);
    expect(first.error).toBeUndefined();
    expect(first.offsets).toEqual([...Array(20).keys()]);

    const read = await consumeGroup('sarama-v011', '0.11.0.0', 'sarama-group', 20);
    expect(read.error).toBeUndefined();
    expect(read.offsets).toEqual([...Array(20).keys()]);
    expect(read.values).toEqual([...Array(20).keys()].map((i) => `v${i}`));
    expect(read.headers.v7).toBe('h=7');
    const committed = await admin.fetchOffsets({ groupId: 'sarama-group', topics: ['sarama-v011'] });
    expect(committed[0]!.partitions[0]!.offset).toBe('20');

    const more = await produce('sarama-v011', '0.11.0.0', 2);
    expect(more.offsets).toEqual([20, 21]);
    const resumed = await consumeGroup('sarama-v011', '0.11.0.0', 'sarama-group', 2);
    expect(resumed.error).toBeUndefined();
    expect(resumed.offsets).toEqual([20, 21]);
  });

  it('with Version 2.1.0 every codec Sarama has (gzip, snappy, lz4, zstd) is stored and read back', async () => {
    const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
    for (const codec of codecs) {
      const r = await produce('sarama-codecs', '2.1.0', 3, codec);
      expect(r.error, codec).toBeUndefined();
      expect(r.offsets, codec).toHaveLength(3);
    }
    expect(await highWatermark('sarama-codecs')).toBe(codecs.length * 3);
    const read = await consumeGroup('sarama-codecs', '2.1.0', 'sarama-codecs-group', codecs.length * 3);
    expect(read.error).toBeUndefined();
    expect(read.offsets).toEqual([...Array(codecs.length * 3).keys()]);
    expect(read.values).toEqual(codecs.flatMap(() => ['v0', 'v1', 'v2']));
  });
});
