// Internal topics the controller creates itself (__consumer_offsets, later __transaction_state,
// __share_group_state): the broker names them with their partition count, replication factor and
// configs; the controller commits each as soon as enough brokers are registered — as Kafka, never
// with fewer replicas than asked (a coordinator on one replica would lose its state with its broker).
import { randomBytes } from 'node:crypto';
import { placeReplicas, type MetadataImage, type MetadataRecord } from '@mq/metadata';

export interface InternalTopicSpec {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
}

/** A Kafka Uuid in text: 22 url-safe base64 chars, never starting with '-' nor all zero. */
function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

/**
 * The records creating `spec` over the image's brokers, or undefined when it exists already or
 * fewer brokers than its replication factor are registered (it waits for them).
 */
export function internalTopicRecords(image: MetadataImage, spec: InternalTopicSpec): MetadataRecord[] | undefined {
  if (image.topics.has(spec.name) || image.brokers.size < spec.replicationFactor) return undefined;
  const brokers = [...image.brokers.values()].sort((a, b) => a.nodeId - b.nodeId);
  const lists = placeReplicas(brokers, spec.numPartitions, spec.replicationFactor, { startIndex: Math.floor(Math.random() * brokers.length) });
  const topicId = newTopicId();
  const records: MetadataRecord[] = [{ type: 'topic', name: spec.name, topicId, configs: { ...spec.configs } }];
  for (const [partition, replicas] of lists.entries()) {
    records.push({ type: 'partition', state: { topicId, topic: spec.name, partition, leader: replicas[0]!, leaderEpoch: 0, partitionEpoch: 0, replicas, isr: replicas } });
  }
  return records;
}
