// Idempotent-producer sequence rules: fresh start, in-order appends, duplicates of any of the last
// five batches, gaps, fenced and bumped epochs.
import { describe, expect, it } from 'vitest';
import { InvalidProducerEpochError, OutOfOrderSequenceNumberError } from '@mq/errors';
import { ProducerStateManager } from '../src/producer-state';

function meta(firstSeq: number, lastSeq: number, baseOffset: bigint) {
  return { firstSeq, lastSeq, baseOffset, lastOffset: baseOffset + BigInt(lastSeq - firstSeq), timestamp: 0n };
}

describe('ProducerStateManager', () => {
  it('accepts a new producer only from sequence 0', () => {
    const s = new ProducerStateManager();
    expect(s.check(1n, 0, 0, 4)).toEqual({ kind: 'append' });
    expect(() => s.check(1n, 0, 3, 4)).toThrow(OutOfOrderSequenceNumberError);
  });

  it('detects duplicates among the last five batches and gaps', () => {
    const s = new ProducerStateManager();
    let offset = 0n;
    for (let i = 0; i < 7; i++) {
      s.update(7n, 0, meta(i * 10, i * 10 + 9, offset));
      offset += 10n;
    }
    expect(s.check(7n, 0, 70, 79)).toEqual({ kind: 'append' });
    const dup = s.check(7n, 0, 30, 39);
    expect(dup.kind).toBe('duplicate');
    expect(dup.kind === 'duplicate' && dup.batch.baseOffset).toBe(30n);
    // Batch 1 (seq 10-19) is older than the last five: no longer recognised, and not next in line.
    expect(() => s.check(7n, 0, 10, 19)).toThrow(OutOfOrderSequenceNumberError);
    expect(() => s.check(7n, 0, 75, 80)).toThrow(OutOfOrderSequenceNumberError);
  });

  it('fences older epochs and requires sequence 0 on a new epoch', () => {
    const s = new ProducerStateManager();
    s.update(2n, 3, meta(0, 0, 0n));
    expect(() => s.check(2n, 2, 1, 1)).toThrow(InvalidProducerEpochError);
    expect(() => s.check(2n, 4, 1, 1)).toThrow(OutOfOrderSequenceNumberError);
    expect(s.check(2n, 4, 0, 0)).toEqual({ kind: 'append' });
    s.update(2n, 4, meta(0, 0, 1n));
    expect(s.entry(2n)!.producerEpoch).toBe(4);
    expect(s.entry(2n)!.batches).toHaveLength(1);
  });

  it('wraps the sequence after Int32.MAX_VALUE', () => {
    const s = new ProducerStateManager();
    s.update(3n, 0, meta(2147483640, 2147483647, 0n));
    expect(s.check(3n, 0, 0, 5)).toEqual({ kind: 'append' });
  });
});
