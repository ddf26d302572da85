// @mq/controller public API: broker membership under etcd leases, the controller elected through
// etcd (guarding every metadata commit), and the per-partition election rule it applies.
export { BrokerMembership, type BrokerMembershipOptions } from './broker-membership';
export { Controller, type ControllerOptions } from './controller';
export { electPartition } from './partition-election';
export { type InternalTopicSpec, internalTopicRecords } from './internal-topic';
export type { ControlLogger } from './control-logger';
