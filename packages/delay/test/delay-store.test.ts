// The store on a real TopicManager in a temp dir and a ManualClock: nothing goes out before it is
// due, everything goes out when due (in due order, with its key, value and headers plus
// mq-delayed-from), then its tombstone; list / get / cancel; restarts from the same files.
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, KafkaError } from '@mq/errors';
import { DELAYED_FROM_HEADER, DELAYED_TOPIC, DelayError } from '../src/index';
import { StoreHarness, T0 } from './store-harness';

let h: StoreHarness;
afterEach(async () => {
  await h?.close();
});

async function delayRecords(): Promise<{ key: string; value: string | null }[]> {
  const out: { key: string; value: string | null }[] = [];
  for (const p of h.topics.get(DELAYED_TOPIC)!.partitions) {
    // The messages' records (key version 0), not the delivery state (producer id, markers).
    for (const r of await h.records(DELAYED_TOPIC, p.index)) if (r.key!.readInt16BE(0) === 0) out.push({ key: r.key!.toString('hex'), value: r.value === null ? null : 'data' });
  }
  return out;
}

describe('DelayStore', () => {
  it('appends a message to its topic when it is due, not before, then tombstones it', async () => {
    h = await StoreHarness.create();
    expect(h.topics.get(DELAYED_TOPIC)).toBeUndefined(); // created on first use
    const [id] = await h.store.schedule([h.message('a', T0 + 5_000)]);
    expect(id).toMatch(/^\d+-0$/);
    expect(h.store.size).toBe(1);
    await h.advance(4_999);
    expect(await h.values()).toEqual([]);
    await h.advance(1);
    const [r] = await h.records();
    expect(r!.key!.toString()).toBe('k-a');
    expect(r!.value!.toString()).toBe('a');
    expect(r!.headers.map((x) => [x.key, x.value?.toString()])).toEqual([
      ['trace', 't1'],
      [DELAYED_FROM_HEADER, id],
    ]);
    expect(r!.timestamp).toBe(BigInt(T0 + 5_000)); // the delivery time
    // Its offset in orders-0 and the producer's headers (a tracer reads a traceparent there).
    expect(h.deliveries).toEqual([{ id, topic: 'orders', partition: 0, dueAt: T0 + 5_000, deliveredAt: T0 + 5_000, offset: 0n, headers: [{ key: 'trace', value: Buffer.from('t1') }] }]);
    expect(h.store.size).toBe(0);
    expect(h.store.get(id!)).toBeUndefined();
    const stored = await delayRecords();
    expect(stored).toHaveLength(2);
    expect(stored[0]!.key).toBe(stored[1]!.key);
    expect(stored.map((s) => s.value)).toEqual(['data', null]);
  });

  it('delivers in due order, whatever the order they were scheduled in', async () => {
    h = await StoreHarness.create();
    const dues = [900, 100, 500, 100, 300, 700];
    await h.store.schedule(dues.map((d, i) => h.message(`m${i}-${d}`, T0 + d)));
    await h.advance(100);
    expect(await h.values()).toEqual(['m1-100', 'm3-100']);
    await h.advance(450);
    expect(await h.values()).toEqual(['m1-100', 'm3-100', 'm4-300', 'm2-500']);
    await h.advance(10_000);
    expect(await h.values()).toEqual(['m1-100', 'm3-100', 'm4-300', 'm2-500', 'm5-700', 'm0-900']);
  });

  it('lists pending messages earliest first, filters them, and cancels by id', async () => {
    h = await StoreHarness.create();
    const ids = await h.store.schedule([h.message('late', T0 + 3_000), h.message('early', T0 + 1_000), h.message('p1', T0 + 2_000, 1)]);
    expect(h.store.list().map((m) => m.value!.toString())).toEqual(['early', 'p1', 'late']);
    expect(h.store.list({ partition: 0 }).map((m) => m.value!.toString())).toEqual(['early', 'late']);
    expect(h.store.list({ topic: 'other' })).toEqual([]);
    expect(h.store.list({ limit: 1 }).map((m) => m.id)).toEqual([ids[1]]);
    const early = h.store.get(ids[1]!)!;
    expect(early).toMatchObject({ topic: 'orders', partition: 0, dueAt: BigInt(T0 + 1_000), timestamp: BigInt(T0), delivering: false });
    expect(early.key!.toString()).toBe('k-early');

    const cancelled = await h.store.cancel(ids[1]!);
    expect(cancelled.value!.toString()).toBe('early');
    await expect(h.store.cancel(ids[1]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h.store.cancel('7-123456')).rejects.toBeInstanceOf(DelayError);
    expect(() => h.store.get('not-an-id')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    await h.advance(10_000);
    expect(await h.values(undefined, 0)).toEqual(['late']);
    expect(await h.values(undefined, 1)).toEqual(['p1']);
  });

  it('survives a restart: delivered and cancelled ones stay gone, overdue ones go out at once in due order', async () => {
    h = await StoreHarness.create();
    const ids = await h.store.schedule([
      h.message('d3', T0 + 3_000),
      h.message('d1', T0 + 1_000),
      h.message('d2', T0 + 2_000),
      h.message('cancelled', T0 + 1_500),
      h.message('future', T0 + 60_000),
    ]);
    await h.store.cancel(ids[3]!);
    await h.advance(1_000);
    expect(await h.values()).toEqual(['d1']);
    // Down for a while: d2 and d3 fall due while nothing runs.
    await h.restart(T0 + 10_000);
    expect(h.store.size).toBe(3);
    await h.store.idle();
    await h.advance(0);
    expect(await h.values()).toEqual(['d1', 'd2', 'd3']);
    expect(h.store.list().map((m) => m.value!.toString())).toEqual(['future']);
    await h.advance(49_999);
    expect(await h.values()).toEqual(['d1', 'd2', 'd3']);
    await h.advance(1);
    expect(await h.values()).toEqual(['d1', 'd2', 'd3', 'future']);
    await h.restart(T0 + 100_000);
    expect(h.store.size).toBe(0);
    await h.advance(0);
    expect(await h.values()).toEqual(['d1', 'd2', 'd3', 'future']);
  });

  it('ids are not reused after a restart', async () => {
    h = await StoreHarness.create({ topicPartitions: 1 });
    const first = await h.store.schedule([h.message('a', T0 + 1), h.message('b', T0 + 2)]);
    await h.advance(10);
    await h.restart(T0 + 20);
    const [next] = await h.store.schedule([h.message('c', T0 + 30)]);
    expect(first).toEqual(['0-0', '0-1']);
    expect(next).toBe('0-6'); // 0-2 the producer id, 0-3 the delivery marker, 0-4 and 0-5 the two tombstones
  });

  it('splits a large delivery into batches under the topic’s max.message.bytes', async () => {
    h = await StoreHarness.create();
    await h.topics.createTopic('small', 1, { 'max.message.bytes': '2048' });
    const big = 'x'.repeat(300);
    await h.store.schedule(Array.from({ length: 20 }, (_, i) => h.message(`${i}-${big}`, T0 + 10, 0, 'small')));
    await h.advance(10);
    const values = await h.values('small');
    expect(values.map((v) => v.split('-')[0])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(h.store.size).toBe(0);
  });

  it('drops, with a log line, messages whose topic was deleted meanwhile', async () => {
    h = await StoreHarness.create();
    await h.topics.createTopic('doomed', 1);
    await h.store.schedule([h.message('gone', T0 + 100, 0, 'doomed'), h.message('kept', T0 + 100)]);
    await h.topics.deleteTopic('doomed');
    await h.advance(100);
    expect(await h.values()).toEqual(['kept']);
    expect(h.store.size).toBe(0);
    expect(h.logged.some((l) => l.startsWith('warn: delayed messages dropped'))).toBe(true);
  });

  it('an append whose answer was lost is sent again as the same batch: it lands once', async () => {
    h = await StoreHarness.create({ retryBackoffMs: 500 });
    let calls = 0;
    h.wrapWriter = (local) => ({
      maxMessageBytes: local.maxMessageBytes,
      async append(topic, partition, batch) {
        await local.append(topic, partition, batch);
        if (++calls === 1) throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'the answer was lost');
        return local.append(topic, partition, batch);
      },
    });
    await h.restart(T0);
    await h.store.schedule([h.message('once', T0 + 10), h.message('twice?', T0 + 10)]);
    await h.advance(10);
    expect(await h.values()).toEqual(['once', 'twice?']);
    expect(h.store.size).toBe(2); // in doubt: not tombstoned yet
    await h.advance(500);
    expect(await h.values()).toEqual(['once', 'twice?']); // the repeat was a duplicate
    expect(h.store.size).toBe(0);
    expect(h.deliveries.map((d) => d.offset)).toEqual([0n, 1n]); // the first append's offsets
  });

  it('a restart after the append but before the tombstones delivers nothing twice', async () => {
    h = await StoreHarness.create();
    let appended!: () => void;
    const landed = new Promise<void>((r) => (appended = r));
    h.wrapWriter = (local) => ({
      maxMessageBytes: local.maxMessageBytes,
      async append(topic, partition, batch) {
        await local.append(topic, partition, batch);
        appended();
        return new Promise<bigint>(() => undefined); // the broker "dies" before it learns the answer
      },
    });
    await h.restart(T0);
    await h.store.schedule([h.message('a', T0 + 10), h.message('b', T0 + 20, 1)]);
    h.clock.advance(10);
    await landed;
    expect(await h.values()).toEqual(['a']);
    h.wrapWriter = undefined;
    await h.restart(T0 + 1_000);
    await h.advance(0);
    expect(await h.values()).toEqual(['a']);
    expect(await h.values('orders', 1)).toEqual(['b']);
    expect(h.store.size).toBe(0);
    // A later message to the same target continues the producer's sequence there.
    await h.store.schedule([h.message('c', T0 + 1_010)]);
    await h.advance(10);
    expect(await h.values()).toEqual(['a', 'c']);
  });

  it('refuses work once closed', async () => {
    h = await StoreHarness.create();
    await h.store.close();
    await expect(h.store.schedule([h.message('late', T0)])).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
