// Client-side errors. Broker answers carrying a Kafka error code are the one table's KafkaError
// (errorCode, errorName, retriable — from @mq/errors via @mq/protocol); failures the client meets
// before or around the wire are below.
import { ErrorCode, KafkaError, UnknownTopicOrPartitionError } from '@mq/protocol';

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

/**
 * The broker closed a connection without SASL at its first request after ApiVersions: what a
 * listener that requires SASL does to a client without the `sasl` option. Still retried as any lost
 * connection (a broker shutting down at that moment looks the same).
 */
export class ListenerClosedError extends ConnectionError {
  constructor(message: string) {
    super(message);
    this.name = 'ListenerClosedError';
  }
}

/**
 * The TLS handshake failed (an untrusted or mismatched certificate, a port that does not speak TLS):
 * not retried, as Kafka's SslAuthenticationException — the next attempt would meet the same certificate.
 */
export class SslHandshakeError extends MqClientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'SslHandshakeError';
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

/** UNKNOWN_TOPIC_OR_PARTITION for a topic the metadata says does not exist (see isRetriable). */
export class UnknownTopicError extends UnknownTopicOrPartitionError {
  constructor(topic: string) {
    super(`topic "${topic}" does not exist`);
  }
}

/**
 * The client's retry policy: the table's `retriable` for Kafka errors, the client error's own flag
 * otherwise. One exception: UNKNOWN_TOPIC_OR_PARTITION is retriable in Kafka (leadership moves),
 * but when the metadata says the topic does not exist, waiting for a topic nobody creates only
 * delays the error.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof UnknownTopicError) return false;
  if (err instanceof KafkaError) return err.retriable;
  if (err instanceof MqClientError) return err.retriable;
  return false;
}

/** Throws a KafkaError when `errorCode` is not NONE (0). */
export function throwIfError(errorCode: number, context: string, errorMessage?: string | null): void {
  if (errorCode !== ErrorCode.NONE) {
    const err = new KafkaError(errorCode);
    throw new KafkaError(errorCode, `${context}: ${errorMessage ?? err.message}`);
  }
}

export { KafkaError };
