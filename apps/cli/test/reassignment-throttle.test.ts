// What `mq cluster reassign --throttle` names, as kafka-reassign-partitions does: every current
// replica of a moving partition as a leader throttle, the added ones as follower throttles, the
// brokers of both lists for the rates; cancellations and unmoved replicas add nothing.
import { describe, expect, it } from 'vitest';
import { throttlePlan } from '../src/reassignment-throttle';

describe('throttlePlan', () => {
  it('names current replicas as leaders, added ones as followers, per topic', () => {
    const plan = throttlePlan(
      [
        { topic: 'orders', partition: 0, replicas: [2, 3] },
        { topic: 'orders', partition: 1, replicas: [1, 2, 3] },
        { topic: 'events', partition: 4, replicas: [3] },
        { topic: 'audit', partition: 0, replicas: null },
      ],
      new Map([
        ['orders-0', [1, 2]],
        ['orders-1', [1, 2]],
        ['events-4', [1]],
        ['audit-0', [1]],
      ]),
    );
    expect(Object.fromEntries(plan.topics)).toEqual({
      orders: { leader: ['0:1', '0:2', '1:1', '1:2'], follower: ['0:3', '1:3'] },
      events: { leader: ['4:1'], follower: ['4:3'] },
    });
    expect([...plan.brokers].sort()).toEqual([1, 2, 3]);
  });
});
