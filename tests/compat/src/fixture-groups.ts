// Checks the data-dir fixture tests (groups-legacy-data-dir, groups-runtime-data-dir) share: a
// group's committed offsets as kafkajs reads them, and a classic group's consumer resuming after
// what it committed.
import type { Admin, Kafka } from 'kafkajs';

/** `partition:offset[:metadata]` per partition of `topic`, in partition order. */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<string[]> {
  const res = await admin.fetchOffsets({ groupId, topics: [topic] });
  return res[0]!.partitions.sort((a, b) => a.partition - b.partition).map((p) => `${p.partition}:${p.offset}${p.metadata ? `:${p.metadata}` : ''}`);
}

/** Produces one new message to partitions 0–2 of `topic`, then consumes as `groupId` until 3 arrive: their keys, sorted. */
export async function consumeAfterCommits(kafka: Kafka, groupId: string, topic: string): Promise<string[]> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [0, 1, 2].map((p) => ({ partition: p, key: `new${p}`, value: 'new' })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          got.push(message.key!.toString());
          if (got.length === 3) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return got.sort();
}
