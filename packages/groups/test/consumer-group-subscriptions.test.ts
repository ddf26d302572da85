// KIP-848 subscriptions that change under the group: RE2 regex subscriptions (SubscribedTopicRegex,
// '' = none as librdkafka ≥ 2.10 sends it), subscribed topics created, deleted or grown (the group
// epoch moves and members get the new target on their next heartbeat), and static members
// (group.instance.id): UNRELEASED_INSTANCE_ID, the -2 leave and a replacement keeping the assignment.
import { describe, expect, it } from 'vitest';
import { ErrorCode as E } from '@mq/protocol';
import { OffsetsStore } from './offsets-store';
import { TOPIC_ID, byTopic, hb, open, owned, parts } from './consumer-helpers';
import { META } from './helpers';

describe('KIP-848 regex subscriptions', () => {
  it('treats SubscribedTopicRegex "" as no regex', async () => {
    const { c } = await open();
    const a = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'], subscribedTopicRegex: '' }), META);
    expect(a).toMatchObject({ errorCode: E.NONE, memberEpoch: 1 });
    expect(parts(a)).toEqual([0, 1, 2, 3, 4, 5]);
    const again = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: 1, subscribedTopicNames: ['t'], subscribedTopicRegex: '', topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect(again).toMatchObject({ errorCode: E.NONE, memberEpoch: 1, assignment: null });
  });

  it('matches whole names, skips internal topics, and follows topics created and deleted', async () => {
    const { c, topics } = await open();
    const eu = topics.create('orders-eu', 2);
    const us = topics.create('orders-us', 1);
    topics.create('old-orders-eu', 1); // matches only as a substring: not a full match
    topics.create('__consumer_offsets', 1); // internal: the registry leaves it out of names()
    const a0 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicRegex: 'orders-.*' }), META);
    expect(a0.errorCode).toBe(E.NONE);
    expect(byTopic(a0)).toEqual({ [eu]: [0, 1], [us]: [0] });

    const ap = topics.create('orders-ap', 3);
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a0.memberEpoch }), META);
    expect(a1.memberEpoch).toBe(a0.memberEpoch + 1);
    expect(byTopic(a1)).toEqual({ [eu]: [0, 1], [us]: [0], [ap]: [0, 1, 2] });

    topics.delete('orders-us');
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a1.memberEpoch }), META);
    expect(a2.memberEpoch).toBe(a1.memberEpoch + 1);
    expect(byTopic(a2)).toEqual({ [eu]: [0, 1], [ap]: [0, 1, 2] });

    // Changing the regex is a subscription change; names and regex together are a union.
    const all = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a2.memberEpoch, subscribedTopicNames: ['t'], subscribedTopicRegex: '.*' }), META);
    expect(Object.keys(byTopic(all)).sort()).toEqual([eu, ap, topics.idOf('old-orders-eu'), TOPIC_ID].sort());
    // '' drops the regex again.
    const none = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: all.memberEpoch, subscribedTopicRegex: '' }), META);
    expect(Object.keys(byTopic(none))).toEqual([TOPIC_ID]);
  });

  it('answers INVALID_REGULAR_EXPRESSION for what RE2 lacks, and the member does not join', async () => {
    const { c } = await open();
    const res = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicRegex: '(orders)\\1' }), META);
    expect(res.errorCode).toBe(E.INVALID_REGULAR_EXPRESSION);
    expect(res.errorMessage).toContain('backreferences are not supported');
    const look = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicRegex: 'orders(?!-test)' }), META);
    expect(look.errorCode).toBe(E.INVALID_REGULAR_EXPRESSION);
    expect(c.describeGroups(['cg'])[0]!.members).toHaveLength(0);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'a' }), META)).errorCode).toBe(E.INVALID_REQUEST);
  });

  it('keeps regex subscriptions across a reload of __consumer_offsets', async () => {
    const log = await OffsetsStore.create();
    const first = await open(log);
    const eu = first.topics.create('orders-eu', 2);
    const a = await first.c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicRegex: 'orders-.*' }), META);
    await first.c.close();
    const { c } = await open(log, first.topics);
    const again = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a.memberEpoch, topicPartitions: [{ topicId: eu, partitions: [0, 1] }] }), META);
    expect(again).toMatchObject({ errorCode: E.NONE, memberEpoch: a.memberEpoch });
    expect(byTopic(again)).toEqual({ [eu]: [0, 1] });
    await c.close();
  });
});

