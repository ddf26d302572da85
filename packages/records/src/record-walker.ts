// Walks the records section of one RecordBatch v2 without decoding it (the per-record half of
// produce validation): every length and varint is checked against the bytes, offset deltas must run
// 0, 1, 2, ..., and per-record rule breaks (compacted null key, timestamp bounds) are collected as
// Kafka's LogValidator collects them. Plain numbers and a module-level cursor: no object per record.
import { InvalidRecordError, type RecordError } from '@mq/errors';
import { readVarlong } from './varint';

/** What a record must satisfy beyond well-formed bytes. */
export interface RecordRules {
  /** Compacted topic: a record without a key is rejected (INVALID_RECORD). */
  readonly requireKey: boolean;
  /** CreateTime bounds (ms, inclusive); records with timestamp -1 are exempt, as in Kafka. */
  readonly minTimestamp: number;
  readonly maxTimestamp: number;
  /** The producer set LogAppendTime: every record is rejected (INVALID_TIMESTAMP), as in Kafka. */
  readonly logAppendTimeSet: boolean;
}

export interface WalkResult {
  /** Largest baseTimestamp + timestampDelta over the records; -1 for none. */
  readonly maxTimestamp: bigint;
  /** Per-record rule breaks, in record order; null when every record passed. */
  readonly recordErrors: RecordError[] | null;
  /** True when any of recordErrors is a timestamp error (the batch then fails INVALID_TIMESTAMP). */
  readonly timestampError: boolean;
}

// Slow-path cursor state (multi-byte varints, skips). The walk is synchronous, so one set serves every
// call; the hot loop keeps its own position in a local and inlines one-byte varints.
let buf: Buffer = Buffer.alloc(0);
let pos = 0;
/** End of the record being read (bounds every field read). */
let limit = 0;
/** Set by readVarlongNumber when the value needed more than 7 bytes (beyond 2^48: not exact as a double). */
let wide = false;

function invalid(index: number, what: string): never {
  throw new InvalidRecordError(`record ${index} of the batch is invalid: ${what}`);
}

/** Zigzag varint (int32) at `pos`, as record.ts reads it. */
function readVarint(index: number, field: string): number {
  // One- and two-byte values (everything below 8192: lengths of most keys, values and records).
  if (pos + 1 < limit) {
    const b0 = buf[pos]!;
    if (b0 < 0x80) {
      pos++;
      return (b0 >>> 1) ^ -(b0 & 1);
    }
    const b1 = buf[pos + 1]!;
    if (b1 < 0x80) {
      pos += 2;
      const u = (b0 & 0x7f) | (b1 << 7);
      return (u >>> 1) ^ -(u & 1);
    }
  }
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= limit) invalid(index, `${field} runs past the end of the record`);
    const b = buf[pos++]!;
    if (shift === 28) {
      if (b > 0x0f) invalid(index, `${field} is a varint longer than 32 bits`);
      result |= b << 28;
      break;
    }
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
  }
  result >>>= 0;
  return (result >>> 1) ^ -(result & 1);
}

/** Zigzag varlong at `pos` as a double: exact up to 2^48 (7 bytes); longer values set `wide`. */
function readVarlongNumber(index: number, field: string): number {
  let u = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= limit) invalid(index, `${field} runs past the end of the record`);
    const b = buf[pos++]!;
    u += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (i >= 7) wide = true;
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    scale *= 128;
  }
  return invalid(index, `${field} is a varlong longer than 64 bits`);
}

/** Skips a length-prefixed byte field at `pos`; returns false when it is null (-1). */
function skipBytes(index: number, field: string): boolean {
  let len: number;
  const b = pos < limit ? buf[pos]! : 0x80;
  if (b < 0x80) {
    len = (b >>> 1) ^ -(b & 1);
    pos++;
  } else {
    len = readVarint(index, `${field} length`);
  }
  if (len === -1) return false;
  if (len < 0) invalid(index, `${field} has invalid length ${len}`);
  if (pos + len > limit) invalid(index, `${field} of ${len} bytes runs past the end of the record`);
  pos += len;
  return true;
}

/**
 * Walks exactly `count` records filling `records[start, end)`. Throws InvalidRecordError for
 * malformed bytes (whole batch); returns rule breaks per record for the caller to report.
 */
