// The control plane's view of one partition and of one broker, as the contract with branch
// `cluster` fixes them. Declared here with @mq/metadata's field names until that package is on main;
// then these become re-exports of its types.

export interface PartitionState {
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
  /** Broker id of the leader; -1 = none (offline). */
  readonly leader: number;
  readonly leaderEpoch: number;
  /** Bumped by every change of the partition's state (the AlterPartition CAS version). */
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas?: readonly number[];
}

export interface BrokerRegistration {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack?: string;
  readonly epoch: bigint | number;
}

/** A leader's ISR proposal (Kafka's AlterPartition): CAS on partitionEpoch, fenced by leaderEpoch. */
export interface AlterPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
}

/** Where a broker listens, for followers' fetches and for KIP-951 leader hints. */
export interface BrokerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly rack?: string | undefined;
}
