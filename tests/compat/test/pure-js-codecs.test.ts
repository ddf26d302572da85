// Acceptance: @mq/client on @mq/records' plain-JS codecs (no native addon loaded in this process;
// the broker is a separate process on the native ones) against kcat (librdkafka 2.0): kcat reads
// byte-exact what we produce with gzip / snappy / lz4 and our plain-JS CRC-32C, the broker stores
// those batches with that codec, we read byte-exact what kcat produces with every codec (zstd
// through fzstd), and producing zstd without a registered encoder is a typed error, not a crash.
import { MqClient } from '@mq/client';
import { codecImplementations } from '@mq/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { kcat } from '../src/kcat';
import { CODEC_IDS, storedBatches } from '../src/stored-batches';
import { makeTempDir, removeDir } from '../src/temp-dir';

const COUNT = 2000;
let broker: BrokerProcess;
let dataDir: string;
let client: MqClient;

/** Keys and values that compress and that exercise long literals, matches and multi-byte UTF-8. */
const messages = Array.from({ length: COUNT }, (_, i) => ({
  key: `key-${i % 37}`,
  value: `${i} ${'value ✓ '.repeat(i % 13)}${(i * 2654435761) >>> 0}`,
}));
const expected = messages.map((m) => `${m.key}|${m.value}`);

beforeAll(async () => {
  dataDir = await makeTempDir('pure-codecs');
  broker = await BrokerProcess.start({ dataDir });
  client = new MqClient({ bootstrapServers: broker.bootstrap, clientId: 'pure-js-codecs' });
});

afterAll(async () => {
  await client?.close();
  await broker?.stop();
  await removeDir(dataDir);
});

async function kcatRead(topic: string): Promise<string[]> {
  const res = await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%s\n'], 60_000);
  return res.stdout.toString('utf8').trimEnd().split('\n');
}

async function consumeAll(topic: string, n: number): Promise<string[]> {
  const c = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  c.assign([{ topic, partition: 0 }]);
  const out: string[] = [];
  try {
    while (out.length < n) for (const r of await c.poll()) out.push(`${r.key?.toString('utf8')}|${r.value?.toString('utf8')}`);
  } finally {
    await c.close();
  }
  return out;
}

describe('@mq/client on plain-JS codecs', () => {
  it('this process runs no native codec', () => {
    expect(codecImplementations()).toEqual({ crc32c: 'pure-js', snappy: 'pure-js', lz4: 'pure-js', zstd: 'pure-js (decompress only)' });
  });

  it.each(['gzip', 'snappy', 'lz4'] as const)('kcat reads what we produce with %s; the broker stored that codec', async (compression) => {
    const topic = `pure-out-${compression}`;
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ compression, lingerMs: 5 });
    await producer.send({ topic, messages });
    expect(await kcatRead(topic)).toEqual(expected);
    const batches = await storedBatches(dataDir, topic);
    expect(new Set(batches.map((b) => b.codec))).toEqual(new Set([CODEC_IDS[compression]]));
    expect(batches.reduce((n, b) => n + b.recordsCount, 0)).toBe(COUNT);
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('we read byte-exact what kcat produces with %s', async (codec) => {
    const topic = `pure-in-${codec}`;
    const input = `${expected.join('\n')}\n`;
    await kcat(['-P', '-b', broker.bootstrap, '-t', topic, '-K', '|', '-z', codec, '-X', 'linger.ms=20', '-X', 'request.required.acks=-1'], 60_000, input);
    const batches = await storedBatches(dataDir, topic);
    expect(new Set(batches.map((b) => b.codec))).toEqual(new Set([CODEC_IDS[codec]]));
    expect(await consumeAll(topic, COUNT)).toEqual(expected);
  });

  it('producing zstd is UNSUPPORTED_COMPRESSION_TYPE (76) and the client keeps working', async () => {
    const topic = 'pure-zstd-refused';
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const err = await client
      .producer({ compression: 'zstd', lingerMs: 0 })
      .send({ topic, messages: [{ value: 'x' }] })
      .catch((e: unknown) => e);
    expect((err as { errorCode?: number }).errorCode).toBe(76);
    expect(String((err as Error).message)).toMatch(/@mq\/codecs-native/);
    await client.producer({ compression: 'lz4' }).send({ topic, messages: [{ value: 'after' }] });
    expect(await consumeAll(topic, 1)).toEqual(['undefined|after']);
  });
});
