// The record a consumer hands out, with the trace context its producer sent (W3C traceparent).
import type { TraceContext } from '@mq/trace';

export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** CreateTime, or LogAppendTime when the topic stamps it. */
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<{ readonly key: string; readonly value: Buffer | null }>;
  /**
   * The producer's trace context, from a valid `traceparent` header; undefined without one. A
   * consumer continues the trace with it (its processing span's parent).
   */
  readonly traceContext?: TraceContext | undefined;
}
