// RecordAccumulator: batches seal when full, after lingerMs, or on flush; offsets are baseOffset + index.
import { describe, expect, it } from 'vitest';
import { type PartitionBatch, RecordAccumulator } from '../src/producer/record-accumulator';

const rec = (v: string) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: 1000n });

describe('RecordAccumulator', () => {
  it('seals a batch when it reaches batchBytes', async () => {
    const ready: PartitionBatch[] = [];
    const acc = new RecordAccumulator({ lingerMs: 60_000, batchBytes: 61 + 3 * 31, onReady: (b) => ready.push(...b) });
    const ps = Array.from({ length: 7 }, () => acc.append('t', 0, rec('0123456789')));
    expect(ready.map((b) => b.records.length)).toEqual([3, 3]);
    expect(acc.openBatches).toBe(1);
    acc.abort(new Error('closed'));
    await expect(ps[6]).rejects.toThrow('closed');
  });

  it('seals after lingerMs and on flush, per partition', async () => {
    const ready: PartitionBatch[] = [];
    const acc = new RecordAccumulator({ lingerMs: 20, batchBytes: 1 << 20, onReady: (b) => ready.push(...b) });
    void acc.append('t', 0, rec('a'));
    void acc.append('t', 1, rec('b'));
    void acc.append('t', 0, rec('c'));
    expect(ready).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(ready.map((b) => [b.partition, b.records.length])).toEqual([[0, 2], [1, 1]]);
    void acc.append('u', 0, rec('d'));
    acc.flush();
    expect(ready).toHaveLength(3);
  });

  it('settles each record with baseOffset + index', async () => {
    let sealed: PartitionBatch | undefined;
    const acc = new RecordAccumulator({ lingerMs: 0, batchBytes: 1 << 20, onReady: (b) => (sealed = b[0]) });
    const ps = [acc.append('t', 2, rec('a')), acc.append('t', 2, rec('b'))];
    acc.flush();
    sealed!.complete(40n, null);
    const metas = await Promise.all(ps);
    expect(metas.map((m) => m.offset)).toEqual([40n, 41n]);
    expect(metas[0]).toMatchObject({ topic: 't', partition: 2, timestamp: 1000n });
  });
});
