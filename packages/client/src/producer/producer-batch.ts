// One partition's RecordBatch v2 under construction: records are written straight into a (pooled)
// buffer after a reserved 61-byte header — varints in place, no object per record — and seal()
// stamps the header and CRC (compressing the records section first when asked).
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  CURRENT_MAGIC,
  Compression,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
  compress,
  computeBatchCrc,
  varintSize,
  varlongSize,
  writeVarint,
  writeVarlong,
} from '@mq/records';
import type { BufferPool } from './buffer-pool';
import type { SendTracker } from './send-tracker';

/** A record's key or value as the caller gave it (strings are written as UTF-8 without a copy). */
export type FieldBytes = Buffer | Uint8Array | string | null;

export interface HeaderField {
  readonly key: string;
  readonly value: FieldBytes;
}

/** Which send() owns which records of the batch: contiguous runs, so one entry per send usually. */
interface Segment {
  readonly tracker: SendTracker;
  /** Index of the run's first record in the batch. */
  readonly batchIndex: number;
  /** Index of the run's first record in its send(), when the run is contiguous there. */
  readonly sendIndex: number;
  count: number;
  /** Send indices, once a run stops being contiguous (keyed records interleaving partitions). */
  indices: number[] | null;
}

function fieldSize(b: FieldBytes): number {
  if (b === null) return 1;
  const n = typeof b === 'string' ? Buffer.byteLength(b, 'utf8') : b.byteLength;
  return varintSize(n) + n;
}

function writeField(buf: Buffer, pos: number, b: FieldBytes): number {
  if (b === null) {
    buf[pos] = 1; // zigzag(-1)
    return pos + 1;
  }
  if (typeof b === 'string') {
    const n = Buffer.byteLength(b, 'utf8');
    pos = writeVarint(buf, pos, n);
    return pos + buf.write(b, pos, n, 'utf8');
  }
  pos = writeVarint(buf, pos, b.byteLength);
  buf.set(b, pos);
  return pos + b.byteLength;
}

/** Zigzag varlong of a number delta: within int32 the varint encoding is the same bytes. */
function deltaSize(d: number): number {
  return d >= -0x40000000 && d < 0x40000000 ? varintSize(d) : varlongSize(BigInt(d));
}

function writeDelta(buf: Buffer, pos: number, d: number): number {
  return d >= -0x40000000 && d < 0x40000000 ? writeVarint(buf, pos, d) : writeVarlong(buf, pos, BigInt(d));
}

