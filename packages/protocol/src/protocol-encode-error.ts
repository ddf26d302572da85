// Raised when a JS object cannot be encoded for the requested schema version (a null in a
// non-nullable field, a value out of its type's range, an invalid uuid): a caller bug, never I/O.
import { ErrorCode } from './error-codes';
import { KafkaError } from './kafka-error';

export class ProtocolEncodeError extends KafkaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.UNKNOWN_SERVER_ERROR, message, options);
    this.name = 'ProtocolEncodeError';
  }
}
