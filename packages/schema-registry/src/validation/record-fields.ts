// The key and value of each record in a batch's records section, as views, without decoding the
// rest: the batch already passed the partition's validation (every length and varint checked), so
// this walk trusts the framing and skips timestamps and headers by the record's length.
import { type Cursor, readVarint } from '@mq/records';

/** Calls `visit(index, key, value)` for each of `count` records in `body` (null for a null key / value). */
export function forEachKeyValue(body: Buffer, count: number, visit: (index: number, key: Buffer | null, value: Buffer | null) => void): void {
  const c: Cursor = { buf: body, pos: 0, end: body.length };
  for (let i = 0; i < count; i++) {
    const length = readVarint(c);
    const end = c.pos + length;
    c.pos++; // attributes
    skipVarint(c); // timestampDelta (varlong)
    skipVarint(c); // offsetDelta
    const keyLength = readVarint(c);
    const key = keyLength < 0 ? null : body.subarray(c.pos, c.pos + keyLength);
    if (keyLength > 0) c.pos += keyLength;
    const valueLength = readVarint(c);
    const value = valueLength < 0 ? null : body.subarray(c.pos, c.pos + valueLength);
    visit(i, key, value);
    c.pos = end; // headers: not needed
  }
}

function skipVarint(c: Cursor): void {
  const buf = c.buf;
  while ((buf[c.pos++]! & 0x80) !== 0) {
    // continuation bytes: nothing to keep
  }
}
