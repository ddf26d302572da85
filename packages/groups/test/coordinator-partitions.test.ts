// The coordinator on several __consumer_offsets partitions of a real TopicManager: each group's
// records go to the partition Kafka's hash names, a reopen loads every partition back, a failed
// append changes nothing, OffsetDelete's rules, and the import of a pre-runtime data dir (also
// when an earlier import was cut short).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Log } from '@mq/log';
import { Writer, encodeSubscription } from '@mq/protocol';
import { buildRecordBatch, decodeRecordBatch, iterateBatches } from '@mq/records';
import { describe, expect, it } from 'vitest';
import { partitionFor } from '../src/consumer-offsets-topic';
import { ErrorCode as E } from '@mq/protocol';
import type { GroupCoordinator } from '../src/group-coordinator';
import { deserializeGroupRecord } from '../src/records/group-record-serde';
import type { OffsetCommitRequest } from '../src/group-api';
import { META, joinReq } from './helpers';
import { OffsetsStore } from './offsets-store';

const PARTITIONS = 5;
const GROUPS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];

function commit(groupId: string, offsets: [string, number, bigint][], over: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  const topics = new Map<string, OffsetCommitRequest['topics'][number]>();
  for (const [name, partitionIndex, committedOffset] of offsets) {
    if (!topics.has(name)) topics.set(name, { name, partitions: [] });
    topics.get(name)!.partitions.push({ partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: null });
  }
  return { groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [...topics.values()], ...over };
}

