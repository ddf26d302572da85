// @mq/client as a load generator for our broker: batched produce throughput, plain-consumer consume
// throughput, and paced end-to-end latency — the same shapes as kafkajs-load.ts so rows compare.
import { MqClient, type ProducerOptions } from '@mq/client';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { latencyOf, latencyPayload, paced, recordBuffers } from './payloads';

export function mqClient(bootstrap: string): MqClient {
  return new MqClient({ bootstrapServers: bootstrap, clientId: 'mq-bench' });
}

/** The producer settings every mq-client row uses (acks=all). */
export const MQ_PRODUCER: ProducerOptions = { acks: -1, lingerMs: 5, batchBytes: 1024 * 1024, idempotent: true };

/** send() calls of `chunk` messages, up to `window` unresolved at once, acks=-1, no compression. */
export async function mqClientProduce(client: MqClient, topic: string, count: number, size: number, opts: ProducerOptions = MQ_PRODUCER, chunk = 1000, window = 64): Promise<TimedRun> {
  const values = recordBuffers(count, size);
  const messages = Array.from({ length: Math.ceil(count / chunk) }, (_, i) => values.slice(i * chunk, (i + 1) * chunk).map((value) => ({ value })));
  const producer = client.producer(opts);
  // Metadata and the producer id before the clock starts, as the other clients connect first.
  await producer.send({ topic, messages: [{ value: 'warm-up' }] });
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (const m of messages) {
    inflight.push(producer.send({ topic, messages: m }));
    if (inflight.length >= window) await inflight.shift();
  }
  await Promise.all(inflight);
  const ms = performance.now() - t0;
  await producer.close();
  return { messages: count, ms };
}

/** Plain consumer over every partition from the beginning until `expected` records, timed from the first poll. */
export async function mqClientConsume(client: MqClient, topic: string, partitions: number, expected: number): Promise<TimedRun> {
  const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 500, partitionMaxBytes: 8 * 1024 * 1024 });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const t0 = performance.now();
  let got = 0;
  const deadline = t0 + 180_000;
  while (got < expected && performance.now() < deadline) {
    for (const r of await consumer.poll()) if (r.offset >= 0n) got++;
  }
  const ms = performance.now() - t0;
  await consumer.close();
  if (got < expected) throw new Error(`mq-client consumer read ${got} of ${expected} in 180 s`);
  return { messages: got, ms };
}

/** Paced producer (one send per ~1 ms burst, acks=-1, linger 0) into a plain consumer at the log end. */
export async function mqClientLatency(client: MqClient, topic: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const consumer = client.consumer({ autoOffsetReset: 'latest', maxWaitMs: 500 });
  consumer.assign([{ topic, partition: 0 }]);
  await consumer.poll();
  const e2e: number[] = [];
  let reading = true;
  const reader = (async () => {
    while (reading) for (const r of await consumer.poll()) if (r.value !== null) e2e.push(latencyOf(r.value));
  })();
  const producer = client.producer({ acks: -1, lingerMs: 0, idempotent: true });
  await producer.send({ topic, messages: [{ value: latencyPayload(size) }] });
  const warm = e2e.length;
  const send: number[] = [];
  const pending = new Set<Promise<void>>();
  const sent = await paced(rate, durationMs, (n) => {
    const messages = Array.from({ length: n }, () => ({ value: latencyPayload(size) }));
    const s = performance.now();
    const p = producer.send({ topic, messages }).then(
      () => void send.push(performance.now() - s),
      () => undefined,
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (e2e.length < sent + 1 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  reading = false;
  await producer.close();
  await reader.catch(() => undefined);
  await consumer.close();
  return { e2e: e2e.slice(warm > 0 ? 1 : 0), send, sent };
}
