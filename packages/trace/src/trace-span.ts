// One step of a message's life, as stored, queried, written to JSONL and exported over OTLP.

export type SpanName = 'mq.produce' | 'mq.replicate' | 'mq.fetch' | 'mq.commit';

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
