// kafkajs 2.2.4 as a Node-client load generator for our broker: batched produce throughput with
// per-send latency, consumer-group consume throughput, and paced end-to-end latency.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { FETCH_PARTITION_BYTES, pacedProbe, untilCount, valueBytes, windowedProduce } from './node-client-shapes';
import { latencyOf, recordBuffers } from './payloads';
import type { TimedRun } from './kcat-load';

export function kafkaClient(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'mq-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

export interface ProduceRun extends TimedRun {
  /** Latency of each send() call (one batch), ms. */
  readonly sendLatencies: number[];
}

/** Batches of `batchSize` messages, up to `window` sends in flight, acks=-1, no compression. */
export async function kafkajsProduce(kafka: Kafka, topic: string, count: number, size: number, batchSize = 1000, window = 4): Promise<ProduceRun> {
  const values = recordBuffers(count, size);
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const sendLatencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batchSize);
      const messages = values.slice(from, next).map((value) => ({ value }));
      const s = performance.now();
      await producer.send({ topic, acks: -1, messages });
      sendLatencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  const ms = performance.now() - t0;
  await producer.disconnect();
  return { messages: count, ms, sendLatencies };
}

/** The Node-clients table's produce shape (node-client-shapes.ts): sends of 1000, 64 in flight, acks=-1. */
export async function kafkajsWindowedProduce(kafka: Kafka, topic: string, count: number, size: number): Promise<TimedRun> {
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    return await windowedProduce(count, size, (values) => producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) }));
  } finally {
    await producer.disconnect();
  }
}

async function joinedConsumer(kafka: Kafka, topic: string, group: string, fromBeginning: boolean): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 500, maxBytes: 50 * 1024 * 1024, maxBytesPerPartition: FETCH_PARTITION_BYTES });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  return consumer;
}

/** Consumer-group consume of `expected` messages from the beginning (eachBatch, offsets auto-committed), timed from its first record. */
export async function kafkajsConsume(kafka: Kafka, topic: string, group: string, expected: number): Promise<TimedRun> {
  const consumer = await joinedConsumer(kafka, topic, group, true);
  const counter = untilCount(expected, 'kafkajs consumer');
  try {
    const running = consumer.run({ eachBatch: async ({ batch }) => counter.add(batch.messages.length, valueBytes(batch.messages)) });
    return await Promise.race([counter.done, running.then(() => counter.done)]);
  } finally {
    await consumer.disconnect();
  }
}

export interface LatencyRun {
  readonly e2e: number[];
  readonly send: number[];
  readonly sent: number;
}

/** Paced kafkajs producer (one send per ~1 ms burst, acks=-1) into a kafkajs consumer group. */
export async function kafkajsLatency(kafka: Kafka, topic: string, group: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const consumer = await joinedConsumer(kafka, topic, group, false);
  const e2e: number[] = [];
  const producer = kafka.producer();
  try {
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value !== null) e2e.push(latencyOf(message.value));
      },
    });
    await producer.connect();
    return await pacedProbe(size, rate, durationMs, e2e, (values) => producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) }));
  } finally {
    await producer.disconnect();
    await consumer.disconnect();
  }
}
