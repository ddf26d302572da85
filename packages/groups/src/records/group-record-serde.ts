// GroupRecord ↔ stored key/value bytes through @mq/protocol's compiled codecs and the schemas in
// record-schemas.ts. Written versions are Kafka's: offset key 1 with value 3 (value 1 when the
// offset carries an expire timestamp, as Kafka), group key 2 with value 3, KIP-848 records (3-8) at
// their only versions. Every valid version of every type is read; decoded bytes are copied (they
// outlive the log read).
import { type DataMessageSpec, Reader, Writer, dataCodec, isDataVersion } from '@mq/protocol';
import type { CoordinatorRecordSerde, RawRecord } from '@mq/coordinator';
import { GroupsError } from '../errors';
import type { CommittedOffset, GroupRecord, TopicIdPartitions } from './group-record';
import {
  ConsumerGroupCurrentMemberAssignmentKey,
  ConsumerGroupCurrentMemberAssignmentValue,
  ConsumerGroupMemberMetadataKey,
  ConsumerGroupMemberMetadataValue,
  ConsumerGroupMetadataKey,
  ConsumerGroupMetadataValue,
  ConsumerGroupPartitionMetadataKey,
  ConsumerGroupPartitionMetadataValue,
  ConsumerGroupTargetAssignmentMemberKey,
  ConsumerGroupTargetAssignmentMemberValue,
  ConsumerGroupTargetAssignmentMetadataKey,
  ConsumerGroupTargetAssignmentMetadataValue,
  GroupMetadataKey,
  GroupMetadataValue,
  OffsetCommitKey,
  OffsetCommitValue,
  ShareGroupMetadataKey,
  ShareGroupMetadataValue,
  MQ_RECORD_SCHEMAS,
  RECORD_SCHEMAS,
  TXN_OFFSET_KEY_VERSION,
  TxnOffsetCommitKey,
} from './record-schemas';

export const OFFSET_COMMIT_KEY_VERSION = 1;
export const GROUP_METADATA_KEY_VERSION = 2;
export const CONSUMER_GROUP_METADATA_KEY_VERSION = 3;
export const CONSUMER_GROUP_PARTITION_METADATA_KEY_VERSION = 4;
export const CONSUMER_GROUP_MEMBER_METADATA_KEY_VERSION = 5;
export const CONSUMER_GROUP_TARGET_ASSIGNMENT_KEY_VERSION = 6;
export const CONSUMER_GROUP_TARGET_MEMBER_KEY_VERSION = 7;
export const CONSUMER_GROUP_CURRENT_ASSIGNMENT_KEY_VERSION = 8;
export const SHARE_GROUP_METADATA_KEY_VERSION = 11;
const GROUP_METADATA_VALUE_VERSION = 3;

/** int16 version + the message at that version, as a standalone copy. */
function write(spec: DataMessageSpec, version: number, body: unknown): Buffer {
  const w = new Writer(128);
  w.int16(version);
  dataCodec(spec, version).encode(w, body);
  return Buffer.from(w.finishBuffer());
}

type Decoded = Record<string, unknown>;

function read(spec: DataMessageSpec, buf: Buffer, what: string): { version: number; body: Decoded } {
  const r = new Reader(buf);
  const version = r.int16();
  if (!isDataVersion(spec, version)) throw new GroupsError('CORRUPT_ENCODING', `unknown ${what} version ${version}`);
  const body = dataCodec(spec, version).decode(r) as Decoded;
  if (r.remaining !== 0) throw new GroupsError('CORRUPT_ENCODING', `${r.remaining} bytes left over after a ${spec.name} v${version}`);
  return { version, body };
}

/** An OffsetCommitValue body as a CommittedOffset (plain and transactional offsets share it). */
function committedOffsetOf(value: Decoded, expireTimestamp: bigint): CommittedOffset {
  return {
    committedOffset: value.offset as bigint,
    committedLeaderEpoch: value.leaderEpoch as number,
    metadata: value.metadata as string,
    commitTimestamp: value.commitTimestamp as bigint,
    expireTimestamp,
  };
}

const copy = (b: Buffer): Buffer => Buffer.from(b);
const copyTps = (list: readonly { topicId: string; partitions: number[] }[]): TopicIdPartitions[] =>
  list.map((t) => ({ topicId: t.topicId, partitions: [...t.partitions] }));

