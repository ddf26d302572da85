// The records of the delay topic (__mq_delayed) and their serde. Key: int16 version (0) · int64 the
// record's own offset — known before the append because the store is the partition's only writer
// (see DelayShard) — so a delivered or cancelled message's tombstone compacts its record away.
// Value: the encoded DelayedMessage, or null (the tombstone: delivered or cancelled).
import type { CoordinatorRecordSerde } from '@mq/coordinator';
import { CorruptMessageError } from '@mq/errors';

export type DelayRecord =
  | { readonly type: 'scheduled'; readonly offset: number; readonly message: Buffer }
  | { readonly type: 'removed'; readonly offset: number };

const KEY_VERSION = 0;
const KEY_BYTES = 10;

function keyOf(offset: number): Buffer {
  const key = Buffer.allocUnsafe(KEY_BYTES);
  key.writeInt16BE(KEY_VERSION, 0);
  key.writeBigInt64BE(BigInt(offset), 2);
  return key;
}

export const delayRecordSerde: CoordinatorRecordSerde<DelayRecord> = {
  serialize: (r) => ({ key: keyOf(r.offset), value: r.type === 'scheduled' ? r.message : null }),
  deserialize(key, value) {
    if (key.length !== KEY_BYTES || key.readInt16BE(0) !== KEY_VERSION) throw new CorruptMessageError(`not a delay record key (${key.length} bytes)`);
    const offset = Number(key.readBigInt64BE(2));
    // Copied: the loader's views point into a read chunk that is otherwise garbage after the load.
    return value === null ? { type: 'removed', offset } : { type: 'scheduled', offset, message: Buffer.from(value) };
  },
};
