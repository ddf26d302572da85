// ShareStateShard: the persisted state of the share-partitions whose keys hash to one partition of
// __share_group_state, rebuilt only by replaying its records (a snapshot replaces a
// share-partition's state, an update merges into it, a tombstone deletes it) — Kafka's
// ShareCoordinatorShard. Live writes and recovery go through the same replay.
// It also knows below which offset its partition's records are redundant (Kafka's
// ShareCoordinatorOffsetsManager): a share-partition's state is rebuilt from its latest snapshot
// and the updates after it, so every record before the earliest of the live keys' latest snapshots
// can go (a deleted key's records with it: its tombstone only undoes what came before).
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
  /** Offset of the latest snapshot record in __share_group_state: nothing before it is needed for this key. */
  snapshotOffset: bigint;
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
  /** One past the last offset replayed. */
  private nextOffset = 0n;

  /** `offset` is the record's offset in __share_group_state (absent for in-memory merges: no pruning bookkeeping). */
  replay(record: ShareStateRecord, offset?: bigint): void {
    if (offset !== undefined && offset >= this.nextOffset) this.nextOffset = offset + 1n;
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
        snapshotOffset: offset ?? 0n,
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

  /**
   * The offset before which every record replayed here is redundant: the earliest latest-snapshot
   * offset of a live key, or one past the last replayed record when no key is live. Deleting the
   * records before it (the log start moved there) rebuilds the same state on the next load.
   */
  redundantBefore(): bigint {
    let earliest = this.nextOffset;
    for (const s of this.states.values()) if (s.snapshotOffset < earliest) earliest = s.snapshotOffset;
    return earliest;
  }

  /** One past the last offset replayed. */
  get endOffset(): bigint {
    return this.nextOffset;
  }

  /** The live keys whose latest snapshot is before `offset` (they hold a prune back). */
  keysSnapshottedBefore(offset: bigint): SharePartitionKey[] {
    const out: SharePartitionKey[] = [];
    for (const s of this.states.values()) if (s.snapshotOffset < offset) out.push(s.key);
    return out;
  }

  /** A fresh snapshot record of a key's state as replayed so far (the same state, nothing older needed), undefined without state. */
  snapshotRecordOf(key: SharePartitionKey): ShareStateRecord | undefined {
    const s = this.states.get(sharePartitionKeyString(key));
    if (s === undefined) return undefined;
    return {
      type: 'snapshot',
      key: s.key,
      value: { snapshotEpoch: s.snapshotEpoch, stateEpoch: s.stateEpoch, leaderEpoch: s.leaderEpoch, startOffset: s.startOffset, stateBatches: [...s.ranges.batches()] },
    };
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
