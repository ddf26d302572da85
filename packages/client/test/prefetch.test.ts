// Pre-fetching against a real broker: the next Fetch leaves before poll() returns and its answer is
// what the next poll() hands out; answers with records are followed at once up to the byte budget
// (and not past it); a seek while a fetch is out drops that answer and reads exactly from the new
// position.
import { type RunningBroker, startBroker } from '@mq/broker';
import { ApiKey } from '@mq/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Connection, MqClient } from '../src/index';
import { pollUntil, topicName } from './helpers';

interface SeenFetch {
  partitions: number[];
  /** Bytes of records the broker answered with. */
  answer: Promise<number>;
}

function watchFetches(): SeenFetch[] {
  const seen: SeenFetch[] = [];
  const original = Connection.prototype.request;
  vi.spyOn(Connection.prototype, 'request').mockImplementation(function (this: Connection, apiKey, body, opts) {
    const res = original.call(this, apiKey, body, opts);
    if (apiKey === ApiKey.Fetch) {
      const b = body as { topics: { partitions: { partition: number }[] }[] };
      seen.push({
        partitions: b.topics.flatMap((t) => t.partitions.map((p) => p.partition)),
        answer: (res as Promise<{ responses: { partitions: { records: Buffer | null }[] }[] }>).then((r) =>
          r.responses.reduce((n, t) => n + t.partitions.reduce((m, p) => m + (p.records?.length ?? 0), 0), 0),
        ),
      });
    }
    return res;
  });
  return seen;
}

/** Lets pending callbacks run (an answer applied, a follow-up fetch sent) without waiting on a clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('consumer pre-fetching', () => {
  let broker: RunningBroker;
  let client: MqClient;
  beforeAll(async () => {
    broker = await startBroker({ port: 0 });
    client = new MqClient({ bootstrapServers: `${broker.host}:${broker.port}`, clientId: 'prefetch-test' });
  });
  afterAll(async () => {
    await client?.close();
    await broker?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value!.toString());

  /** A one-partition topic with `n` records, one batch each. */
  async function batches(n: number): Promise<string> {
    const topic = topicName('prefetch');
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const producer = client.producer({ lingerMs: 0 });
    for (let i = 0; i < n; i++) await producer.send({ topic, messages: [{ value: `r${i}` }] });
    return topic;
  }

  it('sends the next fetch before poll() returns; its answer is what the next poll() hands out', async () => {
    const topic = await batches(3);
    const seen = watchFetches();
    const c = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 2000 });
    c.assign([{ topic, partition: 0 }]);
    expect(values(await pollUntil(() => c.poll(), 3))).toEqual(['r0', 'r1', 'r2']);
    // Already out, from the position poll() just moved to; the broker holds it until data comes.
    const ahead = seen.at(-1)!;
    expect(ahead.partitions).toEqual([0]);
    await client.producer().send({ topic, messages: [{ value: 'r3' }, { value: 'r4' }] });
    expect(await ahead.answer).toBeGreaterThan(0);
    await settle();
    const sent = seen.length;
    expect(values(await c.poll())).toEqual(['r3', 'r4']);
    // That poll() found the records waiting: it did not fetch them itself (the one fetch out is the next pre-fetch).
    expect(seen.length - sent).toBeLessThanOrEqual(1);
    expect(c.position(topic, 0)).toBe(5n);
    await c.close();
  });

  it('follows answers with records up to the byte budget, and not past it', async () => {
    const topic = await batches(20);
    // partitionMaxBytes 1: every answer carries exactly one batch (the first is always whole).
    const seen = watchFetches();
    const eager = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100, partitionMaxBytes: 1, prefetchBytes: 1 << 20 });
    eager.assign([{ topic, partition: 0 }]);
    expect(values(await pollUntil(() => eager.poll(), 1))).toEqual(['r0']);
    // Without another poll() the consumer reads on until an answer comes back empty (caught up).
    await vi.waitFor(async () => expect(await seen.at(-1)!.answer).toBe(0), { timeout: 20_000, interval: 20 });
    expect(seen.length).toBeGreaterThanOrEqual(20);
    expect(values(await eager.poll())).toEqual(Array.from({ length: 19 }, (_, i) => `r${i + 1}`));
    await eager.close();

    vi.restoreAllMocks();
    const seenTight = watchFetches();
    const tight = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100, partitionMaxBytes: 1, prefetchBytes: 1 });
    tight.assign([{ topic, partition: 0 }]);
    expect(values(await pollUntil(() => tight.poll(), 1))).toEqual(['r0']);
    const ahead = seenTight.at(-1)!;
    expect(await ahead.answer).toBeGreaterThan(0);
    await settle();
    // One batch buffered is the whole budget: nothing more is fetched until poll() takes it.
    expect(seenTight.at(-1)).toBe(ahead);
    expect(values(await tight.poll())).toEqual(['r1']);
    await tight.close();
  });

  it('a seek while a fetch is out drops its answer and reads exactly from the new position', async () => {
    const topic = await batches(10);
    const c = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 300 });
    c.assign([{ topic, partition: 0 }]);
    expect(await pollUntil(() => c.poll(), 10)).toHaveLength(10);
    // The pre-fetch from offset 10 is out; r10 answers it after the seek.
    c.seek(topic, 0, 3n);
    await client.producer().send({ topic, messages: [{ value: 'r10' }] });
    const got = await pollUntil(() => c.poll(), 8);
    expect(got.map((r) => r.offset)).toEqual([3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
    expect(values(got)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10']);
    await c.close();
  });
});
