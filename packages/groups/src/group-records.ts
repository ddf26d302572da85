// Record keys and values of the internal __consumer_offsets log, modelled on Kafka's
// OffsetCommitKey/Value and GroupMetadataKey/Value: the key's int16 version says which record it
// is (1 offset, 2 classic group, 3 KIP-848 consumer group); a null value is a tombstone (offset
// deleted, group deleted). Compaction keeps the latest per key.
import type { TopicPartitions } from './consumer-protocol';
import { ByteReader, ByteWriter } from './byte-buffer';
import { GroupsError } from './errors';
import type { CommittedOffset } from './types';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const CONSUMER_GROUP_KEY_VERSION = 3;
const OFFSET_VALUE_VERSION = 1;
/** 2 adds the member's subscribedTopicRegex; 1 is still read. */
const CONSUMER_GROUP_VALUE_VERSION = 2;
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
  const v = new ByteWriter(256).int16(CONSUMER_GROUP_VALUE_VERSION).int32(g.groupEpoch).int64(g.stateTimestamp);
  v.array(g.members, (m) => {
    v.string(m.memberId).string(m.instanceId).string(m.clientId).string(m.clientHost);
    v.int32(m.memberEpoch).int32(m.previousMemberEpoch).int32(m.rebalanceTimeoutMs).string(m.serverAssignor);
    v.array(m.subscribedTopicNames, (t) => v.string(t));
    v.string(m.subscribedTopicRegex);
    v.array(m.assigned, (tp) => {
      v.string(tp.topic);
      v.array(tp.partitions, (p) => v.int32(p));
    });
  });
  return v.finish();
}

function decodeConsumerGroup(buf: Buffer): StoredConsumerGroup {
  const v = new ByteReader(buf);
  const version = v.int16();
  if (version !== 1 && version !== CONSUMER_GROUP_VALUE_VERSION) throw new GroupsError('CORRUPT_ENCODING', `unknown consumer group value version ${version}`);
  const groupEpoch = v.int32();
  const stateTimestamp = v.int64();
  const members = v.array(() => ({
    memberId: v.string(),
    instanceId: v.nullableString(),
    clientId: v.string(),
    clientHost: v.string(),
    memberEpoch: v.int32(),
    previousMemberEpoch: v.int32(),
    rebalanceTimeoutMs: v.int32(),
    serverAssignor: v.nullableString(),
    subscribedTopicNames: v.array(() => v.string()),
    subscribedTopicRegex: version >= 2 ? v.string() : '',
    assigned: v.array(() => ({ topic: v.string(), partitions: v.array(() => v.int32()) })),
  }));
  return { groupEpoch, stateTimestamp, members };
}

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
  if (r.type === 'consumer-group') {
    key.int16(CONSUMER_GROUP_KEY_VERSION).string(r.groupId);
    return { key: key.finish(), value: r.value === null ? null : encodeConsumerGroup(r.value) };
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
  if (keyVersion === CONSUMER_GROUP_KEY_VERSION) {
    const groupId = k.string();
    return { type: 'consumer-group', groupId, value: raw.value === null ? null : decodeConsumerGroup(raw.value) };
  }
  throw new GroupsError('CORRUPT_ENCODING', `unknown __consumer_offsets key version ${keyVersion}`);
}
