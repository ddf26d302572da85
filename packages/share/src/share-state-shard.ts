// ShareStateShard: the persisted state of the share-partitions whose keys hash to one partition of
// __share_group_state, rebuilt only by replaying its records (a snapshot replaces a
// share-partition's state, an update merges into it, a tombstone deletes it) — Kafka's
// ShareCoordinatorShard. Live writes and recovery go through the same replay.
import type { CoordinatorShard } from '@mq/coordinator';
import { RecordState, type StateBatch } from './record-state';
import { type SharePartitionKey, type ShareStateRecord, sharePartitionKeyString } from './records/share-state-record';
import type { ShareState } from './share-partition';

interface PersistedOffset {
  deliveryState: number;
  deliveryCount: number;
}

interface PersistedShareState {
  readonly key: SharePartitionKey;
  startOffset: bigint;
  stateEpoch: number;
  snapshotEpoch: number;
  /** The newest data-partition leader epoch that wrote it (a cluster's fence against deposed leaders). */
  leaderEpoch: number;
  /** Updates replayed since the last snapshot. */
  updatesSinceSnapshot: number;
  readonly offsets: Map<bigint, PersistedOffset>;
}

export interface PersistedStateInfo {
  readonly snapshotEpoch: number;
  readonly leaderEpoch: number;
  readonly stateEpoch: number;
  readonly updatesSinceSnapshot: number;
}

const byOffset = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

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
        offsets: new Map(),
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
      for (const o of s.offsets.keys()) if (o < s.startOffset) s.offsets.delete(o);
    }
    merge(s, v.stateBatches);
    if (v.leaderEpoch > s.leaderEpoch) s.leaderEpoch = v.leaderEpoch;
    s.updatesSinceSnapshot++;
  }

  /** A share-partition's persisted state (start offset and coalesced batches), undefined when it has none. */
  read(key: SharePartitionKey): ShareState | undefined {
    const s = this.states.get(sharePartitionKeyString(key));
    if (s === undefined) return undefined;
    const out: { firstOffset: bigint; lastOffset: bigint; deliveryState: number; deliveryCount: number }[] = [];
    for (const o of [...s.offsets.keys()].sort(byOffset)) {
      const r = s.offsets.get(o)!;
      const last = out[out.length - 1];
      if (last !== undefined && last.lastOffset + 1n === o && last.deliveryState === r.deliveryState && last.deliveryCount === r.deliveryCount) last.lastOffset = o;
      else out.push({ firstOffset: o, lastOffset: o, deliveryState: r.deliveryState, deliveryCount: r.deliveryCount });
    }
    return { startOffset: s.startOffset, stateBatches: out };
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
  for (const b of batches) {
    for (let o = b.firstOffset < s.startOffset ? s.startOffset : b.firstOffset; o <= b.lastOffset; o++) {
      s.offsets.set(o, { deliveryState: b.deliveryState, deliveryCount: b.deliveryCount });
    }
  }
  // Done records at the start need no entry: the start offset already says so.
  while (true) {
    const r = s.offsets.get(s.startOffset);
    if (r === undefined || (r.deliveryState !== RecordState.ACKNOWLEDGED && r.deliveryState !== RecordState.ARCHIVED)) break;
    s.offsets.delete(s.startOffset);
    s.startOffset++;
  }
}
