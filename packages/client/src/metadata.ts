// The client's view of the cluster from Metadata responses: brokers, topics, partition leaders.
// Plain data; Cluster owns refreshing it.
import type { ApiKey, ResponseBodyFor } from '@mq/protocol';

export interface BrokerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface PartitionInfo {
  readonly partition: number;
  readonly errorCode: number;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface TopicInfo {
  readonly name: string;
  readonly errorCode: number;
  readonly topicId: string | null;
  readonly isInternal: boolean;
  /** Sorted by partition. */
  readonly partitions: readonly PartitionInfo[];
}

export interface ClusterMetadata {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: ReadonlyMap<number, BrokerInfo>;
  readonly topics: ReadonlyMap<string, TopicInfo>;
}

/** Metadata response body fields this client reads (names as in Kafka's MetadataResponse.json). */

// Kafka's Uuid.ZERO_UUID in the protocol's 22-char url-safe base64 form.
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function parseMetadata(res: ResponseBodyFor<typeof ApiKey.Metadata>): ClusterMetadata {
  const brokers = new Map<number, BrokerInfo>();
  for (const b of res.brokers) brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null });
  const topics = new Map<string, TopicInfo>();
  for (const t of res.topics) {
    if (t.name === null) continue;
    const partitions = t.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        leaderId: p.leaderId,
        leaderEpoch: p.leaderEpoch ?? -1,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offlineReplicas: p.offlineReplicas ?? [],
      }))
      .sort((a, b) => a.partition - b.partition);
    const topicId = typeof t.topicId === 'string' && t.topicId !== ZERO_UUID ? t.topicId : null;
    topics.set(t.name, { name: t.name, errorCode: t.errorCode, topicId, isInternal: t.isInternal ?? false, partitions });
  }
  return { clusterId: res.clusterId ?? null, controllerId: res.controllerId ?? -1, brokers, topics };
}
