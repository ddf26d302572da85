// Acceptance (issue 4): committed offsets live in __consumer_offsets and survive a broker restart,
// graceful (SIGTERM) and crash (SIGKILL): a consumer of the same group resumes exactly after
// what it committed.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { makeTempDir, removeDir } from '../src/temp-dir';

const TOPIC = 'resume';
const GROUP = 'resumers';

function client(b: BrokerProcess): Kafka {
  return new Kafka({ clientId: 'restart-test', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
}

async function consumeN(kafka: Kafka, n: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  const got: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed ${got.length} of ${n}`)), 60_000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          got.push(message.key!.toString());
          if (got.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  // Disconnect commits what eachMessage resolved.
  await consumer.disconnect();
  return got;
}

async function offsetsOf(admin: Admin, groupId: string): Promise<string[]> {
  const res = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return res[0]!.partitions.sort((a, b) => a.partition - b.partition).map((p) => `${p.partition}:${p.offset}`);
}

describe('committed offsets across broker restarts', () => {
  let dataDir: string;
  const brokers: BrokerProcess[] = [];
  const start = async () => {
    const b = await BrokerProcess.start({ dataDir });
    brokers.push(b);
    return b;
  };

  beforeEach(async () => {
    dataDir = await makeTempDir('groups-restart');
  });
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dataDir);
  });

  it('survive SIGTERM and SIGKILL restarts; the group resumes after its commits', async () => {
    let broker = await start();
    let kafka = client(broker);
    let admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
    await producer.disconnect();
    const first = await consumeN(kafka, 300);
    expect(new Set(first).size).toBe(300);
    // A simple (non-member) commit, as admin tools do.
    await admin.setOffsets({ groupId: 'manual', topic: TOPIC, partitions: [{ partition: 0, offset: '7' }, { partition: 2, offset: '11' }] });
    const committed = await offsetsOf(admin, GROUP);
    const ends = (await admin.fetchTopicOffsets(TOPIC)).sort((a, b) => a.partition - b.partition).map((p) => `${p.partition}:${p.offset}`);
    expect(committed).toEqual(ends);
    const manual = await offsetsOf(admin, 'manual');
    expect(manual).toEqual(['0:7', '1:-1', '2:11']);
    await admin.disconnect();

    for (const how of ['SIGTERM', 'SIGKILL'] as const) {
      if (how === 'SIGTERM') await broker.stop();
      else await broker.kill();
      broker = await start();
      kafka = client(broker);
      admin = kafka.admin();
      await admin.connect();
      expect(await offsetsOf(admin, GROUP)).toEqual(committed);
      expect(await offsetsOf(admin, 'manual')).toEqual(manual);
      const listed = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
      expect(listed).toEqual(['manual', GROUP]);
      await admin.disconnect();
    }

    // The group resumes after its commits: only the new messages arrive.
    const producer2 = kafka.producer();
    await producer2.connect();
    await producer2.send({ topic: TOPIC, messages: Array.from({ length: 30 }, (_, i) => ({ key: `n${i}`, value: String(i) })) });
    await producer2.disconnect();
    const resumed = await consumeN(kafka, 30);
    expect(resumed.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `n${i}`).sort());
  });
});
