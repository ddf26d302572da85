// Record keys and values of the internal __consumer_offsets log, modelled on Kafka's
// OffsetCommitKey/Value and GroupMetadataKey/Value: the key's int16 version says which record it
// is; a null value is a tombstone (offset deleted, group deleted). Compaction keeps the latest per key.
import { ByteReader, ByteWriter } from './byte-buffer';
import { GroupsError } from './errors';
import type { CommittedOffset } from './types';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
const OFFSET_VALUE_VERSION = 1;
const GROUP_VALUE_VERSION = 1;

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** Metadata for the selected protocol (the consumer's subscription). */
  subscription: Buffer;
  assignment: Buffer;
}

export interface StoredGroup {
  protocolType: string | null;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  stateTimestamp: bigint;
  members: StoredMember[];
}

export type GroupRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; groupId: string; value: StoredGroup | null };

export interface RawRecord {
  key: Buffer;
  value: Buffer | null;
}

export function encodeGroupRecord(r: GroupRecord): RawRecord {
  const key = new ByteWriter(64);
  if (r.type === 'offset') {
    key.int16(OFFSET_COMMIT_KEY_VERSION).string(r.groupId).string(r.topic).int32(r.partition);
    if (r.value === null) return { key: key.finish(), value: null };
    const v = new ByteWriter(64)
      .int16(OFFSET_VALUE_VERSION)
      .int64(r.value.committedOffset)
      .int32(r.value.committedLeaderEpoch)
      .string(r.value.metadata)
      .int64(r.value.commitTimestamp)
      .int64(r.value.expireTimestamp);
    return { key: key.finish(), value: v.finish() };
  }
  key.int16(GROUP_METADATA_KEY_VERSION).string(r.groupId);
  if (r.value === null) return { key: key.finish(), value: null };
  const g = r.value;
  const v = new ByteWriter(256)
    .int16(GROUP_VALUE_VERSION)
    .string(g.protocolType)
    .int32(g.generationId)
    .string(g.protocolName)
    .string(g.leaderId)
    .int64(g.stateTimestamp);
  v.array(g.members, (m) => {
    v.string(m.memberId)
      .string(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  });
  return { key: key.finish(), value: v.finish() };
}

export function decodeGroupRecord(raw: RawRecord): GroupRecord {
  const k = new ByteReader(raw.key);
  const keyVersion = k.int16();
  if (keyVersion === OFFSET_COMMIT_KEY_VERSION) {
    const groupId = k.string();
    const topic = k.string();
    const partition = k.int32();
    if (raw.value === null) return { type: 'offset', groupId, topic, partition, value: null };
    const v = new ByteReader(raw.value);
    const version = v.int16();
    if (version !== OFFSET_VALUE_VERSION) throw new GroupsError('CORRUPT_ENCODING', `unknown offset value version ${version}`);
    return {
      type: 'offset',
      groupId,
      topic,
      partition,
      value: {
        committedOffset: v.int64(),
        committedLeaderEpoch: v.int32(),
        metadata: v.nullableString() ?? '',
        commitTimestamp: v.int64(),
        expireTimestamp: v.int64(),
      },
    };
  }
  if (keyVersion === GROUP_METADATA_KEY_VERSION) {
    const groupId = k.string();
    if (raw.value === null) return { type: 'group', groupId, value: null };
    const v = new ByteReader(raw.value);
    const version = v.int16();
    if (version !== GROUP_VALUE_VERSION) throw new GroupsError('CORRUPT_ENCODING', `unknown group value version ${version}`);
    const protocolType = v.nullableString();
    const generationId = v.int32();
    const protocolName = v.nullableString();
    const leaderId = v.nullableString();
    const stateTimestamp = v.int64();
    const members = v.array(() => ({
      memberId: v.string(),
      groupInstanceId: v.nullableString(),
      clientId: v.string(),
      clientHost: v.string(),
      rebalanceTimeoutMs: v.int32(),
      sessionTimeoutMs: v.int32(),
      subscription: v.nullableBytes() ?? Buffer.alloc(0),
      assignment: v.nullableBytes() ?? Buffer.alloc(0),
    }));
    return { type: 'group', groupId, value: { protocolType, generationId, protocolName, leaderId, stateTimestamp, members } };
  }
  throw new GroupsError('CORRUPT_ENCODING', `unknown __consumer_offsets key version ${keyVersion}`);
}
