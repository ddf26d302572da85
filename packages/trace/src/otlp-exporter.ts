// Exports finished spans over OTLP/HTTP (JSON) with the OpenTelemetry JS SDK. Our spans already
// have their ids (a message's context was chosen when it was produced), so the SDK's id generator
// is handed each span's own ids just before the SDK creates it.
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { TraceSpan } from './trace-span';

export interface OtlpExporterOptions {
  /** The collector's traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  readonly url: string;
  /** resource service.name; default "mq-broker". */
  readonly serviceName?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How long spans wait to be batched; default 1000 ms. */
  readonly scheduledDelayMillis?: number;
}

class PresetIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
    return this.spanId;
  }
}

export class OtlpExporter {
  private readonly ids = new PresetIds();
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(opts: OtlpExporterOptions) {
    const exporter = new OTLPTraceExporter({ url: opts.url, headers: { ...opts.headers } });
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? 'mq-broker' }),
      idGenerator: this.ids,
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: opts.scheduledDelayMillis ?? 1_000 })],
    });
    this.tracer = this.provider.getTracer('@mq/trace');
  }

  export(span: TraceSpan): void {
    this.ids.traceId = span.traceId;
    this.ids.spanId = span.spanId;
    const parent =
      span.parentSpanId === undefined
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    const s = this.tracer.startSpan(span.name, { startTime: span.startTimeMs, attributes: span.attributes, kind: SpanKind.SERVER }, parent);
    s.end(span.endTimeMs);
  }

  /** Sends what is batched now. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}
