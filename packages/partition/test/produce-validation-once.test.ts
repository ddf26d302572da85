// One validation pass per produced batch (issue #10 item 6): Partition.append validates a batch once,
// whole, with @mq/records' validateProducedBatch (magic, CRC, header rules, every record), and nothing
// above or below re-checks it — the log stores it `validated` (no second validateBatch: magic and
// CRC again), the idempotence check only reads header fields. The records exports are wrapped to
// count calls across the package boundary; their behaviour is the real one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as records from '@mq/records';
import { TopicManager } from '../src/topic-manager';

vi.mock(import('@mq/records'), async (importOriginal) => {
  const real = await importOriginal();
  return {
    ...real,
    validateProducedBatch: vi.fn(real.validateProducedBatch),
    validateBatch: vi.fn(real.validateBatch),
    computeBatchCrc: vi.fn(real.computeBatchCrc),
  };
});

let dir: string;
let tm: TopicManager;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-partition-validate-once-'));
  tm = await TopicManager.open({ dataDir: dir });
  vi.clearAllMocks();
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

const cases = [
  { name: 'plain', opts: {} },
  { name: 'idempotent', opts: { producerId: 7n, producerEpoch: 0, baseSequence: 0 } },
  { name: 'idempotent gzip', opts: { producerId: 8n, producerEpoch: 0, baseSequence: 0, compression: records.Compression.gzip } },
] as const;

describe('a produced batch', () => {
  for (const c of cases) {
    it(`is validated once, CRC included, and stored as is (${c.name})`, async () => {
      await tm.createTopic(`once-${c.name.replace(' ', '-')}`, 1);
      const p = tm.partition(`once-${c.name.replace(' ', '-')}`, 0);
      const batch = await records.buildRecordBatch({ records: [{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }], ...c.opts });
      vi.clearAllMocks();

      const res = await p.append(batch);

      expect(res).toMatchObject({ baseOffset: 0n, lastOffset: 1n, duplicate: false });
      expect(vi.mocked(records.validateProducedBatch)).toHaveBeenCalledTimes(1);
      // The log's structural check (length, magic, CRC) is not run a second time...
      expect(vi.mocked(records.validateBatch)).not.toHaveBeenCalled();
      // ...and no layer outside records recomputes the CRC to check it.
      expect(vi.mocked(records.computeBatchCrc)).not.toHaveBeenCalled();
      const stored = records.splitBatches(await p.read(0n, 1 << 20)).batches;
      expect(stored).toHaveLength(1);
      expect((await records.decodeRecordBatch(stored[0]!.batch)).records.map((r) => r.value!.toString())).toEqual(['a', 'b']);
    });
  }

  it('that fails validation is refused by that one pass and stores nothing', async () => {
    await tm.createTopic('once-bad', 1);
    const p = tm.partition('once-bad', 0);
    const batch = await records.buildRecordBatch({ records: [{ key: null, value: Buffer.from('a') }], producerId: 9n, producerEpoch: 0, baseSequence: 0 });
    batch[batch.length - 1]! ^= 0xff; // a flipped record byte: the CRC no longer matches
    vi.clearAllMocks();

    await expect(p.append(batch)).rejects.toMatchObject({ errorCode: 2, name: 'CorruptMessageError' });

    expect(vi.mocked(records.validateProducedBatch)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(records.validateBatch)).not.toHaveBeenCalled();
    expect(p.highWatermark).toBe(0n);
  });
});
