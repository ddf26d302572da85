// Exports finished spans over OTLP/HTTP (JSON) with the OpenTelemetry JS SDK. Our spans already
// have their ids (a message's context was chosen when it was produced), so the SDK's id generator
// is handed each span's own ids just before the SDK creates it. The SDK is loaded only by create():
// importing it costs seconds on a loaded machine, and a broker without an endpoint never needs it.
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Tracer } from '@opentelemetry/api';
import type { BasicTracerProvider, IdGenerator } from '@opentelemetry/sdk-trace-base';
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
  private readonly tracer: Tracer;

  private constructor(
    private readonly provider: BasicTracerProvider,
    private readonly ids: PresetIds,
  ) {
    this.tracer = provider.getTracer('@mq/trace');
  }

  /** Loads the SDK and sets up the batching exporter. */
  static async create(opts: OtlpExporterOptions): Promise<OtlpExporter> {
    const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] = await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace-base'),
    ]);
    const exporter = new OTLPTraceExporter({ url: opts.url, headers: { ...opts.headers } });
    const ids = new PresetIds();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? 'mq-broker' }),
      idGenerator: ids,
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: opts.scheduledDelayMillis ?? 1_000 })],
    });
    return new OtlpExporter(provider, ids);
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