export function serializeGroupRecord(r: GroupRecord): RawRecord {
  switch (r.type) {
    case 'offset': {
      const key = write(OffsetCommitKey, OFFSET_COMMIT_KEY_VERSION, { group: r.groupId, topic: r.topic, partition: r.partition });
      if (r.value === null) return { key, value: null };
      const v = r.value;
      const version = v.expireTimestamp >= 0n ? 1 : 3;
      return {
        key,
        value: write(OffsetCommitValue, version, {
          offset: v.committedOffset,
          leaderEpoch: v.committedLeaderEpoch,
          metadata: v.metadata,
          commitTimestamp: v.commitTimestamp,
          expireTimestamp: v.expireTimestamp,
        }),
      };
    }
    case 'txn-offset': {
      const key = write(TxnOffsetCommitKey, TXN_OFFSET_KEY_VERSION, { group: r.groupId, producerId: r.producerId, topic: r.topic, partition: r.partition });
      if (r.value === null) return { key, value: null };
      const v = r.value;
      return { key, value: write(OffsetCommitValue, 3, { offset: v.committedOffset, leaderEpoch: v.committedLeaderEpoch, metadata: v.metadata, commitTimestamp: v.commitTimestamp }) };
    }
    case 'group': {
      const key = write(GroupMetadataKey, GROUP_METADATA_KEY_VERSION, { group: r.groupId });
      if (r.value === null) return { key, value: null };
      const g = r.value;
      return {
        key,
        value: write(GroupMetadataValue, GROUP_METADATA_VALUE_VERSION, {
          protocolType: g.protocolType ?? '',
          generation: g.generationId,
          protocol: g.protocolName,
          leader: g.leaderId,
          currentStateTimestamp: g.stateTimestamp,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            rebalanceTimeout: m.rebalanceTimeoutMs,
            sessionTimeout: m.sessionTimeoutMs,
            subscription: m.subscription,
            assignment: m.assignment,
          })),
        }),
      };
    }
    case 'consumer-group': {
      const key = write(ConsumerGroupMetadataKey, CONSUMER_GROUP_METADATA_KEY_VERSION, { groupId: r.groupId });
      return { key, value: r.value === null ? null : write(ConsumerGroupMetadataValue, 0, { epoch: r.value.groupEpoch }) };
    }
    case 'share-group': {
      const key = write(ShareGroupMetadataKey, SHARE_GROUP_METADATA_KEY_VERSION, { groupId: r.groupId });
      return { key, value: r.value === null ? null : write(ShareGroupMetadataValue, 0, { epoch: r.value.groupEpoch }) };
    }
    case 'consumer-member': {
      const key = write(ConsumerGroupMemberMetadataKey, CONSUMER_GROUP_MEMBER_METADATA_KEY_VERSION, { groupId: r.groupId, memberId: r.memberId });
      if (r.value === null) return { key, value: null };
      const m = r.value;
      return {
        key,
        value: write(ConsumerGroupMemberMetadataValue, 0, {
          instanceId: m.instanceId,
          rackId: m.rackId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscribedTopicNames: m.subscribedTopicNames,
          subscribedTopicRegex: m.subscribedTopicRegex === '' ? null : m.subscribedTopicRegex,
          rebalanceTimeoutMs: m.rebalanceTimeoutMs,
          serverAssignor: m.serverAssignor,
          classicMemberMetadata: null,
        }),
      };
    }
    case 'consumer-assignment': {
      const key = write(ConsumerGroupCurrentMemberAssignmentKey, CONSUMER_GROUP_CURRENT_ASSIGNMENT_KEY_VERSION, { groupId: r.groupId, memberId: r.memberId });
      if (r.value === null) return { key, value: null };
      const a = r.value;
      return {
        key,
        value: write(ConsumerGroupCurrentMemberAssignmentValue, 0, {
          memberEpoch: a.memberEpoch,
          previousMemberEpoch: a.previousMemberEpoch,
          state: a.state,
          assignedPartitions: a.assigned,
          partitionsPendingRevocation: a.pendingRevocation,
        }),
      };
    }
    case 'consumer-partition-metadata': {
      const key = write(ConsumerGroupPartitionMetadataKey, CONSUMER_GROUP_PARTITION_METADATA_KEY_VERSION, { groupId: r.groupId });
      if (r.value === null) return { key, value: null };
      // Racks are not tracked (no rack-aware assignor): each partition's list is empty, as Kafka writes without racks.
      const topics = r.value.topics.map((t) => ({ ...t, partitionMetadata: [] }));
      return { key, value: write(ConsumerGroupPartitionMetadataValue, 0, { topics }) };
    }
    case 'consumer-target': {
      const key = write(ConsumerGroupTargetAssignmentMetadataKey, CONSUMER_GROUP_TARGET_ASSIGNMENT_KEY_VERSION, { groupId: r.groupId });
      return { key, value: r.value === null ? null : write(ConsumerGroupTargetAssignmentMetadataValue, 0, { assignmentEpoch: r.value.assignmentEpoch }) };
    }
    case 'consumer-target-member': {
      const key = write(ConsumerGroupTargetAssignmentMemberKey, CONSUMER_GROUP_TARGET_MEMBER_KEY_VERSION, { groupId: r.groupId, memberId: r.memberId });
      return { key, value: r.value === null ? null : write(ConsumerGroupTargetAssignmentMemberValue, 0, { topicPartitions: r.value.topicPartitions }) };
    }
  }
}

