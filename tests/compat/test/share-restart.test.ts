// Acceptance: a share group's acknowledgements survive a broker restart on the same data dir —
// nothing accepted before the stop is delivered after it, and what was delivered but not accepted
// comes back with a higher delivery count. Own file (own vitest worker): run after the other
// share-history tests in one process it times out — a broker started in-process after earlier
// brokers in that process keeps some state across them (found 2026-12-02, not yet explained).
import { startBroker } from '@mq/broker';
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
      await waitUntil('every message accepted', () => history.accepted.size === N || history.crashes.length > 0, 300_000);
      expect(history.crashes).toEqual([]);
      const redelivered = history.deliveries.filter((d) => d.member === 'after' && acceptedBefore.has(d.offset));
      expect(redelivered).toEqual([]);
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
