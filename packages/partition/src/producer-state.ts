// Idempotent-producer state of one partition: per producerId the current epoch and the last five
// appended batches' sequence ranges (Kafka keeps five because that is max.in.flight for idempotence),
// so a retried batch is answered with its original offset and a gap is OUT_OF_ORDER_SEQUENCE_NUMBER.
import { InvalidProducerEpochError, OutOfOrderSequenceNumberError } from '@mq/errors';

export const NO_PRODUCER_ID = -1n;
const MAX_BATCHES = 5;
const INT32_MAX = 2147483647;

export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** -1 while the append is still in flight (pipelined idempotent batches). */
  baseOffset: bigint;
  lastOffset: bigint;
  readonly timestamp: bigint;
}

export interface ProducerEntry {
  producerEpoch: number;
  /** Oldest first; at most MAX_BATCHES. */
  batches: BatchMetadata[];
}

/** What check() decided for one incoming batch. */
export type SequenceCheck = { readonly kind: 'append' } | { readonly kind: 'duplicate'; readonly batch: BatchMetadata };

const APPEND: SequenceCheck = { kind: 'append' };

/** Next sequence after `seq`, wrapping at Int32.MAX_VALUE as Kafka does. */
function nextSeq(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: bigint): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /**
   * Validates a client batch against the producer's state without changing it. Throws
   * InvalidProducerEpochError (fenced epoch) or OutOfOrderSequenceNumberError (gap / bad first seq).
   */
  check(producerId: bigint, producerEpoch: number, firstSeq: number, lastSeq: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    if (entry === undefined) {
      // No state (new producer, or its state aged out with retention): Kafka accepts only a fresh start.
      if (firstSeq !== 0) {
        throw new OutOfOrderSequenceNumberError(`producer ${producerId} is unknown and sent sequence ${firstSeq}, expected 0`);
      }
      return APPEND;
    }
    if (producerEpoch < entry.producerEpoch) {
      throw new InvalidProducerEpochError(
        `producer ${producerId} epoch ${producerEpoch} is older than current epoch ${entry.producerEpoch}`,
      );
    }
    if (producerEpoch > entry.producerEpoch) {
      if (firstSeq !== 0) {
        throw new OutOfOrderSequenceNumberError(`producer ${producerId} new epoch ${producerEpoch} must start at sequence 0, got ${firstSeq}`);
      }
      return APPEND;
    }
    for (const b of entry.batches) {
      if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return { kind: 'duplicate', batch: b };
    }
    const last = entry.batches[entry.batches.length - 1];
    const expected = last === undefined ? 0 : nextSeq(last.lastSeq);
    if (firstSeq !== expected) {
      throw new OutOfOrderSequenceNumberError(`producer ${producerId} sent sequence ${firstSeq}, expected ${expected}`);
    }
    return APPEND;
  }

  /** Records an appended batch (live append or replay while rebuilding from the log). */
  update(producerId: bigint, producerEpoch: number, batch: BatchMetadata): void {
    let entry = this.producers.get(producerId);
    if (entry === undefined) {
      entry = { producerEpoch, batches: [] };
      this.producers.set(producerId, entry);
    } else if (producerEpoch !== entry.producerEpoch) {
      entry.producerEpoch = producerEpoch;
      entry.batches = [];
    }
    entry.batches.push(batch);
    if (entry.batches.length > MAX_BATCHES) entry.batches.shift();
  }

  /**
   * A transaction marker of `producerEpoch` was stored: a newer epoch (the coordinator fenced the
   * producer) replaces the entry's, so older-epoch batches are refused from now on. Throws
   * InvalidProducerEpochError for a marker older than the producer's epoch.
   */
  checkMarker(producerId: bigint, producerEpoch: number): void {
    const entry = this.producers.get(producerId);
    if (entry !== undefined && producerEpoch < entry.producerEpoch) {
      throw new InvalidProducerEpochError(`transaction marker of producer ${producerId} has epoch ${producerEpoch}, older than current epoch ${entry.producerEpoch}`);
    }
  }

  markerStored(producerId: bigint, producerEpoch: number): void {
    const entry = this.producers.get(producerId);
    if (entry === undefined) this.producers.set(producerId, { producerEpoch, batches: [] });
    else if (producerEpoch > entry.producerEpoch) {
      entry.producerEpoch = producerEpoch;
      entry.batches = [];
    }
  }

  /** Every producer with its epoch and newest stored batch (DescribeProducers). */
  describe(): { producerId: bigint; producerEpoch: number; lastSequence: number; lastTimestamp: bigint }[] {
    return [...this.producers].map(([producerId, e]) => {
      const last = e.batches[e.batches.length - 1];
      return { producerId, producerEpoch: e.producerEpoch, lastSequence: last?.lastSeq ?? -1, lastTimestamp: last?.timestamp ?? -1n };
    });
  }

  /** Drops a batch whose append failed, so the producer's retry is checked against what was stored. */
  removeBatch(producerId: bigint, batch: BatchMetadata): void {
    const entry = this.producers.get(producerId);
    if (entry === undefined) return;
    const i = entry.batches.indexOf(batch);
    if (i >= 0) entry.batches.splice(i, 1);
    if (entry.batches.length === 0) this.producers.delete(producerId);
  }

  /**
   * Forget producers whose last batch is below the log start (their records are gone), but not one
   * `retained` names (a producer with an open transaction: its epoch still fences, as Kafka keeps it).
   */
  removeBefore(logStartOffset: bigint, retained: (producerId: bigint) => boolean = () => false): void {
    for (const [id, entry] of this.producers) {
      const last = entry.batches[entry.batches.length - 1];
      if (last !== undefined && last.lastOffset >= 0n && last.lastOffset < logStartOffset && !retained(id)) this.producers.delete(id);
    }
  }

  clear(): void {
    this.producers.clear();
  }

  /** Stored (not in-flight) state, JSON-safe, for the partition's snapshot. */
  snapshot(): ProducerSnapshotEntry[] {
    const out: ProducerSnapshotEntry[] = [];
    for (const [id, entry] of this.producers) {
      const batches = entry.batches
        .filter((b) => b.baseOffset >= 0n)
        .map((b) => ({
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          baseOffset: b.baseOffset.toString(),
          lastOffset: b.lastOffset.toString(),
          timestamp: b.timestamp.toString(),
        }));
      // An entry without batches still carries an epoch a marker raised (fencing survives a restart).
      if (batches.length > 0 || entry.batches.length === 0) out.push({ producerId: id.toString(), producerEpoch: entry.producerEpoch, batches });
    }
    return out;
  }

  restore(entries: readonly ProducerSnapshotEntry[]): void {
    for (const e of entries) {
      this.producers.set(BigInt(e.producerId), {
        producerEpoch: e.producerEpoch,
        batches: e.batches.map((b) => ({
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          baseOffset: BigInt(b.baseOffset),
          lastOffset: BigInt(b.lastOffset),
          timestamp: BigInt(b.timestamp),
        })),
      });
    }
  }
}

/** One producer in a snapshot file (bigints as decimal strings). */
export interface ProducerSnapshotEntry {
  readonly producerId: string;
  readonly producerEpoch: number;
  readonly batches: readonly { firstSeq: number; lastSeq: number; baseOffset: string; lastOffset: string; timestamp: string }[];
}
