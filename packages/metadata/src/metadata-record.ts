// The records that change a MetadataImage (after Kafka's metadata records: RegisterBrokerRecord,
// TopicRecord, PartitionRecord, ConfigRecord, RemoveTopicRecord, ProducerIdsRecord). A store
// commits a list of them atomically; every broker applies the same list to the same image.
import type { BrokerRegistration, ControllerRegistration, PartitionState } from './cluster-image';

export type MetadataRecord =
  | { readonly type: 'registerBroker'; readonly broker: BrokerRegistration }
  | { readonly type: 'unregisterBroker'; readonly nodeId: number }
  /** Creates a topic (no partitions yet: PartitionRecords follow in the same commit). */
  | { readonly type: 'topic'; readonly name: string; readonly topicId: string; readonly configs: Readonly<Record<string, string>> }
  /** Replaces the topic's config overrides whole. */
  | { readonly type: 'config'; readonly topic: string; readonly configs: Readonly<Record<string, string>> }
  /** Adds partition `state.partition` (the next index) or replaces its state. */
  | { readonly type: 'partition'; readonly state: PartitionState }
  | { readonly type: 'removeTopic'; readonly name: string }
  /** Moves the producer-id block start (only ever forwards). */
  | { readonly type: 'producerIds'; readonly nextBlockStart: bigint }
  | { readonly type: 'controller'; readonly controller: ControllerRegistration | undefined }
  /** Sets `key` of `namespace` (ACLs, SCRAM credentials, quotas: entriesOf()); a null value removes it. */
  | EntryRecord;

export interface EntryRecord {
  readonly type: 'entry';
  /** No "/" (it is a path segment of the etcd key). */
  readonly namespace: string;
  readonly key: string;
  readonly value: string | null;
}

/** An entry as a delta reports it: value null when it was removed. */
export type EntryChange = Omit<EntryRecord, 'type'>;

export type MetadataRecordType = MetadataRecord['type'];
