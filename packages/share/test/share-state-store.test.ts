// ShareStateStore on a real TopicManager in a temp dir: group commit (the writes of one turn, and
// those made while an append is in flight, share one append and each resolves once it is durable;
// a reopen replays every one), and the persister API a cluster's data-partition leaders use —
// merged updates, snapshots of the merged state, and the leader-epoch fence.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';
import { splitBatches } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordState } from '../src/record-state';
import type { ShareState } from '../src/share-partition';
import { SHARE_GROUP_STATE_TOPIC, ShareStateStore } from '../src/share-state-store';

let dir: string;
let clock: ManualClock;
let topics: TopicManager;

async function openStore(snapshotEvery = 500): Promise<ShareStateStore> {
  topics = await TopicManager.open({ dataDir: dir, clock });
  const store = new ShareStateStore({ topicManager: topics, clock, numPartitions: 1, snapshotUpdateRecordsPerSnapshot: snapshotEvery });
  await store.prepare();
  return store;
}

async function reopen(store: ShareStateStore, snapshotEvery = 500): Promise<ShareStateStore> {
  await store.close();
  await topics.close();
  return openStore(snapshotEvery);
}

/** Record batches in __share_group_state-0: one per append. */
async function appendsInLog(): Promise<number> {
  const p = topics.partition(SHARE_GROUP_STATE_TOPIC, 0);
  return splitBatches(await p.read(0n, 1 << 24)).batches.length;
}

const key = (i: number) => ({ groupId: 'g', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partition: i });
const acked = (first: bigint, last: bigint) => ({ firstOffset: first, lastOffset: last, deliveryState: RecordState.ACKNOWLEDGED, deliveryCount: 1 });
const acquired = (first: bigint, last: bigint, deliveryCount: number) => ({ firstOffset: first, lastOffset: last, deliveryState: RecordState.ACQUIRED, deliveryCount });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-share-store-'));
  clock = new ManualClock();
});
afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ShareStateStore group commit', () => {
  it('coalesces the writes of one turn into one append, and a reopen replays each of them', async () => {
    let store = await openStore();
    const before = await appendsInLog();
    const n = 40;
    const writes = Array.from({ length: n }, (_, i) => {
      const s = { startOffset: 0n, stateBatches: [acquired(0n, BigInt(i), 1)] };
      return store.write(key(i), s, () => s);
    });
    await Promise.all(writes);
    // All 40 share-partitions are new (each writes a snapshot), yet they went out as one batch.
    expect((await appendsInLog()) - before).toBe(1);
    store = await reopen(store);
    for (let i = 0; i < n; i++) expect(store.read(key(i))?.stateBatches).toEqual([acquired(0n, BigInt(i), 1)]);
    await store.close();
  });

  it('writes made while an append is in flight join the next one, in call order per share-partition', async () => {
    let store = await openStore();
    const first = { startOffset: 0n, stateBatches: [acquired(0n, 9n, 1)] };
    const inFlight = store.write(key(0), first, () => first);
    // Next turn: the first append has started; these two queue behind it as one.
    await Promise.resolve();
    const later = [store.write(key(0), { startOffset: 0n, stateBatches: [acked(0n, 4n)] }, () => first), store.write(key(0), { startOffset: 5n, stateBatches: [acked(5n, 9n)] }, () => first)];
    await Promise.all([inFlight, ...later]);
    expect(await appendsInLog()).toBeLessThanOrEqual(2);
    store = await reopen(store);
    // Every record of the window acknowledged: the start moved past it.
    expect(store.read(key(0))).toEqual({ startOffset: 10n, stateBatches: [] });
    await store.close();
  });
});

