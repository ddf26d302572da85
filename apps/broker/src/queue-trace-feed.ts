// Queue steps as spans: the share coordinator's steps (acquire, accept / release / reject, lock
// timeout, a member's release, archive, dead letter), batches the produce handler holds in the
// delay store (mq:delay channel: mq.produce → mq.delay) and their delivery (mq.fire). Each span is
// a child of the record's mq.produce, found beside the record in the TraceStore; a delayed record
// delivered after a restart continues its producer's traceparent header.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Delivery } from '@mq/delay';
import type { TopicManager } from '@mq/partition';
import { DELAY_CHANNEL, type DelayTrace, type Session } from '@mq/server';
import type { SharePartitionKey, ShareStep } from '@mq/share';
import { type MessageTracer, type QueueSpanName, type SpanAttributes, TRACEPARENT_HEADER, type TraceContext, parseTraceparent } from '@mq/trace';
import { preciseNow } from './trace-feed';

interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

const traceparentOf = (headers: readonly Header[]): TraceContext | undefined => parseTraceparent(headers.find((h) => h.key === TRACEPARENT_HEADER)?.value);

/** Why records came back without an acknowledgement, as the mq.release span says it. */
const RELEASE_REASON = { released: 'released', 'lock-timeout': 'lock-timeout', 'member-released': 'member-left' } as const;
const ACK_SPAN = { accepted: 'mq.accept', released: 'mq.release', rejected: 'mq.reject', 'lock-timeout': 'mq.release', 'member-released': 'mq.release' } as const satisfies Record<string, QueueSpanName>;

export class QueueTraceFeed {
  constructor(
    private readonly tracer: MessageTracer,
    private readonly topics: TopicManager,
  ) {}

  /** One share-group step (the ShareCoordinator's observer). */
  shareStep(key: SharePartitionKey, step: ShareStep): void {
    const topic = this.topics.getById(key.topicId)?.name;
    if (topic === undefined || !this.tracer.store.hasMessages(topic, key.partition)) return;
    const now = preciseNow();
    const group: SpanAttributes = { 'messaging.consumer.group.name': key.groupId };
    switch (step.kind) {
      case 'acquired':
        for (const r of step.records) {
          const offsets: bigint[] = [];
          for (let o = r.firstOffset; o <= r.lastOffset; o++) offsets.push(o);
          this.tracer.queueStep(topic, key.partition, offsets, 'mq.acquire', now, { ...group, 'mq.group.member.id': step.memberId, 'mq.delivery.count': r.deliveryCount });
        }
        return;
      case 'accepted':
      case 'rejected':
        this.tracer.queueStep(topic, key.partition, step.offsets, ACK_SPAN[step.kind], now, { ...group, 'mq.group.member.id': step.memberId });
        return;
      case 'released':
      case 'lock-timeout':
      case 'member-released':
        this.tracer.queueStep(topic, key.partition, step.offsets, ACK_SPAN[step.kind], now, { ...group, 'mq.group.member.id': step.memberId, 'mq.release.reason': RELEASE_REASON[step.kind] });
        return;
      case 'archived':
        for (const r of step.records) {
          this.tracer.queueStep(topic, key.partition, [r.offset], 'mq.archive', now, { ...group, 'mq.archive.reason': r.reason, 'mq.delivery.count': r.deliveryCount });
        }
        return;
      case 'dead-lettered':
        this.tracer.deadLettered(topic, key.partition, step.records, step.dlqTopic, step.dlqPartition, now, group);
        return;
    }
  }

  /** Delayed messages appended to their topics (the DelayStore's onDelivered). */
  delivered(deliveries: readonly Delivery[]): void {
    const now = preciseNow();
    for (const d of deliveries) {
      this.tracer.fired(d.topic, d.partition, [{ id: d.id, offset: d.offset, dueAtMs: d.dueAt, context: traceparentOf(d.headers) }], now);
    }
  }

  /** Subscribes to mq:delay (batches held by this broker's Produce handlers); returns the unsubscribe. */
  subscribeDelays(owns: (session: Session) => boolean): () => void {
    const started = new WeakMap<object, number>();
    const start = (message: unknown): void => {
      started.set(message as object, preciseNow());
    };
    const asyncEnd = (message: unknown): void => {
      const ctx = message as DelayTrace;
      const ids = ctx.result;
      if (ctx.error !== undefined || ids === undefined || !owns(ctx.session)) return;
      const end = preciseNow();
      const held = ctx.messages.map((m, i) => ({ id: ids[i]!, dueAtMs: m.dueAt, context: traceparentOf(m.headers) }));
      this.tracer.delayed(ctx.topic, ctx.partition, held, started.get(ctx) ?? end, end, ctx.session.clientId ?? undefined);
    };
    subscribe(`tracing:${DELAY_CHANNEL}:start`, start);
    subscribe(`tracing:${DELAY_CHANNEL}:asyncEnd`, asyncEnd);
    return () => {
      unsubscribe(`tracing:${DELAY_CHANNEL}:start`, start);
      unsubscribe(`tracing:${DELAY_CHANNEL}:asyncEnd`, asyncEnd);
    };
  }
}
