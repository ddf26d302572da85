// ShareStateShard: the persisted state of the share-partitions whose keys hash to one partition of
// __share_group_state, rebuilt only by replaying its records (a snapshot replaces a
// share-partition's state, an update merges into it, a tombstone deletes it) — Kafka's
// ShareCoordinatorShard. Live writes and recovery go through the same replay.
import type { CoordinatorShard } from '@mq/coordinator';
import type { StateBatch } from './record-state';
import { type SharePartitionKey, type ShareStateRecord, sharePartitionKeyString } from './records/share-state-record';
import type { ShareState } from './share-partition';
import { StateRanges } from './state-ranges';

interface PersistedShareState {
  readonly key: SharePartitionKey;
  startOffset: bigint;
  stateEpoch: number;
  snapshotEpoch: number;
  /** The newest data-partition leader epoch that wrote it (a cluster's fence against deposed leaders). */
  leaderEpoch: number;
  /** Updates replayed since the last snapshot. */
  updatesSinceSnapshot: number;
  readonly ranges: StateRanges;
}

export interface PersistedStateInfo {
  readonly snapshotEpoch: number;
  readonly leaderEpoch: number;
  readonly stateEpoch: number;
  readonly updatesSinceSnapshot: number;
}

export class ShareStateShard implements CoordinatorShard<ShareStateRecord> {
  private readonly states = new Map<string, PersistedShareState>();

  replay(record: ShareStateRecord): void {
    const k = sharePartitionKeyString(record.key);
    if (record.value === null) {
      this.states.delete(k);
      return;
    }
    if (record.type === 'snapshot') {
      const v = record.value;
      const s: PersistedShareState = {
        key: record.key,
        startOffset: v.startOffset,
        stateEpoch: v.stateEpoch,
        snapshotEpoch: v.snapshotEpoch,
        leaderEpoch: v.leaderEpoch,
        updatesSinceSnapshot: 0,
        ranges: new StateRanges(),
      };
      merge(s, v.stateBatches);
      this.states.set(k, s);
      return;
    }
    const s = this.states.get(k);
    // An update without a snapshot before it (the snapshot was deleted): nothing to merge into.
    if (s === undefined) return;
    const v = record.value;
    if (v.startOffset >= 0n && v.startOffset !== s.startOffset) {
      s.startOffset = v.startOffset;
      s.ranges.trimBelow(s.startOffset);
    }
    merge(s, v.stateBatches);
    if (v.leaderEpoch > s.leaderEpoch) s.leaderEpoch = v.leaderEpoch;
    s.updatesSinceSnapshot++;
  }

  /** A share-partition's persisted state (start offset and coalesced batches), undefined when it has none. */
  read(key: SharePartitionKey): ShareState | undefined {
    const s = this.states.get(sharePartitionKeyString(key));
    if (s === undefined) return undefined;
    return { startOffset: s.startOffset, stateBatches: [...s.ranges.batches()] };
  }

  info(key: SharePartitionKey): PersistedStateInfo | undefined {
    const s = this.states.get(sharePartitionKeyString(key));
    return s === undefined ? undefined : { snapshotEpoch: s.snapshotEpoch, stateEpoch: s.stateEpoch, leaderEpoch: s.leaderEpoch, updatesSinceSnapshot: s.updatesSinceSnapshot };
  }

  /** Every share-partition with state (describe, list, delete). */
  keys(): SharePartitionKey[] {
    return [...this.states.values()].map((s) => s.key);
  }
}

function merge(s: PersistedShareState, batches: readonly StateBatch[]): void {
  for (const b of batches) s.ranges.overwrite(b, s.startOffset);
  s.startOffset = s.ranges.advancePastDone(s.startOffset);
}
