// The error-code table and API keys: spot checks against Kafka's values, uniqueness, KafkaError.
import { describe, expect, it } from 'vitest';
import { ApiKey, ErrorCode, KafkaError, ProtocolDecodeError, allErrors, apiKeyName, errorInfo, errorName, isRetriable } from '../src/index';

describe('error codes', () => {
  it('match Kafka values', () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.INVALID_REQUEST).toBe(42);
    expect(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER).toBe(45);
    expect(ErrorCode.FENCED_LEADER_EPOCH).toBe(74);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(ErrorCode.TRANSACTION_ABORTABLE).toBe(120);
    expect(errorName(3)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorName(9999)).toBe('UNKNOWN(9999)');
    expect(isRetriable(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe(true);
    expect(isRetriable(ErrorCode.TOPIC_ALREADY_EXISTS)).toBe(false);
    expect(errorInfo(42)?.message).toMatch(/malformed/);
  });

  it('has one entry per code and per name, contiguous from -1', () => {
    const codes = allErrors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(allErrors.map((e) => e.name)).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(120);
    for (let c = -1; c < codes.length - 1; c++) expect(errorInfo(c), `code ${c}`).toBeDefined();
  });

  it('KafkaError carries code, name and retriability', () => {
    const e = new KafkaError(ErrorCode.NOT_COORDINATOR);
    expect(e).toBeInstanceOf(Error);
    expect(e.errorCode).toBe(16);
    expect(e.errorName).toBe('NOT_COORDINATOR');
    expect(e.retriable).toBe(true);
    expect(e.message).toBe('This is not the correct coordinator.');
    expect(new KafkaError(5, 'custom').message).toBe('custom');
    const d = new ProtocolDecodeError('bad');
    expect(d).toBeInstanceOf(KafkaError);
    expect(d.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});

describe('api keys', () => {
  it('match Kafka values', () => {
    expect(ApiKey.Produce).toBe(0);
    expect(ApiKey.ApiVersions).toBe(18);
    expect(ApiKey.InitProducerId).toBe(22);
    expect(ApiKey.ConsumerGroupHeartbeat).toBe(68);
    expect(ApiKey.ShareAcknowledge).toBe(79);
    expect(apiKeyName(3)).toBe('Metadata');
    expect(apiKeyName(1000)).toBeUndefined();
    const keys = Object.values(ApiKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
