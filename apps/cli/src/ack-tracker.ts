// Which input records are stored. Batches go out concurrently and may be acknowledged out of
// order; the resumable count is the longest prefix of input records that are all acknowledged,
// so `--skip-lines <that>` never skips an unstored record.
import type { RecordMetadata } from '@mq/client';

interface Slot {
  first: number;
  count: number;
  metas?: RecordMetadata[];
}

export class AckTracker {
  private readonly slots: Slot[] = [];
  private nextIndex = 0;
  /** Input records (0-based, after any skipped ones) acknowledged as a prefix. */
  acknowledged = 0;
  /** Acknowledged anywhere, prefix or not. */
  acknowledgedTotal = 0;

  constructor(private readonly onPrefix?: (index: number, meta: RecordMetadata) => void) {}

  /** Reserves the next `count` input records for one send; call the result with its metadata. */
  reserve(count: number): (metas: RecordMetadata[]) => void {
    const slot: Slot = { first: this.nextIndex, count };
    this.nextIndex += count;
    this.slots.push(slot);
    return (metas) => {
      slot.metas = metas;
      this.acknowledgedTotal += count;
      this.advance();
    };
  }

  /** Records handed to the producer so far. */
  get sent(): number {
    return this.nextIndex;
  }

  private advance(): void {
    while (this.slots.length > 0 && this.slots[0]!.metas) {
      const s = this.slots.shift()!;
      if (this.onPrefix) for (const [i, m] of s.metas!.entries()) this.onPrefix(s.first + i, m);
      this.acknowledged = s.first + s.count;
    }
  }
}
