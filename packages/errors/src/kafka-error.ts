// KafkaError: the base of every error that carries a Kafka wire error code. Code, name and
// retriability all come from the one table, so a handler, a log line and a client's retry policy agree.
import { ErrorCode, errorInfo } from './error-table';

export interface KafkaErrorOptions {
  cause?: unknown;
}

export class KafkaError extends Error {
  /** Kafka's numeric error code, as written on the wire (`ErrorCode.X`). */
  readonly errorCode: number;
  /** Kafka's name for the code, e.g. "NOT_LEADER_OR_FOLLOWER" (`UNKNOWN(<code>)` for a code Kafka lacks). */
  readonly errorName: string;
  /** From the table: whether a client may retry the same request after this error. */
  readonly retriable: boolean;

  constructor(errorCode: number, message?: string, options?: KafkaErrorOptions) {
    const info = errorInfo(errorCode);
    super(message ?? info?.message ?? `Kafka error ${errorCode}`, options);
    this.name = new.target.name;
    this.errorCode = errorCode;
    this.errorName = info?.name ?? `UNKNOWN(${errorCode})`;
    this.retriable = info?.retriable ?? false;
  }
}

/**
 * The wire error code for anything thrown: a KafkaError's `errorCode`, else UNKNOWN_SERVER_ERROR.
 * Duck-typed on `errorCode` so a KafkaError from a second copy of this package (dist and src in
 * one process) still maps; Node's own errors carry a string `code` and never match.
 */
export function kafkaErrorCode(err: unknown): number {
  if (err instanceof KafkaError) return err.errorCode;
  if (err !== null && typeof err === 'object' && typeof (err as { errorCode?: unknown }).errorCode === 'number') {
    return (err as { errorCode: number }).errorCode;
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
