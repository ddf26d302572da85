// The records of __share_group_state: a snapshot (the whole persisted state of one share-partition)
// or an update (a delta on top of the last snapshot), each keyed by (group, topic id, partition); a
// null value is a tombstone (the share-partition's state was deleted).
import type { StateBatch } from '../record-state';

export interface SharePartitionKey {
  readonly groupId: string;
  readonly topicId: string;
  readonly partition: number;
}

export interface ShareSnapshot {
  readonly snapshotEpoch: number;
  readonly stateEpoch: number;
  readonly leaderEpoch: number;
  readonly startOffset: bigint;
  readonly stateBatches: readonly StateBatch[];
}

export interface ShareUpdate {
  readonly snapshotEpoch: number;
  readonly leaderEpoch: number;
  /** -1n: unchanged. */
  readonly startOffset: bigint;
  readonly stateBatches: readonly StateBatch[];
}

export type ShareStateRecord =
  | { readonly type: 'snapshot'; readonly key: SharePartitionKey; readonly value: ShareSnapshot | null }
  | { readonly type: 'update'; readonly key: SharePartitionKey; readonly value: ShareUpdate | null };

/** The map key of a share-partition: group, topic id and partition joined (group ids may hold ':'; the rest cannot). */
export function sharePartitionKeyString(k: SharePartitionKey): string {
  return `${k.topicId}:${k.partition}:${k.groupId}`;
}