const fetched = (c: GroupCoordinator, groupId: string) =>
  c.fetchOffsets({ groupId, topics: null, requireStable: false }).topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}:${p.committedOffset}`));

async function groupsIn(store: OffsetsStore, partition: number): Promise<string[]> {
  const p = store.partition(partition);
  const chunk = await p.read(p.logStartOffset, 1 << 20);
  const out = new Set<string>();
  for (const { batch } of iterateBatches(chunk)) for (const r of (await decodeRecordBatch(batch)).records) out.add(deserializeGroupRecord(r.key!, r.value).groupId);
  return [...out].sort();
}

describe('__consumer_offsets partitions', () => {
  it('each group’s records go to partition abs(hashCode(groupId)) % n; a reopen loads them all', async () => {
    const store = await OffsetsStore.create();
    let c = await store.open({ config: { offsetsTopicNumPartitions: PARTITIONS } });
    // Created on first use, as Kafka's: a fresh coordinator answers reads as "no such group".
    expect(store.topics!.get('__consumer_offsets')).toBeUndefined();
    expect(fetched(c, 'alpha')).toEqual([]);
    expect(c.describeGroups(['alpha'])[0]).toMatchObject({ errorCode: E.NONE, groupState: 'Dead' });
    expect(c.listGroups()).toEqual({ errorCode: E.NONE, groups: [] });
    for (const [i, g] of GROUPS.entries()) await c.commitOffsets(commit(g, [['t', 0, BigInt(i)]]));
    expect(store.topics!.get('__consumer_offsets')).toMatchObject({ isInternal: true });
    expect(store.topics!.get('__consumer_offsets')!.partitions).toHaveLength(PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) {
      expect(await groupsIn(store, p)).toEqual(GROUPS.filter((g) => partitionFor(g, PARTITIONS) === p).sort());
      for (const g of GROUPS) if (partitionFor(g, PARTITIONS) === p) expect(c.partitionFor(g)).toBe(p);
    }
    expect(new Set(GROUPS.map((g) => partitionFor(g, PARTITIONS))).size).toBeGreaterThan(1);
    await c.close();
    // The partition count is the topic's from now on, whatever the config says.
    c = await store.open({ config: { offsetsTopicNumPartitions: 3 } });
    expect(store.topics!.get('__consumer_offsets')!.partitions).toHaveLength(PARTITIONS);
    for (const [i, g] of GROUPS.entries()) expect(fetched(c, g)).toEqual([`t-0:${i}`]);
    expect(c.listGroups().groups.map((g) => g.groupId).sort()).toEqual([...GROUPS].sort());
    expect(c.coordinatorStatus('alpha')).toBe(E.NONE);
    await c.close();
    expect(c.coordinatorStatus('alpha')).toBe(E.NOT_COORDINATOR);
  });

  it('a commit whose append fails answers the mapped error and leaves the committed offsets as they were', async () => {
    const store = await OffsetsStore.create();
    const errors: string[] = [];
    const c = await store.open({ onError: (_e, ctx) => errors.push(ctx) });
    await c.commitOffsets(commit('g', [['t', 0, 5n]]));
    // The partition goes away under the coordinator (a storage failure; with replication, a lost leadership).
    await store.partition(0).close();
    const res = await c.commitOffsets(commit('g', [['t', 0, 9n], ['t', 1, 1n]]));
    expect(res.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([E.NOT_COORDINATOR, E.NOT_COORDINATOR]);
    expect(fetched(c, 'g')).toEqual(['t-0:5']);
    expect(errors.some((e) => e.includes('committing offsets of group g'))).toBe(true);
    // A simple commit that created its group and failed leaves no group behind.
    await c.commitOffsets(commit('fresh', [['t', 0, 1n]]));
    expect(c.listGroups().groups.map((g) => g.groupId)).toEqual(['g']);
    await c.close();
  });
});

describe('OffsetDelete', () => {
  it('unknown group, simple-commit group (durable), subscribed classic consumer group, other protocol type', async () => {
    const store = await OffsetsStore.create();
    let c = await store.open({ config: { initialRebalanceDelayMs: 0 } });
    expect(await c.deleteOffsets('nobody', [{ name: 't', partitions: [0] }])).toEqual({ errorCode: E.GROUP_ID_NOT_FOUND, topics: [] });
    expect(await c.deleteOffsets('', [{ name: 't', partitions: [0] }])).toMatchObject({ errorCode: E.INVALID_GROUP_ID });

    await c.commitOffsets(commit('simple', [['t', 0, 1n], ['t', 1, 2n], ['u', 0, 3n]]));
    expect(await c.deleteOffsets('simple', [{ name: 't', partitions: [0, 1, 7] }])).toEqual({
      errorCode: E.NONE,
      topics: [{ name: 't', partitions: [0, 1, 7].map((partitionIndex) => ({ partitionIndex, errorCode: E.NONE })) }],
    });
    expect(fetched(c, 'simple')).toEqual(['u-0:3']);

    // A live classic group with protocol type "consumer" subscribed to t: t refused, u deleted.
    const first = await c.joinGroup(joinReq({ groupId: 'live' }), META);
    const joined = await c.joinGroup(joinReq({ groupId: 'live', memberId: first.memberId }), META);
    await c.syncGroup({ groupId: 'live', generationId: 1, memberId: joined.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await c.commitOffsets(commit('live', [['t', 0, 4n], ['u', 0, 5n]], { generationIdOrMemberEpoch: 1, memberId: joined.memberId }));
    expect(await c.deleteOffsets('live', [{ name: 't', partitions: [0] }, { name: 'u', partitions: [0] }])).toEqual({
      errorCode: E.NONE,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: E.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'u', partitions: [{ partitionIndex: 0, errorCode: E.NONE }] },
      ],
    });
    expect(fetched(c, 'live')).toEqual(['t-0:4']);

    // A live group of another protocol type (e.g. Connect) may not lose offsets: NON_EMPTY_GROUP.
    const other = { groupId: 'connect', protocolType: 'connect', protocols: [{ name: 'sessioned', metadata: encodeSubscription({ topics: ['t'] }) }] };
    const o1 = await c.joinGroup(joinReq(other), META);
    await c.joinGroup(joinReq({ ...other, memberId: o1.memberId }), META);
    expect(await c.deleteOffsets('connect', [{ name: 't', partitions: [0] }])).toEqual({ errorCode: E.NON_EMPTY_GROUP, topics: [] });
    await c.close();

    c = await store.open();
    expect(fetched(c, 'simple')).toEqual(['u-0:3']);
    expect(fetched(c, 'live')).toEqual(['t-0:4']);
    await c.close();
  });
});

/** A pre-runtime offset record: key v1 (as Kafka's), value v1 of the old layout (offset, leader epoch, nullable metadata, commit, expire). */
function legacyOffset(group: string, topic: string, partition: number, offset: bigint | null): { key: Buffer; value: Buffer | null } {
  const k = new Writer(64);
  k.int16(1);
  k.string(group);
  k.string(topic);
  k.int32(partition);
  if (offset === null) return { key: Buffer.from(k.finishBuffer()), value: null };
  const v = new Writer(64);
  v.int16(1);
  v.int64(offset);
  v.int32(7);
  v.nullableString('legacy');
  v.int64(1000n);
  v.int64(-1n);
  return { key: Buffer.from(k.finishBuffer()), value: Buffer.from(v.finishBuffer()) };
}

async function writeLegacyLog(dir: string, records: { key: Buffer; value: Buffer | null }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const log = await Log.open(dir, { cleanupPolicy: 'compact' });
  await log.append(await buildRecordBatch({ records }));
  await log.close();
}

describe('a pre-runtime __consumer_offsets-0', () => {
  const legacy = [legacyOffset('old', 't', 0, 11n), legacyOffset('old', 't', 1, 12n), legacyOffset('old', 't', 0, 13n), legacyOffset('gone', 't', 0, 1n), legacyOffset('gone', 't', 0, null)];

  it('is imported into the internal topic (old value layout read, last record per key wins) and removed', async () => {
    const store = await OffsetsStore.create();
    await writeLegacyLog(join(store.dir, '__consumer_offsets-0'), legacy);
    const c = await store.open({ config: { offsetsTopicNumPartitions: PARTITIONS } });
    expect(c.fetchOffsets({ groupId: 'old', topics: null, requireStable: false }).topics[0]!.partitions).toEqual([
      { partitionIndex: 0, committedOffset: 13n, committedLeaderEpoch: 7, metadata: 'legacy', errorCode: E.NONE },
      { partitionIndex: 1, committedOffset: 12n, committedLeaderEpoch: 7, metadata: 'legacy', errorCode: E.NONE },
    ]);
    expect(fetched(c, 'gone')).toEqual([]);
    expect(await groupsIn(store, partitionFor('old', PARTITIONS))).toContain('old');
    await c.close();
  });

  it('an import cut short (old dir set aside, topic already created) runs again at the next start', async () => {
    const store = await OffsetsStore.create();
    // As left by a crash after the rename and the topic's creation, before (all of) the appends.
    let c = await store.open({ config: { offsetsTopicNumPartitions: PARTITIONS } });
    await c.commitOffsets(commit('other', [['t', 0, 1n]]));
    await c.close();
    await writeLegacyLog(join(store.dir, '__consumer_offsets.pre-runtime'), legacy);
    c = await store.open();
    expect(fetched(c, 'old')).toEqual(['t-0:13', 't-1:12']);
    expect(fetched(c, 'other')).toEqual(['t-0:1']);
    await c.close();
    c = await store.open();
    expect(fetched(c, 'old')).toEqual(['t-0:13', 't-1:12']);
    await c.close();
  });
});
