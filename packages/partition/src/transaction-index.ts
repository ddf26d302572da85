// The aborted-transaction index of one partition (Kafka's TransactionIndex): one
// `<20-digit segment base>.txnindex` file per segment that holds ABORT markers, 34-byte entries
// (version int16 0 · producerId int64 · firstOffset int64 · lastOffset int64 · lastStableOffset int64)
// in marker order. Invariant: entries are sorted by lastOffset (the marker's offset) and unique on it;
// a file goes once every entry in it is below the log start.
import { join } from 'node:path';
import type { FileSystem } from '@mq/log';

export const TXN_INDEX_SUFFIX = '.txnindex';
const ENTRY_BYTES = 34;
const ENTRY_VERSION = 0;

export interface AbortedTxn {
  readonly producerId: bigint;
  /** Offset of the transaction's first batch in this partition. */
  readonly firstOffset: bigint;
  /** Offset of the ABORT marker. */
  readonly lastOffset: bigint;
  /** The last stable offset once the marker was written. */
  readonly lastStableOffset: bigint;
}

function fileName(segmentBase: bigint): string {
  return `${segmentBase.toString().padStart(20, '0')}${TXN_INDEX_SUFFIX}`;
}

function encode(e: AbortedTxn): Buffer {
  const b = Buffer.alloc(ENTRY_BYTES);
  b.writeInt16BE(ENTRY_VERSION, 0);
  b.writeBigInt64BE(e.producerId, 2);
  b.writeBigInt64BE(e.firstOffset, 10);
  b.writeBigInt64BE(e.lastOffset, 18);
  b.writeBigInt64BE(e.lastStableOffset, 26);
  return b;
}

export class TransactionIndex {
  /** Segment base → its entries (sorted by lastOffset). */
  private readonly files = new Map<bigint, AbortedTxn[]>();
  private all: AbortedTxn[] = [];

  private constructor(
    private readonly dir: string,
    private readonly fs: FileSystem,
  ) {}

  /** Reads every .txnindex file of the partition directory (a torn last entry is ignored). */
  static load(dir: string, fs: FileSystem): TransactionIndex {
    const idx = new TransactionIndex(dir, fs);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      names = [];
    }
    for (const name of names) {
      if (!name.endsWith(TXN_INDEX_SUFFIX)) continue;
      const stem = name.slice(0, -TXN_INDEX_SUFFIX.length);
      if (!/^\d{20}$/.test(stem)) continue;
      const bytes = fs.readFileSync(join(dir, name));
      const entries: AbortedTxn[] = [];
      for (let at = 0; at + ENTRY_BYTES <= bytes.length; at += ENTRY_BYTES) {
        if (bytes.readInt16BE(at) !== ENTRY_VERSION) break;
        entries.push({
          producerId: bytes.readBigInt64BE(at + 2),
          firstOffset: bytes.readBigInt64BE(at + 10),
          lastOffset: bytes.readBigInt64BE(at + 18),
          lastStableOffset: bytes.readBigInt64BE(at + 26),
        });
      }
      idx.files.set(BigInt(stem), entries);
    }
    idx.rebuild();
    return idx;
  }

  private rebuild(): void {
    this.all = [...this.files.values()].flat().sort((a, b) => (a.lastOffset < b.lastOffset ? -1 : a.lastOffset > b.lastOffset ? 1 : 0));
  }

  get size(): number {
    return this.all.length;
  }

  /** Whether the marker at `lastOffset` is indexed already (replay after a crash finds its own entries). */
  has(lastOffset: bigint): boolean {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const o = this.all[i]!.lastOffset;
      if (o === lastOffset) return true;
      if (o < lastOffset) return false;
    }
    return false;
  }

  /**
   * Adds the entry of an ABORT marker stored in the segment based at `segmentBase`: in memory at
   * once (a read_committed fetch must see it as soon as the marker moves the last stable offset),
   * on disk (fdatasync'd) when the promise settles.
   */
  append(e: AbortedTxn, segmentBase: bigint): Promise<void> {
    if (this.has(e.lastOffset)) return Promise.resolve();
    const list = this.files.get(segmentBase) ?? [];
    const position = list.length * ENTRY_BYTES;
    list.push(e);
    this.files.set(segmentBase, list);
    this.all.push(e);
    return this.write(join(this.dir, fileName(segmentBase)), encode(e), position);
  }

  private async write(path: string, b: Buffer, position: number): Promise<void> {
    const fd = await this.fs.open(path, position === 0 ? 'w' : 'r+');
    try {
      let written = 0;
      while (written < b.length) written += await this.fs.writev(fd, [b.subarray(written)], position + written);
      await this.fs.fdatasync(fd);
    } finally {
      await this.fs.close(fd);
    }
  }

  /** Aborted transactions overlapping [from, to): what a read_committed fetch of that range must drop. */
  overlapping(from: bigint, to: bigint): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (const e of this.all) if (e.lastOffset >= from && e.firstOffset < to) out.push(e);
    return out;
  }

  /** Drops the files whose every entry is below the log start (retention, DeleteRecords). */
  async removeBefore(logStartOffset: bigint): Promise<void> {
    for (const [base, entries] of [...this.files]) {
      if (!entries.some((e) => e.lastOffset >= logStartOffset)) await this.unlink(base);
    }
  }

  /** Removes entries at or above `offset` (a truncated log tail), rewriting the files that held them. */
  async truncateTo(offset: bigint): Promise<void> {
    for (const [base, entries] of [...this.files]) {
      const kept = entries.filter((e) => e.lastOffset < offset);
      if (kept.length === entries.length) continue;
      await this.unlink(base);
      for (const e of kept) await this.append(e, base);
    }
  }

  private async unlink(base: bigint): Promise<void> {
    this.files.delete(base);
    this.rebuild();
    try {
      await this.fs.unlink(join(this.dir, fileName(base)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
