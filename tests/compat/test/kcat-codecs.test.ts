// Acceptance: kcat -P 100,000 keyed messages into a 4-partition topic once per codec, kcat -C -e
// reads back exactly those messages in order per partition, and the segments hold the batches
// with the codec the producer used (stored as they arrived, not re-encoded).
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatConsumeAll, kcatProduceFile } from '../src/kcat';
import { parseConsumed, verifyKeyedRecords, writeKeyedInput } from '../src/keyed-messages';
import { CODEC_IDS, storedBatches } from '../src/stored-batches';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const COUNT = 100_000;
const PARTITIONS = 4;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

describe('kcat produce/consume 100,000 keyed messages per codec', () => {
  let broker: Broker;
  let dataDir: string;
  let workDir: string;
  let input: string;
  let bootstrap: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('codecs-data');
    workDir = await makeTempDir('codecs-work');
    input = await writeKeyedInput(join(workDir, 'input.txt'), COUNT);
    broker = await startBroker({ dataDir, config: { numPartitions: PARTITIONS } });
    bootstrap = `${broker.host}:${broker.port}`;
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it.each(CODECS)('codec %s', async (codec) => {
    const topic = `codec-${codec}`;
    await kcatProduceFile(bootstrap, topic, input, { codec, keyDelimiter: ':' });

    const records = parseConsumed(await kcatConsumeAll(bootstrap, topic, '%p %o %k %s\\n'));
    const report = verifyKeyedRecords(records, COUNT);
    expect(report.problems).toEqual([]);
    expect(report.total).toBe(COUNT);
    // Keys spread over every partition, and each partition's offsets are 0, 1, 2, ... with no gaps.
    expect(Object.keys(report.perPartition).map(Number).sort()).toEqual([0, 1, 2, 3]);
    const next = new Map<number, bigint>();
    for (const r of records) {
      expect(r.offset, `offset in partition ${r.partition}`).toBe(next.get(r.partition) ?? 0n);
      next.set(r.partition, r.offset + 1n);
    }

    const batches = await storedBatches(broker.dataDir, topic);
    expect(batches.length, `record batches found in ${broker.dataDir} for ${topic}`).toBeGreaterThan(0);
    expect(batches.reduce((n, b) => n + b.recordsCount, 0)).toBe(COUNT);
    expect(new Set(batches.map((b) => b.codec))).toEqual(new Set([CODEC_IDS[codec]]));
  });
});
