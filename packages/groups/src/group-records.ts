// Record keys and values of the internal __consumer_offsets log, modelled on Kafka's
// OffsetCommitKey/Value and GroupMetadataKey/Value: the key's int16 version says which record it
// is (1 offset, 2 classic group, 3 KIP-848 consumer group); a null value is a tombstone (offset
// deleted, group deleted). Compaction keeps the latest per key.
import type { TopicPartitions } from '@mq/protocol';
import { Reader, Writer, readArray, writeArray } from '@mq/protocol';
import { GroupsError } from './errors';
import type { CommittedOffset } from './types';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const CONSUMER_GROUP_KEY_VERSION = 3;
const OFFSET_VALUE_VERSION = 1;
/** 2 adds the member's subscribedTopicRegex; 1 is still read. */
const CONSUMER_GROUP_VALUE_VERSION = 2;
const GROUP_VALUE_VERSION = 1;

// The values are the classic non-flexible encodings (int16 strings, int32 bytes and arrays), written
// and read with the protocol's Writer/Reader. Decoded bytes are copied: they outlive the log read.
function copyOf(b: Buffer | null): Buffer {
  return b === null ? Buffer.alloc(0) : Buffer.from(b);
}

function finish(w: Writer): Buffer {
  return Buffer.from(w.finishBuffer());
}

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

export interface StoredConsumerMember {
  memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  memberEpoch: number;
  previousMemberEpoch: number;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
  subscribedTopicNames: string[];
  /** '' when none (version 1 values have none). */
  subscribedTopicRegex: string;
  assigned: TopicPartitions[];
}

export interface StoredConsumerGroup {
  groupEpoch: number;
  stateTimestamp: bigint;
  members: StoredConsumerMember[];
}

export type GroupRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; groupId: string; value: StoredGroup | null }
  | { type: 'consumer-group'; groupId: string; value: StoredConsumerGroup | null };

function encodeConsumerGroup(g: StoredConsumerGroup): Buffer {
  const v = new Writer(256);
  v.int16(CONSUMER_GROUP_VALUE_VERSION);
  v.int32(g.groupEpoch);
  v.int64(g.stateTimestamp);
  writeArray(v, g.members, (m) => {
    v.string(m.memberId);
    v.nullableString(m.instanceId);
    v.string(m.clientId);
    v.string(m.clientHost);
    v.int32(m.memberEpoch);
    v.int32(m.previousMemberEpoch);
    v.int32(m.rebalanceTimeoutMs);
    v.nullableString(m.serverAssignor);
    writeArray(v, m.subscribedTopicNames, (t) => v.string(t));
    v.string(m.subscribedTopicRegex);
    writeArray(v, m.assigned, (tp) => {
      v.string(tp.topic);
      writeArray(v, tp.partitions, (p) => v.int32(p));
    });
  });
  return finish(v);
}

function decodeConsumerGroup(buf: Buffer): StoredConsumerGroup {
  const v = new Reader(buf);
  const version = v.int16();
  if (version !== 1 && version !== CONSUMER_GROUP_VALUE_VERSION) throw new GroupsError('CORRUPT_ENCODING', `unknown consumer group value version ${version}`);
  const groupEpoch = v.int32();
  const stateTimestamp = v.int64();
  const members = readArray(v, () => ({
    memberId: v.string(),
    instanceId: v.nullableString(),
    clientId: v.string(),
    clientHost: v.string(),
    memberEpoch: v.int32(),
    previousMemberEpoch: v.int32(),
    rebalanceTimeoutMs: v.int32(),
    serverAssignor: v.nullableString(),
    subscribedTopicNames: readArray(v, () => v.string()),
    subscribedTopicRegex: version >= 2 ? v.string() : '',
    assigned: readArray(v, () => ({ topic: v.string(), partitions: readArray(v, () => v.int32()) })),
  }));
  return { groupEpoch, stateTimestamp, members };
}

export interface RawRecord {
  key: Buffer;
  value: Buffer | null;
}

export function encodeGroupRecord(r: GroupRecord): RawRecord {
  const key = new Writer(64);
  if (r.type === 'offset') {
    key.int16(OFFSET_COMMIT_KEY_VERSION);
    key.string(r.groupId);
    key.string(r.topic);
    key.int32(r.partition);
    if (r.value === null) return { key: finish(key), value: null };
    const v = new Writer(64);
    v.int16(OFFSET_VALUE_VERSION);
    v.int64(r.value.committedOffset);
    v.int32(r.value.committedLeaderEpoch);
    v.nullableString(r.value.metadata);
    v.int64(r.value.commitTimestamp);
    v.int64(r.value.expireTimestamp);
    return { key: finish(key), value: finish(v) };
  }
  if (r.type === 'consumer-group') {
    key.int16(CONSUMER_GROUP_KEY_VERSION);
    key.string(r.groupId);
    return { key: finish(key), value: r.value === null ? null : encodeConsumerGroup(r.value) };
  }
  key.int16(GROUP_METADATA_KEY_VERSION);
  key.string(r.groupId);
  if (r.value === null) return { key: finish(key), value: null };
  const g = r.value;
  const v = new Writer(256);
  v.int16(GROUP_VALUE_VERSION);
  v.nullableString(g.protocolType);
  v.int32(g.generationId);
  v.nullableString(g.protocolName);
  v.nullableString(g.leaderId);
  v.int64(g.stateTimestamp);
  writeArray(v, g.members, (m) => {
    v.string(m.memberId);
    v.nullableString(m.groupInstanceId);
    v.string(m.clientId);
    v.string(m.clientHost);
    v.int32(m.rebalanceTimeoutMs);
    v.int32(m.sessionTimeoutMs);
    v.nullableBytes(m.subscription);
    v.nullableBytes(m.assignment);
  });
  return { key: finish(key), value: finish(v) };
}

export function decodeGroupRecord(raw: RawRecord): GroupRecord {
  const k = new Reader(raw.key);
  const keyVersion = k.int16();
  if (keyVersion === OFFSET_COMMIT_KEY_VERSION) {
    const groupId = k.string();
    const topic = k.string();
    const partition = k.int32();
    if (raw.value === null) return { type: 'offset', groupId, topic, partition, value: null };
    const v = new Reader(raw.value);
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
    const v = new Reader(raw.value);
    const version = v.int16();
    if (version !== GROUP_VALUE_VERSION) throw new GroupsError('CORRUPT_ENCODING', `unknown group value version ${version}`);
    const protocolType = v.nullableString();
    const generationId = v.int32();
    const protocolName = v.nullableString();
    const leaderId = v.nullableString();
    const stateTimestamp = v.int64();
    const members = readArray(v, () => ({
      memberId: v.string(),
      groupInstanceId: v.nullableString(),
      clientId: v.string(),
      clientHost: v.string(),
      rebalanceTimeoutMs: v.int32(),
      sessionTimeoutMs: v.int32(),
      subscription: copyOf(v.nullableBytes()),
      assignment: copyOf(v.nullableBytes()),
    }));
    return { type: 'group', groupId, value: { protocolType, generationId, protocolName, leaderId, stateTimestamp, members } };
  }
  if (keyVersion === CONSUMER_GROUP_KEY_VERSION) {
    const groupId = k.string();
    return { type: 'consumer-group', groupId, value: raw.value === null ? null : decodeConsumerGroup(raw.value) };
  }
  throw new GroupsError('CORRUPT_ENCODING', `unknown __consumer_offsets key version ${keyVersion}`);
}
