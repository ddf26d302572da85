// The control plane's view of one partition and of one broker come from @mq/metadata (the contract
// with branch `cluster`); what is added here is the leader's ISR proposal and a broker's endpoint.
export type { BrokerRegistration, PartitionState } from '@mq/metadata';

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
