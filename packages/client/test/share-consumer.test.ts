// @mq/client's ShareConsumer against a real broker (share groups, KIP-932): per-record accept /
// release / reject (a released record comes back with a higher delivery count, a rejected one never),
// three consumers on one partition accepting each record exactly once, commit() reporting a late
// acknowledgement, close() giving back what was held, and a consumer whose assignment shrinks
// forgetting the partition it lost (forgotten_topics_data): the broker acquires none of it for it,
// and renew() (RENEW, v2) keeping a record locked across polls for longer than its lock.
import { startBroker, type RunningBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqClient, type ShareRecord } from '../src/index';

let broker: RunningBroker;
let client: MqClient;

beforeAll(async () => {
  broker = await startBroker({ port: 0, share: { autoOffsetReset: 'earliest', recordLockDurationMs: 2000, heartbeatIntervalMs: 100 } });
  client = new MqClient({ bootstrapServers: `${broker.host}:${broker.port}`, clientId: 'share-test' });
});

afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

async function topicWith(name: string, n: number, partitions = 1): Promise<void> {
  await client.admin().createTopics([{ name, numPartitions: partitions }]);
  await client.producer().send({ topic: name, messages: Array.from({ length: n }, (_, i) => ({ value: `${i}`, partition: i % partitions })) });
}

