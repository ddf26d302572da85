// Client-side errors. Broker answers carrying a Kafka error code are @mq/protocol's KafkaError
// (code, errorName, retriable); failures the client meets before or around the wire are below.
import { ErrorCode, KafkaError } from '@mq/protocol';

/** Base class of every error the client raises that is not a Kafka error code. */
export class MqClientError extends Error {
  /** Retrying the operation (after a metadata refresh or reconnect) may succeed. */
  readonly retriable: boolean;
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MqClientError';
    this.retriable = options.retriable ?? false;
  }
}

/** The TCP connection could not be opened or was lost with requests in flight. */
export class ConnectionError extends MqClientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: true });
    this.name = 'ConnectionError';
  }
}

/** No response within requestTimeoutMs; the connection is dropped since the stream is now ambiguous. */
export class RequestTimeoutError extends MqClientError {
  constructor(message: string) {
    super(message, { retriable: true });
    this.name = 'RequestTimeoutError';
  }
}

/** Bad arguments from the caller (unknown partition, empty topic name, ...). */
export class InvalidArgumentError extends MqClientError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** The client was closed while the operation was pending. */
export class ClientClosedError extends MqClientError {
  constructor(what: string) {
    super(`${what} is closed`);
    this.name = 'ClientClosedError';
  }
}

/**
 * UNKNOWN_TOPIC_OR_PARTITION for a topic the metadata says does not exist: the code is retriable
 * in Kafka (leadership moves), but waiting for a topic nobody creates only delays the error.
 */
export class UnknownTopicError extends KafkaError {
  override readonly retriable = false;
  constructor(topic: string) {
    super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${topic}" does not exist`);
    this.name = 'UnknownTopicError';
  }
}

export function isRetriable(err: unknown): boolean {
  if (err instanceof KafkaError) return err.retriable;
  if (err instanceof MqClientError) return err.retriable;
  return false;
}

/** Throws a KafkaError when `errorCode` is not NONE (0). */
export function throwIfError(errorCode: number, context: string, errorMessage?: string | null): void {
  if (errorCode !== 0) {
    const err = new KafkaError(errorCode);
    throw new KafkaError(errorCode, `${context}: ${errorMessage ?? err.message}`);
  }
}

export { KafkaError };
