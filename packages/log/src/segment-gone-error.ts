// Internal to @mq/log: a reader reached a segment that was deleted or replaced after it took its
// snapshot of the segment list. The log retries on a fresh snapshot; never surfaces from the public API.
import { KafkaStorageError } from '@mq/errors';

/** A KafkaStorageError, so that if one ever escaped it would still answer KAFKA_STORAGE_ERROR. */
export class SegmentGoneError extends KafkaStorageError {}
