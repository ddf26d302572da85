// Errors raised while decoding bytes off the wire. The decoder guarantees that malformed input of
// any shape surfaces as a ProtocolDecodeError (never a RangeError or TypeError).
import { InvalidRequestError } from '@mq/errors';

/** INVALID_REQUEST, raised by the decoder. */
export class ProtocolDecodeError extends InvalidRequestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A frame's 4-byte length prefix is negative or above the configured maximum: close the connection. */
export class FrameTooLargeError extends ProtocolDecodeError {
  readonly size: number;
  readonly maxFrameBytes: number;
  constructor(size: number, maxFrameBytes: number) {
    super(`frame size ${size} outside 0..${maxFrameBytes}`);
    this.size = size;
    this.maxFrameBytes = maxFrameBytes;
  }
}
