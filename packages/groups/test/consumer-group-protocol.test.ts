// KIP-848 ConsumerGroupHeartbeat on a fake clock: join, server-side assignment, revoke-then-assign
// reconciliation between two members, epochs and fencing, leave, session expiry, offset commits
// with member epochs, and the classic/consumer group type boundary.
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import { OffsetsStore } from './offsets-store';
import { hb, open, owned, parts } from './consumer-helpers';
import { META, joinReq } from './helpers';

describe('ConsumerGroupHeartbeat', () => {
  it('assigns server-side and moves partitions only after the owner revokes them', async () => {
    const { c } = await open();
    const a0 = (await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META));
    expect(a0).toMatchObject({ errorCode: E.NONE, memberId: 'a', memberEpoch: 1, heartbeatIntervalMs: 500 });
    expect(parts(a0)).toEqual([0, 1, 2, 3, 4, 5]);
    // a reports ownership; nothing changed, so no assignment in the answer.
    expect(parts((await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 3_000, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META)))).toBeNull();

    const b0 = (await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META));
    expect(b0.memberEpoch).toBe(2);
    expect(parts(b0)).toEqual([]); // everything is still a's
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Reconciling');

    const a1 = (await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 3_000, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META));
    expect(a1.memberEpoch).toBe(1); // must revoke first
    const aKeeps = parts(a1)!;
    expect(aKeeps).toHaveLength(3);
    const a2 = (await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(aKeeps) }), META));
    expect(a2.memberEpoch).toBe(2);
    const b1 = (await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned([]) }), META));
    expect(parts(b1)).toEqual([0, 1, 2, 3, 4, 5].filter((p) => !aKeeps.includes(p)));
    (await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned(parts(b1)!) }), META));
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Stable');
    expect(c.listGroups([], ['consumer']).groups).toEqual([{ groupId: 'cg', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);

    // Fencing and offset commits with member epochs.
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 7 }), META)).errorCode).toBe(E.FENCED_MEMBER_EPOCH);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'ghost', memberEpoch: 3 }), META)).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    const commit = (memberId: string, epoch: number) =>
      c.commitOffsets({ groupId: 'cg', generationIdOrMemberEpoch: epoch, memberId, groupInstanceId: null,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }] }] });
    expect((await commit('a', 2)).topics[0]!.partitions[0]!.errorCode).toBe(E.NONE);
    expect((await commit('a', 0)).topics[0]!.partitions[0]!.errorCode).toBe(E.STALE_MEMBER_EPOCH);
    expect((await commit('ghost', 2)).topics[0]!.partitions[0]!.errorCode).toBe(E.UNKNOWN_MEMBER_ID);

    // A classic member cannot join a live consumer group.
    expect((await c.joinGroup(joinReq({ groupId: 'cg' }), META)).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);

    // b leaves: a gets everything back on its next heartbeat.
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: -1 }), META))).toMatchObject({ errorCode: E.NONE, memberEpoch: -1 });
    const a3 = (await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(aKeeps) }), META));
    expect(parts(a3)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(a3.memberEpoch).toBe(3);
  });

  it('fences a member that does not revoke within its rebalance timeout', async () => {
    const { c, clock } = await open();
    (await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'], rebalanceTimeoutMs: 3_000 }), META));
    (await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META));
    // a keeps reporting all six partitions (heartbeating, so its session stays alive).
    const stubborn = () => c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 3_000, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect((await stubborn()).errorCode).toBe(E.NONE);
    await clock.advance(2_000);
    expect((await stubborn()).errorCode).toBe(E.NONE);
    await clock.advance(1_500);
    expect((await stubborn()).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    const b = (await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned([]) }), META));
    expect(parts(b)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('expires silent members and validates requests', async () => {
    const { c, clock } = await open();
    expect((await c.consumerGroupHeartbeat(hb({ subscribedTopicNames: null }), META)).errorCode).toBe(E.INVALID_REQUEST);
    expect((await c.consumerGroupHeartbeat(hb({ subscribedTopicNames: ['t'], serverAssignor: 'magic' }), META)).errorCode).toBe(E.UNSUPPORTED_ASSIGNOR);
    const a = (await c.consumerGroupHeartbeat(hb({ subscribedTopicNames: ['t', 'missing'], serverAssignor: 'range' }), META));
    expect(a.memberId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parts(a)).toEqual([0, 1, 2, 3, 4, 5]);
    await clock.advance(4_000);
    (await c.consumerGroupHeartbeat(hb({ memberId: a.memberId!, memberEpoch: a.memberEpoch }), META));
    await clock.advance(4_000);
    expect(c.describeGroups(['cg'])[0]!.members).toHaveLength(1);
    await clock.advance(2_000);
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Empty');
    // An empty consumer group can be taken over by a classic member, and deleted once empty.
    expect((await c.deleteGroups(['cg']))[0]!.errorCode).toBe(E.NONE);
    // A live classic group refuses KIP-848 members.
    const first = await c.joinGroup(joinReq({ groupId: 'classic' }), META);
    await c.joinGroup(joinReq({ groupId: 'classic', memberId: first.memberId }), META);
    expect((await c.consumerGroupHeartbeat(hb({ groupId: 'classic', subscribedTopicNames: ['t'] }), META)).errorCode).toBe(E.GROUP_ID_NOT_FOUND);
  });

  it('restores consumer groups from __consumer_offsets records', async () => {
    const log = await OffsetsStore.create();
    let { c } = await open(log);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    const aKeeps = parts(a1)!;
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(aKeeps) }), META);
    const b1 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned([]) }), META);
    await c.close();

    ({ c } = await open(log));
    expect(c.listGroups([], ['consumer']).groups.map((g) => g.groupId)).toEqual(['cg']);
    // Both members carry on with their epochs and keep their partitions.
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(aKeeps) }), META);
    expect(a2).toMatchObject({ errorCode: E.NONE, memberEpoch: 2 });
    expect(parts(a2)).toEqual(aKeeps);
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned(parts(b1)!) }), META);
    expect(parts(b2)).toEqual(parts(b1));
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Stable');
    // Leaving and deleting leaves nothing behind after another reload.
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: -1 }), META);
    await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: -1 }), META);
    expect((await c.deleteGroups(['cg']))[0]!.errorCode).toBe(E.NONE);
    await c.close();
    ({ c } = await open(log));
    expect(c.listGroups().groups).toEqual([]);
    await c.close();
  });

  it('an empty classic group taken over by KIP-848 members stays a consumer group after a reload', async () => {
    const log = await OffsetsStore.create();
    let { c } = await open(log);
    const first = await c.joinGroup(joinReq({ groupId: 'cg' }), META);
    const joined = await c.joinGroup(joinReq({ groupId: 'cg', memberId: first.memberId }), META);
    await c.syncGroup({ groupId: 'cg', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    c.leaveGroup({ groupId: 'cg', members: [{ memberId: joined.memberId, groupInstanceId: null }] });
    await new Promise((r) => setTimeout(r, 10));
    const a = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    expect(a.errorCode).toBe(E.NONE);
    await c.close();
    ({ c } = await open(log));
    expect(c.listGroups().groups).toEqual([{ groupId: 'cg', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a.memberEpoch }), META)).errorCode).toBe(E.NONE);
    await c.close();
  });
});
