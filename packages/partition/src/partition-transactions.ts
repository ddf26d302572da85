// Transactions as one partition sees them: each transactional producer's open transaction (the
// offset of its first batch here), the last stable offset below the oldest open one, and the
// aborted ones (TransactionIndex). Fed by every stored batch — live appends, replay, follower
// appends — so leader and followers agree. Invariant: a producer has at most one open transaction;
// a COMMIT or ABORT marker closes it, an ABORT also indexes it.
import { RECORD_BATCH_OVERHEAD, type RecordBatchHeader, decodeRecords, isControlBatch, isTransactionalBatch, readControlRecord, ControlRecordType } from '@mq/records';
import type { AbortedTxn, TransactionIndex } from './transaction-index';

/** One open transaction in a producer snapshot (bigints as decimal strings). */
export interface OpenTxnSnapshotEntry {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** What a stored control batch said (undefined: not a transaction marker). */
export interface MarkerSeen {
  readonly producerId: bigint;
  readonly commit: boolean;
  readonly offset: bigint;
}

export class PartitionTransactions {
  /** producerId → first offset of its open transaction. */
  private readonly open = new Map<bigint, bigint>();

  constructor(private readonly index: TransactionIndex) {}

  /** The open transactions, oldest first (DescribeProducers, snapshots). */
  openTransactions(): { producerId: bigint; firstOffset: bigint }[] {
    return [...this.open].map(([producerId, firstOffset]) => ({ producerId, firstOffset })).sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  }

  firstOffsetOf(producerId: bigint): bigint | undefined {
    return this.open.get(producerId);
  }

  /**
   * The last stable offset: the high watermark, or the first offset of the oldest open
   * transaction when that is lower (never below the log start: deleted records cannot be read).
   */
  lastStableOffset(highWatermark: bigint, logStartOffset: bigint): bigint {
    let lso = highWatermark;
    for (const first of this.open.values()) if (first < lso) lso = first;
    return lso < logStartOffset && logStartOffset <= highWatermark ? logStartOffset : lso;
  }

  /** A live transactional data batch was stored at `baseOffset`. */
  onData(producerId: bigint, baseOffset: bigint): void {
    if (!this.open.has(producerId)) this.open.set(producerId, baseOffset);
  }

  /**
   * A stored batch: a transactional data batch opens its producer's transaction (if not open);
   * a marker closes it. Returns the marker, so the caller indexes an ABORT (see onAbort).
   */
  onStoredBatch(batch: Buffer, h: RecordBatchHeader): MarkerSeen | undefined {
    if (!isTransactionalBatch(h)) return undefined;
    if (!isControlBatch(h)) {
      if (!this.open.has(h.producerId)) this.open.set(h.producerId, h.baseOffset);
      return undefined;
    }
    const record = decodeRecords(h, batch.subarray(RECORD_BATCH_OVERHEAD, h.batchLength + 12))[0];
    if (record === undefined) return undefined;
    const { type } = readControlRecord(record);
    if (type !== ControlRecordType.commit && type !== ControlRecordType.abort) return undefined;
    return { producerId: h.producerId, commit: type === ControlRecordType.commit, offset: h.baseOffset };
  }

  /** Closes the producer's open transaction at its marker; an ABORT returns the index entry to write. */
  close(marker: MarkerSeen): AbortedTxn | undefined {
    const first = this.open.get(marker.producerId);
    this.open.delete(marker.producerId);
    if (marker.commit || first === undefined || this.index.has(marker.offset)) return undefined;
    // The last stable offset once the marker is stored: past it, unless an older transaction is still open.
    let lso = marker.offset + 1n;
    for (const f of this.open.values()) if (f < lso) lso = f;
    return { producerId: marker.producerId, firstOffset: first, lastOffset: marker.offset, lastStableOffset: lso };
  }

  /** Aborted transactions a read_committed fetch of [from, to) must skip. */
  aborted(from: bigint, to: bigint): AbortedTxn[] {
    return this.index.overlapping(from, to);
  }

  get indexSize(): number {
    return this.index.size;
  }

  clear(): void {
    this.open.clear();
  }

  snapshot(): OpenTxnSnapshotEntry[] {
    return this.openTransactions().map((t) => ({ producerId: t.producerId.toString(), firstOffset: t.firstOffset.toString() }));
  }

  restore(entries: readonly OpenTxnSnapshotEntry[]): void {
    for (const e of entries) this.open.set(BigInt(e.producerId), BigInt(e.firstOffset));
  }
}
