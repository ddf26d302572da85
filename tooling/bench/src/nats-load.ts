// NATS JetStream (Debian nats-server 2.9, file storage) driven by the `nats` Node client: async
// publish with a window of outstanding PubAcks, a durable pull consumer (AckPolicy.All, acked every
// 500 messages, like a periodic offset commit), and paced end-to-end latency.
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, connect, type NatsConnection } from 'nats';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { latencyOf, latencyPayload, paced, recordBuffers } from './payloads';

export async function natsConnect(port: number): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}` });
}

export async function natsStream(nc: NatsConnection, name: string): Promise<string> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name, subjects: [`${name}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits });
  return `${name}.data`;
}

/** js.publish() of every message, `window` unacknowledged publishes at a time. */
export async function natsProduce(nc: NatsConnection, stream: string, count: number, size: number, window = 1000): Promise<TimedRun> {
  const subject = await natsStream(nc, stream);
  const js = nc.jetstream();
  const values = recordBuffers(count, size);
  const t0 = performance.now();
  for (let i = 0; i < count; i += window) {
    await Promise.all(values.slice(i, Math.min(count, i + window)).map((v) => js.publish(subject, v)));
  }
  return { messages: count, ms: performance.now() - t0 };
}

/** A durable pull consumer reading the stream from the start (the JetStream consumer-group mechanism), timed from the first message. */
export async function natsConsume(nc: NatsConnection, stream: string, durable: string, expected: number): Promise<TimedRun> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.All, deliver_policy: DeliverPolicy.All, max_ack_pending: 20_000 });
  const consumer = await nc.jetstream().consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 2_000 });
  let got = 0;
  let t0 = 0;
  const timer = setTimeout(() => messages.stop(), 180_000);
  for await (const m of messages) {
    if (got++ === 0) t0 = performance.now();
    if (got % 500 === 0 || got >= expected) m.ack();
    if (got >= expected) break;
  }
  clearTimeout(timer);
  const ms = performance.now() - t0;
  messages.stop();
  if (got < expected) throw new Error(`nats consumer read ${got} of ${expected}`);
  return { messages: got, ms };
}

export async function natsLatency(nc: NatsConnection, stream: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const subject = await natsStream(nc, stream);
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(stream, { durable_name: 'lat', ack_policy: AckPolicy.All, deliver_policy: DeliverPolicy.New, max_ack_pending: 20_000 });
  const consumer = await nc.jetstream().consumers.get(stream, 'lat');
  const messages = await consumer.consume({ max_messages: 1_000 });
  const e2e: number[] = [];
  const reading = (async () => {
    let n = 0;
    for await (const m of messages) {
      e2e.push(latencyOf(Buffer.from(m.data)));
      if (++n % 100 === 0) m.ack();
    }
  })();
  await new Promise((r) => setTimeout(r, 1_000));
  const js = nc.jetstream();
  const send: number[] = [];
  const pending = new Set<Promise<void>>();
  const sent = await paced(rate, durationMs, (n) => {
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const p = js.publish(subject, Buffer.from(latencyPayload(size))).then(
        () => void send.push(performance.now() - s),
        () => undefined,
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
  });
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (e2e.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  messages.stop();
  await reading.catch(() => undefined);
  return { e2e, send, sent };
}
