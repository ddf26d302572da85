// Public API of @mq/assignors: Kafka's partition assignors (range, roundrobin, sticky,
// cooperative-sticky) as pure functions, shared by the broker's group coordinator and the client.
export {
  type Assignor,
  type AssignorMember,
  type GroupAssignment,
  type PartitionCounts,
  type TopicPartition,
  type TopicPartitions,
  emptyAssignment,
  fromTopicPartitions,
  sortMembers,
  toTopicPartitions,
  tpKey,
} from './assignor';
export { rangeAssign, rangeAssignor } from './range-assignor';
export { roundRobinAssign, roundRobinAssignor } from './round-robin-assignor';
export { currentOwners, stickyAssign, stickyAssignor } from './sticky-assignor';
export {
  type CooperativeResult,
  cooperativeStickyAssign,
  cooperativeStickyAssignWithRevocations,
  cooperativeStickyAssignor,
} from './cooperative-sticky-assignor';
export { assignors } from './assignor-registry';
