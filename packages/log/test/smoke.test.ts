import { expect, it } from 'vitest';
import { Log, splitBatches, decodeRecordBatch } from '../src/index';
import { makeBatch, tempDir } from './helpers/fixtures';

it('smoke', async () => {
  const dir = await tempDir();
  const log = await Log.open(dir, { segmentBytes: 4096 });
  for (let i = 0; i < 100; i++) {
    const r = await log.append(await makeBatch(3, { prefix: `b${i}` }));
    expect(r.baseOffset).toBe(BigInt(i * 3));
  }
  expect(log.logEndOffset).toBe(300n);
  expect(log.segmentCount).toBeGreaterThan(1);
  const data = await log.read(150n, 1 << 20);
  const { batches } = splitBatches(data);
  const first = await decodeRecordBatch(batches[0]!.batch);
  expect(first.records[0]!.offset).toBe(150n);
  await log.close();
  const again = await Log.open(dir, { segmentBytes: 4096 });
  expect(again.logEndOffset).toBe(300n);
  expect(again.recovery.recoveredSegments).toBe(0);
  const d2 = await again.read(299n, 10);
  expect((await decodeRecordBatch(splitBatches(d2).batches[0]!.batch)).records[2]!.offset).toBe(299n);
  await again.close();
});
