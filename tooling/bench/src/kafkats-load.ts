// @kafkats/client 0.12 as a load generator for our broker, in the shapes of node-client-shapes.ts
// (the "Node clients" table of bench:compare).
import { KafkaClient } from '@kafkats/client';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { FETCH_PARTITION_BYTES, pacedProbe, untilCount, valueBytes, windowedProduce } from './node-client-shapes';
import { latencyOf } from './payloads';

export function kafkatsClient(bootstrap: string): KafkaClient {
  return new KafkaClient({ brokers: [bootstrap], clientId: 'mq-bench-kafkats' });
}

/** acks=all, linger 5 ms, 1 MiB batches (as @mq/client's bench producer). */
export async function kafkatsProduce(client: KafkaClient, topic: string, count: number, size: number): Promise<TimedRun> {
  const producer = client.producer({ acks: 'all', lingerMs: 5, maxBatchBytes: 1024 * 1024 });
  try {
    return await windowedProduce(count, size, (values) => producer.send(topic, values.map((value) => ({ value }))));
  } finally {
    await producer.disconnect();
  }
}

/** Consumer group from the earliest offset (runBatch, offsets auto-committed). */
export async function kafkatsConsume(client: KafkaClient, topic: string, group: string, expected: number): Promise<TimedRun> {
  const consumer = client.consumer({ groupId: group, autoOffsetReset: 'earliest', maxWaitMs: 500, maxBytesPerPartition: FETCH_PARTITION_BYTES, maxRecords: 100_000, isolationLevel: 'read_uncommitted' });
  const counter = untilCount(expected, 'kafkats consumer');
  const running = consumer.runBatch(topic, async (batch) => counter.add(batch.length, valueBytes(batch)), { autoCommit: true });
  try {
    return await Promise.race([counter.done, running.then(() => Promise.reject(new Error('kafkats consumer stopped early')))]);
  } finally {
    consumer.stop();
    await running.catch(() => undefined);
  }
}

/** Paced producer (acks=all, linger 0) into a consumer group reading from the log end. */
export async function kafkatsLatency(client: KafkaClient, topic: string, group: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const consumer = client.consumer({ groupId: group, autoOffsetReset: 'latest', maxWaitMs: 500, isolationLevel: 'read_uncommitted' });
  const e2e: number[] = [];
  const running = consumer.runEach(topic, async (message) => void e2e.push(latencyOf(message.value)), { autoCommit: false });
  const producer = client.producer({ acks: 'all', lingerMs: 0 });
  try {
    return await pacedProbe(size, rate, durationMs, e2e, (values) => producer.send(topic, values.map((value) => ({ value }))));
  } finally {
    consumer.stop();
    await running.catch(() => undefined);
    await producer.disconnect();
  }
}
