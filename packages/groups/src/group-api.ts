// The group APIs' requests and responses as the coordinator takes and returns them: @mq/protocol's
// types inferred from the wire schemas, not copies. A request is the decoded body (what a handler
// has, passed as it is) in which the fields the schema gives a default may be left out by a caller
// building one by hand; a response is the decoded form (every field present) without
// throttleTimeMs (the handler's) and without the topic-id fields of versions not implemented here
// (OffsetCommit / OffsetFetch v10).
import type { ApiKey, RequestBodyFor, ResponseBodyFor } from '@mq/protocol';

type Req<K extends number> = RequestBodyFor<K>;
type Body<K extends number> = ResponseBodyFor<K>;
/** T with the fields K optional (they have a schema default the coordinator applies). */
type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Request facts the coordinator records about a member (client id, host) and the version it spoke. */
export interface RequestMeta {
  apiVersion: number;
  clientId: string;
  clientHost: string;
}

export type JoinGroupRequest = Optional<Req<typeof ApiKey.JoinGroup>, 'rebalanceTimeoutMs' | 'groupInstanceId' | 'reason'>;
export type JoinGroupResponse = Omit<Body<typeof ApiKey.JoinGroup>, 'throttleTimeMs'>;

export type SyncGroupRequest = Optional<Req<typeof ApiKey.SyncGroup>, 'groupInstanceId' | 'protocolType' | 'protocolName'>;
export type SyncGroupResponse = Omit<Body<typeof ApiKey.SyncGroup>, 'throttleTimeMs'>;

export type HeartbeatRequest = Optional<Req<typeof ApiKey.Heartbeat>, 'groupInstanceId'>;

/** LeaveGroup with its v3+ member list (the handler puts a v0–2 request's one member in it). */
export interface LeaveGroupRequest {
  groupId: string;
  members: Optional<Req<typeof ApiKey.LeaveGroup>['members'][number], 'groupInstanceId' | 'reason'>[];
}
export type LeaveGroupResponse = Omit<Body<typeof ApiKey.LeaveGroup>, 'throttleTimeMs'>;

/** One group of DescribeGroups; the handler adds errorMessage (v6) and authorizedOperations. */
export type DescribedGroup = Omit<Body<typeof ApiKey.DescribeGroups>['groups'][number], 'errorMessage' | 'authorizedOperations'>;
export type ListedGroup = Body<typeof ApiKey.ListGroups>['groups'][number];

type CommitBody = Req<typeof ApiKey.OffsetCommit>;
type CommitTopic = Omit<CommitBody['topics'][number], 'topicId' | 'partitions'> & {
  partitions: Optional<CommitBody['topics'][number]['partitions'][number], 'committedLeaderEpoch' | 'commitTimestamp'>[];
};
export type OffsetCommitRequest = Optional<Omit<CommitBody, 'topics'>, 'generationIdOrMemberEpoch' | 'groupInstanceId' | 'retentionTimeMs'> & { topics: CommitTopic[] };
/** TxnOffsetCommit as decoded (v0–2 name no member: generationId -1, memberId ''); answered as an OffsetCommit. */
export type TxnOffsetCommitRequest = Optional<Req<typeof ApiKey.TxnOffsetCommit>, 'generationId' | 'memberId' | 'groupInstanceId'>;
type CommitResponseTopic = Omit<Body<typeof ApiKey.OffsetCommit>['topics'][number], 'topicId'>;
export interface OffsetCommitResponse {
  topics: CommitResponseTopic[];
}

/**
 * One group of OffsetFetch (v8+ batches them; before, the request is one) with the request's
 * requireStable; topics null: every partition the group has an offset for. A v8+ group's topics
 * (which also carry topicId) are assignable to the v0–7 list used here.
 */
export interface OffsetFetchGroupRequest {
  groupId: string;
  topics: Req<typeof ApiKey.OffsetFetch>['topics'];
  requireStable: boolean;
}
type FetchGroup = Body<typeof ApiKey.OffsetFetch>['groups'][number];
type FetchTopic = Omit<FetchGroup['topics'][number], 'topicId'>;
export type OffsetFetchPartition = FetchTopic['partitions'][number];
export type OffsetFetchGroupResponse = Omit<FetchGroup, 'topics'> & { topics: FetchTopic[] };

export type ConsumerGroupHeartbeatRequest = Optional<
  Req<typeof ApiKey.ConsumerGroupHeartbeat>,
  'instanceId' | 'rackId' | 'rebalanceTimeoutMs' | 'subscribedTopicNames' | 'subscribedTopicRegex' | 'serverAssignor' | 'topicPartitions'
>;
export type ConsumerGroupHeartbeatResponse = Omit<Body<typeof ApiKey.ConsumerGroupHeartbeat>, 'throttleTimeMs'>;