describe('ShareStateStore persister API (a data partition leader writing through the share coordinator)', () => {
  it('merges a leader’s changes, snapshots the merged state, and fences a deposed leader', async () => {
    let store = await openStore(2);
    expect(await store.readForLeader(key(1), 5)).toBeUndefined();
    await store.writeFromLeader(key(1), 5, { startOffset: 100n, stateBatches: [acquired(100n, 109n, 1)] });
    await store.writeFromLeader(key(1), 5, { startOffset: 100n, stateBatches: [acked(100n, 101n)] });
    await store.writeFromLeader(key(1), 5, { startOffset: 102n, stateBatches: [acquired(102n, 104n, 2)] });
    // Past snapshotUpdateRecordsPerSnapshot: this one is a snapshot of everything merged so far.
    await store.writeFromLeader(key(1), 5, { startOffset: 102n, stateBatches: [acked(105n, 105n)] });
    const merged = { startOffset: 102n, stateBatches: [acquired(102n, 104n, 2), acked(105n, 105n), acquired(106n, 109n, 1)] };
    store = await reopen(store, 2);
    expect(await store.readForLeader(key(1), 6)).toEqual(merged);
    // The leader of epoch 5 lost the partition: its late write is refused, and the state stays.
    const late = await store.writeFromLeader(key(1), 5, { startOffset: 102n, stateBatches: [acked(102n, 109n)] }).then(
      () => ErrorCode.NONE,
      (err: unknown) => kafkaErrorCode(err),
    );
    expect(late).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    await store.writeFromLeader(key(1), 6, { startOffset: 102n, stateBatches: [acked(102n, 104n)] });
    store = await reopen(store, 2);
    expect(store.read(key(1))).toEqual({ startOffset: 106n, stateBatches: [acquired(106n, 109n, 1)] });
    // The fence survives the coordinator's restart: epoch 6 is in the log now.
    const stale = await store.readForLeader(key(1), 5).then(
      () => ErrorCode.NONE,
      (err: unknown) => kafkaErrorCode(err),
    );
    expect(stale).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    await store.close();
  });

  it('summarizes a key’s start offset for the offsets admin without claiming it (ReadShareGroupStateSummary)', async () => {
    let store = await openStore();
    expect(await store.readSummary(key(3))).toBeUndefined();
    await store.writeFromLeader(key(3), 4, { startOffset: 20n, stateBatches: [acked(20n, 24n), acquired(25n, 29n, 1)] });
    expect(await store.readSummary(key(3))).toEqual({ stateEpoch: 0, startOffset: 25n });
    store = await reopen(store);
    expect(await store.readSummary(key(3))).toEqual({ stateEpoch: 0, startOffset: 25n });
    // It fenced no one: the leader of epoch 4 keeps writing.
    await store.writeFromLeader(key(3), 4, { startOffset: 25n, stateBatches: [acked(25n, 29n)] });
    expect(await store.readSummary(key(3))).toEqual({ stateEpoch: 0, startOffset: 30n });
    await store.close();
  });

  it('refuses malformed state batches with INVALID_REQUEST and stores nothing of them', async () => {
    let store = await openStore();
    const refused = (change: ShareState) =>
      store.writeFromLeader(key(2), 1, change).then(
        () => ErrorCode.NONE,
        (err: unknown) => kafkaErrorCode(err),
      );
    // Reversed, negative, a state that does not exist, and a span no share-partition window has.
    expect(await refused({ startOffset: 0n, stateBatches: [acked(9n, 3n)] })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await refused({ startOffset: 0n, stateBatches: [acked(-5n, 3n)] })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await refused({ startOffset: -7n, stateBatches: [] })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await refused({ startOffset: 0n, stateBatches: [{ firstOffset: 0n, lastOffset: 1n, deliveryState: 3, deliveryCount: 1 }] })).toBe(ErrorCode.INVALID_REQUEST);
    expect(await refused({ startOffset: 0n, stateBatches: [acquired(0n, (1n << 62n) - 1n, 1)] })).toBe(ErrorCode.INVALID_REQUEST);
    store = await reopen(store);
    expect(store.read(key(2))).toBeUndefined();
    await store.close();
  });
});
