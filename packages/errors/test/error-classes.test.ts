// The class hierarchy against the table: every class is named after its code, and its code, name
// and retriable flag are the table's; cause and the extra fields pass through.
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import {
  ErrorCode,
  InvalidRecordError,
  KafkaError,
  OffsetOutOfRangeError,
  UnknownTopicOrPartitionError,
  UnsupportedVersionError,
  errorInfo,
  kafkaErrorCode,
} from '../src/index';

/** OFFSET_OUT_OF_RANGE → OffsetOutOfRangeError; a trailing _ERROR / _EXCEPTION is dropped. */
function className(errorName: string): string {
  const words = errorName.replace(/_(ERROR|EXCEPTION)$/, '').toLowerCase().split('_');
  return `${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}Error`;
}

const classes = Object.entries(api as Record<string, unknown>).filter(
  (e): e is [string, new (...args: never[]) => KafkaError] =>
    typeof e[1] === 'function' && e[1] !== KafkaError && (e[1] as { prototype: unknown }).prototype instanceof KafkaError,
);

describe('the error classes', () => {
  it('are one per code, each named after its code, with the table name and retriability', () => {
    expect(classes.length).toBeGreaterThan(15);
    const codes = new Set<number>();
    for (const [exported, Cls] of classes) {
      const e = Cls === UnsupportedVersionError ? new UnsupportedVersionError(18, 9) : new (Cls as new () => KafkaError)();
      const info = errorInfo(e.errorCode);
      expect(info, exported).toBeDefined();
      expect(exported).toBe(className(info!.name));
      expect(e.name).toBe(exported);
      expect(e.errorName).toBe(info!.name);
      expect(e.retriable, exported).toBe(info!.retriable);
      expect(e).toBeInstanceOf(KafkaError);
      expect(e).toBeInstanceOf(Error);
      expect(codes.has(e.errorCode), `second class for ${info!.name}`).toBe(false);
      codes.add(e.errorCode);
    }
  });

  it('KafkaError carries the code, the name, retriability, the table message and a cause', () => {
    const cause = new Error('EIO');
    const e = new KafkaError(ErrorCode.NOT_COORDINATOR, undefined, { cause });
    expect(e.errorCode).toBe(16);
    expect(e.errorName).toBe('NOT_COORDINATOR');
    expect(e.retriable).toBe(true);
    expect(e.message).toBe('This is not the correct coordinator.');
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('KafkaError');
    expect(new KafkaError(5, 'custom').message).toBe('custom');
    expect(new KafkaError(9999).errorName).toBe('UNKNOWN(9999)');
  });

  it('subclasses keep their extra fields and a subclass of a subclass keeps its code', () => {
    const range = new OffsetOutOfRangeError('offset 9', { logStartOffset: 2n, logEndOffset: 5n });
    expect([range.errorCode, range.logStartOffset, range.logEndOffset]).toEqual([1, 2n, 5n]);
    expect(new OffsetOutOfRangeError('x').logEndOffset).toBeUndefined();
    const invalid = new InvalidRecordError('bad', { recordErrors: [{ batchIndex: 3, message: 'null key' }] });
    expect(invalid.recordErrors).toEqual([{ batchIndex: 3, message: 'null key' }]);
    expect(new InvalidRecordError('bad').recordErrors).toEqual([]);
    const v = new UnsupportedVersionError(18, 9);
    expect([v.errorCode, v.apiKey, v.apiVersion, v.message]).toEqual([35, 18, 9, 'unsupported api key 18 version 9']);
    class TopicGoneError extends UnknownTopicOrPartitionError {}
    const gone = new TopicGoneError('gone');
    expect([gone.name, gone.errorCode, gone.retriable]).toEqual(['TopicGoneError', 3, true]);
  });

  it('kafkaErrorCode maps anything thrown to a wire code', () => {
    expect(kafkaErrorCode(new InvalidRecordError('x'))).toBe(87);
    expect(kafkaErrorCode({ errorCode: 56 })).toBe(56);
    expect(kafkaErrorCode(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))).toBe(-1);
    expect(kafkaErrorCode(new Error('plain'))).toBe(-1);
    expect(kafkaErrorCode(undefined)).toBe(-1);
    expect(kafkaErrorCode('string')).toBe(-1);
  });
});
