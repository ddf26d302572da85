// Groups change through their records: a KIP-848 heartbeat's records are appended and then
// replayed, so one whose append fails changes nothing (and says so), and a reloaded coordinator
// has every member's epoch, assignment, pending revocation and the target back — it carries on
// mid-reconciliation without computing a new target or moving the group epoch. A classic leader's
// assignment reaches the members only by the replay of its appended group record.
import { CONSUMER_OFFSETS_TOPIC } from '../src/consumer-offsets-topic';
import { deserializeGroupRecord } from '../src/records/group-record-serde';
import { decodeRecordBatch, iterateBatches } from '@mq/records';
import { FaultyFileSystem } from '@mq/log/testing';
import { ErrorCode as E } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import { hb, open, owned, parts } from './consumer-helpers';
import { META, joinReq, newCoordinator } from './helpers';
import { OffsetsStore } from './offsets-store';

/** The record types in __consumer_offsets-0, in log order. */
async function recordTypes(log: OffsetsStore): Promise<string[]> {
  const p = log.partition(0);
  const out: string[] = [];
  for (const { batch } of iterateBatches(await p.read(p.logStartOffset, 1 << 20))) {
    for (const r of (await decodeRecordBatch(batch)).records) {
      const rec = deserializeGroupRecord(r.key!, r.value);
      out.push(`${rec.type}${r.value === null ? ' tombstone' : ''}`);
    }
  }
  return out;
}

describe('KIP-848 groups through records', () => {
  it('writes Kafka’s records for a join: member, subscribed topics, group epoch, target, current assignment', async () => {
    const log = await OffsetsStore.create();
    const { c } = await open(log);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    expect(await recordTypes(log)).toEqual([
      'consumer-member',
      'consumer-partition-metadata',
      'consumer-group',
      'consumer-target-member',
      'consumer-target',
      'consumer-assignment',
    ]);
    // A heartbeat that changes nothing durable writes nothing.
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect(await recordTypes(log)).toHaveLength(6);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: -1 }), META);
    expect((await recordTypes(log)).slice(6)).toEqual([
      'consumer-assignment tombstone',
      'consumer-target-member tombstone',
      'consumer-member tombstone',
      'consumer-group',
    ]);
    await c.close();
  });

  it('a heartbeat whose records cannot be appended changes nothing and answers the error; the group carries on after', async () => {
    const fs = new FaultyFileSystem();
    const log = await OffsetsStore.create(fs);
    const { c } = await open(log);
    const a = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    expect(a).toMatchObject({ errorCode: E.NONE, memberEpoch: 1 });
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);

    const full = fs.inject({ op: 'writev', path: (p) => p.includes(CONSUMER_OFFSETS_TOPIC), code: 'ENOSPC' });
    const b = await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    expect(b.errorCode).toBe(E.NOT_COORDINATOR);
    const left = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: -1 }), META);
    expect(left.errorCode).toBe(E.NOT_COORDINATOR);
    expect(full.hits).toBeGreaterThan(0);
    // Neither the join nor the leave happened: a alone, at epoch 1, with every partition.
    const described = c.describeGroups(['cg'])[0]!;
    expect(described.members.map((m) => m.memberId)).toEqual(['a']);
    expect(described.groupState).toBe('Stable');
    const still = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, subscribedTopicNames: ['t'] }), META);
    expect(still).toMatchObject({ errorCode: E.NONE, memberEpoch: 1 });

    full.clear();
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    expect(b2).toMatchObject({ errorCode: E.NONE, memberEpoch: 2 });
    expect(c.describeGroups(['cg'])[0]!.members.map((m) => m.memberId).sort()).toEqual(['a', 'b']);
    await c.close();
  });

  it('a session that ends while the log refuses writes keeps the member until its removal is written', async () => {
    const fs = new FaultyFileSystem();
    const log = await OffsetsStore.create(fs);
    const { c, clock } = await open(log);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    const full = fs.inject({ op: 'writev', path: (p) => p.includes(CONSUMER_OFFSETS_TOPIC), code: 'EIO' });
    await clock.advance(6_000);
    expect(full.hits).toBeGreaterThan(0);
    expect(c.describeGroups(['cg'])[0]!.members).toHaveLength(1);
    full.clear();
    // The next session end (another session timeout on) is written and removes it.
    await clock.advance(6_000);
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Empty');
    await c.close();
  });

  it('a reload restores epochs, target and pending revocations: the group carries on mid-reconciliation', async () => {
    const log = await OffsetsStore.create();
    let { c } = await open(log);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    const b = await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    expect(b).toMatchObject({ errorCode: E.NONE, memberEpoch: 2 });
    expect(parts(b)).toEqual([]);
    // a is told to keep half; until it reports the other half revoked it stays at epoch 1.
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect(a1.memberEpoch).toBe(1);
    const aKeeps = parts(a1)!;
    expect(aKeeps).toHaveLength(3);
    await c.close();

    ({ c } = await open(log));
    // Straight after the load: the target is there (not Assigning), a still reconciles.
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Reconciling');
    // a has not revoked yet, so b still gets nothing.
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned([]) }), META);
    expect(b2).toMatchObject({ errorCode: E.NONE, memberEpoch: 2 });
    expect(parts(b2)).toEqual([]);
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(aKeeps) }), META);
    expect(a2).toMatchObject({ errorCode: E.NONE, memberEpoch: 2 });
    const b3 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned([]) }), META);
    expect(b3.memberEpoch).toBe(2);
    expect([...aKeeps, ...parts(b3)!].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Stable');
    await c.close();
  });
});

describe('a classic group through records', () => {
  it('a leader assignment that cannot be appended is not handed out: COORDINATOR_NOT_AVAILABLE, a rebalance, then the next generation syncs', async () => {
    const fs = new FaultyFileSystem();
    const { coordinator: c } = await newCoordinator({}, await OffsetsStore.create(fs));
    const first = await c.joinGroup(joinReq(), META);
    const joined = await c.joinGroup(joinReq({ memberId: first.memberId }), META);
    expect(joined).toMatchObject({ errorCode: E.NONE, generationId: 1 });
    const sync = (generationId: number) =>
      c.syncGroup({ groupId: 'g', generationId, memberId: joined.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: joined.memberId, assignment: Buffer.from('A') }] });

    const full = fs.inject({ op: 'writev', path: (p) => p.includes(CONSUMER_OFFSETS_TOPIC), code: 'ENOSPC' });
    expect((await sync(1)).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(full.hits).toBeGreaterThan(0);
    const described = c.describeGroups(['g'])[0]!;
    expect(described.groupState).toBe('PreparingRebalance');
    full.clear();

    const rejoined = await c.joinGroup(joinReq({ memberId: joined.memberId }), META);
    expect(rejoined).toMatchObject({ errorCode: E.NONE, generationId: 2 });
    expect(await sync(2)).toMatchObject({ errorCode: E.NONE, assignment: Buffer.from('A') });
    const stable = c.describeGroups(['g'])[0]!;
    expect(stable.groupState).toBe('Stable');
    expect(stable.members[0]!.memberAssignment).toEqual(Buffer.from('A'));
    await c.close();
  });
});
