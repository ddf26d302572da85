// The lifecycle spans and the ring: produce → fetch → commit linked by parent ids, contexts kept
// beside offsets, ring and message-context eviction, and the queries.
import { describe, expect, it } from 'vitest';
import { MessageTracer, Sampler, TraceStore, type TraceSpan } from '../src/index';

function seededBytes(): (n: number) => Buffer {
  let seed = 1;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    return b;
  };
}

const PARENT = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true };

describe('MessageTracer', () => {
  it('traces a message from produce through fetch to commit, every span a child of mq.produce', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'ratio', ratio: 0.5 }, () => 0.9), store, randomBytes: seededBytes() });
    const seen: TraceSpan[] = [];
    tracer.onSpan((s) => seen.push(s));
    tracer.produced('orders', 0, { baseOffset: 5n, recordCount: 2, contexts: new Map([[0, PARENT]]) }, 1000, 1002, 'producer-1');
    expect(store.traceOf('orders', 0, 6n)).toBeUndefined(); // no header and the sampler said no
    tracer.fetched('orders', 0, 0n, 9n, 1003, 1004, { clientId: 'c', groupId: 'g', memberId: 'm-1' });
    tracer.committedOffset('g', 'orders', 0, 5n, 1005, 1006); // 5 not yet passed
    tracer.committedOffset('g', 'orders', 0, 7n, 1007, 1008);
    tracer.committedOffset('g', 'orders', 0, 7n, 1009, 1010); // same offset again: nothing new
    const spans = store.trace(PARENT.traceId);
    expect(spans.map((s) => s.name)).toEqual(['mq.produce', 'mq.fetch', 'mq.commit']);
    const [produce, fetch, commit] = spans as [TraceSpan, TraceSpan, TraceSpan];
    expect(produce.parentSpanId).toBe(PARENT.spanId);
    expect(fetch.parentSpanId).toBe(produce.spanId);
    expect(commit.parentSpanId).toBe(produce.spanId);
    expect(produce.attributes).toMatchObject({ 'messaging.destination.name': 'orders', 'messaging.kafka.offset': 5, 'messaging.client.id': 'producer-1' });
    expect(fetch.attributes).toMatchObject({ 'messaging.consumer.group.name': 'g', 'mq.group.member.id': 'm-1' });
    expect(commit.startTimeMs).toBe(1007);
    expect(seen).toEqual(spans);
    expect(store.traceOf('orders', 0, 5n)).toBe(PARENT.traceId);
  });

  it('starts a new trace for a message without a header when the sampler says so; honours an unsampled flag', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'always' }), store, randomBytes: seededBytes() });
    tracer.produced('t', 1, { baseOffset: 0n, recordCount: 2, contexts: new Map([[1, { ...PARENT, sampled: false }]]) }, 1, 2, undefined);
    const id = store.traceOf('t', 1, 0n);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.trace(id!)[0]!.parentSpanId).toBeUndefined();
    expect(store.traceOf('t', 1, 1n)).toBeUndefined();
  });

  it('keeps a bounded ring: old spans and old message contexts are dropped, queries see what is kept', () => {
    const store = new TraceStore({ maxSpans: 3, maxMessages: 2 });
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'always' }), store, randomBytes: seededBytes() });
    for (let i = 0; i < 4; i++) tracer.produced('t', 0, { baseOffset: BigInt(i), recordCount: 1, contexts: new Map() }, 100 + i, 100 + i, undefined);
    expect(store.size).toBe(3);
    expect(store.traceOf('t', 0, 0n)).toBeUndefined();
    expect(store.traceOf('t', 0, 1n)).toBeUndefined(); // message context dropped (maxMessages 2)
    expect(store.traceOf('t', 0, 3n)).toBeDefined();
    expect(store.recent(10).map((s) => s.startTimeMs)).toEqual([103, 102, 101]);
    expect(store.range(101.5, 102.5).map((s) => s.startTimeMs)).toEqual([102]);
    expect(store.recent(1)).toHaveLength(1);
  });
});
