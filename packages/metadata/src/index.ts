// @mq/metadata public API: the immutable cluster image, the records and deltas that change it,
// the MetadataStore seam and its local-file implementation, and replica placement.
export {
  EMPTY_IMAGE,
  partitionState,
  offlineReplicas,
  entriesOf,
  type BrokerRegistration,
  type PartitionState,
  type TopicImage,
  type ControllerRegistration,
  type MetadataImage,
} from './cluster-image';
export type { MetadataRecord, MetadataRecordType, EntryRecord, EntryChange } from './metadata-record';
export { MetadataDelta, applyRecords } from './metadata-delta';
export type { MetadataStore, MetadataListener, CommitOptions } from './metadata-store';
export { LocalMetadataStore, localPartitionState, type LocalMetadataStoreOptions } from './local-metadata-store';
export { TOPICS_FILE_VERSION, readTopicsFile, topicsFilePath, type TopicsFileEntry, type LoadedTopicsFile } from './topics-file';
export { placeReplicas, type PlacementBroker, type PlacementOptions } from './replica-placement';
export { writeFileAtomic, readFileIfExists } from './atomic-file';
export {
  MetadataStorageError,
  TopicsFileCorruptError,
  InvalidMetadataRecordError,
  NotControllerError,
  MetadataUnavailableError,
  InvalidUpdateVersionError,
  FencedLeaderEpochError,
  IneligibleReplicaError,
  StaleBrokerEpochError,
  StaleMembershipError,
} from './errors';
export { NOT_REGISTERED, type MembershipBasis } from './membership-basis';
export { EtcdMetadataStore, type EtcdMetadataStoreOptions, type AlterPartitionRequest } from './etcd-metadata-store';
export { EtcdKeys } from './etcd-keys';
export { createEtcdClient, type EtcdClientOptions } from './etcd-client';
