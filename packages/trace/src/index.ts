// @mq/trace public API: W3C trace context, sampling, message lifecycle spans, the ring + JSONL
// storage and its queries, and OTLP/HTTP export.
export { TRACEPARENT_HEADER, formatTraceparent, parseTraceparent } from './trace-context';
export type { TraceContext } from './trace-context';
export { activeTraceContext } from './active-context';
export { Sampler, parseSamplingPolicy } from './sampler';
export type { SamplingPolicy } from './sampler';
export type { QueueSpanName, SpanAttributes, SpanName, TraceSpan } from './trace-span';
export { TraceStore } from './trace-store';
export type { MessageContext, TraceStoreOptions, TraceSummary } from './trace-store';
export { JsonlSink } from './jsonl-sink';
export type { JsonlSinkOptions, TraceFileSystem } from './jsonl-sink';
export { MessageTracer } from './message-tracer';
export type { ConsumerInfo, DeadLetterStep, FiredMessage, HeldMessage, MessageTracerOptions, ProducedBatch } from './message-tracer';
export { OtlpExporter } from './otlp-exporter';
export type { OtlpExporterOptions } from './otlp-exporter';
