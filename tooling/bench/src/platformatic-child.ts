// @platformatic/kafka 2.12 workloads for the "Node clients" table, run by platformatic-load.ts in a
// child on Node 24 (the package needs Node >= 22.22; the bench itself runs on Node 20), through
// tsx so that the shapes of node-client-shapes.ts are the very ones the other clients run.
// stdin: one JSON PlatformaticJob; stdout: its TimedRun or LatencyRun as the last line.
import { Consumer, MessagesStreamModes, ProduceAcks, Producer } from '@platformatic/kafka';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { FETCH_PARTITION_BYTES, pacedProbe, untilCount, windowedProduce } from './node-client-shapes';
import { latencyOf } from './payloads';

export interface PlatformaticJob {
  readonly op: 'produce' | 'consume' | 'latency';
  readonly bootstrap: string;
  readonly topic: string;
  readonly group: string;
  readonly count: number;
  readonly size: number;
  readonly rate: number;
  readonly durationMs: number;
}

const base = (job: PlatformaticJob) => ({ clientId: 'mq-bench-platformatic', bootstrapBrokers: [job.bootstrap], retries: 3, timeout: 30_000 });

function producer(job: PlatformaticJob): { send(values: Buffer[]): Promise<unknown>; close(): Promise<void> } {
  const p = new Producer({ ...base(job), acks: ProduceAcks.ALL });
  return {
    send: (values) => p.send({ messages: values.map((value) => ({ topic: job.topic, partition: 0, value })) }),
    close: () => p.close(),
  };
}

async function consume(job: PlatformaticJob): Promise<TimedRun> {
  const consumer = new Consumer({ ...base(job), groupId: job.group, maxWaitTime: 500, maxBytesPerPartition: FETCH_PARTITION_BYTES });
  const stream = await consumer.consume({ topics: [job.topic], mode: MessagesStreamModes.EARLIEST, autocommit: true });
  const counter = untilCount(job.count, 'platformatic consumer');
  stream.on('data', (m: { value: Buffer | undefined }) => counter.add(1, m.value?.length ?? 0));
  try {
    return await counter.done;
  } finally {
    await stream.close();
    await consumer.close();
  }
}

async function latency(job: PlatformaticJob): Promise<LatencyRun> {
  const consumer = new Consumer({ ...base(job), groupId: job.group, maxWaitTime: 500 });
  const stream = await consumer.consume({ topics: [job.topic], mode: MessagesStreamModes.LATEST, autocommit: false });
  const e2e: number[] = [];
  stream.on('data', (m: { value: Buffer | undefined }) => {
    if (m.value !== undefined) e2e.push(latencyOf(m.value));
  });
  const p = producer(job);
  try {
    return await pacedProbe(job.size, job.rate, job.durationMs, e2e, p.send);
  } finally {
    await p.close();
    await stream.close();
    await consumer.close();
  }
}

async function run(job: PlatformaticJob): Promise<TimedRun | LatencyRun> {
  if (job.op === 'consume') return consume(job);
  if (job.op === 'latency') return latency(job);
  const p = producer(job);
  try {
    return await windowedProduce(job.count, job.size, p.send);
  } finally {
    await p.close();
  }
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const result = await run(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PlatformaticJob);
// A pipe is written asynchronously: exit once the result is out (the clients' timers would keep the process alive).
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
