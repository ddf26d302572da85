// Public API of @mq/coordinator: the runtime every coordinator (groups; later share groups and
// transactions) sits on — shards per partition, operations returning records + a response,
// appends through a PartitionWriter, replay on load and after each append.
export { CoordinatorRuntime, type CoordinatorRuntimeOptions, type LoadOptions, type ShardStatus, type WriteOptions } from './coordinator-runtime';
export { type CoordinatorLeadershipSource, type LeadershipChange, type LeadershipEvents, followLeadership } from './coordinator-leadership';
export { type CoordinatorResult, recordsOnly, responseOnly } from './coordinator-result';
export type { CoordinatorShard, ShardContext, ShardFactory } from './coordinator-shard';
export type { CoordinatorRecordSerde, RawRecord } from './coordinator-record-serde';
export { type PartitionWriter, PartitionRecordWriter, type ReplicatedAppend } from './partition-writer';
export { type LoadSummary, loadPartition } from './coordinator-loader';
export { CoordinatorLoadInProgressError, CoordinatorWriteError, NotCoordinatorError, appendErrorCode } from './errors';
export { coordinatorPartitionFor, javaStringHashCode } from './coordinator-partition';