describe('ShareConsumer', () => {
  it('accepts, releases and rejects per record', async () => {
    await topicWith('share-acks', 30);
    const c = client.shareConsumer({ groupId: 'acks', acknowledgementMode: 'explicit', maxWaitMs: 100 });
    c.subscribe(['share-acks']);
    const deliveries = new Map<number, number[]>();
    const done = new Set<number>();
    while (done.size < 30) {
      for (const r of await c.poll()) {
        const n = Number(r.value!.toString());
        deliveries.set(n, [...(deliveries.get(n) ?? []), r.deliveryCount]);
        if (n % 10 === 3 && r.deliveryCount === 1) r.release();
        else if (n % 10 === 7) {
          r.reject();
          done.add(n);
        } else {
          r.accept();
          done.add(n);
        }
      }
    }
    expect(await c.commit()).toEqual([]);
    for (let n = 0; n < 30; n++) expect(deliveries.get(n), `record ${n}`).toEqual(n % 10 === 3 ? [1, 2] : [1]);
    // Nothing comes back: accepted and rejected records are done.
    expect(await c.poll()).toEqual([]);
    await c.close();
  });

  it('three consumers on one partition accept each record exactly once (implicit acknowledgement)', async () => {
    await topicWith('share-three', 3000);
    const accepted = new Map<number, number>();
    const consumers = [0, 1, 2].map(() => {
      const c = client.shareConsumer({ groupId: 'three', maxWaitMs: 100, maxRecords: 50 });
      c.subscribe(['share-three']);
      return c;
    });
    const byConsumer = [0, 0, 0];
    await Promise.all(
      consumers.map(async (c, i) => {
        while (accepted.size < 3000) {
          for (const r of await c.poll()) {
            const n = Number(r.value!.toString());
            accepted.set(n, (accepted.get(n) ?? 0) + 1);
            byConsumer[i]!++;
          }
        }
        expect(await c.commit()).toEqual([]);
      }),
    );
    expect([...accepted.values()].every((k) => k === 1)).toBe(true);
    expect(accepted.size).toBe(3000);
    expect(byConsumer.filter((k) => k > 0).length, 'every consumer got records').toBe(3);
    await Promise.all(consumers.map((c) => c.close()));
  });

  it('reports an acknowledgement after the lock expired, and close() gives back what is held', async () => {
    await topicWith('share-late', 2);
    const slow = client.shareConsumer({ groupId: 'late', acknowledgementMode: 'explicit', maxWaitMs: 100 });
    slow.subscribe(['share-late']);
    let held: ShareRecord[] = [];
    while (held.length < 2) held = [...held, ...(await slow.poll())];
    // Another member receives them once the 2 s lock ran out, with delivery count 2.
    const other = client.shareConsumer({ groupId: 'late', acknowledgementMode: 'explicit', maxWaitMs: 200 });
    other.subscribe(['share-late']);
    let again: ShareRecord[] = [];
    while (again.length < 2) again = [...again, ...(await other.poll())];
    expect(again.map((r) => r.deliveryCount)).toEqual([2, 2]);
    held[0]!.accept();
    const failed = await slow.commit();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ topic: 'share-late', partition: 0, offsets: [held[0]!.offset] });
    // other closes without acknowledging: the records go back at once (no lock wait), delivery 3.
    await other.close();
    let third: ShareRecord[] = [];
    while (third.length < 2) third = [...third, ...(await slow.poll())];
    expect(third.map((r) => r.deliveryCount)).toEqual([3, 3]);
    for (const r of third) r.accept();
    expect(await slow.commit()).toEqual([]);
    await slow.close();
  });

  it('a consumer whose assignment shrinks forgets the lost partition: its leader acquires none of it for that consumer', async () => {
    await topicWith('share-shrink', 20, 2);
    const first = client.shareConsumer({ groupId: 'shrink', maxWaitMs: 100 });
    first.subscribe(['share-shrink']);
    // Alone in the group: both partitions, all 20 records (accepted implicitly by the next poll).
    const seen = new Set<string>();
    while (seen.size < 20) for (const r of await first.poll()) seen.add(r.value!.toString());
    const second = client.shareConsumer({ groupId: 'shrink', maxWaitMs: 100 });
    second.subscribe(['share-shrink']);
    await second.poll();
    // The broker moved one partition to the second member and the first member's heartbeat took its new assignment.
    const admin = client.admin().shareGroups();
    let kept = -1;
    let lost = -1;
    await expect
      .poll(
        async () => {
          const g = await admin.describe('shrink');
          const m = g.members.find((x) => x.memberId === first.memberId);
          const o = g.members.find((x) => x.memberId === second.memberId);
          kept = m?.assignment[0]?.partitions.length === 1 ? m.assignment[0].partitions[0]! : -1;
          lost = o?.assignment[0]?.partitions.length === 1 ? o.assignment[0].partitions[0]! : -1;
          return m?.memberEpoch === g.groupEpoch && kept >= 0 && lost >= 0 && kept !== lost;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    // One poll so the first consumer acts on its new assignment (and accepts what it had).
    await first.poll();
    await client.producer().send({ topic: 'share-shrink', messages: Array.from({ length: 10 }, (_, i) => ({ value: `late-${i}`, partition: lost })) });
    for (let i = 0; i < 5; i++) {
      const got = await first.poll();
      expect(got.filter((r) => r.partition === lost).map((r) => r.value!.toString()), `poll ${i} of the first consumer`).toEqual([]);
    }
    // All of them reach the member that owns the partition now, never delivered before.
    const late: ShareRecord[] = [];
    while (late.length < 10) late.push(...(await second.poll()).filter((r) => r.partition === lost));
    expect(late.map((r) => [r.value!.toString(), r.deliveryCount]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`late-${i}`, 1]).sort());
    await Promise.all([first.close(), second.close()]);
  });

  it('renew() keeps a record locked across polls past its lock duration; it is accepted afterwards', async () => {
    await topicWith('share-renew', 1);
    const holder = client.shareConsumer({ groupId: 'renew', acknowledgementMode: 'explicit', maxWaitMs: 100 });
    holder.subscribe(['share-renew']);
    let held: ShareRecord[] = [];
    while (held.length < 1) held = await holder.poll();
    const other = client.shareConsumer({ groupId: 'renew', acknowledgementMode: 'explicit', maxWaitMs: 100 });
    other.subscribe(['share-renew']);
    // Renewed at every poll (well inside the broker's 2 s lock), held for three lock durations.
    const heldSince = performance.now();
    const seenByOther: ShareRecord[] = [];
    while (performance.now() - heldSince < 6_000) {
      held[0]!.renew();
      expect(await holder.poll()).toEqual([]);
      seenByOther.push(...(await other.poll()));
    }
    expect(seenByOther.map((r) => r.offset), 'the renewed record never reached the other member').toEqual([]);
    held[0]!.accept();
    expect(await holder.commit(), 'the lock was still this member\'s').toEqual([]);
    await Promise.all([holder.close(), other.close()]);
  });
});
