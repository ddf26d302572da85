// The internal topic the group coordinator lives on: which partition coordinates a group — Kafka's
// Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions, with Java's String.hashCode over
// UTF-16 code units, so a group lands on the same partition number as in Kafka — and the topic's
// configs (compacted, segments of offsets.topic.segment.bytes).

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

/** Java's String.hashCode(): s[0]·31^(n−1) + … + s[n−1] in int32 arithmetic, over UTF-16 code units. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: Math.abs except that Integer.MIN_VALUE maps to 0 (not to itself). */
function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** The __consumer_offsets partition that coordinates `groupId`. */
export function partitionFor(groupId: string, partitionCount: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % partitionCount;
}
