// Priority-lane depths on /metrics (issue 15): kafkajs produces records with mq-priority headers
// (and one without: lane 2) to a strict-priority topic, an HTTP queue consumer receives one record
// (the lane-0 one first), and mq_share_priority_lane_records on the broker's /metrics shows the
// records still available per lane of that share-partition; acknowledging and receiving more moves them.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheus } from '../src/prometheus-text';

let broker: Awaited<ReturnType<typeof startBroker>>;
let base: string;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 }, share: { autoOffsetReset: 'earliest' } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  const kafka = new Kafka({ clientId: 'lane-metrics', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'urgent-jobs', numPartitions: 1, configEntries: [{ name: 'mq.priority.strict', value: 'true' }] }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'urgent-jobs',
    acks: -1,
    messages: [
      ...Array.from({ length: 3 }, (_, i) => ({ value: `background ${i}`, headers: { 'mq-priority': '4' } })),
      { value: 'plain' },
      ...Array.from({ length: 2 }, (_, i) => ({ value: `critical ${i}`, headers: { 'mq-priority': '0' } })),
    ],
  });
  await producer.disconnect();
});

afterAll(async () => {
  await broker?.stop();
});

/** lane → available records of urgent-jobs-0 for group `lanes`, as /metrics shows them now. */
async function laneDepths(): Promise<Record<string, number>> {
  const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.name === 'mq_share_priority_lane_records' && s.labels.group === 'lanes' && s.labels.topic === 'urgent-jobs' && s.labels.partition === '0') out[s.labels.lane!] = s.value;
  }
  return out;
}

interface Received {
  readonly value: { data: string };
  readonly receipt: string;
}

async function receive(n: number): Promise<Received[]> {
  const got: Received[] = [];
  while (got.length < n) {
    const res = await fetch(`${base}/v1/queues/lanes/topics/urgent-jobs/receive`, { method: 'POST', body: JSON.stringify({ consumer_id: 'w1', max_messages: n - got.length, wait_ms: 2000, encoding: 'string' }) });
    expect(res.status).toBe(200);
    got.push(...((await res.json()) as { messages: Received[] }).messages);
  }
  return got;
}

describe('priority-lane depths on /metrics', () => {
  it('counts the available records per lane of a prioritised share-partition', async () => {
    expect(await laneDepths()).toEqual({}); // no share-partition has seen an mq-priority header yet
    const first = await receive(1);
    expect(first.map((m) => m.value.data)).toEqual(['critical 0']);
    // The acquired record is in flight, not available: lane 0 has one left.
    expect(await laneDepths()).toEqual({ '0': 1, '1': 0, '2': 1, '3': 0, '4': 3 });
    const more = await receive(2);
    expect(more.map((m) => m.value.data).sort()).toEqual(['critical 1', 'plain']); // lane 0 first, then lane 2 (the answer is in offset order)
    expect(await laneDepths()).toEqual({ '0': 0, '1': 0, '2': 0, '3': 0, '4': 3 });
    // Released records are available again, in their lane.
    const res = await fetch(`${base}/v1/queues/lanes/topics/urgent-jobs/release`, { method: 'POST', body: JSON.stringify({ receipts: [...first, ...more].map((m) => m.receipt) }) });
    expect(res.status).toBe(200);
    expect(await laneDepths()).toEqual({ '0': 2, '1': 0, '2': 1, '3': 0, '4': 3 });
  });
});
