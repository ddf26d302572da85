// Kafka answers INVALID_REQUEST for every entry of a request that names the same thing twice
// (ListOffsets partitions, CreateTopics / DeleteTopics / CreatePartitions topics, AlterConfigs
// resources): an ambiguous request must not be half applied. One helper so each handler says only
// what its key is.

/** The keys that occur more than once among `items`. */
export function duplicateKeys<T>(items: Iterable<T>, key: (item: T) => string): Set<string> {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) dups.add(k);
    else seen.add(k);
  }
  return dups;
}

/** A (topic, partition) key that cannot collide for any topic name. */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
