// Finds one header's values among a batch's records without decoding them: a varint walk that
// builds no record objects, so the broker's tracer can read each produced record's `traceparent`.
import { CorruptMessageError } from '@mq/errors';
import { type Cursor, readVarint, readVarlong } from './varint';

/**
 * The value of header `key` in each record of an uncompressed records body (the bytes after the
 * batch header), by offset delta; records without it are absent. A record carrying the header
 * twice reports its first value (a null first value: none). Values are views into `body` (no copies).
 */
export function findRecordHeader(body: Buffer, recordsCount: number, key: string): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  const wanted = Buffer.from(key, 'utf8');
  const c: Cursor = { buf: body, pos: 0, end: body.length };
  for (let i = 0; i < recordsCount && c.pos < c.end; i++) {
    const length = readVarint(c);
    const recordEnd = c.pos + length;
    if (length < 0 || recordEnd > c.end) throw new CorruptMessageError(`record ${i} of ${length} bytes overruns its batch`);
    c.pos += 1; // attributes
    readVarlong(c); // timestamp delta
    const offsetDelta = readVarint(c);
    skipBytes(c, readVarint(c)); // key
    skipBytes(c, readVarint(c)); // value
    const headers = readVarint(c);
    let seen = false;
    for (let h = 0; h < headers; h++) {
      const keyLength = readVarint(c);
      const match = keyLength === wanted.length && body.compare(wanted, 0, wanted.length, c.pos, c.pos + keyLength) === 0;
      skipBytes(c, keyLength);
      const valueLength = readVarint(c);
      if (match && !seen) {
        seen = true;
        if (valueLength >= 0) found.set(offsetDelta, body.subarray(c.pos, c.pos + valueLength));
      }
      skipBytes(c, valueLength);
    }
    if (c.pos > recordEnd) throw new CorruptMessageError(`record ${i} is longer than its length ${length}`);
    c.pos = recordEnd;
  }
  return found;
}

/** Skips a length-prefixed field (-1 = null: nothing to skip). */
function skipBytes(c: Cursor, length: number): void {
  if (length <= 0) return;
  if (c.pos + length > c.end) throw new CorruptMessageError(`a field of ${length} bytes overruns its record`);
  c.pos += length;
}
