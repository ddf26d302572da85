// The classic join phase through records: the GroupMetadata records it writes (the Empty generation a
// join phase ends with when nobody is left, a restarted static member taking over in Stable) change
// the group only once appended, so one whose append fails (ENOSPC through FaultyFileSystem) answers
// the error and leaves the group as it was; and a coordinator restarted mid-rebalance has the last
// generation written (the in-flight rebalance is memory only, as Kafka's), which its members rejoin.
import { FaultyFileSystem } from '@mq/log/testing';
import { ErrorCode as E } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import { CONSUMER_OFFSETS_TOPIC } from '../src/consumer-offsets-topic';
import type { GroupCoordinator } from '../src/group-coordinator';
import type { JoinGroupResponse } from '../src/group-api';
import { FakeClock } from './fake-clock';
import { META, joinReq, newCoordinator } from './helpers';
import { OffsetsStore } from './offsets-store';

const full = (fs: FaultyFileSystem) => fs.inject({ op: 'writev', path: (p) => p.includes(CONSUMER_OFFSETS_TOPIC), code: 'ENOSPC' });

/** One member through the two-step join and its sync: Stable at generation 1 holding `assignment`. */
async function stableMember(c: GroupCoordinator, over: Parameters<typeof joinReq>[0] = {}, assignment = 'A'): Promise<JoinGroupResponse> {
  const first = await c.joinGroup(joinReq(over), META);
  const joined = over.groupInstanceId ? first : await c.joinGroup(joinReq({ ...over, memberId: first.memberId }), META);
  expect(joined).toMatchObject({ errorCode: E.NONE, generationId: 1 });
  const sync = await c.syncGroup({
    groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: over.groupInstanceId ?? null, protocolType: null, protocolName: null,
    assignments: [{ memberId: joined.memberId, assignment: Buffer.from(assignment) }],
  });
  expect(sync.errorCode).toBe(E.NONE);
  return joined;
}

function described(c: GroupCoordinator) {
  const g = c.describeGroups(['g'])[0]!;
  return { state: g.groupState, members: g.members.map((m) => [m.memberId, m.memberAssignment.toString()]) };
}

