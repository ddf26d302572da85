// The internal topic the group coordinator lives on: which partition coordinates a group — Kafka's
// Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions, with Java's String.hashCode over
// UTF-16 code units, so a group lands on the same partition number as in Kafka — and the topic's
// configs (compacted, segments of offsets.topic.segment.bytes).
import { coordinatorPartitionFor } from '@mq/coordinator';

export { javaStringHashCode } from '@mq/coordinator';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

/** offsets.topic.num.partitions' default (Kafka's). */
export const DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;

/** Kafka's Long.MAX_VALUE: "never" for flush.messages / flush.ms. */
const NEVER = '9223372036854775807';

/**
 * Topic configs of __consumer_offsets: compacted, segment.bytes from offsets.topic.segment.bytes, and
 * no fsync before each acknowledgement (flush.messages / flush.ms never, Kafka's defaults, and what
 * the pre-runtime offsets log did): a commit is in the page cache when answered, so it survives a
 * broker crash (SIGKILL) but not a machine crash — an fsync per commit would serialise every group
 * of a partition behind the disk (its operations run one at a time).
 */
export function consumerOffsetsTopicConfigs(segmentBytes: number): Record<string, string> {
  return { 'cleanup.policy': 'compact', 'segment.bytes': String(segmentBytes), 'flush.messages': NEVER, 'flush.ms': NEVER };
}

/** The __consumer_offsets partition that coordinates `groupId`. */
export function partitionFor(groupId: string, partitionCount: number): number {
  return coordinatorPartitionFor(groupId, partitionCount);
}
