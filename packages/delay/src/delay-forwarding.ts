// A schedule forwarded between brokers of a cluster: the broker that received a delayed produce
// sends its messages to the leader of their delay partition as a Produce to __mq_delayed, one
// record per message whose value is the delay topic's own encoding (encodeDelayedMessage). The
// leader's produce handler reads them back and holds them (DelayStore.scheduleForwarded).
import { CorruptMessageError } from '@mq/errors';
import { buildRecordBatch, decodeRecordBatch, validateBatch } from '@mq/records';
import { type DelayedMessage, decodeDelayedMessage, encodeDelayedMessage } from './delayed-message';

/** The batch a forwarding broker sends for `messages`. */
export function forwardedBatch(messages: readonly DelayedMessage[], now: number): Promise<Buffer> {
  return buildRecordBatch({ records: messages.map((m) => ({ key: null, value: encodeDelayedMessage(m) })), now: () => now });
}

/** The messages of a forwarded batch; CorruptMessageError when it is not one. */
export async function readForwardedBatch(batch: Buffer): Promise<DelayedMessage[]> {
  validateBatch(batch);
  const { records } = await decodeRecordBatch(batch);
  return records.map((r, i) => {
    if (r.value === null) throw new CorruptMessageError(`forwarded delayed message ${i} has no value`);
    // Copied: decodeDelayedMessage's views would otherwise keep the whole request alive.
    return decodeDelayedMessage(Buffer.from(r.value));
  });
}
