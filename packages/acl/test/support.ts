// Test helpers: the package API plus the error code a throwing call raised.
import { kafkaErrorCode } from '@mq/protocol';

export * from '../src/index';

export function ErrorCodeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return kafkaErrorCode(err);
  }
}
