// The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then (Protobuf
// only) the message indexes — a zigzag-varint count then each index, with [0] sent as the single
// byte 0 — then the payload. (A private zigzag varint: @mq/records owns the broker's, but layer-0
// packages do not import each other.)

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export function encodeHeader(schemaId: number, messageIndexes?: readonly number[]): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) throw new WireFormatError(`schema id ${schemaId} is not a non-negative int32`);
  const head = Buffer.alloc(HEADER_SIZE);
  head[0] = MAGIC_BYTE;
  head.writeInt32BE(schemaId, 1);
  if (messageIndexes === undefined) return head;
  return Buffer.concat([head, encodeMessageIndexes(messageIndexes)]);
}

/** The schema id of a framed value, or a WireFormatError naming what is wrong. */
export function readSchemaId(buf: Uint8Array): number {
  if (buf.length < HEADER_SIZE) throw new WireFormatError(`value of ${buf.length} bytes is shorter than the 5-byte schema header`);
  if (buf[0] !== MAGIC_BYTE) throw new WireFormatError(`unknown magic byte ${buf[0]}: expected 0`);
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).readInt32BE(1);
}

export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  writeZigzag(indexes.length, bytes);
  for (const i of indexes) writeZigzag(i, bytes);
  return Buffer.from(bytes);
}

/** Message indexes at `offset`, and the offset just past them. */
export function readMessageIndexes(buf: Uint8Array, offset: number): { indexes: number[]; next: number } {
  const pos = { at: offset };
  const count = readZigzag(buf, pos);
  if (count === 0) return { indexes: [0], next: pos.at };
  if (count < 0 || count > 100) throw new WireFormatError(`message index count ${count} out of range`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) {
    const index = readZigzag(buf, pos);
    if (index < 0) throw new WireFormatError(`negative message index ${index}`);
    indexes.push(index);
  }
  return { indexes, next: pos.at };
}

function writeZigzag(value: number, out: number[]): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readZigzag(buf: Uint8Array, pos: { at: number }): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos.at >= buf.length) throw new WireFormatError('truncated message indexes');
    const byte = buf[pos.at++]!;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
  }
  throw new WireFormatError('message index varint longer than 5 bytes');
}
