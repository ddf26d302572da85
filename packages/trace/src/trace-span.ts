// One step of a message's life, as stored, queried, written to JSONL and exported over OTLP.

/** Steps of a record in a share group (KIP-932) and of a delayed message, besides the log's own. */
export type QueueSpanName = 'mq.acquire' | 'mq.accept' | 'mq.release' | 'mq.reject' | 'mq.archive' | 'mq.dead-letter' | 'mq.delay' | 'mq.fire';

export type SpanName = 'mq.produce' | 'mq.replicate' | 'mq.fetch' | 'mq.commit' | QueueSpanName;

export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

export interface TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The producer's span (from traceparent) for mq.produce; the mq.produce span for the rest. */
  readonly parentSpanId: string | undefined;
  readonly name: SpanName;
  /** Epoch milliseconds (fractional). */
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  /** messaging.destination.name, messaging.destination.partition.id, messaging.kafka.offset, ... */
  readonly attributes: SpanAttributes;
}