describe('KIP-848 subscribed topic metadata', () => {
  it('moves the group epoch and the target when a subscribed topic grows, is created or deleted', async () => {
    const { c, topics } = await open();
    const join = async (memberId: string) => c.consumerGroupHeartbeat(hb({ memberId, subscribedTopicNames: ['t', 'later'] }), META);
    const a0 = await join('a');
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a0.memberEpoch, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect(a1.memberEpoch).toBe(1);
    const epochBefore = a1.memberEpoch;

    topics.grow('t', 8);
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: epochBefore, topicPartitions: owned([0, 1, 2, 3, 4, 5]) }), META);
    expect(a2.memberEpoch).toBe(epochBefore + 1);
    expect(parts(a2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const later = topics.create('later', 2);
    const a3 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a2.memberEpoch, topicPartitions: owned([0, 1, 2, 3, 4, 5, 6, 7]) }), META);
    expect(a3.memberEpoch).toBe(a2.memberEpoch + 1);
    expect(byTopic(a3)).toEqual({ [TOPIC_ID]: [0, 1, 2, 3, 4, 5, 6, 7], [later]: [0, 1] });

    topics.delete('later');
    const a4 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a3.memberEpoch }), META);
    expect(a4.memberEpoch).toBe(a3.memberEpoch + 1);
    expect(byTopic(a4)).toEqual({ [TOPIC_ID]: [0, 1, 2, 3, 4, 5, 6, 7] });

    // A change to a topic nobody subscribes to moves nothing.
    topics.create('unrelated', 4);
    const a5 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a4.memberEpoch }), META);
    expect(a5).toMatchObject({ memberEpoch: a4.memberEpoch, assignment: null });
  });

  it('gives the new partitions of a grown topic to the other members on their next heartbeat', async () => {
    const { c, topics } = await open();
    const a0 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', subscribedTopicNames: ['t'] }), META);
    const b0 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    // Settle: a revokes half, b takes it.
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a0.memberEpoch, topicPartitions: owned(parts(a0)!) }), META);
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a1.memberEpoch, topicPartitions: owned(parts(a1)!) }), META);
    const b1 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: b0.memberEpoch, topicPartitions: owned([]) }), META);
    await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: b1.memberEpoch, topicPartitions: owned(parts(b1)!) }), META);
    expect(c.describeGroups(['cg'])[0]!.groupState).toBe('Stable');
    const aHad = parts(a1)!;
    const bHad = parts(b1)!;

    topics.grow('t', 10);
    const a3 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', memberEpoch: a2.memberEpoch, topicPartitions: owned(aHad) }), META);
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: b1.memberEpoch, topicPartitions: owned(bHad) }), META);
    expect(a3.memberEpoch).toBe(a2.memberEpoch + 1);
    expect(b2.memberEpoch).toBe(a3.memberEpoch);
    // Sticky: nobody lost a partition; the four new ones were split between them.
    expect(parts(a3)!.filter((p) => aHad.includes(p))).toEqual(aHad);
    expect(parts(b2)!.filter((p) => bHad.includes(p))).toEqual(bHad);
    expect([...parts(a3)!, ...parts(b2)!].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parts(a3)).toHaveLength(5);
  });
});

