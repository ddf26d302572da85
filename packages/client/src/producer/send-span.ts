// The producer's own span, when the application hands it an OpenTelemetry Tracer
// (ProducerOptions.tracer): one PRODUCER span per send(), named `send <topic>` with OpenTelemetry's
// messaging attributes, a child of the span active at send(). Its context is what the records
// carry as `traceparent`, so the broker's mq.produce span (and the consumer's, via traceContext)
// hang under it. It ends when every record is acknowledged — partitions and the first offset as
// attributes — or with the error that failed the send.
import { type Span, SpanKind, SpanStatusCode, type Tracer, TraceFlags } from '@opentelemetry/api';
import type { TraceContext } from '@mq/trace';
import type { RecordMetadata } from './send-tracker';

export interface SendSpan {
  readonly span: Span;
  /** The span's own context: the parent the records' traceparent names. */
  readonly context: TraceContext;
}

export function startSendSpan(tracer: Tracer, topic: string, messageCount: number): SendSpan {
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topic, 'messaging.batch.message_count': messageCount },
  });
  const c = span.spanContext();
  return { span, context: { traceId: c.traceId, spanId: c.spanId, sampled: (c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED } };
}

/** Ends `s` once `sent` settles, passing its outcome through unchanged. */
export async function endSendSpan(s: SendSpan, sent: Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
  try {
    const out = await sent;
    const partitions = [...new Set(out.map((m) => m.partition))];
    if (partitions.length === 1) s.span.setAttribute('messaging.destination.partition.id', String(partitions[0]));
    if (out[0] !== undefined && out[0].offset >= 0n) s.span.setAttribute('messaging.kafka.offset', Number(out[0].offset));
    return out;
  } catch (err) {
    s.span.recordException(err as Error);
    s.span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    s.span.end();
  }
}
