// The trace context of the OpenTelemetry span active where the caller is (context.active()): what
// a producer injects as `traceparent` when the application traces with the OpenTelemetry API.
// Without a registered context manager nothing is ever active, and this returns undefined.
import { TraceFlags, context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { TraceContext } from './trace-context';

export function activeTraceContext(): TraceContext | undefined {
  const span = trace.getSpanContext(context.active());
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId, sampled: (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}
