// Raised when a JS object cannot be encoded for the requested schema version (a null in a
// non-nullable field, a value out of its type's range, an invalid uuid): a caller bug, never I/O.
import { UnknownServerError } from '@mq/errors';

/** UNKNOWN_SERVER_ERROR: the server cannot encode its own answer. */
export class ProtocolEncodeError extends UnknownServerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
