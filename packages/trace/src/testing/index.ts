// @mq/trace/testing: what tests of tracing need around the library (an OTLP receiver).
export { startOtlpReceiver } from './otlp-receiver';
export type { OtlpReceiver, ReceivedSpan } from './otlp-receiver';
