// The records of the pre-runtime __consumer_offsets (one log, <dataDir>/__consumer_offsets-0, no
// partition.metadata), read once to import a data dir written before the coordinator runtime. Its
// keys were Kafka's (1 offset, 2 classic group, 3 a private KIP-848 snapshot) but its value layouts
// were not (value version 1 of an offset carried a leader epoch Kafka's v1 has not), so they are
// decoded here, never by the current serde. Read only; nothing writes this format any more.
import type { TopicPartitions } from '@mq/protocol';
import { Reader, readArray } from '@mq/protocol';
import type { RawRecord } from '@mq/coordinator';
import { GroupsError } from '../errors';
import type { CommittedOffset, StoredGroup } from './group-record';

const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;
const CONSUMER_GROUP_KEY_VERSION = 3;
const OFFSET_VALUE_VERSION = 1;
/** 2 added the member's subscribedTopicRegex. */
const CONSUMER_GROUP_VALUE_VERSION = 2;
const GROUP_VALUE_VERSION = 1;

// The values were classic non-flexible encodings (int16 strings, int32 bytes and arrays). Decoded
// bytes are copied: they outlive the log read.
function copyOf(b: Buffer | null): Buffer {
  return b === null ? Buffer.alloc(0) : Buffer.from(b);
}

export interface LegacyConsumerMember {
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

export interface LegacyConsumerGroup {
  groupEpoch: number;
  stateTimestamp: bigint;
  members: LegacyConsumerMember[];
}

export type LegacyRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; groupId: string; value: StoredGroup | null }
  | { type: 'consumer-group'; groupId: string; value: LegacyConsumerGroup | null };

function decodeConsumerGroup(buf: Buffer): LegacyConsumerGroup {
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

export function decodeLegacyRecord(raw: RawRecord): LegacyRecord {
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
