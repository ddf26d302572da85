// KafkaError: the typed error carrying a Kafka wire error code. Every error this package throws
// is a KafkaError (or a subclass), so callers can map any failure to a response error code.
import { errorInfo } from './error-codes';

export class KafkaError extends Error {
  /** Kafka's numeric error code (see error-codes.ts). */
  readonly code: number;
  /** Kafka's name for the code, e.g. "NOT_LEADER_OR_FOLLOWER". */
  readonly errorName: string;
  readonly retriable: boolean;

  constructor(code: number, message?: string, options?: { cause?: unknown }) {
    const info = errorInfo(code);
    super(message ?? info?.message ?? `Kafka error ${code}`, options);
    this.name = 'KafkaError';
    this.code = code;
    this.errorName = info?.name ?? 'UNKNOWN';
    this.retriable = info?.retriable ?? false;
  }
}