describe('KIP-848 static members', () => {
  it('refuses a second live member with the same group.instance.id (UNRELEASED_INSTANCE_ID)', async () => {
    const { c } = await open();
    const a = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', subscribedTopicNames: ['t'] }), META);
    expect(a.errorCode).toBe(E.NONE);
    const b = await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: 'i1', subscribedTopicNames: ['t'] }), META);
    expect(b.errorCode).toBe(E.UNRELEASED_INSTANCE_ID);
    expect(b.errorMessage).toContain('owned by a');
    expect(c.describeGroups(['cg'])[0]!.members.map((m) => m.memberId)).toEqual(['a']);
    // Heartbeats naming the instance with another member id are fenced; unknown instances are unknown.
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 1, instanceId: 'i1' }), META)).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: 1, instanceId: 'i9' }), META)).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: -2 }), META)).errorCode).toBe(E.INVALID_REQUEST);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: -3, instanceId: 'i1' }), META)).errorCode).toBe(E.INVALID_REQUEST);
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: '', subscribedTopicNames: ['t'] }), META)).errorCode).toBe(E.INVALID_REQUEST);
  });

  it('a replacement after a -2 leave keeps the assignment without a rebalance', async () => {
    const { c } = await open();
    const a0 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', subscribedTopicNames: ['t'] }), META);
    const b0 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: 'i2', subscribedTopicNames: ['t'] }), META);
    const a1 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', memberEpoch: a0.memberEpoch, topicPartitions: owned(parts(a0)!) }), META);
    const a2 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', memberEpoch: a1.memberEpoch, topicPartitions: owned(parts(a1)!) }), META);
    const b1 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: 'i2', memberEpoch: b0.memberEpoch, topicPartitions: owned([]) }), META);
    const aKeeps = parts(a1)!;
    expect(aKeeps).toHaveLength(3);
    const epoch = a2.memberEpoch;

    const left = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', memberEpoch: -2 }), META);
    expect(left).toMatchObject({ errorCode: E.NONE, memberId: 'a', memberEpoch: -2 });
    // Still in the group, holding its partitions for its replacement.
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: 'i2', memberEpoch: b1.memberEpoch, topicPartitions: owned(parts(b1)!) }), META);
    expect(b2.memberEpoch).toBe(epoch);
    expect(parts(b2) ?? parts(b1)).toEqual([0, 1, 2, 3, 4, 5].filter((p) => !aKeeps.includes(p)));

    const a2new = await c.consumerGroupHeartbeat(hb({ memberId: 'a2', instanceId: 'i1', subscribedTopicNames: ['t'] }), META);
    expect(a2new).toMatchObject({ errorCode: E.NONE, memberId: 'a2', memberEpoch: epoch });
    expect(parts(a2new)).toEqual(aKeeps);
    expect(c.describeGroups(['cg'])[0]!.members.map((m) => m.memberId).sort()).toEqual(['a2', 'b']);
    // The old member id is fenced now.
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', memberEpoch: epoch }), META)).errorCode).toBe(E.FENCED_INSTANCE_ID);
    // A -1 leave by instance id removes the member for good; b then gets everything.
    expect((await c.consumerGroupHeartbeat(hb({ memberId: 'a2', instanceId: 'i1', memberEpoch: -1 }), META)).errorCode).toBe(E.NONE);
    const b3 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', instanceId: 'i2', memberEpoch: epoch, topicPartitions: owned(parts(b1)!) }), META);
    expect(parts(b3)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a static member that left with -2 and never came back loses its partitions at session timeout', async () => {
    const { c, clock } = await open();
    const a0 = await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', subscribedTopicNames: ['t'] }), META);
    await c.consumerGroupHeartbeat(hb({ memberId: 'a', instanceId: 'i1', memberEpoch: -2 }), META);
    const b0 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', subscribedTopicNames: ['t'] }), META);
    expect(parts(b0)).toEqual([]); // a still holds everything
    await clock.advance(4_000);
    const b1 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: b0.memberEpoch, topicPartitions: owned([]) }), META);
    expect(parts(b1)).toBeNull();
    await clock.advance(1_500); // a's session (5 s from its last heartbeat) ends
    const b2 = await c.consumerGroupHeartbeat(hb({ memberId: 'b', memberEpoch: b0.memberEpoch, topicPartitions: owned([]) }), META);
    expect(parts(b2)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(a0.memberEpoch).toBe(1);
  });
});
