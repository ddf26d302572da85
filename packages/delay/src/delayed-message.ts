// A delayed message as the delay store keeps it: its target topic-partition, due time, the
// producer's timestamp, key, value and headers (delay headers already dropped), and the binary
// value of its record on the delay topic (version 0):
//   int8 version · int64 dueAt · int64 timestamp · int32 partition · int16 topicLength · topic utf8 ·
//   int32 keyLength (-1 = null) · key · int32 valueLength (-1 = null) · value ·
//   int32 headerCount · [int16 keyLength · key utf8 · int32 valueLength (-1 = null) · value]
import { CorruptMessageError } from '@mq/errors';
import type { RecordHeader } from '@mq/records';

export interface DelayedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Epoch ms at which it is appended to its topic. */
  readonly dueAt: number;
  /** The produced record's timestamp (epoch ms). */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

const VERSION = 0;
/** Fixed part: version, dueAt, timestamp, partition, topic length. */
const FIXED = 1 + 8 + 8 + 4 + 2;

function bytesSize(b: Buffer | null): number {
  return 4 + (b === null ? 0 : b.length);
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return buf.writeInt32BE(-1, pos);
  pos = buf.writeInt32BE(b.length, pos);
  return pos + b.copy(buf, pos);
}

export function encodeDelayedMessage(m: DelayedMessage): Buffer {
  const topicLen = Buffer.byteLength(m.topic, 'utf8');
  let size = FIXED + topicLen + bytesSize(m.key) + bytesSize(m.value) + 4;
  for (const h of m.headers) size += 2 + Buffer.byteLength(h.key, 'utf8') + bytesSize(h.value);
  const buf = Buffer.allocUnsafe(size);
  let pos = buf.writeInt8(VERSION, 0);
  pos = buf.writeBigInt64BE(BigInt(m.dueAt), pos);
  pos = buf.writeBigInt64BE(BigInt(m.timestamp), pos);
  pos = buf.writeInt32BE(m.partition, pos);
  pos = buf.writeInt16BE(topicLen, pos);
  pos += buf.write(m.topic, pos, 'utf8');
  pos = writeBytes(buf, pos, m.key);
  pos = writeBytes(buf, pos, m.value);
  pos = buf.writeInt32BE(m.headers.length, pos);
  for (const h of m.headers) {
    const kl = Buffer.byteLength(h.key, 'utf8');
    pos = buf.writeInt16BE(kl, pos);
    pos += buf.write(h.key, pos, 'utf8');
    pos = writeBytes(buf, pos, h.value);
  }
  return buf;
}

/** The fields replay needs without decoding the rest: where and when it goes. */
export interface DelayedTarget {
  readonly topic: string;
  readonly partition: number;
  readonly dueAt: number;
}

function check(buf: Buffer, pos: number, n: number, what: string): void {
  if (pos + n > buf.length) throw new CorruptMessageError(`delayed message: ${what} runs past the end of the value`);
}

export function readDelayedTarget(buf: Buffer): DelayedTarget {
  check(buf, 0, FIXED, 'the fixed fields');
  const version = buf.readInt8(0);
  if (version !== VERSION) throw new CorruptMessageError(`delayed message: unknown version ${version}`);
  const topicLen = buf.readInt16BE(FIXED - 2);
  check(buf, FIXED, topicLen, 'the topic');
  return { dueAt: Number(buf.readBigInt64BE(1)), partition: buf.readInt32BE(17), topic: buf.toString('utf8', FIXED, FIXED + topicLen) };
}

function readBytes(buf: Buffer, pos: number, what: string): [Buffer | null, number] {
  check(buf, pos, 4, what);
  const len = buf.readInt32BE(pos);
  pos += 4;
  if (len === -1) return [null, pos];
  if (len < 0) throw new CorruptMessageError(`delayed message: ${what} has length ${len}`);
  check(buf, pos, len, what);
  return [buf.subarray(pos, pos + len), pos + len];
}

/** Decodes a value written by encodeDelayedMessage; keys, values and header values are views into `buf`. */
export function decodeDelayedMessage(buf: Buffer): DelayedMessage {
  const { topic, partition, dueAt } = readDelayedTarget(buf);
  const timestamp = Number(buf.readBigInt64BE(9));
  let pos = FIXED + buf.readInt16BE(FIXED - 2);
  const [key, afterKey] = readBytes(buf, pos, 'the key');
  const [value, afterValue] = readBytes(buf, afterKey, 'the value');
  pos = afterValue;
  check(buf, pos, 4, 'the header count');
  const count = buf.readInt32BE(pos);
  pos += 4;
  if (count < 0 || count > buf.length) throw new CorruptMessageError(`delayed message: header count ${count}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    check(buf, pos, 2, 'a header key');
    const kl = buf.readInt16BE(pos);
    pos += 2;
    check(buf, pos, kl, 'a header key');
    const hk = buf.toString('utf8', pos, pos + kl);
    const [hv, next] = readBytes(buf, pos + kl, 'a header value');
    headers.push({ key: hk, value: hv });
    pos = next;
  }
  if (pos !== buf.length) throw new CorruptMessageError(`delayed message: ${buf.length - pos} bytes left over`);
  return { topic, partition, dueAt, timestamp, key, value, headers };
}
