// StateRanges: overwriting runs splits and coalesces them, trimming and advancing past done records
// move the start, and a run spanning 2^62 offsets costs the same as one of ten.
import { describe, expect, it } from 'vitest';
import { RecordState, type StateBatch } from '../src/record-state';
import { StateRanges, stateBatchProblem } from '../src/state-ranges';

const batch = (firstOffset: bigint, lastOffset: bigint, deliveryState: number, deliveryCount = 1): StateBatch => ({ firstOffset, lastOffset, deliveryState, deliveryCount });

describe('StateRanges', () => {
  it('splits the runs an overwrite lands inside, and coalesces equal neighbours', () => {
    const r = new StateRanges();
    r.overwrite(batch(0n, 9n, RecordState.AVAILABLE), 0n);
    r.overwrite(batch(3n, 5n, RecordState.ACKNOWLEDGED), 0n);
    expect(r.batches()).toEqual([batch(0n, 2n, RecordState.AVAILABLE), batch(3n, 5n, RecordState.ACKNOWLEDGED), batch(6n, 9n, RecordState.AVAILABLE)]);
    r.overwrite(batch(3n, 5n, RecordState.AVAILABLE), 0n);
    expect(r.batches()).toEqual([batch(0n, 9n, RecordState.AVAILABLE)]);
    // Past the end and across a gap.
    r.overwrite(batch(20n, 24n, RecordState.ARCHIVED), 0n);
    r.overwrite(batch(8n, 21n, RecordState.ACQUIRED, 2), 0n);
    expect(r.batches()).toEqual([batch(0n, 7n, RecordState.AVAILABLE), batch(8n, 21n, RecordState.ACQUIRED, 2), batch(22n, 24n, RecordState.ARCHIVED)]);
  });

  it('clamps to the start offset, trims below it, and advances past done records at the start', () => {
    const r = new StateRanges();
    r.overwrite(batch(0n, 9n, RecordState.AVAILABLE), 5n);
    expect(r.batches()).toEqual([batch(5n, 9n, RecordState.AVAILABLE)]);
    r.overwrite(batch(5n, 6n, RecordState.ACKNOWLEDGED), 5n);
    r.overwrite(batch(7n, 7n, RecordState.ARCHIVED), 5n);
    expect(r.advancePastDone(5n)).toBe(8n);
    expect(r.batches()).toEqual([batch(8n, 9n, RecordState.AVAILABLE)]);
    r.trimBelow(9n);
    expect(r.batches()).toEqual([batch(9n, 9n, RecordState.AVAILABLE)]);
    r.overwrite(batch(4n, 2n, RecordState.AVAILABLE), 0n);
    expect(r.batches()).toEqual([batch(9n, 9n, RecordState.AVAILABLE)]);
  });

  it('holds a run of 2^62 offsets as one run', () => {
    const r = new StateRanges();
    r.overwrite(batch(0n, 1n << 62n, RecordState.ACKNOWLEDGED), 0n);
    expect(r.advancePastDone(0n)).toBe((1n << 62n) + 1n);
    expect(r.batches()).toEqual([]);
  });

  it('names what is wrong with a malformed batch', () => {
    expect(stateBatchProblem(batch(0n, 9n, RecordState.ACQUIRED), 0n)).toBeUndefined();
    expect(stateBatchProblem(batch(9n, 0n, RecordState.AVAILABLE), 0n)).toMatch(/not a range/);
    expect(stateBatchProblem(batch(0n, 1n, 3), 0n)).toMatch(/delivery state 3/);
    expect(stateBatchProblem(batch(0n, 1n, RecordState.AVAILABLE, -1), 0n)).toMatch(/negative delivery count/);
    expect(stateBatchProblem(batch(0n, 10_000_000n, RecordState.AVAILABLE), 0n)).toMatch(/spans more than/);
    expect(stateBatchProblem(batch(0n, 10_000_000n, RecordState.AVAILABLE), 5n)).toBeUndefined();
  });
});
