// SharePersister (KIP-932's Persister): how the leader of a data partition reads and writes the
// durable state of its share-partitions when that state lives elsewhere — in a cluster, on the
// share coordinator that leads the __share_group_state partition the key hashes to (apps/broker
// sends ReadShareGroupState / WriteShareGroupState there, or calls this broker's coordinator).
// leaderEpoch is the data partition's: the coordinator refuses writes from a deposed leader.
// readSummary serves the offsets admin (DescribeShareGroupOffsets): start offsets of many keys of
// one group, read at each key's share coordinator (ReadShareGroupStateSummary), claiming nothing.
// delete serves DeleteShareGroupOffsets: the share-partition's leader drops it (DeleteShareGroupState).
import { coordinatorPartitionFor } from '@mq/coordinator';
import type { SharePartitionKey } from './records/share-state-record';
import type { ShareState } from './share-partition';

export interface SharePersister {
  /** The durable state (undefined: none yet); claims the key for `leaderEpoch`. */
  read(key: SharePartitionKey, leaderEpoch: number): Promise<ShareState | undefined>;
  /** Merges a change (what drainChanges() returned, or a whole snapshot); resolves once it is durable. */
  write(key: SharePartitionKey, leaderEpoch: number, change: ShareState): Promise<void>;
  /** The start offset of each share-partition of `groupId` (-1n: no state), or the Kafka error its coordinator gave. */
  readSummary(groupId: string, partitions: readonly SharePartitionRef[]): Promise<ShareStateSummary[]>;
  /** Drops the key's state at its share coordinator (DeleteShareGroupState); resolves once durable. */
  delete(key: SharePartitionKey): Promise<void>;
}

/**
 * The offsets admin's reach in a cluster: the group's coordinator checked the group is empty; each
 * share-partition's change is applied by its data partition's leader (which holds it in memory and
 * writes its state), here or forwarded there, retried while leadership moves.
 */
export interface ShareLeaderOffsets {
  /** Moves start offsets at their leaders; one answer per partition asked, in request order. */
  alter(groupId: string, topicName: string, partitions: readonly { readonly partitionIndex: number; readonly startOffset: bigint }[]): Promise<ShareOffsetOutcome[]>;
  /** Drops the group's state of every partition of the topic, at their leaders; the first failure, or NONE. */
  delete(groupId: string, topicName: string): Promise<{ errorCode: number; errorMessage: string | null }>;
}

export interface ShareOffsetOutcome {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface SharePartitionRef {
  readonly topicId: string;
  readonly partition: number;
}

export interface ShareStateSummary extends SharePartitionRef {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** -1n: the share-partition has no state (or errorCode says why it was not read). */
  readonly startOffset: bigint;
}

/** The __share_group_state partition (of `partitionCount`) a share-partition's state lives in. */
export function shareStatePartitionFor(key: SharePartitionKey, partitionCount: number): number {
  return coordinatorPartitionFor(`${key.groupId}:${key.topicId}:${key.partition}`, partitionCount);
}
