// @mq/controller public API: broker membership under etcd leases, the controller elected through
// etcd (guarding every metadata commit), the per-partition election rule it applies, and the admin
// operations it carries out for any broker (ElectLeaders, partition reassignment, leader rebalance).
export { BrokerMembership, type BrokerMembershipOptions } from './broker-membership';
export { BrokerReports, type BrokerReportsOptions } from './broker-reports';
export { Controller, type ControllerOptions } from './controller';
export { electPartition } from './partition-election';
export { ElectionType, electLeader, type ElectionOutcome } from './leader-election';
export { reassignPartition, completeReassignment, isReassigning, originalReplicas, targetReplicas, type ReassignmentOutcome } from './partition-reassignment';
export { DEFAULT_LEADER_REBALANCE, rebalanceElections, type LeaderRebalanceConfig } from './leader-rebalance';
export { ClusterOperations, type ClusterOperationsOptions } from './cluster-operations';
export type { ControllerRequest, PartitionOutcome, PartitionTarget, TopicPartitions } from './controller-request';
export { type InternalTopicSpec, internalTopicRecords } from './internal-topic';
export type { ControlLogger } from './control-logger';
