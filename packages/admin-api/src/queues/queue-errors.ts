// The HTTP queue API's error answers: one status and error_code (Confluent's status × 100 + detail
// convention, as the rest of the admin API) per way a receive or a settlement can fail.
import { HttpError } from '@mq/http';
import { ErrorCode } from '@mq/errors';
import { httpErrorForCode } from '../kafka-http-error';

export const QueueErrorCode = Object.freeze({
  /** The body or a parameter is malformed. */
  BAD_REQUEST: 40001,
  /** A receipt is malformed, altered, from another broker run, or names another group or topic. */
  BAD_RECEIPT: 40002,
  TOPIC_NOT_FOUND: 40401,
  CONSUMER_NOT_FOUND: 40403,
  /** The record was already accepted, released to the queue's end state, or rejected (a double ack). */
  ALREADY_SETTLED: 40901,
  /** The group id belongs to a classic or consumer group. */
  NOT_A_SHARE_GROUP: 40902,
  /** The receipt's acquisition is over: its lock expired, or the record was released or redelivered. */
  LOCK_EXPIRED: 41001,
  /** The broker runs without share groups (or they are still loading). */
  UNAVAILABLE: 50301,
} as const);

const STATUS: Readonly<Record<number, number>> = {
  [QueueErrorCode.BAD_REQUEST]: 400,
  [QueueErrorCode.BAD_RECEIPT]: 400,
  [QueueErrorCode.TOPIC_NOT_FOUND]: 404,
  [QueueErrorCode.CONSUMER_NOT_FOUND]: 404,
  [QueueErrorCode.ALREADY_SETTLED]: 409,
  [QueueErrorCode.NOT_A_SHARE_GROUP]: 409,
  [QueueErrorCode.LOCK_EXPIRED]: 410,
  [QueueErrorCode.UNAVAILABLE]: 503,
};

export function queueError(errorCode: number, message: string): HttpError {
  return new HttpError(STATUS[errorCode] ?? 500, message, errorCode);
}

export function statusOfQueueError(errorCode: number): number {
  return STATUS[errorCode] ?? Math.trunc(errorCode / 100);
}

/** A Kafka error code the share coordinator answered, as the queue API's error. */
export function queueErrorForKafkaCode(errorCode: number, message: string): HttpError {
  switch (errorCode) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.UNKNOWN_TOPIC_ID:
      return queueError(QueueErrorCode.TOPIC_NOT_FOUND, message);
    case ErrorCode.GROUP_ID_NOT_FOUND:
      return queueError(QueueErrorCode.NOT_A_SHARE_GROUP, message);
    case ErrorCode.INVALID_RECORD_STATE:
      return queueError(QueueErrorCode.LOCK_EXPIRED, message);
    case ErrorCode.INVALID_GROUP_ID:
    case ErrorCode.INVALID_REQUEST:
      return queueError(QueueErrorCode.BAD_REQUEST, message);
    case ErrorCode.NOT_COORDINATOR:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
      return queueError(QueueErrorCode.UNAVAILABLE, message);
    default:
      return httpErrorForCode(errorCode, message);
  }
}
