// The classic group state machine on a fake clock: joins, syncs, heartbeats, leaves, timeouts,
// fencing and static membership.
import { describe, expect, it } from 'vitest';
import { ErrorCode as E, encodeSubscription } from '@mq/protocol';
import type { GroupCoordinator } from '../src/group-coordinator';
import type { JoinGroupResponse } from '../src/group-api';
import { flush } from './fake-clock';
import { META, joinReq, newCoordinator } from './helpers';

/** First JoinGroup gets MEMBER_ID_REQUIRED; returns the second (parked) join, wrapped so await does not flatten it. */
async function twoStep(c: GroupCoordinator, over: Parameters<typeof joinReq>[0] = {}): Promise<{ join: Promise<JoinGroupResponse> }> {
  const first = await c.joinGroup(joinReq(over), META);
  expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
  return { join: c.joinGroup(joinReq({ ...over, memberId: first.memberId }), META) };
}

function state(c: GroupCoordinator, groupId = 'g'): string {
  return c.describeGroups([groupId])[0]!.groupState;
}

describe('join and sync', () => {
  it('two-step join, leader assignment, Stable', async () => {
    const { coordinator: c } = await newCoordinator();
    const join = (await twoStep(c)).join;
    const res = await join;
    expect(res.errorCode).toBe(E.NONE);
    expect(res.generationId).toBe(1);
    expect(res.leader).toBe(res.memberId);
    expect(res.protocolName).toBe('range');
    expect(res.members.map((m) => m.memberId)).toEqual([res.memberId]);
    expect(state(c)).toBe('CompletingRebalance');
    const sync = await c.syncGroup({
      groupId: 'g', generationId: 1, memberId: res.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range',
      assignments: [{ memberId: res.memberId, assignment: Buffer.from('A') }],
    });
    expect(sync).toMatchObject({ errorCode: E.NONE, assignment: Buffer.from('A') });
    expect(state(c)).toBe('Stable');
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: res.memberId, groupInstanceId: null })).toBe(E.NONE);
  });

  it('a second member triggers a rebalance; the follower waits for the leader sync', async () => {
    const { coordinator: c } = await newCoordinator();
    const a = await (await twoStep(c)).join;
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const bJoin = (await twoStep(c)).join;
    expect(state(c)).toBe('PreparingRebalance');
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(E.REBALANCE_IN_PROGRESS);
    const aJoin = c.joinGroup(joinReq({ memberId: a.memberId }), META);
    const [a2, b2] = await Promise.all([aJoin, bJoin]);
    expect(a2.generationId).toBe(2);
    expect(b2.generationId).toBe(2);
    expect(a2.leader).toBe(a.memberId);
    expect(a2.members).toHaveLength(2);
    expect(b2.members).toHaveLength(0);
    const followerSync = c.syncGroup({ groupId: 'g', generationId: 2, memberId: b2.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    let settled = false;
    void followerSync.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    await c.syncGroup({
      groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null,
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('a') }, { memberId: b2.memberId, assignment: Buffer.from('b') }],
    });
    expect((await followerSync).assignment).toEqual(Buffer.from('b'));
    expect(state(c)).toBe('Stable');
  });

  it('protocol selection by vote and INCONSISTENT_GROUP_PROTOCOL', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 100 });
    const md = encodeSubscription({ topics: ['t'] });
    const a = (await twoStep(c, { protocols: [{ name: 'roundrobin', metadata: md }, { name: 'range', metadata: md }] })).join;
    const b = (await twoStep(c, { protocols: [{ name: 'range', metadata: md }, { name: 'roundrobin', metadata: md }] })).join;
    const cJoin = (await twoStep(c, { protocols: [{ name: 'range', metadata: md }] })).join;
    await clock.advance(250);
    const [ra] = await Promise.all([a, b, cJoin]);
    expect(ra.protocolName).toBe('range');
    const bad = await c.joinGroup(joinReq({ protocols: [{ name: 'sticky', metadata: md }] }), META);
    expect(bad.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const badType = await c.joinGroup(joinReq({ protocolType: 'connect' }), META);
    expect(badType.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('rejects bad input: empty group id, session timeout out of bounds, empty protocols', async () => {
    const { coordinator: c } = await newCoordinator({ minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 60_000 });
    expect((await c.joinGroup(joinReq({ groupId: '' }), META)).errorCode).toBe(E.INVALID_GROUP_ID);
    expect((await c.joinGroup(joinReq({ sessionTimeoutMs: 10 }), META)).errorCode).toBe(E.INVALID_SESSION_TIMEOUT);
    expect((await c.joinGroup(joinReq({ sessionTimeoutMs: 120_000 }), META)).errorCode).toBe(E.INVALID_SESSION_TIMEOUT);
    expect((await c.joinGroup(joinReq({ protocols: [] }), META)).errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    expect((await c.joinGroup(joinReq({ memberId: 'nobody' }), META)).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(c.listGroups().groups).toEqual([]);
  });

  it('v0-v3 joins without MEMBER_ID_REQUIRED', async () => {
    const { coordinator: c } = await newCoordinator();
    const res = await c.joinGroup(joinReq(), { ...META, apiVersion: 2 });
    expect(res.errorCode).toBe(E.NONE);
    expect(res.memberId).toMatch(/^client-/);
  });
});

describe('fencing', () => {
  it('ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID for stale generation / member', async () => {
    const { coordinator: c } = await newCoordinator();
    const a = await (await twoStep(c)).join;
    expect(await c.heartbeat({ groupId: 'g', generationId: 0, memberId: a.memberId, groupInstanceId: null })).toBe(E.ILLEGAL_GENERATION);
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: 'ghost', groupInstanceId: null })).toBe(E.UNKNOWN_MEMBER_ID);
    expect(await c.heartbeat({ groupId: 'nope', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(E.UNKNOWN_MEMBER_ID);
    const sync = await c.syncGroup({ groupId: 'g', generationId: 7, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    expect(sync.errorCode).toBe(E.ILLEGAL_GENERATION);
    const wrongProto = await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'sticky', assignments: [] });
    expect(wrongProto.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });
});

describe('timeouts', () => {
  it('session timeout removes a silent member and rebalances the rest', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 100 });
    const aJ = (await twoStep(c, { sessionTimeoutMs: 6000 })).join;
    const bJ = (await twoStep(c, { sessionTimeoutMs: 6000 })).join;
    await clock.advance(250);
    const [a, b] = await Promise.all([aJ, bJ]);
    const leader = a.leader === a.memberId ? a : b;
    const follower = leader === a ? b : a;
    const fSync = c.syncGroup({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await fSync;
    expect(state(c)).toBe('Stable');
    // Only the leader keeps heartbeating.
    for (let i = 0; i < 4; i++) {
      await clock.advance(2000);
      const err = await c.heartbeat({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: null });
      if (err !== E.NONE) {
        expect(err).toBe(E.REBALANCE_IN_PROGRESS);
        break;
      }
    }
    expect(state(c)).toBe('PreparingRebalance');
    expect(c.describeGroups(['g'])[0]!.members.map((m) => m.memberId)).toEqual([leader.memberId]);
    const re = await c.joinGroup(joinReq({ memberId: leader.memberId, sessionTimeoutMs: 6000 }), META);
    expect(re.generationId).toBe(2);
    expect(re.members).toHaveLength(1);
  });

  it('rebalance timeout drops members that do not rejoin', async () => {
    const { coordinator: c, clock } = await newCoordinator();
    const aJ = (await twoStep(c, { rebalanceTimeoutMs: 5000 })).join;
    const a = await aJ;
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const bJ = (await twoStep(c, { rebalanceTimeoutMs: 5000 })).join;
    let done = false;
    void bJ.then(() => (done = true));
    await clock.advance(4000);
    expect(done).toBe(false);
    await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null });
    await clock.advance(1500);
    const b = await bJ;
    expect(b.generationId).toBe(2);
    expect(b.leader).toBe(b.memberId);
    expect(b.members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(await c.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('a leader that never syncs is removed after the rebalance timeout', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 100 });
    const joins = [(await twoStep(c, { rebalanceTimeoutMs: 3000 })).join, (await twoStep(c, { rebalanceTimeoutMs: 3000 })).join];
    await clock.advance(250);
    const [a, b] = (await Promise.all(joins)) as [JoinGroupResponse, JoinGroupResponse];
    const follower = a.leader === a.memberId ? b : a;
    const fSync = c.syncGroup({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await clock.advance(3500);
    expect((await fSync).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    expect(c.describeGroups(['g'])[0]!.members.map((m) => m.memberId)).toEqual([follower.memberId]);
  });

  it('pending MEMBER_ID_REQUIRED members expire and stop blocking the join', async () => {
    const { coordinator: c, clock } = await newCoordinator();
    const a = await (await twoStep(c, { sessionTimeoutMs: 2000 })).join;
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const bFirst = await c.joinGroup(joinReq({ sessionTimeoutMs: 2000 }), META);
    expect(bFirst.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    expect(state(c)).toBe('Stable');
    await clock.advance(2500);
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('initial rebalance delay gathers members that join close together', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 1000 });
    const aJ = (await twoStep(c)).join;
    await clock.advance(500);
    const bJ = (await twoStep(c)).join;
    await clock.advance(900);
    let done = false;
    void aJ.then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    // The delay that saw b join is followed by one more delay (Kafka's InitialDelayedJoin).
    await clock.advance(700);
    const [a, b] = await Promise.all([aJ, bJ]);
    expect(a.generationId).toBe(1);
    expect(b.generationId).toBe(1);
    expect([a, b].find((r) => r.memberId === r.leader)!.members).toHaveLength(2);
  });
});

describe('leave and static membership', () => {
  it('LeaveGroup (batched) removes members and rebalances', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 100 });
    const joins = [(await twoStep(c)).join, (await twoStep(c)).join];
    await clock.advance(250);
    const [a, b] = (await Promise.all(joins)) as [JoinGroupResponse, JoinGroupResponse];
    const res = await c.leaveGroup({ groupId: 'g', members: [{ memberId: b.memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] });
    expect(res.members.map((m) => m.errorCode)).toEqual([E.NONE, E.UNKNOWN_MEMBER_ID]);
    expect(state(c)).toBe('PreparingRebalance');
    const again = await c.joinGroup(joinReq({ memberId: a.memberId }), META);
    expect(again.generationId).toBe(2);
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: a.memberId, groupInstanceId: null }] });
    expect(state(c)).toBe('Empty');
  });

  it('a static member restarting with the same subscription takes over without a rebalance', async () => {
    const { coordinator: c, clock } = await newCoordinator({ initialRebalanceDelayMs: 100 });
    const aJ = c.joinGroup(joinReq({ groupInstanceId: 'i-a' }), META);
    const bJ = c.joinGroup(joinReq({ groupInstanceId: 'i-b' }), META);
    await clock.advance(250);
    const [a, b] = await Promise.all([aJ, bJ]);
    expect(a.errorCode).toBe(E.NONE);
    const leader = a.leader === a.memberId ? a : b;
    const follower = leader === a ? b : a;
    const fSync = c.syncGroup({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: follower === a ? 'i-a' : 'i-b', protocolType: null, protocolName: null, assignments: [] });
    await c.syncGroup({
      groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: leader === a ? 'i-a' : 'i-b', protocolType: null, protocolName: null,
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }, { memberId: b.memberId, assignment: Buffer.from('B') }],
    });
    await fSync;
    // Instance i-b restarts: new JoinGroup without memberId.
    const b2 = await c.joinGroup(joinReq({ groupInstanceId: 'i-b' }), META);
    expect(b2.errorCode).toBe(E.NONE);
    expect(b2.generationId).toBe(1);
    expect(b2.memberId).not.toBe(b.memberId);
    expect(state(c)).toBe('Stable');
    const s2 = await c.syncGroup({ groupId: 'g', generationId: 1, memberId: b2.memberId, groupInstanceId: 'i-b', protocolType: null, protocolName: null, assignments: [] });
    expect(s2.assignment).toEqual(Buffer.from('B'));
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'i-b' })).toBe(E.FENCED_INSTANCE_ID);
    // A changed subscription does rebalance.
    const b3 = c.joinGroup(joinReq({ groupInstanceId: 'i-b', protocols: [{ name: 'range', metadata: encodeSubscription({ topics: ['t', 'u'] }) }] }), META);
    await flush();
    expect(state(c)).toBe('PreparingRebalance');
    const a2 = c.joinGroup(joinReq({ memberId: a.memberId, groupInstanceId: 'i-a' }), META);
    expect((await Promise.all([a2, b3]))[1].generationId).toBe(2);
  });
});

