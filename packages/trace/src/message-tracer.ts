// A message's life as spans: mq.produce (request received → appended at its offset), then one
// mq.fetch per consumer fetch that returned it and one mq.commit per group whose commit passed it.
// The context of each traced message is kept beside it in the TraceStore, keyed by
// (topic, partition, offset) — the broker never adds a traceparent to stored bytes.
import type { Sampler } from './sampler';
import type { TraceContext } from './trace-context';
import type { SpanAttributes, SpanName, TraceSpan } from './trace-span';
import type { TraceStore } from './trace-store';

/** One batch appended by Produce, at the offsets the broker assigned. */
export interface ProducedBatch {
  readonly baseOffset: bigint;
  /** Records in the batch: offsets baseOffset .. baseOffset + recordCount - 1. */
  readonly recordCount: number;
  /** The valid traceparent headers found, by offset delta (usually none: records without one only cost a sampling draw). */
  readonly contexts: ReadonlyMap<number, TraceContext>;
}

export interface ConsumerInfo {
  readonly clientId?: string | undefined;
  /** Set when the fetching connection belongs to a group member. */
  readonly groupId?: string | undefined;
  readonly memberId?: string | undefined;
}

export interface MessageTracerOptions {
  readonly sampler: Sampler;
  readonly store: TraceStore;
  /** Random bytes for trace and span ids (injected: node:crypto randomBytes in the broker, seeded in tests). */
  readonly randomBytes: (n: number) => Buffer;
}

type SpanListener = (span: TraceSpan) => void;

export class MessageTracer {
  readonly sampler: Sampler;
  readonly store: TraceStore;
  private readonly randomBytes: (n: number) => Buffer;
  private readonly listeners: SpanListener[] = [];
  /** Per group and partition: the committed offset already accounted for. */
  private readonly committed = new Map<string, bigint>();

  constructor(opts: MessageTracerOptions) {
    this.sampler = opts.sampler;
    this.store = opts.store;
    this.randomBytes = opts.randomBytes;
  }

  /** Every finished span (JSONL sink, OTLP exporter). */
  onSpan(listener: SpanListener): void {
    this.listeners.push(listener);
  }

  /** A batch appended by Produce: each sampled record gets an mq.produce span and a remembered context. */
  produced(topic: string, partition: number, batch: ProducedBatch, startTimeMs: number, endTimeMs: number, clientId: string | undefined): void {
    for (let delta = 0; delta < batch.recordCount; delta++) {
      const parent = batch.contexts.get(delta);
      if (parent !== undefined ? !this.sampler.honours(parent.sampled) : !this.sampler.sampleNew()) continue;
      const offset = batch.baseOffset + BigInt(delta);
      const traceId = parent?.traceId ?? this.randomBytes(16).toString('hex');
      const span = this.span(traceId, parent?.spanId, 'mq.produce', startTimeMs, endTimeMs, {
        ...destination(topic, partition, offset),
        'messaging.operation.type': 'send',
        ...(clientId !== undefined ? { 'messaging.client.id': clientId } : {}),
      });
      this.store.remember(topic, partition, { traceId, spanId: span.spanId, offset });
    }
  }

  /** A Fetch returned offsets first..last of a partition: an mq.fetch span per traced message among them. */
  fetched(topic: string, partition: number, first: bigint, last: bigint, startTimeMs: number, endTimeMs: number, consumer: ConsumerInfo): void {
    for (const m of this.store.messagesIn(topic, partition, first, last)) {
      this.span(m.traceId, m.spanId, 'mq.fetch', startTimeMs, endTimeMs, {
        ...destination(topic, partition, m.offset),
        'messaging.operation.type': 'receive',
        ...consumerAttributes(consumer),
      });
    }
  }

  /** A group committed `offset` (the next to consume): mq.commit for traced messages it newly passed. */
  committedOffset(groupId: string, topic: string, partition: number, offset: bigint, startTimeMs: number, endTimeMs: number): void {
    const key = `${groupId}\u0000${topic}\u0000${partition}`;
    const before = this.committed.get(key) ?? 0n;
    this.committed.set(key, offset);
    if (offset <= before) return;
    for (const m of this.store.messagesIn(topic, partition, before, offset - 1n)) {
      this.span(m.traceId, m.spanId, 'mq.commit', startTimeMs, endTimeMs, {
        ...destination(topic, partition, m.offset),
        'messaging.operation.type': 'settle',
        'messaging.consumer.group.name': groupId,
      });
    }
  }

  private span(traceId: string, parentSpanId: string | undefined, name: SpanName, startTimeMs: number, endTimeMs: number, attributes: SpanAttributes): TraceSpan {
    const span: TraceSpan = { traceId, spanId: this.randomBytes(8).toString('hex'), parentSpanId, name, startTimeMs, endTimeMs, attributes };
    this.store.add(span);
    for (const l of this.listeners) l(span);
    return span;
  }
}

function destination(topic: string, partition: number, offset: bigint): SpanAttributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.offset': Number(offset),
  };
}

function consumerAttributes(c: ConsumerInfo): SpanAttributes {
  return {
    ...(c.clientId !== undefined ? { 'messaging.client.id': c.clientId } : {}),
    ...(c.groupId !== undefined ? { 'messaging.consumer.group.name': c.groupId } : {}),
    ...(c.memberId !== undefined ? { 'mq.group.member.id': c.memberId } : {}),
  };
}
