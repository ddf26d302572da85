// The share coordinator's request and answer shapes: the wire's fields (camelCase, as @mq/protocol
// decodes them) without what only the wire needs, so the Kafka handlers and the HTTP queue API
// speak to it alike.
import type { AcknowledgementBatch, AcquiredRecords } from './share-partition';

export interface RequestMeta {
  readonly clientId: string;
  readonly clientHost: string;
}

export interface ShareHeartbeatRequest {
  readonly groupId: string;
  readonly memberId: string;
  /** 0 joins, -1 leaves. */
  readonly memberEpoch: number;
  readonly rackId: string | null;
  /** null: unchanged since the last heartbeat. */
  readonly subscribedTopicNames: readonly string[] | null;
}

export interface TopicIdPartitions {
  readonly topicId: string;
  readonly partitions: number[];
}

export interface ShareHeartbeatResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  readonly assignment: { readonly topicPartitions: TopicIdPartitions[] } | null;
}

export interface PartitionAcknowledgements {
  readonly partitionIndex: number;
  readonly acknowledgementBatches: readonly AcknowledgementBatch[];
}

export interface TopicAcknowledgements {
  readonly topicId: string;
  readonly partitions: readonly PartitionAcknowledgements[];
}

export interface ShareFetchRequest {
  readonly groupId: string | null;
  readonly memberId: string | null;
  readonly shareSessionEpoch: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** Only renew locks, acquire nothing (ShareFetch v2). */
  readonly isRenewAck: boolean;
  /** Whether acknowledge type 4 (renew) is valid (v2). */
  readonly allowRenew: boolean;
  readonly topics: readonly TopicAcknowledgements[];
  readonly forgottenTopicsData: readonly TopicIdPartitions[];
}

export interface ShareFetchPartition {
  readonly partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  acknowledgeErrorCode: number;
  acknowledgeErrorMessage: string | null;
  records: Buffer[] | null;
  acquiredRecords: AcquiredRecords[];
}

export interface ShareFetchResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly responses: { readonly topicId: string; readonly partitions: ShareFetchPartition[] }[];
}

export interface ShareAcknowledgeRequest {
  readonly groupId: string | null;
  readonly memberId: string | null;
  readonly shareSessionEpoch: number;
  readonly allowRenew: boolean;
  readonly topics: readonly TopicAcknowledgements[];
}

export interface ShareAcknowledgePartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface ShareAcknowledgeResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly responses: { readonly topicId: string; readonly partitions: ShareAcknowledgePartition[] }[];
}

export interface DescribedShareMember {
  readonly memberId: string;
  readonly rackId: string | null;
  readonly memberEpoch: number;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: string[];
  readonly assignment: { readonly topicPartitions: { topicId: string; topicName: string; partitions: number[] }[] };
}

export interface DescribedShareGroup {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly groupId: string;
  readonly groupState: string;
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  readonly assignorName: string;
  readonly members: DescribedShareMember[];
}

export interface ListedShareGroup {
  readonly groupId: string;
  readonly groupState: string;
}

export interface ShareOffsetPartition {
  readonly partitionIndex: number;
  /** SPSO; -1 when the group has no state for the partition. */
  readonly startOffset: bigint;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface ShareOffsetTopic {
  readonly topicName: string;
  readonly topicId: string;
  readonly partitions: ShareOffsetPartition[];
}
