// StateRanges: a share-partition's persisted record states as sorted, disjoint, coalesced runs of
// offsets, so a state batch costs O(runs) however many offsets it spans — a write or a replayed
// record claiming offsets 0..2^62 is one run, not a loop the broker never leaves.
import { RecordState, type StateBatch } from './record-state';

/** The most offsets a persisted state may span (a guard against a corrupt or hostile record, not a tuning knob). */
export const MAX_STATE_WINDOW = 10_000_000n;

/** Why a state batch written from outside (a leader's WriteShareGroupState) is malformed, undefined when it is not. */
export function stateBatchProblem(b: StateBatch, start: bigint): string | undefined {
  if (b.firstOffset < 0n || b.lastOffset < b.firstOffset) return `state batch ${b.firstOffset}..${b.lastOffset} is not a range of offsets`;
  if (!(Object.values(RecordState) as number[]).includes(b.deliveryState)) {
    return `state batch ${b.firstOffset}..${b.lastOffset}: delivery state ${b.deliveryState} is not 0 (available), 1 (acquired), 2 (acknowledged) or 4 (archived)`;
  }
  if (b.deliveryCount < 0) return `state batch ${b.firstOffset}..${b.lastOffset}: negative delivery count ${b.deliveryCount}`;
  if (b.lastOffset - (b.firstOffset > start ? b.firstOffset : start) >= MAX_STATE_WINDOW) {
    return `state batch ${b.firstOffset}..${b.lastOffset} spans more than ${MAX_STATE_WINDOW} offsets past the start offset ${start}`;
  }
  return undefined;
}

export class StateRanges {
  private runs: StateBatch[] = [];

  /** The runs in offset order, adjacent runs of equal state and delivery count merged. */
  batches(): readonly StateBatch[] {
    return this.runs;
  }

  /** Sets every offset of `b` at or above `start` to b's state; a batch with lastOffset < firstOffset sets nothing. */
  overwrite(b: StateBatch, start: bigint): void {
    const first = b.firstOffset < start ? start : b.firstOffset;
    if (b.lastOffset < first) return;
    const out: StateBatch[] = [];
    let placed = false;
    for (const r of this.runs) {
      if (r.lastOffset < first) {
        out.push(r);
        continue;
      }
      if (r.firstOffset > b.lastOffset) {
        if (!placed) out.push(run(first, b.lastOffset, b));
        placed = true;
        out.push(r);
        continue;
      }
      // r overlaps the new run: keep the parts of r outside it.
      if (r.firstOffset < first) out.push(run(r.firstOffset, first - 1n, r));
      if (!placed) out.push(run(first, b.lastOffset, b));
      placed = true;
      if (r.lastOffset > b.lastOffset) out.push(run(b.lastOffset + 1n, r.lastOffset, r));
    }
    if (!placed) out.push(run(first, b.lastOffset, b));
    this.runs = coalesce(out);
  }

  /** Forgets offsets below `start`. */
  trimBelow(start: bigint): void {
    this.runs = this.runs.flatMap((r) => (r.lastOffset < start ? [] : r.firstOffset < start ? [run(start, r.lastOffset, r)] : [r]));
  }

  /**
   * The start offset after the done (acknowledged or archived) records from `start` on, which are
   * dropped: the start offset alone says they are done.
   */
  advancePastDone(start: bigint): bigint {
    let s = start;
    while (this.runs.length > 0) {
      const r = this.runs[0]!;
      if (r.firstOffset !== s || (r.deliveryState !== RecordState.ACKNOWLEDGED && r.deliveryState !== RecordState.ARCHIVED)) break;
      s = r.lastOffset + 1n;
      this.runs.shift();
    }
    return s;
  }
}

function run(firstOffset: bigint, lastOffset: bigint, like: StateBatch): StateBatch {
  return { firstOffset, lastOffset, deliveryState: like.deliveryState, deliveryCount: like.deliveryCount };
}

function coalesce(runs: readonly StateBatch[]): StateBatch[] {
  const out: StateBatch[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last !== undefined && last.lastOffset + 1n === r.firstOffset && last.deliveryState === r.deliveryState && last.deliveryCount === r.deliveryCount) {
      out[out.length - 1] = run(last.firstOffset, r.lastOffset, last);
    } else out.push(r);
  }
  return out;
}