describe('the classic join phase through records', () => {
  it('the last member’s LeaveGroup whose Empty generation cannot be appended answers the error and leaves the group Stable with it', async () => {
    const fs = new FaultyFileSystem();
    const { coordinator: c } = await newCoordinator({}, await OffsetsStore.create(fs));
    const a = await stableMember(c);
    const fault = full(fs);
    const left = await c.leaveGroup({ groupId: 'g', members: [{ memberId: a.memberId, groupInstanceId: null }] });
    expect(fault.hits).toBeGreaterThan(0);
    expect(left.errorCode).toBe(E.NOT_COORDINATOR);
    expect(described(c)).toEqual({ state: 'Stable', members: [[a.memberId, 'A']] });
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null })).toBe(E.NONE);
    fault.clear();
    const again = await c.leaveGroup({ groupId: 'g', members: [{ memberId: a.memberId, groupInstanceId: null }] });
    expect(again).toMatchObject({ errorCode: E.NONE, members: [{ memberId: a.memberId, errorCode: E.NONE }] });
    expect(described(c)).toEqual({ state: 'Empty', members: [] });
    // The next member starts generation 3: the Empty generation 2 was written and replayed.
    const next = await c.joinGroup(joinReq({ memberId: (await c.joinGroup(joinReq(), META)).memberId }), META);
    expect(next.generationId).toBe(3);
    await c.close();
  });

  it('a static member taking over whose record cannot be appended answers the error: the old member keeps its place, nobody is fenced', async () => {
    const fs = new FaultyFileSystem();
    const { coordinator: c } = await newCoordinator({}, await OffsetsStore.create(fs));
    const a = await stableMember(c, { groupInstanceId: 'i-a' });
    const fault = full(fs);
    const restarted = await c.joinGroup(joinReq({ groupInstanceId: 'i-a' }), META);
    expect(fault.hits).toBeGreaterThan(0);
    expect(restarted.errorCode).toBe(E.NOT_COORDINATOR);
    expect(described(c)).toEqual({ state: 'Stable', members: [[a.memberId, 'A']] });
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'i-a' })).toBe(E.NONE);
    fault.clear();
    const took = await c.joinGroup(joinReq({ groupInstanceId: 'i-a' }), META);
    expect(took).toMatchObject({ errorCode: E.NONE, generationId: 1 });
    expect(described(c)).toEqual({ state: 'Stable', members: [[took.memberId, 'A']] });
    expect(await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'i-a' })).toBe(E.FENCED_INSTANCE_ID);
    await c.close();
  });

  it('a heartbeat sent while a static takeover is being written takes its turn after it: the replaced member is fenced, not told NONE', async () => {
    const { coordinator: c } = await newCoordinator({}, await OffsetsStore.create());
    const a = await stableMember(c, { groupInstanceId: 'i-a' });
    const order: string[] = [];
    const takeover = c.joinGroup(joinReq({ groupInstanceId: 'i-a' }), META).then((r) => {
      order.push('takeover');
      return r;
    });
    const beat = c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'i-a' }).then((code) => {
      order.push('heartbeat');
      return code;
    });
    expect(await beat).toBe(E.FENCED_INSTANCE_ID);
    expect((await takeover).errorCode).toBe(E.NONE);
    expect(order).toEqual(['takeover', 'heartbeat']);
    await c.close();
  });

  it('a session that ends while the log refuses writes keeps the last member until its Empty generation is written', async () => {
    const fs = new FaultyFileSystem();
    const { coordinator: c, clock } = await newCoordinator({}, await OffsetsStore.create(fs));
    const a = await stableMember(c);
    const fault = full(fs);
    await clock.advance(10_500);
    expect(fault.hits).toBeGreaterThan(0);
    expect(described(c)).toEqual({ state: 'Stable', members: [[a.memberId, 'A']] });
    fault.clear();
    // Another session timeout on, the removal is written.
    await clock.advance(10_500);
    expect(described(c)).toEqual({ state: 'Empty', members: [] });
    await c.close();
  });

  it('a join phase whose rebalance timeout ends it with nobody left retries the Empty generation until it is written', async () => {
    const fs = new FaultyFileSystem();
    const { coordinator: c, clock } = await newCoordinator({}, await OffsetsStore.create(fs));
    const a = await stableMember(c, { rebalanceTimeoutMs: 3000, sessionTimeoutMs: 30_000 });
    // A second member joins and leaves again by session: the group prepares a rebalance a never rejoins.
    const b = await c.joinGroup(joinReq({ rebalanceTimeoutMs: 3000, sessionTimeoutMs: 30_000 }), META);
    const bJoin = c.joinGroup(joinReq({ memberId: b.memberId, rebalanceTimeoutMs: 3000, sessionTimeoutMs: 30_000 }), META);
    expect(described(c).state).toBe('PreparingRebalance');
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: b.memberId, groupInstanceId: null }] });
    expect((await bJoin).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    const fault = full(fs);
    await clock.advance(3500);
    expect(fault.hits).toBeGreaterThan(0);
    // a did not rejoin, but its removal with the Empty generation is not written: it is still there.
    expect(described(c).members.map(([id]) => id)).toEqual([a.memberId]);
    expect(described(c).state).toBe('PreparingRebalance');
    fault.clear();
    await clock.advance(3500);
    expect(described(c)).toEqual({ state: 'Empty', members: [] });
    await c.close();
  });
});

describe('a classic group after a restart mid-rebalance', () => {
  it('comes back at the last generation written; members of the unwritten generation rejoin', async () => {
    const store = await OffsetsStore.create();
    const { coordinator: c } = await newCoordinator({}, store);
    const a = await stableMember(c, {}, 'all');
    // b joins and a rejoins: generation 2 is complete in memory, its SyncGroup never comes.
    const bFirst = await c.joinGroup(joinReq(), META);
    const bJoin = c.joinGroup(joinReq({ memberId: bFirst.memberId }), META);
    const a2 = await c.joinGroup(joinReq({ memberId: a.memberId }), META);
    const b2 = await bJoin;
    expect([a2.generationId, b2.generationId]).toEqual([2, 2]);
    expect(described(c).state).toBe('CompletingRebalance');
    await c.close();

    const clock = new FakeClock();
    const again = await store.open({ clock, config: { initialRebalanceDelayMs: 0 } });
    // Generation 1 as its record holds it: a alone with its assignment.
    expect(described(again)).toEqual({ state: 'Stable', members: [[a.memberId, 'all']] });
    expect(await again.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null })).toBe(E.ILLEGAL_GENERATION);
    expect(await again.heartbeat({ groupId: 'g', generationId: 2, memberId: b2.memberId, groupInstanceId: null })).toBe(E.UNKNOWN_MEMBER_ID);
    // Both rejoin (b as a new member) and the group carries on at generation 2, then 3 once both are in.
    const bNew = await again.joinGroup(joinReq(), META);
    const bRe = again.joinGroup(joinReq({ memberId: bNew.memberId }), META);
    const aRe = await again.joinGroup(joinReq({ memberId: a.memberId }), META);
    const bDone = await bRe;
    expect([aRe.errorCode, bDone.errorCode]).toEqual([E.NONE, E.NONE]);
    expect(aRe.generationId).toBe(2);
    expect(aRe.members.map((m) => m.memberId).sort()).toEqual([a.memberId, bNew.memberId].sort());
    await again.close();
  });
});
