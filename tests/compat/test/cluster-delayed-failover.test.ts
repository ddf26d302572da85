// Delayed messages on a real 3-broker cluster (etcd, brokers as child processes): kafkajs produces
// records with `mq-delay-ms` (acks=all, no client retries, so an answered send is one attempt) to a
// 3-partition topic while __mq_delayed has one partition, so most schedules are forwarded from the
// target partition's leader to the delay partition's leader. Half way through the produce the
// delay partition's leader is SIGKILLed, before anything is due (it held every acknowledged one);
// the new leader reloads and delivers, and is SIGKILLed in turn a third of the way through the
// deliveries, so the third leader finds chunks in doubt and sends them again. History check: every acknowledged message reaches its topic exactly once, none before
// its due time, each with mq-delayed-from; an unanswered send at most once. `mq delayed list` and
// cancel work through a broker that does not lead the delay partition.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { liveKafka } from '../src/cluster-failover';
import { untilValue } from '../src/cluster-probe';

const TOPIC = 'delayed-cluster';
const DELAYED_TOPIC = '__mq_delayed';
const MESSAGES = 300;
const BATCH = 10;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'mq.delayed.topic.num.partitions': '1', 'offsets.topic.num.partitions': '3', 'replica.lag.time.max.ms': '3000', 'http.port': '0' },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leaders(topic: string): Promise<Map<number, number>> {
  const admin = liveKafka(cluster).admin();
  await admin.connect();
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return new Map(md.topics[0]!.partitions.map((p) => [p.partitionId, p.leader]));
  } finally {
    await admin.disconnect();
  }
}

function httpBase(nodeId: number): string {
  const b = cluster.broker(nodeId);
  return `http://${b.host}:${b.httpPort}`;
}

interface Sent {
  readonly value: string;
  readonly notBefore: number;
  acked: boolean;
}

