// Kafka's topic name rules (Topic.validate): legal characters [a-zA-Z0-9._-], 1..249 chars,
// not "." or "..". Names that differ only in '.' vs '_' collide in metrics, so Kafka rejects those too.
import { InvalidTopicError } from '@mq/errors';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  if (name.length === 0) throw new InvalidTopicError('topic name is empty');
  if (name === '.' || name === '..') throw new InvalidTopicError(`topic name cannot be "${name}"`);
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError(`topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  }
  if (!LEGAL.test(name)) {
    throw new InvalidTopicError(`topic name "${name}" has characters outside [a-zA-Z0-9._-]`);
  }
}

/** Kafka's collision key: '.' and '_' are the same in metric names. */
export function unifyCollisionChars(name: string): string {
  return name.replace(/\./g, '_');
}

/** Topics the broker creates for itself (its clients may read but not delete them). */
export function isInternalTopic(name: string): boolean {
  return name === '__consumer_offsets' || name === '__transaction_state' || name === '__share_group_state' || name === '__mq_delayed';
}