export function deserializeGroupRecord(keyBuf: Buffer, valueBuf: Buffer | null): GroupRecord {
  if (keyBuf.length < 2) throw new GroupsError('CORRUPT_ENCODING', `a __consumer_offsets key of ${keyBuf.length} bytes`);
  const keyVersion = keyBuf.readInt16BE(0);
  type Schemas = Record<number, { key: DataMessageSpec; value: DataMessageSpec } | undefined>;
  const schemas = (RECORD_SCHEMAS as Schemas)[keyVersion] ?? (MQ_RECORD_SCHEMAS as Schemas)[keyVersion];
  if (schemas === undefined) throw new GroupsError('CORRUPT_ENCODING', `unknown __consumer_offsets key version ${keyVersion}`);
  const key = read(schemas.key, keyBuf, `${schemas.key.name}`).body;
  const value = valueBuf === null ? null : read(schemas.value, valueBuf, schemas.value.name).body;
  switch (keyVersion) {
    case 0:
    case 1:
      return {
        type: 'offset',
        groupId: key.group as string,
        topic: key.topic as string,
        partition: key.partition as number,
        value: value === null ? null : committedOffsetOf(value, value.expireTimestamp as bigint),
      };
    case TXN_OFFSET_KEY_VERSION:
      return {
        type: 'txn-offset',
        groupId: key.group as string,
        producerId: key.producerId as bigint,
        topic: key.topic as string,
        partition: key.partition as number,
        // A transactional offset carries no expire timestamp on the wire.
        value: value === null ? null : committedOffsetOf(value, -1n),
      };
    case GROUP_METADATA_KEY_VERSION: {
      const groupId = key.group as string;
      if (value === null) return { type: 'group', groupId, value: null };
      const members = value.members as Decoded[];
      return {
        type: 'group',
        groupId,
        value: {
          protocolType: (value.protocolType as string) === '' ? null : (value.protocolType as string),
          generationId: value.generation as number,
          protocolName: value.protocol as string | null,
          leaderId: value.leader as string | null,
          stateTimestamp: value.currentStateTimestamp as bigint,
          members: members.map((m) => ({
            memberId: m.memberId as string,
            groupInstanceId: m.groupInstanceId as string | null,
            clientId: m.clientId as string,
            clientHost: m.clientHost as string,
            rebalanceTimeoutMs: m.rebalanceTimeout as number,
            sessionTimeoutMs: m.sessionTimeout as number,
            subscription: copy(m.subscription as Buffer),
            assignment: copy(m.assignment as Buffer),
          })),
        },
      };
    }
    case CONSUMER_GROUP_METADATA_KEY_VERSION:
      return { type: 'consumer-group', groupId: key.groupId as string, value: value === null ? null : { groupEpoch: value.epoch as number } };
    case SHARE_GROUP_METADATA_KEY_VERSION:
      return { type: 'share-group', groupId: key.groupId as string, value: value === null ? null : { groupEpoch: value.epoch as number } };
    case CONSUMER_GROUP_MEMBER_METADATA_KEY_VERSION:
      return {
        type: 'consumer-member',
        groupId: key.groupId as string,
        memberId: key.memberId as string,
        value:
          value === null
            ? null
            : {
                instanceId: value.instanceId as string | null,
                rackId: value.rackId as string | null,
                clientId: value.clientId as string,
                clientHost: value.clientHost as string,
                subscribedTopicNames: [...(value.subscribedTopicNames as string[])],
                subscribedTopicRegex: (value.subscribedTopicRegex as string | null) ?? '',
                rebalanceTimeoutMs: value.rebalanceTimeoutMs as number,
                serverAssignor: value.serverAssignor as string | null,
              },
      };
    case CONSUMER_GROUP_CURRENT_ASSIGNMENT_KEY_VERSION:
      return {
        type: 'consumer-assignment',
        groupId: key.groupId as string,
        memberId: key.memberId as string,
        value:
          value === null
            ? null
            : {
                memberEpoch: value.memberEpoch as number,
                previousMemberEpoch: value.previousMemberEpoch as number,
                state: value.state as number,
                assigned: copyTps(value.assignedPartitions as TopicIdPartitions[]),
                pendingRevocation: copyTps(value.partitionsPendingRevocation as TopicIdPartitions[]),
              },
      };
    case CONSUMER_GROUP_PARTITION_METADATA_KEY_VERSION: {
      const topics = value === null ? null : (value.topics as Decoded[]);
      return {
        type: 'consumer-partition-metadata',
        groupId: key.groupId as string,
        value: topics === null ? null : { topics: topics.map((t) => ({ topicId: t.topicId as string, topicName: t.topicName as string, numPartitions: t.numPartitions as number })) },
      };
    }
    case CONSUMER_GROUP_TARGET_ASSIGNMENT_KEY_VERSION:
      return { type: 'consumer-target', groupId: key.groupId as string, value: value === null ? null : { assignmentEpoch: value.assignmentEpoch as number } };
    case CONSUMER_GROUP_TARGET_MEMBER_KEY_VERSION:
      return {
        type: 'consumer-target-member',
        groupId: key.groupId as string,
        memberId: key.memberId as string,
        value: value === null ? null : { topicPartitions: copyTps(value.topicPartitions as TopicIdPartitions[]) },
      };
    default:
      throw new GroupsError('CORRUPT_ENCODING', `no reader for __consumer_offsets key version ${keyVersion}`);
  }
}

export const groupRecordSerde: CoordinatorRecordSerde<GroupRecord> = {
  serialize: serializeGroupRecord,
  deserialize: deserializeGroupRecord,
};