describe('delayed messages in a cluster while the delay store leader is SIGKILLed', () => {
  it('every acknowledged delayed message is delivered exactly once, none early', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().filter((l) => /"level":[56]0|delay/.test(l)).slice(-25).join('\n')}`);
    });
    const admin = liveKafka(cluster).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const delayLeader = await untilValue('a leader of __mq_delayed-0', async () => {
      const l = (await leaders(DELAYED_TOPIC)).get(0);
      return l !== undefined && l >= 0 ? l : undefined;
    });
    const targetLeaders = await leaders(TOPIC);
    // Forwarding is exercised: some target partition is led by another broker than the delay store.
    expect([...targetLeaders.values()].some((l) => l !== delayLeader)).toBe(true);

    // No client retries: an answered send is exactly one attempt at the broker.
    const kafka = new Kafka({ brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`), logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const sent: Sent[] = [];
    const produce = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += BATCH) {
        const batch: Sent[] = [];
        const start = Date.now();
        const messages = Array.from({ length: BATCH }, (_, j) => {
          const n = i + j;
          // Due 6–12 s from now: well after the kill below, whatever the machine's load.
          const delay = 6_000 + ((n * 7919) % 6_000);
          batch.push({ value: `m-${n}`, notBefore: start + delay, acked: false });
          return { partition: n % 3, value: `m-${n}`, headers: { 'mq-delay-ms': String(delay) } };
        });
        sent.push(...batch);
        const ok = await producer.send({ topic: TOPIC, acks: -1, timeout: 10_000, messages }).then(
          () => true,
          () => false,
        );
        for (const s of batch) s.acked = ok;
        if (!ok) await sleep(200);
      }
    };
    await produce(0, MESSAGES / 2);
    const ackedBeforeKill = sent.filter((s) => s.acked).length;
    expect(ackedBeforeKill).toBeGreaterThan(0);
    // The acknowledgement meant the message is held: the delay leader has every one pending. A send
    // kafkajs failed may still have been held in part (its requests to the other leaders answered).
    const heldBeforeKill = (await (await fetch(`${httpBase(delayLeader)}/v1/delayed?local=1`)).json()) as { pending: number };
    expect(heldBeforeKill.pending).toBeGreaterThanOrEqual(ackedBeforeKill);
    expect(heldBeforeKill.pending).toBeLessThanOrEqual(sent.length);
    // Before anything is due: the delay store's leader dies with every message pending.
    await cluster.broker(delayLeader).kill('SIGKILL');
    await untilValue('a new leader of __mq_delayed-0', async () => {
      const l = (await leaders(DELAYED_TOPIC)).get(0);
      return l !== undefined && l >= 0 && l !== delayLeader ? l : undefined;
    });
    await produce(MESSAGES / 2, MESSAGES);
    await producer.disconnect();
    await cluster.broker(delayLeader).restart();
    const acked = sent.filter((s) => s.acked);
    expect(acked.length).toBeGreaterThan(MESSAGES / 2);

    // Read everything back until every acknowledged message is there and no broker holds one pending.
    // Per value, the distinct offsets it is stored at: the group consumer may read a record twice
    // across a rebalance (the broker holding its coordinator is killed below), the log may not hold it twice.
    const seen = new Map<string, { at: Set<string>; timestamp: number; from: string | undefined }>();
    const consumer = liveKafka(cluster).consumer({ groupId: 'delayed-cluster-check', maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const v = message.value!.toString();
        const entry = seen.get(v) ?? { at: new Set<string>(), timestamp: Number(message.timestamp), from: message.headers?.['mq-delayed-from']?.toString() };
        entry.at.add(`${partition}@${message.offset}`);
        seen.set(v, entry);
      },
    });
    // Then the new leader dies while it is delivering: its successor sends again what was in doubt.
    await untilValue('a third of the acknowledged messages delivered', async () => (acked.filter((s) => seen.has(s.value)).length >= acked.length / 3 ? true : undefined), 120_000);
    const secondLeader = (await leaders(DELAYED_TOPIC)).get(0)!;
    const deliveredAtSecondKill = acked.filter((s) => seen.has(s.value)).length;
    await cluster.broker(secondLeader).kill('SIGKILL');
    await untilValue('a third leader of __mq_delayed-0', async () => {
      const l = (await leaders(DELAYED_TOPIC)).get(0);
      return l !== undefined && l >= 0 && l !== secondLeader ? l : undefined;
    });
    await cluster.broker(secondLeader).restart();
    await untilValue('every acknowledged message delivered', async () => (acked.every((s) => seen.has(s.value)) ? true : undefined), 120_000);
    await untilValue('no delayed message pending on any broker', async () => {
      for (const b of cluster.brokers) {
        const res = await fetch(`${httpBase(b.nodeId)}/v1/delayed`);
        const body = (await res.json()) as { pending: number };
        if (body.pending !== 0) return undefined;
      }
      return true;
    });
    const admin2 = liveKafka(cluster).admin();
    await admin2.connect();
    // The restarted broker may take its leaderships back meanwhile: NOT_LEADER answers are retried.
    const ends = await untilValue(`${TOPIC}'s end offsets`, () => admin2.fetchTopicOffsets(TOPIC));
    await admin2.disconnect();
    const total = ends.reduce((n, p) => n + Number(p.high), 0);
    await untilValue('the consumer read to the end', async () => ([...seen.values()].reduce((n, s) => n + s.at.size, 0) >= total ? true : undefined));
    await consumer.disconnect();

    const problems: string[] = [];
    for (const s of sent) {
      const got = seen.get(s.value);
      if (s.acked && got === undefined) problems.push(`${s.value}: acknowledged, never delivered`);
      if (got !== undefined && got.at.size > 1) problems.push(`${s.value}: delivered ${got.at.size} times (${[...got.at].join(', ')})`);
      if (got !== undefined && got.timestamp < s.notBefore) problems.push(`${s.value}: delivered ${s.notBefore - got.timestamp} ms early`);
      if (got !== undefined && got.from === undefined) problems.push(`${s.value}: no mq-delayed-from header`);
    }
    for (const b of cluster.brokers) for (const l of b.logs().filter((x) => x.includes(`loaded ${DELAYED_TOPIC}`))) console.log(`broker ${b.nodeId}: ${l}`);
    console.log(
      `delayed failover: ${acked.length} acknowledged, ${sent.length - acked.length} unanswered, ${seen.size} delivered; broker ${delayLeader} killed holding ${ackedBeforeKill}, broker ${secondLeader} killed after ${deliveredAtSecondKill} deliveries`,
    );
    expect(problems).toEqual([]);
    expect([...seen.keys()].every((v) => sent.some((s) => s.value === v))).toBe(true);
  }, 300_000);

  it('lists and cancels through a broker that does not lead the delay partition', async () => {
    const delayLeader = (await leaders(DELAYED_TOPIC)).get(0)!;
    const other = cluster.brokers.find((b) => b.running && b.nodeId !== delayLeader)!;
    const kafka = liveKafka(cluster);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: 0, value: 'cancel-me', headers: { 'mq-delay-ms': String(3_600_000) } }] });
    await producer.disconnect();
    const base = httpBase(other.nodeId);
    const listed = (await (await fetch(`${base}/v1/delayed?topic=${TOPIC}`)).json()) as { pending: number; messages: { id: string; value: string }[] };
    const mine = listed.messages.find((m) => Buffer.from(m.value, 'base64').toString() === 'cancel-me');
    expect(mine).toBeDefined();
    expect(listed.pending).toBe(1);
    const one = await fetch(`${base}/v1/delayed/${mine!.id}`);
    expect(one.status).toBe(200);
    const cancelled = await fetch(`${base}/v1/delayed/${mine!.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const again = await fetch(`${base}/v1/delayed/${mine!.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    const after = (await (await fetch(`${httpBase(delayLeader)}/v1/delayed`)).json()) as { pending: number };
    expect(after.pending).toBe(0);
  }, 120_000);
});
