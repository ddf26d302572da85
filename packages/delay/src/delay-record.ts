// The records of the delay topic (__mq_delayed) and their serde.
// Messages — key: int16 version (0) · int64 the record's own offset (known before the append because
// the store is the partition's only writer, see DelayShard), so a delivered or cancelled message's
// tombstone compacts its record away. Value: the encoded DelayedMessage, or null (the tombstone).
// Delivery state — key: int16 version (1) · int8 kind, compacted to the latest per key:
//   kind 0, the partition's producer id (value: int64) — its deliveries are idempotent batches;
//   kind 1 · int32 partition · topic utf8, the chunk last sent to that target (value: int16 epoch ·
//   int32 firstSeq · int64 stamp · int32 count · count × int64 offsets), written before its append,
//   so a new leader re-sends exactly it and the target's sequence check answers a duplicate.
import type { CoordinatorRecordSerde } from '@mq/coordinator';
import { CorruptMessageError } from '@mq/errors';

/** A chunk of one target's messages, sent (or about to be) as one idempotent batch. */
export interface DeliveryMarker {
  readonly topic: string;
  readonly partition: number;
  readonly producerEpoch: number;
  readonly firstSeq: number;
  /** The records' timestamp (the delivery time of the first attempt). */
  readonly stamp: number;
  /** The messages (their delay-topic offsets) in batch order. */
  readonly offsets: readonly number[];
}

export type DelayRecord =
  /** `message`: read back from the log, a view valid only while the record is replayed (the shard keeps a copy). */
  | { readonly type: 'scheduled'; readonly offset: number; readonly message: Buffer }
  | { readonly type: 'removed'; readonly offset: number }
  | { readonly type: 'producer'; readonly producerId: bigint }
  | ({ readonly type: 'delivering' } & DeliveryMarker);

const MESSAGE_KEY = 0;
const STATE_KEY = 1;
const KEY_BYTES = 10;
const PRODUCER_KIND = 0;
const MARKER_KIND = 1;
/** Value of a marker before its offsets: epoch, firstSeq, stamp, count. */
const MARKER_FIXED = 2 + 4 + 8 + 4;

function keyOf(offset: number): Buffer {
  const key = Buffer.allocUnsafe(KEY_BYTES);
  key.writeInt16BE(MESSAGE_KEY, 0);
  key.writeBigInt64BE(BigInt(offset), 2);
  return key;
}

function stateKey(kind: number, topic?: string, partition?: number): Buffer {
  if (topic === undefined) return Buffer.from([0, STATE_KEY, kind]);
  const t = Buffer.from(topic, 'utf8');
  const key = Buffer.allocUnsafe(7 + t.length);
  key.writeInt16BE(STATE_KEY, 0);
  key.writeInt8(kind, 2);
  key.writeInt32BE(partition!, 3);
  t.copy(key, 7);
  return key;
}

function markerValue(m: DeliveryMarker): Buffer {
  const v = Buffer.allocUnsafe(MARKER_FIXED + 8 * m.offsets.length);
  let pos = v.writeInt16BE(m.producerEpoch, 0);
  pos = v.writeInt32BE(m.firstSeq, pos);
  pos = v.writeBigInt64BE(BigInt(m.stamp), pos);
  pos = v.writeInt32BE(m.offsets.length, pos);
  for (const o of m.offsets) pos = v.writeBigInt64BE(BigInt(o), pos);
  return v;
}

function readMarker(key: Buffer, value: Buffer): DelayRecord {
  if (key.length < 7 || value.length < MARKER_FIXED) throw new CorruptMessageError('a delivery marker is too short');
  const count = value.readInt32BE(14);
  if (count < 1 || value.length !== MARKER_FIXED + 8 * count) throw new CorruptMessageError(`a delivery marker of ${value.length} bytes claims ${count} messages`);
  const offsets: number[] = new Array(count);
  for (let i = 0; i < count; i++) offsets[i] = Number(value.readBigInt64BE(MARKER_FIXED + 8 * i));
  return {
    type: 'delivering',
    partition: key.readInt32BE(3),
    topic: key.toString('utf8', 7),
    producerEpoch: value.readInt16BE(0),
    firstSeq: value.readInt32BE(2),
    stamp: Number(value.readBigInt64BE(6)),
    offsets,
  };
}

function serialize(r: DelayRecord): { key: Buffer; value: Buffer | null } {
  switch (r.type) {
    case 'scheduled':
      return { key: keyOf(r.offset), value: r.message };
    case 'removed':
      return { key: keyOf(r.offset), value: null };
    case 'producer': {
      const value = Buffer.allocUnsafe(8);
      value.writeBigInt64BE(r.producerId, 0);
      return { key: stateKey(PRODUCER_KIND), value };
    }
    case 'delivering':
      return { key: stateKey(MARKER_KIND, r.topic, r.partition), value: markerValue(r) };
  }
}

export const delayRecordSerde: CoordinatorRecordSerde<DelayRecord> = {
  serialize,
  deserialize(key, value) {
    const version = key.length >= 3 ? key.readInt16BE(0) : -1;
    if (version === STATE_KEY) {
      if (value === null) throw new CorruptMessageError('a delivery-state record without a value');
      const kind = key.readInt8(2);
      if (kind === PRODUCER_KIND && value.length === 8) return { type: 'producer', producerId: value.readBigInt64BE(0) };
      if (kind === MARKER_KIND) return readMarker(key, value);
      throw new CorruptMessageError(`not a delivery-state record (kind ${kind})`);
    }
    if (key.length !== KEY_BYTES || version !== MESSAGE_KEY) throw new CorruptMessageError(`not a delay record key (${key.length} bytes)`);
    const offset = Number(key.readBigInt64BE(2));
    // Not copied: the loader's view into its read chunk is replayed at once, and the shard copies
    // the message into its slabs (MessageSlabs) — a copy here too made each load allocate twice.
    return value === null ? { type: 'removed', offset } : { type: 'scheduled', offset, message: value };
  },
};
