// Acceptance: a share group's acknowledgements survive a broker restart on the same data dir —
// nothing accepted before the stop is delivered after it, and what was delivered but not accepted
// comes back with a higher delivery count. The consumer before the restart is SIGKILLed, so the
// records it was acknowledging when it died are in doubt: the broker may have made the accept
// durable before the member could report it. The broker is the judge of those: the test waits
// until the share-partition start offset (DescribeShareGroupOffsets) passes every record, and then
// each in-doubt record was either accepted at the broker before the restart or redelivered after.
import { startBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from './groups-members';
import { ShareHistory, ShareMemberProcess } from './share-members';

async function produce(bootstrap: string, topic: string, count: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'share-producer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, j) => ({ value: String(j) })) });
  await producer.disconnect();
}

describe('share groups across a broker restart', () => {
  const members: ShareMemberProcess[] = [];
  let broker: Awaited<ReturnType<typeof startBroker>> | undefined;

  afterEach(async () => {
    for (const m of members.splice(0)) await m.kill();
    await broker?.stop();
    broker = undefined;
  });

  it('a broker restart keeps every acknowledgement', async () => {
    const N = 2_000;
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'mq-share-restart-'));
    try {
      broker = await startBroker({ dataDir, share: { autoOffsetReset: 'earliest' } });
      let bootstrap = `127.0.0.1:${broker.port}`;
      await produce(bootstrap, 'restart', N);
      const history = new ShareHistory();
      const first = ShareMemberProcess.start('before', { bootstrap, topic: 'restart', groupId: 'restart-workers' }, history);
      members.push(first);
      await waitUntil('some messages accepted', () => history.accepted.size >= N / 4, 120_000, 50);
      await first.kill();
      members.splice(0);
      await broker.stop();
      const acceptedBefore = new Set(history.accepted.keys());
      broker = await startBroker({ dataDir, share: { autoOffsetReset: 'earliest' } });
      bootstrap = `127.0.0.1:${broker.port}`;
      members.push(ShareMemberProcess.start('after', { bootstrap, topic: 'restart', groupId: 'restart-workers' }, history));
      const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'share-restart-check' });
      try {
        const startOffset = async () => (await client.admin().shareGroups().offsets('restart-workers')).find((o) => o.topic === 'restart')?.startOffset ?? -1n;
        await waitUntil('every record acknowledged at the broker', async () => history.crashes.length > 0 || (await startOffset()) === BigInt(N), 300_000);
      } finally {
        await client.close();
      }
      // The member reports an accept after the broker answered it: let the last reports arrive.
      const unreported = () => history.deliveries.filter((d) => d.member === 'after' && !history.accepted.has(d.offset));
      await waitUntil('the member reported its accepts', () => history.crashes.length > 0 || unreported().length === 0, 30_000);
      expect(history.crashes).toEqual([]);
      const redelivered = history.deliveries.filter((d) => d.member === 'after' && acceptedBefore.has(d.offset));
      expect(redelivered).toEqual([]);
      const deliveredBefore = new Set(history.deliveries.filter((d) => d.member === 'before').map((d) => d.offset));
      const deliveredAfter = new Set(history.deliveries.filter((d) => d.member === 'after').map((d) => d.offset));
      for (let o = 0; o < N; o++) {
        // Every record was delivered; one the broker holds as done without an accept reported after the
        // restart was delivered (and was being accepted) before it.
        if (!history.accepted.has(o)) expect(deliveredBefore.has(o) && !deliveredAfter.has(o), `offset ${o}: done at the broker, never accepted`).toBe(true);
      }
      // Nothing is accepted twice.
      expect([...history.accepted.values()].filter((who) => who.length > 1)).toEqual([]);
      // What was delivered but not accepted before the restart comes back with a higher count.
      for (const d of history.deliveries.filter((x) => x.member === 'after')) {
        const before = history.deliveries.find((x) => x.member === 'before' && x.offset === d.offset);
        if (before !== undefined) expect(d.deliveryCount).toBeGreaterThan(before.deliveryCount);
      }
    } finally {
      for (const m of members.splice(0)) await m.kill();
      await broker?.stop();
      broker = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
