// A message's life as spans: mq.produce (request received → appended at its offset), in a cluster
// mq.replicate (appended → the high watermark passed it), then one mq.fetch per consumer fetch that
// returned it and one mq.commit per group whose commit passed it.
// The context of each traced message is kept beside it in the TraceStore, keyed by
// (topic, partition, offset) — the broker never adds a traceparent to stored bytes.
import type { Sampler } from './sampler';
import type { TraceContext } from './trace-context';
import type { SpanAttributes, SpanName, TraceSpan } from './trace-span';
import type { MessageContext, TraceStore } from './trace-store';

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
  /**
   * The partitions are replicated (a cluster): produced messages wait for `replicated()` to see the
   * high watermark pass them. On a single node the acknowledged append is the high watermark.
   */
  readonly replicated?: boolean;
}

/** Traced messages waiting for the high watermark, per partition, at most this many (oldest dropped). */
const MAX_AWAITING_REPLICATION = 10_000;

type SpanListener = (span: TraceSpan) => void;

export class MessageTracer {
  readonly sampler: Sampler;
  readonly store: TraceStore;
  private readonly randomBytes: (n: number) => Buffer;
  private readonly listeners: SpanListener[] = [];
  /** Per group and partition: the committed offset already accounted for. */
  private readonly committed = new Map<string, bigint>();
  /** Per partition (cluster only): traced messages the high watermark has not passed yet, in offset order. */
  private readonly awaitingReplication: Map<string, MessageContext[]> | undefined;

  constructor(opts: MessageTracerOptions) {
    this.sampler = opts.sampler;
    this.store = opts.store;
    this.randomBytes = opts.randomBytes;
    this.awaitingReplication = opts.replicated === true ? new Map() : undefined;
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
      const message: MessageContext = { traceId, spanId: span.spanId, offset, appendedAtMs: endTimeMs };
      this.store.remember(topic, partition, message);
      if (this.awaitingReplication !== undefined) this.awaitReplication(partitionKey(topic, partition), message);
    }
  }

  /** A partition's high watermark moved (cluster): mq.replicate for each traced message it now passed. */
  replicated(topic: string, partition: number, highWatermark: bigint, nowMs: number): void {
    const key = partitionKey(topic, partition);
    const waiting = this.awaitingReplication?.get(key);
    if (waiting === undefined) return;
    let n = 0;
    while (n < waiting.length && waiting[n]!.offset < highWatermark) {
      const m = waiting[n++]!;
      this.span(m.traceId, m.spanId, 'mq.replicate', m.appendedAtMs, Math.max(nowMs, m.appendedAtMs), {
        ...destination(topic, partition, m.offset),
        'messaging.kafka.high_watermark': Number(highWatermark),
      });
    }
    if (n === waiting.length) this.awaitingReplication!.delete(key);
    else if (n > 0) waiting.splice(0, n);
  }

  private awaitReplication(key: string, message: MessageContext): void {
    const map = this.awaitingReplication!;
    let list = map.get(key);
    if (list === undefined) map.set(key, (list = []));
    list.push(message);
    if (list.length > MAX_AWAITING_REPLICATION) list.shift();
  }

  /** A Fetch returned offsets first..last of a partition: an mq.fetch span per traced message among them. */
  fetched(topic: string, partition: number, first: bigint, last: bigint, startTimeMs: number, endTimeMs: number, consumer: ConsumerInfo): void {
    for (const m of this.store.messagesIn(topic, partition, first, last)) {
      // A long poll parked before the message existed: its part of this message's life starts at the append.
      this.span(m.traceId, m.spanId, 'mq.fetch', Math.max(startTimeMs, m.appendedAtMs), endTimeMs, {
        ...destination(topic, partition, m.offset),
        'messaging.operation.type': 'receive',
        ...consumerAttributes(consumer),
      });
    }
  }

  /** A group committed `offset` (the next to consume): mq.commit for traced messages it newly passed. */
  committedOffset(groupId: string, topic: string, partition: number, offset: bigint, startTimeMs: number, endTimeMs: number): void {
    const key = `${groupId}\u0000${partitionKey(topic, partition)}`;
    const before = this.committed.get(key) ?? 0n;
    this.committed.set(key, offset);
    if (offset <= before) return;
    for (const m of this.store.messagesIn(topic, partition, before, offset - 1n)) {
      this.span(m.traceId, m.spanId, 'mq.commit', Math.max(startTimeMs, m.appendedAtMs), endTimeMs, {
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

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

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
