// Which partition of a coordinator's internal topic owns a key — Kafka's
// Utils.abs(key.hashCode()) % partitions, with Java's String.hashCode over UTF-16 code units, so a
// group (or a share-partition key "group:topicId:partition") lands on the same partition as in Kafka.

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

/** The partition (of `partitionCount`) whose coordinator shard owns `key`. */
export function coordinatorPartitionFor(key: string, partitionCount: number): number {
  return kafkaAbs(javaStringHashCode(key)) % partitionCount;
}