export function walkRecords(records: Buffer, start: number, end: number, count: number, baseTimestamp: bigint, rules: RecordRules): WalkResult {
  buf = records;
  pos = start;
  const base = Number(baseTimestamp);
  const { requireKey, logAppendTimeSet, minTimestamp, maxTimestamp: maxAllowed } = rules;
  let maxDelta = Number.NEGATIVE_INFINITY;
  let maxWide: bigint | null = null;
  let errors: RecordError[] | null = null;
  let timestampError = false;
  let wideTimestamp = 0;
  try {
    for (let i = 0; i < count; i++) {
      limit = end;
      if (pos >= end) invalid(i, `the batch declares ${count} records but its bytes end after ${i}`);
      const length = readVarint(i, 'record length');
      if (length <= 0 || pos + length > end) invalid(i, `record length ${length} runs past the end of the batch`);
      const recordEnd = pos + length;
      limit = recordEnd;
      pos++; // record attributes: unused in v2
      let delta: number;
      const t0 = pos < recordEnd ? records[pos]! : 0x80;
      if (t0 < 0x80) {
        delta = (t0 >>> 1) ^ -(t0 & 1);
        pos++;
      } else {
        const deltaPos = pos;
        wide = false;
        delta = readVarlongNumber(i, 'timestamp delta');
        if (wide) {
          // Beyond 2^48 a double is not exact: redo this one in bigint (never seen from real clients).
          const exact = readVarlong({ buf: records, pos: deltaPos, end: recordEnd });
          if (maxWide === null || exact > maxWide) maxWide = exact;
          wideTimestamp = Number(baseTimestamp + exact);
          delta = Number.NEGATIVE_INFINITY;
        }
      }
      if (delta > maxDelta) maxDelta = delta;
      let offsetDelta: number;
      const o0 = pos < recordEnd ? records[pos]! : 0x80;
      if (o0 < 0x80) {
        offsetDelta = (o0 >>> 1) ^ -(o0 & 1);
        pos++;
      } else {
        offsetDelta = readVarint(i, 'offset delta');
      }
      if (offsetDelta !== i) invalid(i, `offset delta ${offsetDelta}, expected ${i} (deltas run 0, 1, 2, ...)`);
      const hasKey = skipBytes(i, 'key');
      skipBytes(i, 'value');
      let headers: number;
      const h0 = pos < recordEnd ? records[pos]! : 0x80;
      if (h0 < 0x80) {
        headers = (h0 >>> 1) ^ -(h0 & 1);
        pos++;
      } else {
        headers = readVarint(i, 'header count');
      }
      if (headers < 0) invalid(i, `invalid number of record headers ${headers}`);
      for (let h = 0; h < headers; h++) {
        if (!skipBytes(i, 'header key')) invalid(i, `header ${h} has a null key`);
        skipBytes(i, 'header value');
      }
      if (pos !== recordEnd) invalid(i, `record declares ${length} bytes but its fields use ${length - (recordEnd - pos)}`);

      if (requireKey && !hasKey) {
        (errors ??= []).push({ batchIndex: i, message: 'Compacted topic cannot accept message without key.' });
      } else if (logAppendTimeSet) {
        timestampError = true;
        (errors ??= []).push({ batchIndex: i, message: 'Invalid timestamp type in message. Producer should not set timestamp type to LogAppendTime.' });
      } else {
        const ts = delta === Number.NEGATIVE_INFINITY ? wideTimestamp : base + delta;
        if (ts !== -1 && (ts < minTimestamp || ts > maxAllowed)) {
          timestampError = true;
          (errors ??= []).push({
            batchIndex: i,
            message: `Timestamp ${ts} of message with offset delta ${i} is out of range. The timestamp should be within [${minTimestamp}, ${maxAllowed}]`,
          });
        }
      }
    }
    if (pos !== end) throw new InvalidRecordError(`${end - pos} bytes left over after the batch's ${count} records`);
  } finally {
    buf = EMPTY;
  }
  let maxTimestamp = maxDelta === Number.NEGATIVE_INFINITY ? null : baseTimestamp + BigInt(maxDelta);
  if (maxWide !== null && (maxTimestamp === null || baseTimestamp + maxWide > maxTimestamp)) maxTimestamp = baseTimestamp + maxWide;
  return { maxTimestamp: maxTimestamp ?? -1n, recordErrors: errors, timestampError };
}

const EMPTY = Buffer.alloc(0);
