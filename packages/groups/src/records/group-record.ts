// The typed records of __consumer_offsets, one variant per Kafka record type (the key version):
// committed offsets, classic group metadata, and the KIP-848 consumer group's metadata, member
// metadata, subscribed topics' metadata, target assignment and current member assignment.
// `value: null` is the tombstone.

export interface CommittedOffset {
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  commitTimestamp: bigint;
  /** When the offset expires regardless of group state (v2-4 retentionTimeMs); -1 when unset. */
  expireTimestamp: bigint;
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
  /** null for none (stored as ''). */
  protocolType: string | null;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  stateTimestamp: bigint;
  members: StoredMember[];
}

/** ConsumerGroupMemberMetadataValue: who the member is and what it subscribes to. */
export interface StoredConsumerMember {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  /** '' when none (stored as null, as Kafka does). */
  subscribedTopicRegex: string;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
}

export interface TopicIdPartitions {
  topicId: string;
  partitions: number[];
}

/** One topic of ConsumerGroupPartitionMetadataValue: what the group's subscription saw of it. */
export interface SubscribedTopicMetadata {
  topicId: string;
  topicName: string;
  numPartitions: number;
}

/** ConsumerGroupCurrentMemberAssignmentValue: the member's epochs and the partitions it was told to own. */
export interface StoredMemberAssignment {
  memberEpoch: number;
  previousMemberEpoch: number;
  /** Kafka's MemberState: 0 stable, 1 unrevoked partitions, 2 unreleased partitions, 3 unknown. */
  state: number;
  assigned: TopicIdPartitions[];
  pendingRevocation: TopicIdPartitions[];
}

export type GroupRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  /** An offset of producer `producerId`'s open transaction (TxnOffsetCommit); tombstoned when it ends. */
  | { type: 'txn-offset'; groupId: string; producerId: bigint; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; groupId: string; value: StoredGroup | null }
  | { type: 'consumer-group'; groupId: string; value: { groupEpoch: number } | null }
  /** ShareGroupMetadata: a KIP-932 share group exists (its membership lives in @mq/share); tombstoned when it is deleted. */
  | { type: 'share-group'; groupId: string; value: { groupEpoch: number } | null }
  | { type: 'consumer-member'; groupId: string; memberId: string; value: StoredConsumerMember | null }
  | { type: 'consumer-assignment'; groupId: string; memberId: string; value: StoredMemberAssignment | null }
  /** ConsumerGroupPartitionMetadata: the subscribed topics as the target assignment last saw them. */
  | { type: 'consumer-partition-metadata'; groupId: string; value: { topics: SubscribedTopicMetadata[] } | null }
  /** ConsumerGroupTargetAssignmentMetadata: the group epoch the target assignment was computed for. */
  | { type: 'consumer-target'; groupId: string; value: { assignmentEpoch: number } | null }
  /** ConsumerGroupTargetAssignmentMember: the partitions the target gives one member. */
  | { type: 'consumer-target-member'; groupId: string; memberId: string; value: { topicPartitions: TopicIdPartitions[] } | null };

/** Kafka's MemberState codes of the current assignment record. */
export const MemberState = { STABLE: 0, UNREVOKED_PARTITIONS: 1, UNRELEASED_PARTITIONS: 2, UNKNOWN: 3 } as const;
