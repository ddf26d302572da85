// The typed records of __consumer_offsets, one variant per Kafka record type (the key version):
// committed offsets, classic group metadata, and the KIP-848 consumer group's metadata, member
// metadata and current member assignment. `value: null` is the tombstone. Types Kafka writes that
// this coordinator recomputes instead (partition metadata, target assignment) load as 'derived'.

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
  | { type: 'consumer-member'; groupId: string; memberId: string; value: StoredConsumerMember | null }
  | { type: 'consumer-assignment'; groupId: string; memberId: string; value: StoredMemberAssignment | null }
  /** Partition metadata (4), target assignment (6, 7): Kafka's; this coordinator recomputes them. */
  | { type: 'derived'; groupId: string; keyVersion: number };

/** Kafka's MemberState codes of the current assignment record. */
export const MemberState = { STABLE: 0, UNREVOKED_PARTITIONS: 1, UNRELEASED_PARTITIONS: 2, UNKNOWN: 3 } as const;
