// Errors raised while decoding bytes off the wire. The decoder guarantees that malformed input of
// any shape surfaces as a ProtocolDecodeError (never a RangeError or TypeError).
import { ErrorCode } from './error-codes';
import { KafkaError } from './kafka-error';

export class ProtocolDecodeError extends KafkaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.INVALID_REQUEST, message, options);
    this.name = 'ProtocolDecodeError';
  }
}

/** A frame's 4-byte length prefix is negative or above the configured maximum: close the connection. */
export class FrameTooLargeError extends ProtocolDecodeError {
  readonly size: number;
  readonly maxFrameBytes: number;
  constructor(size: number, maxFrameBytes: number) {
    super(`frame size ${size} outside 0..${maxFrameBytes}`);
    this.name = 'FrameTooLargeError';
    this.size = size;
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** The API key or version is not one this package has a schema for. */
export class UnsupportedVersionError extends KafkaError {
  readonly apiKey: number;
  readonly apiVersion: number;
  constructor(apiKey: number, apiVersion: number) {
    super(ErrorCode.UNSUPPORTED_VERSION, `unsupported api key ${apiKey} version ${apiVersion}`);
    this.name = 'UnsupportedVersionError';
    this.apiKey = apiKey;
    this.apiVersion = apiVersion;
  }
}
