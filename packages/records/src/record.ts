// The record inside a RecordBatch v2: the input shape the builder takes, the decoded shape, and the
// per-record wire grammar (all varints zigzag):
//   length varint · attributes int8 · timestampDelta varlong · offsetDelta varint ·
//   keyLength varint (-1 = null) · key · valueLength varint (-1 = null) · value ·
//   headerCount varint · [headerKeyLength varint · headerKey utf8 · headerValueLength varint · value]
import { CorruptMessageError } from '@mq/errors';
import { type Cursor, readVarint, readVarlong, varintSize, varlongSize, writeVarint, writeVarlong } from './varint';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Record timestamp (ms); defaults to the builder's clock. */
  timestamp?: bigint;
  /** Offset delta from the batch baseOffset; defaults to the record's index. */
  offsetDelta?: number;
}

export interface DecodedRecord {
  /** Absolute offset: baseOffset + offsetDelta. */
  offset: bigint;
  /** Absolute timestamp; under LogAppendTime every record reads as the batch maxTimestamp. */
  timestamp: bigint;
  offsetDelta: number;
  attributes: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function bytesFieldSize(b: Buffer | null): number {
  return b === null ? 1 : varintSize(b.length) + b.length;
}

/** Size of the record body (everything after its own length varint). */
export function recordBodySize(r: RecordInput, timestampDelta: bigint, offsetDelta: number): number {
  let size = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta) + bytesFieldSize(r.key) + bytesFieldSize(r.value);
  const headers = r.headers ?? [];
  size += varintSize(headers.length);
  for (const h of headers) {
    const kl = Buffer.byteLength(h.key, 'utf8');
    size += varintSize(kl) + kl + bytesFieldSize(h.value);
  }
  return size;
}

function writeBytesField(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  return pos + b.copy(buf, pos);
}

/** Writes one record at `pos` given its precomputed body size; returns the position after it. */
export function writeRecord(
  buf: Buffer,
  pos: number,
  r: RecordInput,
  bodySize: number,
  timestampDelta: bigint,
  offsetDelta: number,
): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = 0; // record attributes: unused in v2
  pos = writeVarlong(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  pos = writeBytesField(buf, pos, r.key);
  pos = writeBytesField(buf, pos, r.value);
  const headers = r.headers ?? [];
  pos = writeVarint(buf, pos, headers.length);
  for (const h of headers) {
    const kl = Buffer.byteLength(h.key, 'utf8');
    pos = writeVarint(buf, pos, kl);
    pos += buf.write(h.key, pos, kl, 'utf8');
    pos = writeBytesField(buf, pos, h.value);
  }
  return pos;
}

function readBytesField(c: Cursor, what: string): Buffer | null {
  const len = readVarint(c);
  if (len === -1) return null;
  if (len < 0) throw new CorruptMessageError(`record ${what} has invalid length ${len}`);
  if (c.pos + len > c.end) throw new CorruptMessageError(`record ${what} runs past the end of the record`);
  const out = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return out;
}

/**
 * Reads one record at the cursor. Keys, values and header values are views into the cursor's buffer.
 * `logAppendTime` (non-null) overrides every record's timestamp.
 */
export function readRecord(c: Cursor, baseOffset: bigint, baseTimestamp: bigint, logAppendTime: bigint | null): DecodedRecord {
  const length = readVarint(c);
  if (length < 0 || c.pos + length > c.end) {
    throw new CorruptMessageError(`record length ${length} runs past the end of the batch`);
  }
  const outerEnd = c.end;
  const recordEnd = c.pos + length;
  c.end = recordEnd;
  if (c.pos >= c.end) throw new CorruptMessageError('empty record');
  const attributes = c.buf.readInt8(c.pos++);
  const timestampDelta = readVarlong(c);
  const offsetDelta = readVarint(c);
  const key = readBytesField(c, 'key');
  const value = readBytesField(c, 'value');
  const headerCount = readVarint(c);
  if (headerCount < 0) throw new CorruptMessageError(`record has invalid header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const hk = readBytesField(c, 'header key');
    if (hk === null) throw new CorruptMessageError('record header key is null');
    headers.push({ key: hk.toString('utf8'), value: readBytesField(c, 'header value') });
  }
  if (c.pos !== recordEnd) {
    throw new CorruptMessageError(`record declares ${length} bytes but its fields use ${length - (recordEnd - c.pos)}`);
  }
  c.end = outerEnd;
  return {
    offset: baseOffset + BigInt(offsetDelta),
    timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
    offsetDelta,
    attributes,
    key,
    value,
    headers,
  };
}
