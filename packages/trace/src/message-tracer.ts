// A message's life as spans: mq.produce (request received → appended at its offset), in a cluster
// mq.replicate (appended → the high watermark passed it), then one mq.fetch per consumer fetch that
// returned it and one mq.commit per group whose commit passed it. In a share group its steps are
// mq.acquire / mq.accept / mq.release / mq.reject / mq.archive / mq.dead-letter; a delayed message
// is mq.produce (received → held) → mq.delay → mq.fire (due → appended at its offset) → its fetches.
// The context of each traced message is kept beside it in the TraceStore, keyed by
// (topic, partition, offset) — the broker never adds a traceparent to stored bytes.
import type { Sampler } from './sampler';
import type { TraceContext } from './trace-context';
import type { QueueSpanName, SpanAttributes, SpanName, TraceSpan } from './trace-span';
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

/** A message the delay store now holds (its id there, when it is due, the traceparent it carried). */
export interface HeldMessage {
  readonly id: string;
  readonly dueAtMs: number;
  readonly context: TraceContext | undefined;
}

/** A delayed message appended to its topic at `offset`. */
export interface FiredMessage {
  readonly id: string;
  readonly offset: bigint;
  readonly dueAtMs: number;
  readonly context: TraceContext | undefined;
}

/** A record of a share-partition written to a dead-letter partition at `dlqOffset`. */
export interface DeadLetterStep {
  readonly offset: bigint;
  readonly dlqOffset: bigint;
}

/** Traced delayed messages waiting to fire, at most this many (the oldest forgotten first). */
const MAX_HELD = 10_000;

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
  /** Traced delayed messages by delay-store id: their mq.fire continues the trace their mq.produce began. */
  private readonly held = new Map<string, { traceId: string; spanId: string; heldAtMs: number }>();

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

  /**
   * A share-group step of records of a partition (acquired, accepted, released, rejected, archived):
   * one span per traced record, at `nowMs`, a child of its mq.produce.
   */
  queueStep(topic: string, partition: number, offsets: readonly bigint[], name: QueueSpanName, nowMs: number, attributes: SpanAttributes): void {
    if (!this.store.hasMessages(topic, partition)) return;
    for (const offset of offsets) {
      const m = this.store.messagesIn(topic, partition, offset, offset)[0];
      if (m === undefined) continue;
      const at = Math.max(nowMs, m.appendedAtMs);
      this.span(m.traceId, m.spanId, name, at, at, { ...destination(topic, partition, offset), ...attributes });
    }
  }

  /** Records dead-lettered into dlqTopic-dlqPartition: mq.dead-letter each, and their dead letters are traced as the same message. */
  deadLettered(topic: string, partition: number, letters: readonly DeadLetterStep[], dlqTopic: string, dlqPartition: number, nowMs: number, attributes: SpanAttributes): void {
    if (!this.store.hasMessages(topic, partition)) return;
    for (const l of letters) {
      const m = this.store.messagesIn(topic, partition, l.offset, l.offset)[0];
      if (m === undefined) continue;
      const at = Math.max(nowMs, m.appendedAtMs);
      this.span(m.traceId, m.spanId, 'mq.dead-letter', at, at, {
        ...destination(topic, partition, l.offset),
        'mq.dlq.topic': dlqTopic,
        'mq.dlq.partition.id': String(dlqPartition),
        'mq.dlq.offset': Number(l.dlqOffset),
        ...attributes,
      });
      this.store.remember(dlqTopic, dlqPartition, { traceId: m.traceId, spanId: m.spanId, offset: l.dlqOffset, appendedAtMs: at });
    }
  }

  /** A Produce whose records the delay store holds: mq.produce (received → held) and mq.delay for each sampled one. */
  delayed(topic: string, partition: number, messages: readonly HeldMessage[], startTimeMs: number, endTimeMs: number, clientId: string | undefined): void {
    for (const h of messages) {
      const parent = h.context;
      if (parent !== undefined ? !this.sampler.honours(parent.sampled) : !this.sampler.sampleNew()) continue;
      const traceId = parent?.traceId ?? this.randomBytes(16).toString('hex');
      const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.destination.partition.id': String(partition), 'mq.delay.id': h.id };
      const produce = this.span(traceId, parent?.spanId, 'mq.produce', startTimeMs, endTimeMs, {
        ...attributes,
        'messaging.operation.type': 'send',
        ...(clientId !== undefined ? { 'messaging.client.id': clientId } : {}),
      });
      this.span(traceId, produce.spanId, 'mq.delay', endTimeMs, endTimeMs, { ...attributes, 'mq.delay.due_at': h.dueAtMs });
      this.held.set(h.id, { traceId, spanId: produce.spanId, heldAtMs: endTimeMs });
      if (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value!);
    }
  }

  /**
   * Delayed messages appended to their topic: mq.fire (due → appended) for each traced one, which is
   * then traced at its offset as a produced message is. One held before this broker started (a
   * restart) is traced when it carries a sampled traceparent.
   */
  fired(topic: string, partition: number, messages: readonly FiredMessage[], nowMs: number): void {
    for (const f of messages) {
      const held = this.held.get(f.id);
      this.held.delete(f.id);
      const from = held ?? (f.context !== undefined && this.sampler.honours(f.context.sampled) ? { ...f.context, heldAtMs: f.dueAtMs } : undefined);
      if (from === undefined) continue;
      const { traceId, spanId: parentSpanId, heldAtMs: since } = from;
      const start = Math.min(nowMs, Math.max(f.dueAtMs, since));
      const span = this.span(traceId, parentSpanId, 'mq.fire', start, nowMs, { ...destination(topic, partition, f.offset), 'mq.delay.id': f.id, 'mq.delay.due_at': f.dueAtMs });
      const message: MessageContext = { traceId, spanId: held !== undefined ? parentSpanId : span.spanId, offset: f.offset, appendedAtMs: nowMs };
      this.store.remember(topic, partition, message);
      if (this.awaitingReplication !== undefined) this.awaitReplication(partitionKey(topic, partition), message);
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
