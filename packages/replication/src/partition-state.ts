// The control plane's view of one partition and of one broker, and the leader's ISR proposal
// (Kafka's AlterPartition: CAS on partitionEpoch, fenced by leaderEpoch, KIP-841's broker epochs),
// come from @mq/metadata; what is added here is a broker's endpoint.
export type { AlterPartitionRequest, BrokerRegistration, PartitionState } from '@mq/metadata';

/** Where a broker listens, for followers' fetches and for KIP-951 leader hints. */
export interface BrokerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly rack?: string | undefined;
  /** The broker epoch of the registration this was read from (KIP-841: named in the leader's ISR proposals). */
  readonly brokerEpoch?: number | undefined;
}
