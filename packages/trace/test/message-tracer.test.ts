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

  it('in a cluster, mq.replicate once the high watermark passes the offset (from the append to then), each message once', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'always' }), store, randomBytes: seededBytes(), replicated: true });
    tracer.produced('r', 0, { baseOffset: 10n, recordCount: 3, contexts: new Map([[0, PARENT]]) }, 100, 101, undefined);
    tracer.replicated('r', 0, 10n, 102); // HW at 10: offset 10 not yet passed
    expect(store.trace(PARENT.traceId).map((s) => s.name)).toEqual(['mq.produce']);
    tracer.replicated('r', 0, 12n, 103); // passes 10 and 11
    tracer.replicated('r', 0, 13n, 104); // passes 12
    tracer.replicated('r', 0, 13n, 105); // nothing new
    const spans = store.trace(PARENT.traceId);
    expect(spans.map((s) => s.name)).toEqual(['mq.produce', 'mq.replicate']);
    expect(spans[1]).toMatchObject({ parentSpanId: spans[0]!.spanId, startTimeMs: 101, endTimeMs: 103 });
    const replicates = [10n, 11n, 12n].map((o) => store.trace(store.traceOf('r', 0, o)!).filter((s) => s.name === 'mq.replicate'));
    expect(replicates.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(replicates[2]![0]!.attributes['messaging.kafka.high_watermark']).toBe(13);
  });

  it('a fetch parked before the message existed starts its span at the append, so the steps stay in order', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'always' }), store, randomBytes: seededBytes() });
    tracer.produced('lp', 0, { baseOffset: 0n, recordCount: 1, contexts: new Map([[0, PARENT]]) }, 200, 205, undefined);
    tracer.fetched('lp', 0, 0n, 0n, 150, 206, {});
    const [produce, fetch] = store.trace(PARENT.traceId);
    expect(fetch).toMatchObject({ name: 'mq.fetch', startTimeMs: 205, endTimeMs: 206 });
    expect(produce!.endTimeMs).toBeLessThanOrEqual(fetch!.startTimeMs);
    expect(store.hasMessages('lp', 0)).toBe(true);
    expect(store.hasMessages('lp', 1)).toBe(false);
  });
});

describe('MessageTracer queue steps', () => {
  it('traces a share-group record: acquire, release, acquire, reject, dead-letter — and its dead letter is fetched as the same message', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'ratio', ratio: 0 }), store, randomBytes: seededBytes() });
    tracer.produced('jobs', 0, { baseOffset: 0n, recordCount: 2, contexts: new Map([[1, PARENT]]) }, 1000, 1001, 'p');
    tracer.queueStep('jobs', 0, [0n, 1n], 'mq.acquire', 1002, { 'messaging.consumer.group.name': 'w', 'mq.delivery.count': 1 });
    tracer.queueStep('jobs', 0, [1n], 'mq.release', 1003, {});
    tracer.queueStep('jobs', 0, [1n], 'mq.acquire', 1004, { 'mq.delivery.count': 2 });
    tracer.queueStep('jobs', 0, [1n], 'mq.reject', 1005, {});
    tracer.deadLettered('jobs', 0, [{ offset: 1n, dlqOffset: 7n }], 'jobs.dlq', 0, 1006, { 'mq.dlq.reason': 'rejected' });
    tracer.queueStep('other', 0, [1n], 'mq.accept', 1007, {}); // nothing traced there
    tracer.fetched('jobs.dlq', 0, 7n, 7n, 1008, 1009, { clientId: 'dlq-reader' });
    const spans = store.trace(PARENT.traceId);
    expect(spans.map((s) => s.name)).toEqual(['mq.produce', 'mq.acquire', 'mq.release', 'mq.acquire', 'mq.reject', 'mq.dead-letter', 'mq.fetch']);
    const produce = spans[0]!;
    expect(spans.slice(1).every((s) => s.parentSpanId === produce.spanId)).toBe(true);
    expect(spans[5]!.attributes).toMatchObject({ 'mq.dlq.topic': 'jobs.dlq', 'mq.dlq.offset': 7, 'messaging.kafka.offset': 1, 'mq.dlq.reason': 'rejected' });
    expect(spans[6]!.attributes).toMatchObject({ 'messaging.destination.name': 'jobs.dlq', 'messaging.kafka.offset': 7 });
    expect(store.traceOf('jobs', 0, 0n)).toBeUndefined(); // offset 0 was not traced: its acquire made no span
  });

  it('traces a delayed message: produce → delay → fire → fetch, and one held before a restart by its traceparent', () => {
    const store = new TraceStore();
    const tracer = new MessageTracer({ sampler: new Sampler({ kind: 'ratio', ratio: 0 }), store, randomBytes: seededBytes() });
    tracer.delayed('jobs', 0, [{ id: '0-4', dueAtMs: 5000, context: PARENT }, { id: '0-5', dueAtMs: 5000, context: undefined }], 1000, 1001, 'p');
    tracer.fired('jobs', 0, [{ id: '0-4', offset: 12n, dueAtMs: 5000, context: PARENT }, { id: '0-5', offset: 13n, dueAtMs: 5000, context: undefined }], 5002);
    tracer.fetched('jobs', 0, 12n, 13n, 5003, 5004, { clientId: 'c' });
    const spans = store.trace(PARENT.traceId);
    expect(spans.map((s) => s.name)).toEqual(['mq.produce', 'mq.delay', 'mq.fire', 'mq.fetch']);
    expect(spans[1]!.attributes).toMatchObject({ 'mq.delay.id': '0-4', 'mq.delay.due_at': 5000 });
    expect(spans[2]).toMatchObject({ startTimeMs: 5000, endTimeMs: 5002, parentSpanId: spans[0]!.spanId });
    expect(spans[2]!.attributes).toMatchObject({ 'messaging.kafka.offset': 12 });
    expect(store.traceOf('jobs', 0, 13n)).toBeUndefined(); // ratio 0 and no traceparent: never traced

    const restarted = new TraceStore();
    const after = new MessageTracer({ sampler: new Sampler({ kind: 'ratio', ratio: 0 }), store: restarted, randomBytes: seededBytes() });
    after.fired('jobs', 0, [{ id: '0-9', offset: 20n, dueAtMs: 6000, context: PARENT }], 6001);
    expect(restarted.trace(PARENT.traceId).map((s) => [s.name, s.parentSpanId])).toEqual([['mq.fire', PARENT.spanId]]);
    expect(restarted.traceOf('jobs', 0, 20n)).toBe(PARENT.traceId);
  });
});