describe('describe, list, delete', () => {
  it('DescribeGroups, ListGroups with states filter, DeleteGroups', async () => {
    const { coordinator: c } = await newCoordinator();
    const a = await (await twoStep(c)).join;
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from('x') }] });
    await c.commitOffsets({ groupId: 'simple', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }] }] });
    const [g, unknown] = c.describeGroups(['g', 'nope']);
    expect(g).toMatchObject({ errorCode: E.NONE, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(g!.members[0]!.memberAssignment).toEqual(Buffer.from('x'));
    expect(unknown).toMatchObject({ errorCode: E.NONE, groupState: 'Dead' });
    expect(c.listGroups().groups.map((x) => x.groupId).sort()).toEqual(['g', 'simple']);
    expect(c.listGroups(['stable']).groups.map((x) => x.groupId)).toEqual(['g']);
    expect(c.listGroups([], ['consumer']).groups).toEqual([]);
    const del = await c.deleteGroups(['g', 'simple', 'nope', '']);
    expect(del.map((d) => d.errorCode)).toEqual([E.NON_EMPTY_GROUP, E.NONE, E.GROUP_ID_NOT_FOUND, E.INVALID_GROUP_ID]);
    expect(c.listGroups().groups.map((x) => x.groupId)).toEqual(['g']);
    expect(c.fetchOffsets({ groupId: 'simple', topics: null, requireStable: false }).topics).toEqual([]);
  });
});
