// Acceptance: @platformatic/kafka 2.12 with groupProtocol 'consumer' (KIP-848, on Node 24 in a
// child process): two members of one group get the server-side assignment (2 + 2 partitions,
// disjoint) through ConsumerGroupHeartbeat and together consume every message; when their topic
// grows the new partitions are handed out, and when one leaves the other takes everything (issue 9
// item 11: topic changes used to move neither the group epoch nor the assignment).
import { startBroker } from '@mq/broker';
import { ApiKey } from '@mq/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';
import { WireClient } from './groups-wire-client';

interface Result {
  readonly error?: string;
  readonly assignments: number[][];
  readonly keys: string[][];
  readonly seen: number;
}

interface ChangesResult {
  readonly error?: string;
  readonly phases: { name: string; assignments: number[][] }[];
  readonly distinct: number;
  readonly redelivered: number;
}

describe('@platformatic/kafka KIP-848 consumer group', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;

  beforeAll(async () => {
    broker = await startBroker({ groups: { consumerHeartbeatIntervalMs: 300 } });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('splits partitions server-side and consumes every message', async () => {
    const count = 2_000;
    const result = await runNode24Fixture<Result>('platformatic-consumer-group.mjs', {
      bootstrap: `${broker.host}:${broker.port}`,
      topic: 'kip848',
      groupId: 'kip848-group',
      count,
    });
    expect(result.error).toBeUndefined();
    expect(result.seen).toBe(count);
    const [a, b] = result.assignments;
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect([...a!, ...b!].sort()).toEqual([0, 1, 2, 3]);
    expect(result.keys.every((k) => k.length > 0)).toBe(true);
    // It really was a KIP-848 group (ListGroups v5 filters by type).
    const wire = await WireClient.open(broker.port);
    const listed = await wire.call(ApiKey.ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] });
    wire.close();
    expect(listed.groups.map((g: { groupId: string; groupType: string }) => [g.groupId, g.groupType])).toEqual([['kip848-group', 'consumer']]);
  });

  it('hands out partitions added to the topic and rebalances when a member leaves', async () => {
    const result = await runNode24Fixture<ChangesResult>('platformatic-kip848-changes.mjs', {
      bootstrap: `${broker.host}:${broker.port}`,
      topic: 'kip848-changes',
      groupId: 'kip848-changes-group',
    });
    expect(result.error).toBeUndefined();
    const [start, grown, left] = result.phases;
    expect(start!.assignments.map((a) => a.length)).toEqual([1, 1]);
    expect(grown!.assignments.flat().sort()).toEqual([0, 1, 2, 3]);
    expect(grown!.assignments.map((a) => a.length)).toEqual([2, 2]);
    expect(left!.assignments).toEqual([[0, 1, 2, 3]]);
    expect(result.distinct).toBe(300);
    expect(result.redelivered).toBe(0);
  });
});
