// Acceptance (issue 13): @kafkats/client 0.12's ShareConsumer (ShareGroupHeartbeat v1, ShareFetch
// v2, ShareAcknowledge v2, from npm) against mq: per-record accept / release / reject — every
// record accepted exactly once, a released record comes back with a higher delivery count, a
// rejected one never does — and the share group is visible to kafkajs' ListGroups / DescribeGroups.
import { startBroker } from '@mq/broker';
import { KafkaClient } from '@kafkats/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './groups-members';

const TOPIC = 'share-jobs';
const GROUP = 'share-workers';
const N = 300;

describe('@kafkats/client ShareConsumer', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let client: KafkaClient;

  beforeAll(async () => {
    broker = await startBroker({ share: { autoOffsetReset: 'earliest' } });
    client = new KafkaClient({ clientId: 'share-test', brokers: [`127.0.0.1:${broker.port}`] });
    await client.connect();
    await client.admin().createTopics([{ name: TOPIC, numPartitions: 1 }]);
    const producer = client.producer();
    for (let i = 0; i < N; i += 100) {
      await producer.send(TOPIC, Array.from({ length: 100 }, (_, j) => ({ key: Buffer.from(`k${i + j}`), value: Buffer.from(String(i + j)) })));
    }
    await producer.disconnect();
  });

  afterAll(async () => {
    await client?.disconnect();
    await broker?.stop();
  });

  it('accepts, releases and rejects per record', async () => {
    const consumer = client.shareConsumer({ groupId: GROUP, maxWaitMs: 200 });
    const accepted = new Map<number, number>();
    const deliveries = new Map<number, number[]>();
    const rejected = new Set<number>();
    const run = consumer.runEach(TOPIC, async (message) => {
      const n = Number(message.value?.toString());
      deliveries.set(n, [...(deliveries.get(n) ?? []), message.deliveryCount ?? -1]);
      if (n % 10 === 3 && deliveries.get(n)!.length === 1) {
        await message.release();
      } else if (n % 10 === 7) {
        rejected.add(n);
        await message.reject();
      } else {
        accepted.set(n, (accepted.get(n) ?? 0) + 1);
        await message.ack();
      }
    });
    await waitUntil('every record accepted or rejected', () => accepted.size + rejected.size === N, 120_000);
    // The share group seen by a classic admin client (kafkajs: ListGroups, DescribeGroups).
    const admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const listed = await admin.listGroups();
    expect(listed.groups).toContainEqual({ groupId: GROUP, protocolType: 'share' });
    const { groups } = await admin.describeGroups([GROUP]);
    expect(groups[0]).toMatchObject({ groupId: GROUP, protocolType: 'share', state: 'Stable' });
    expect(groups[0]!.members).toHaveLength(1);
    await admin.disconnect();
    await consumer.stop();
    await run.catch(() => undefined);

    // The client's warm-up fetch acquires and releases once before the first real delivery, so
    // counts start at 1 or 2; what matters is one delivery each, and a higher count after a release.
    for (let n = 0; n < N; n++) {
      const d = deliveries.get(n)!;
      if (n % 10 === 3) {
        expect(d, `released ${n}`).toHaveLength(2);
        expect(d[1]!, `released ${n}`).toBe(d[0]! + 1);
      } else expect(d, `delivered once: ${n}`).toHaveLength(1);
      if (n % 10 === 7) expect(accepted.has(n), `rejected ${n}`).toBe(false);
      else expect(accepted.get(n), `accepted ${n}`).toBe(1);
    }
  });
});
