// ShareStateRecord ↔ stored key/value bytes through @mq/protocol's compiled codecs and the schemas
// in share-state-schemas.ts, as Kafka's share coordinator writes them (snapshot key 0, update key 1,
// values at version 0). Decoded values are plain copies (they outlive the log read).
import type { CoordinatorRecordSerde, RawRecord } from '@mq/coordinator';
import { type DataMessageSpec, Reader, Writer, dataCodec, isDataVersion } from '@mq/protocol';
import type { StateBatch } from '../record-state';
import { ShareError } from '../share-error';
import type { SharePartitionKey, ShareStateRecord } from './share-state-record';
import { ShareSnapshotKey, ShareSnapshotValue, ShareUpdateKey, ShareUpdateValue } from './share-state-schemas';

export const SHARE_SNAPSHOT_KEY_VERSION = 0;
export const SHARE_UPDATE_KEY_VERSION = 1;
const VALUE_VERSION = 0;

function write(spec: DataMessageSpec, version: number, body: unknown): Buffer {
  const w = new Writer(64);
  w.int16(version);
  dataCodec(spec, version).encode(w, body);
  return Buffer.from(w.finishBuffer());
}

type Decoded = Record<string, unknown>;

function readBody(spec: DataMessageSpec, r: Reader, version: number): Decoded {
  if (!isDataVersion(spec, version)) throw new ShareError('CORRUPT_ENCODING', `unknown ${spec.name} version ${version}`);
  const body = dataCodec(spec, version).decode(r) as Decoded;
  if (r.remaining !== 0) throw new ShareError('CORRUPT_ENCODING', `${r.remaining} bytes left over after a ${spec.name} v${version}`);
  return body;
}

const batches = (list: unknown): StateBatch[] =>
  (list as StateBatch[]).map((b) => ({ firstOffset: b.firstOffset, lastOffset: b.lastOffset, deliveryState: b.deliveryState, deliveryCount: b.deliveryCount }));

export function serializeShareStateRecord(r: ShareStateRecord): RawRecord {
  const k = { groupId: r.key.groupId, topicId: r.key.topicId, partition: r.key.partition };
  if (r.type === 'snapshot') {
    const key = write(ShareSnapshotKey, SHARE_SNAPSHOT_KEY_VERSION, k);
    return { key, value: r.value === null ? null : write(ShareSnapshotValue, VALUE_VERSION, r.value) };
  }
  const key = write(ShareUpdateKey, SHARE_UPDATE_KEY_VERSION, k);
  return { key, value: r.value === null ? null : write(ShareUpdateValue, VALUE_VERSION, r.value) };
}

export function deserializeShareStateRecord(keyBuf: Buffer, valueBuf: Buffer | null): ShareStateRecord {
  if (keyBuf.length < 2) throw new ShareError('CORRUPT_ENCODING', `a __share_group_state key of ${keyBuf.length} bytes`);
  const kr = new Reader(keyBuf);
  const keyVersion = kr.int16();
  const isSnapshot = keyVersion === SHARE_SNAPSHOT_KEY_VERSION;
  if (!isSnapshot && keyVersion !== SHARE_UPDATE_KEY_VERSION) throw new ShareError('CORRUPT_ENCODING', `unknown __share_group_state key version ${keyVersion}`);
  const rawKey = readBody(isSnapshot ? ShareSnapshotKey : ShareUpdateKey, kr, keyVersion);
  const key: SharePartitionKey = { groupId: rawKey.groupId as string, topicId: rawKey.topicId as string, partition: rawKey.partition as number };
  if (valueBuf === null) return isSnapshot ? { type: 'snapshot', key, value: null } : { type: 'update', key, value: null };
  const vr = new Reader(valueBuf);
  const v = readBody(isSnapshot ? ShareSnapshotValue : ShareUpdateValue, vr, vr.int16());
  if (isSnapshot) {
    return {
      type: 'snapshot',
      key,
      value: {
        snapshotEpoch: v.snapshotEpoch as number,
        stateEpoch: v.stateEpoch as number,
        leaderEpoch: v.leaderEpoch as number,
        startOffset: v.startOffset as bigint,
        stateBatches: batches(v.stateBatches),
      },
    };
  }
  return {
    type: 'update',
    key,
    value: { snapshotEpoch: v.snapshotEpoch as number, leaderEpoch: v.leaderEpoch as number, startOffset: v.startOffset as bigint, stateBatches: batches(v.stateBatches) },
  };
}

export const shareStateRecordSerde: CoordinatorRecordSerde<ShareStateRecord> = {
  serialize: serializeShareStateRecord,
  deserialize: deserializeShareStateRecord,
};
