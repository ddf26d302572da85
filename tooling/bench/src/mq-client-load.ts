// @mq/client as a load generator for our broker: batched produce throughput, consume throughput
// (plain or in a group), and paced end-to-end latency — the shapes of node-client-shapes.ts, so
// rows compare with the other Node clients.
import { MqClient, type ProducerOptions } from '@mq/client';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { FETCH_PARTITION_BYTES, pacedProbe, untilCount, valueBytes, windowedProduce } from './node-client-shapes';
import { latencyOf } from './payloads';

export function mqClient(bootstrap: string): MqClient {
  return new MqClient({ bootstrapServers: bootstrap, clientId: 'mq-bench' });
}

/** The producer settings every mq-client row uses (acks=all). */
export const MQ_PRODUCER: ProducerOptions = { acks: -1, lingerMs: 5, batchBytes: 1024 * 1024, idempotent: true };

/** send() calls of 1000 messages, 64 unresolved at once, acks=-1, no compression. */
export async function mqClientProduce(client: MqClient, topic: string, count: number, size: number, opts: ProducerOptions = MQ_PRODUCER): Promise<TimedRun> {
  const producer = client.producer(opts);
  try {
    return await windowedProduce(count, size, (values) => producer.send({ topic, messages: values.map((value) => ({ value })) }));
  } finally {
    await producer.close();
  }
}

const CONSUMER = { maxWaitMs: 500, partitionMaxBytes: FETCH_PARTITION_BYTES } as const;

/**
 * `expected` records from the beginning, timed from the first record: plain (every partition
 * assigned) or, with `group`, as a member of that consumer group (offsets auto-committed).
 */
export async function mqClientConsume(client: MqClient, topic: string, partitions: number, expected: number, group?: string): Promise<TimedRun> {
  const consumer = client.consumer({ ...CONSUMER, autoOffsetReset: 'earliest', groupId: group });
  if (group === undefined) consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  else consumer.subscribe([topic]);
  const counter = untilCount(expected, 'mq-client consumer');
  try {
    while (!counter.finished) {
      const records = await consumer.poll();
      counter.add(records.length, valueBytes(records));
    }
    return await counter.done;
  } finally {
    await consumer.close();
  }
}

/** Paced producer (one send per ~1 ms burst, acks=-1, linger 0) into a consumer at the log end (plain, or in `group`). */
export async function mqClientLatency(client: MqClient, topic: string, size: number, rate: number, durationMs: number, group?: string): Promise<LatencyRun> {
  const consumer = client.consumer({ autoOffsetReset: 'latest', maxWaitMs: 500, groupId: group });
  if (group === undefined) consumer.assign([{ topic, partition: 0 }]);
  else consumer.subscribe([topic]);
  const e2e: number[] = [];
  let reading = true;
  const reader = (async () => {
    while (reading) for (const r of await consumer.poll()) if (r.value !== null) e2e.push(latencyOf(r.value));
  })();
  // 1 MiB batches as in MQ_PRODUCER: at 10 MB/s (1 KiB records) 16 KiB batches would fill the
  // five in-flight slots within one broker round trip under load.
  const producer = client.producer({ acks: -1, lingerMs: 0, idempotent: true, batchBytes: 1024 * 1024 });
  try {
    return await pacedProbe(size, rate, durationMs, e2e, (values) => producer.send({ topic, messages: values.map((value) => ({ value })) }));
  } finally {
    reading = false;
    await producer.close();
    await reader.catch(() => undefined);
    await consumer.close();
  }
}