export class ProducerBatch {
  /** Records written so far. */
  count = 0;
  /** Next write position in `buf` (records start at RECORD_BATCH_OVERHEAD). */
  private pos = RECORD_BATCH_OVERHEAD;
  private baseTimestamp = 0;
  private maxTimestamp = -1;
  readonly segments: Segment[] = [];
  /** Set by seal(): the exact bytes sent, and resent byte-identical on a retry. */
  bytes: Buffer | undefined;
  /** False while a compressed batch is still being compressed. */
  ready = false;
  /** Idempotent base sequence (-1 without idempotence), fixed at seal time. */
  baseSequence = -1;
  /** Set at seal: order of batches within the producer (retries are re-queued by it). */
  sealId = 0;
  attempts = 0;
  /** A batch that is retried must not be sent before this time (ms). */
  notBefore = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdAtMs: number,
    private buf: Buffer,
    private readonly pool: BufferPool | undefined,
    /** batchBytes: the batch takes records until the next would pass this. */
    private readonly limit: number,
  ) {}

  get sizeBytes(): number {
    return this.pos;
  }

  /**
   * Bytes of one record's body (after its length varint), given the batch's base timestamp (or its
   * own when first): what fits() and append() take, computed once per record.
   */
  bodySize(key: FieldBytes, value: FieldBytes, headers: readonly HeaderField[] | null, timestamp: number): number {
    const tsDelta = this.count === 0 ? 0 : timestamp - this.baseTimestamp;
    let n = 1 + deltaSize(tsDelta) + varintSize(this.count) + fieldSize(key) + fieldSize(value);
    if (headers === null) return n + 1;
    n += varintSize(headers.length);
    for (const h of headers) {
      const kl = Buffer.byteLength(h.key, 'utf8');
      n += varintSize(kl) + kl + fieldSize(h.value);
    }
    return n;
  }

  /** Whether a record of `body` bytes (bodySize()) may join: always when empty (a large record gets its own batch). */
  fits(body: number): boolean {
    return this.count === 0 || this.pos + varintSize(body) + body <= this.limit;
  }

  /**
   * Writes one record in place; the caller checked fits() with this `body` (bodySize() of the same
   * record, which does not change with the batch's base timestamp when it is the first). Returns
   * its index in the batch.
   */
  append(key: FieldBytes, value: FieldBytes, headers: readonly HeaderField[] | null, timestamp: number, body: number, tracker: SendTracker, sendIndex: number): number {
    if (this.count === 0) this.baseTimestamp = timestamp;
    const need = this.pos + varintSize(body) + body;
    if (need > this.buf.length) this.grow(need);
    const buf = this.buf;
    let pos = writeVarint(buf, this.pos, body);
    buf[pos++] = 0; // record attributes: unused in v2
    pos = writeDelta(buf, pos, timestamp - this.baseTimestamp);
    pos = writeVarint(buf, pos, this.count);
    pos = writeField(buf, pos, key);
    pos = writeField(buf, pos, value);
    if (headers === null) buf[pos++] = 0;
    else {
      pos = writeVarint(buf, pos, headers.length);
      for (const h of headers) {
        pos = writeField(buf, pos, h.key);
        pos = writeField(buf, pos, h.value);
      }
    }
    this.pos = pos;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    this.track(tracker, sendIndex);
    return this.count++;
  }

  private track(tracker: SendTracker, sendIndex: number): void {
    const last = this.segments[this.segments.length - 1];
    if (last !== undefined && last.tracker === tracker) {
      if (last.indices !== null) last.indices.push(sendIndex);
      else if (last.sendIndex + last.count !== sendIndex) {
        last.indices = Array.from({ length: last.count }, (_, i) => last.sendIndex + i);
        last.indices.push(sendIndex);
      }
      last.count++;
      return;
    }
    this.segments.push({ tracker, batchIndex: this.count, sendIndex, count: 1, indices: null });
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.pool?.release(this.buf);
    this.buf = bigger;
  }

  /**
   * Stamps the header (producer id/epoch, sequence) and CRC. Uncompressed batches are ready at once;
   * a compressed one is ready when the returned promise settles (the codecs run off the loop).
   */
  seal(codec: number, producerId: bigint, producerEpoch: number, baseSequence: number): Promise<void> | undefined {
    this.baseSequence = baseSequence;
    if (codec === Compression.none) {
      this.bytes = this.stamp(this.buf.subarray(0, this.pos), codec, producerId, producerEpoch);
      this.ready = true;
      return undefined;
    }
    return compress(codec, this.buf.subarray(RECORD_BATCH_OVERHEAD, this.pos)).then((packed) => {
      const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + packed.length);
      packed.copy(out, RECORD_BATCH_OVERHEAD);
      this.bytes = this.stamp(out, codec, producerId, producerEpoch);
      this.ready = true;
    });
  }

  /** Rewrites the base sequence of a sealed batch (later batches after a rejected one) and its CRC. */
  resequence(baseSequence: number): void {
    this.baseSequence = baseSequence;
    const b = this.bytes;
    if (!b) return;
    b.writeInt32BE(baseSequence, BASE_SEQUENCE_OFFSET);
    b.writeUInt32BE(computeBatchCrc(b), CRC_OFFSET);
  }

  private stamp(batch: Buffer, codec: number, producerId: bigint, producerEpoch: number): Buffer {
    batch.writeBigInt64BE(0n, BASE_OFFSET_OFFSET);
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
    batch.writeInt32BE(-1, PARTITION_LEADER_EPOCH_OFFSET);
    batch[MAGIC_OFFSET] = CURRENT_MAGIC;
    batch.writeInt16BE(codec & 0x07, ATTRIBUTES_OFFSET);
    batch.writeInt32BE(this.count - 1, LAST_OFFSET_DELTA_OFFSET);
    batch.writeBigInt64BE(BigInt(this.baseTimestamp), BASE_TIMESTAMP_OFFSET);
    batch.writeBigInt64BE(BigInt(this.maxTimestamp), MAX_TIMESTAMP_OFFSET);
    batch.writeBigInt64BE(producerId, PRODUCER_ID_OFFSET);
    batch.writeInt16BE(producerEpoch, PRODUCER_EPOCH_OFFSET);
    batch.writeInt32BE(this.baseSequence, BASE_SEQUENCE_OFFSET);
    batch.writeInt32BE(this.count, RECORDS_COUNT_OFFSET);
    batch.writeUInt32BE(computeBatchCrc(batch), CRC_OFFSET);
    return batch;
  }

  /** Settles every record: offsets are baseOffset + index, as the broker assigned them. */
  complete(baseOffset: bigint, logAppendTime: bigint | null): void {
    for (const s of this.segments) s.tracker.complete(this.topic, this.partition, baseOffset, logAppendTime, s.batchIndex, s.sendIndex, s.count, s.indices);
    this.release();
  }

  fail(err: unknown): void {
    for (const s of this.segments) s.tracker.fail(err);
    this.release();
  }

  /** Hands the build buffer back to the pool; the batch holds only `bytes` from now on. */
  private release(): void {
    if (this.pool && this.buf.length === this.pool.bufferBytes) this.pool.release(this.buf);
    this.buf = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);
