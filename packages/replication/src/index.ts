// @mq/replication public API: the per-broker ReplicaManager (leader and follower roles, ISR, high
// watermark, acks=all purgatory, OffsetForLeaderEpoch) and the types of the control-plane contract.
export { ReplicaManager, type ReplicaManagerOptions, type OffsetForLeaderEpochResult, type LeadershipListener } from './replica-manager';
export type { AlterPartitionRequest, BrokerEndpoint, BrokerRegistration, PartitionState } from './partition-state';
export { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig, type ReplicationLogger } from './replication-config';
export { ReplicationError, UnknownPartitionError } from './errors';
export type { InterBrokerSaslExchange, InterBrokerSecurity } from './inter-broker-security';
export { BrokerAuthenticationError, BrokerConnection, BrokerConnectionError } from './broker-connection';
export { FETCH_DEADLINE_SLACK_MS, replicaFetchDeadlineMs } from './replica-fetcher';
export type { ReplicationThrottle } from './replication-throttle';
export { HeldTime, ReplicationStats, type FollowerLag } from './replication-stats';
