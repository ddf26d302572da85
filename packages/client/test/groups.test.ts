// Group membership and offsets against a real broker: two members split the partitions with the
// client-side assignor, commits survive a restart, lag = highWatermark − committed, and offset
// resets plan without writing unless executed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerRecord } from '../src/index';
import { type Harness, pollUntil, startHarness, topicName } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const fast = { maxWaitMs: 100, heartbeatIntervalMs: 200, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 3000, autoOffsetReset: 'earliest' as const };

async function seed(topic: string, partitions: number, n: number): Promise<void> {
  await h.client.admin().createTopics([{ name: topic, numPartitions: partitions }]);
  await h.client.producer().send({ topic, messages: Array.from({ length: n }, (_, i) => ({ value: `${i}`, partition: i % partitions })) });
}

describe('consumer groups', () => {
  it('a single member gets every partition, commits, and a restart resumes after the commit', async () => {
    const topic = topicName('g1');
    const groupId = topicName('group');
    await seed(topic, 3, 30);
    const c1 = h.client.consumer({ groupId, ...fast });
    c1.subscribe([topic]);
    const first = await pollUntil(() => c1.poll(), 30);
    expect(first).toHaveLength(30);
    expect(c1.assignment().map((tp) => tp.partition).sort()).toEqual([0, 1, 2]);
    await c1.close();

    const committed = await h.client.admin().committedOffsets(groupId);
    expect(committed.map((c) => [c.partition, c.offset])).toEqual([[0, 10n], [1, 10n], [2, 10n]]);
    expect((await h.client.admin().groupLag(groupId)).map((l) => l.lag)).toEqual([0n, 0n, 0n]);

    await h.client.producer().send({ topic, messages: [{ value: 'after', partition: 1 }] });
    const lag = await h.client.admin().groupLag(groupId);
    expect(lag.find((l) => l.partition === 1)).toMatchObject({ committed: 10n, highWatermark: 11n, lag: 1n });

    const c2 = h.client.consumer({ groupId, ...fast });
    c2.subscribe([topic]);
    const resumed = await pollUntil(() => c2.poll(), 1);
    expect(resumed.map((r) => r.value!.toString())).toEqual(['after']);
    await c2.close();
  });

  it.each(['range', 'roundrobin', 'sticky'])('two members split the partitions without overlap (%s)', async (assignor) => {
    const topic = topicName('g2');
    const groupId = topicName('group');
    await seed(topic, 4, 40);
    const a = h.client.consumer({ groupId, assignor, ...fast });
    const b = h.client.consumer({ groupId, assignor, ...fast });
    a.subscribe([topic]);
    b.subscribe([topic]);
    const seen: ConsumerRecord[] = [];
    const deadline = Date.now() + 20_000;
    // Poll both until the group settles with two members and everything was read exactly once.
    while (Date.now() < deadline) {
      const [ra, rb] = await Promise.all([a.poll(), b.poll()]);
      seen.push(...ra, ...rb);
      if (a.assignment().length === 2 && b.assignment().length === 2 && new Set(seen.map((r) => `${r.partition}/${r.offset}`)).size === 40) break;
    }
    const pa = a.assignment().map((tp) => tp.partition);
    const pb = b.assignment().map((tp) => tp.partition);
    expect([...pa, ...pb].sort()).toEqual([0, 1, 2, 3]);
    expect(new Set(seen.map((r) => `${r.partition}/${r.offset}`)).size).toBe(40);
    const [desc] = await h.client.admin().describeGroups([groupId]);
    expect(desc!.state).toBe('Stable');
    expect(desc!.members).toHaveLength(2);
    expect(desc!.protocol).toBe(assignor);
    await Promise.all([a.close(), b.close()]);
    expect((await h.client.admin().listGroups()).map((g) => g.groupId)).toContain(groupId);
  });

  it('when a member leaves, the other takes over its partitions from the committed offsets', async () => {
    const topic = topicName('g4');
    const groupId = topicName('group');
    await seed(topic, 2, 20);
    const a = h.client.consumer({ groupId, ...fast });
    const b = h.client.consumer({ groupId, ...fast });
    a.subscribe([topic]);
    b.subscribe([topic]);
    const seen = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (!(a.assignment().length === 1 && b.assignment().length === 1 && seen.size === 20)) {
      if (Date.now() > deadline) throw new Error('group did not settle');
      const [ra, rb] = await Promise.all([a.poll(), b.poll()]);
      for (const r of [...ra, ...rb]) seen.add(`${r.partition}/${r.offset}`);
    }
    await Promise.all([a.poll(), b.poll()]); // the next poll commits what the previous one returned
    await b.close();
    await h.client.producer().send({ topic, messages: [{ value: 'p0', partition: 0 }, { value: 'p1', partition: 1 }] });
    const later: string[] = [];
    while (a.assignment().length !== 2 || later.length < 2) {
      if (Date.now() > deadline + 10_000) throw new Error(`a has ${a.assignment().length} partitions, read ${later.join(',')}`);
      for (const r of await a.poll()) later.push(r.value!.toString());
    }
    // Nothing re-read: b committed before leaving, a resumed both partitions after the commits.
    expect(later.sort()).toEqual(['p0', 'p1']);
    await a.close();
  });

  it('refuses assignors this member cannot follow', () => {
    const c = h.client.consumer({ groupId: 'x', assignor: 'cooperative-sticky' });
    expect(() => c.subscribe(['t'])).toThrow(/unknown assignor "cooperative-sticky"/);
  });

  it('plans offset resets dry, executes them on request, then deletes the group', async () => {
    const topic = topicName('g3');
    const groupId = topicName('group');
    await seed(topic, 2, 20);
    const c = h.client.consumer({ groupId, ...fast });
    c.subscribe([topic]);
    await pollUntil(() => c.poll(), 20);
    await c.close();
    const admin = h.client.admin();

    const dry = await admin.resetOffsets(groupId, topic, 'earliest');
    expect(dry.map((p) => [p.partition, p.current, p.target])).toEqual([[0, 10n, 0n], [1, 10n, 0n]]);
    expect((await admin.committedOffsets(groupId)).map((o) => o.offset)).toEqual([10n, 10n]);

    await admin.resetOffsets(groupId, topic, { offset: 4n }, { execute: true, partitions: [1] });
    expect((await admin.committedOffsets(groupId)).map((o) => o.offset)).toEqual([10n, 4n]);
    // Clamped to the log range like Kafka's tool.
    const clamped = await admin.resetOffsets(groupId, topic, { offset: 999n });
    expect(clamped.map((p) => p.target)).toEqual([10n, 10n]);

    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).map((g) => g.groupId)).not.toContain(groupId);
  });
});
