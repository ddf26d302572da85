// Walks the batches of a segment file in order using large positional reads. Header mode only needs
// the 61-byte header of each batch in memory; full mode guarantees the whole batch is. Yields views
// into a reused chunk buffer: callers copy what they keep.
import { BATCH_LENGTH_OFFSET, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD } from '@mq/records';
import type { FileSystem } from './file-system';
import { pread } from './fs-ops';

export interface ScannedBatch {
  /** File position of the batch. */
  position: number;
  /** Total bytes (batchLength + 12). */
  size: number;
  /** Chunk holding the batch header (and the whole batch in full mode) ... */
  buf: Buffer;
  /** ... starting at this index. */
  offset: number;
}

export type ScanStop = 'end' | 'torn' | 'bad-length';

export class SegmentScanner {
  private chunk: Buffer;
  private chunkPos = 0;
  private chunkLen = 0;
  /** File position of the next batch to yield; after a stop, where valid data ends. */
  position: number;
  stop: ScanStop | null = null;

  constructor(
    private readonly fs: FileSystem,
    private readonly fd: number,
    start: number,
    private readonly end: number,
    private readonly full: boolean,
    chunkSize = 1 << 20,
  ) {
    this.position = start;
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  private async fill(pos: number, minLen: number): Promise<void> {
    if (this.chunk.length < minLen) this.chunk = Buffer.allocUnsafe(minLen);
    const want = Math.min(this.chunk.length, this.end - pos);
    this.chunkLen = await pread(this.fs, this.fd, this.chunk, 0, want, pos);
    this.chunkPos = pos;
  }

  async next(): Promise<ScannedBatch | null> {
    if (this.stop !== null) return null;
    const pos = this.position;
    if (pos >= this.end) {
      this.stop = 'end';
      return null;
    }
    let off = pos - this.chunkPos;
    if (off < 0 || off + RECORD_BATCH_OVERHEAD > this.chunkLen) {
      await this.fill(pos, RECORD_BATCH_OVERHEAD);
      off = 0;
      if (this.chunkLen < RECORD_BATCH_OVERHEAD) {
        this.stop = 'torn';
        return null;
      }
    }
    const batchLength = this.chunk.readInt32BE(off + BATCH_LENGTH_OFFSET);
    if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      this.stop = 'bad-length';
      return null;
    }
    const size = batchLength + LOG_OVERHEAD;
    if (pos + size > this.end) {
      this.stop = 'torn';
      return null;
    }
    if (this.full && off + size > this.chunkLen) {
      await this.fill(pos, size);
      off = 0;
      if (this.chunkLen < size) {
        this.stop = 'torn';
        return null;
      }
    }
    this.position = pos + size;
    return { position: pos, size, buf: this.chunk, offset: off };
  }
}
