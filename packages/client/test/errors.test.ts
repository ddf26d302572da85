// The client's retry decision comes from the one error table: for every Kafka code, a broker answer
// is retried exactly when the table marks the code retriable; client-side errors carry their own flag.
import { KafkaError, allErrors, ErrorCode, UnknownTopicOrPartitionError } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import { ConnectionError, InvalidArgumentError, RequestTimeoutError, UnknownTopicError, isRetriable, throwIfError } from '../src/errors';

describe('client errors', () => {
  it('retry exactly the codes the table marks retriable', () => {
    for (const info of allErrors) expect(isRetriable(new KafkaError(info.code)), info.name).toBe(info.retriable);
    expect(allErrors.filter((e) => e.retriable).length).toBeGreaterThan(20);
  });

  it('do not retry a topic the metadata says does not exist, though its code is retriable', () => {
    const e = new UnknownTopicError('orders');
    expect(e).toBeInstanceOf(UnknownTopicOrPartitionError);
    expect([e.name, e.errorCode, e.errorName, e.retriable]).toEqual(['UnknownTopicError', 3, 'UNKNOWN_TOPIC_OR_PARTITION', true]);
    expect(isRetriable(e)).toBe(false);
  });

  it('retry dropped connections and timeouts, not bad arguments or foreign errors', () => {
    expect(isRetriable(new ConnectionError('gone'))).toBe(true);
    expect(isRetriable(new RequestTimeoutError('slow'))).toBe(true);
    expect(isRetriable(new InvalidArgumentError('bad'))).toBe(false);
    expect(isRetriable(new Error('plain'))).toBe(false);
  });

  it('throwIfError passes NONE and throws the table error otherwise', () => {
    expect(() => throwIfError(ErrorCode.NONE, 'x')).not.toThrow();
    expect(() => throwIfError(ErrorCode.NOT_COORDINATOR, 'FindCoordinator')).toThrow(
      expect.objectContaining({ errorCode: 16, retriable: true, message: 'FindCoordinator: This is not the correct coordinator.' }),
    );
  });
});
