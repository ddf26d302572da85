// The one table against Kafka's Errors.java: spot-checked numbers, one entry per code and per name,
// and exactly Kafka's retriable set (the exceptions that extend RetriableException).
import { describe, expect, it } from 'vitest';
import { ErrorCode, allErrors, errorInfo, errorName, isRetriable } from '../src/index';

// Codes whose Java exception is a RetriableException (directly or via InvalidMetadataException)
// in apache/kafka clients/src/main/java/org/apache/kafka/common/errors/. Written out here, not
// derived from the table, so a flipped flag in the table fails this test.
const KAFKA_RETRIABLE = [
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'REPLICA_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'NOT_CONTROLLER',
  'CONCURRENT_TRANSACTIONS',
  'KAFKA_STORAGE_ERROR',
  'FETCH_SESSION_ID_NOT_FOUND',
  'INVALID_FETCH_SESSION_EPOCH',
  'LISTENER_NOT_FOUND',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'ELIGIBLE_LEADERS_NOT_AVAILABLE',
  'ELECTION_NOT_NEEDED',
  'UNSTABLE_OFFSET_COMMIT',
  'THROTTLING_QUOTA_EXCEEDED',
  'UNKNOWN_TOPIC_ID',
  'INCONSISTENT_TOPIC_ID',
  'FETCH_SESSION_TOPIC_ID_ERROR',
  'SHARE_SESSION_NOT_FOUND',
  'INVALID_SHARE_SESSION_EPOCH',
  'SHARE_SESSION_LIMIT_REACHED',
];

describe('the error table', () => {
  it('matches Kafka values', () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.CORRUPT_MESSAGE).toBe(2);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.MESSAGE_TOO_LARGE).toBe(10);
    expect(ErrorCode.INVALID_TOPIC_EXCEPTION).toBe(17);
    expect(ErrorCode.INVALID_TIMESTAMP).toBe(32);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.INVALID_CONFIG).toBe(40);
    expect(ErrorCode.INVALID_REQUEST).toBe(42);
    expect(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT).toBe(43);
    expect(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER).toBe(45);
    expect(ErrorCode.KAFKA_STORAGE_ERROR).toBe(56);
    expect(ErrorCode.FENCED_LEADER_EPOCH).toBe(74);
    expect(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE).toBe(76);
    expect(ErrorCode.INVALID_RECORD).toBe(87);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(ErrorCode.TRANSACTION_ABORTABLE).toBe(120);
    expect(ErrorCode.SHARE_SESSION_LIMIT_REACHED).toBe(133);
    expect(errorName(3)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorName(9999)).toBe('UNKNOWN(9999)');
    expect(isRetriable(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe(true);
    expect(isRetriable(ErrorCode.TOPIC_ALREADY_EXISTS)).toBe(false);
    expect(isRetriable(9999)).toBe(false);
    expect(errorInfo(42)?.message).toMatch(/malformed/);
  });

  it('has one entry per code and per name, contiguous from -1, names in ErrorCode', () => {
    const codes = allErrors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(allErrors.map((e) => e.name)).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(120);
    for (let c = -1; c < codes.length - 1; c++) expect(errorInfo(c), `code ${c}`).toBeDefined();
    for (const e of allErrors) expect((ErrorCode as Record<string, number>)[e.name]).toBe(e.code);
    expect(Object.keys(ErrorCode)).toHaveLength(codes.length);
  });

  it('marks retriable exactly the codes whose Kafka exception is a RetriableException', () => {
    expect(allErrors.filter((e) => e.retriable).map((e) => e.name).sort()).toEqual([...KAFKA_RETRIABLE].sort());
  });
});
