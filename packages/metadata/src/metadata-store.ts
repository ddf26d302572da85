// The seam between the data plane and wherever metadata lives: local files on one node
// (LocalMetadataStore) or etcd in a cluster (EtcdMetadataStore). Nothing above it needs to know
// which one runs: both load an image, commit record lists atomically and tell watchers every delta.
import type { MetadataImage } from './cluster-image';
import type { MetadataDelta } from './metadata-delta';
import type { MetadataRecord } from './metadata-record';

export type MetadataListener = (delta: MetadataDelta) => void;

export interface MetadataStore {
  /** The image as of the last delta applied (EMPTY_IMAGE before load()). */
  readonly image: MetadataImage;
  /** Reads the stored image; called once, before commit() or watch() are used. */
  load(): Promise<MetadataImage>;
  /**
   * Makes `records` durable as one atomic change and resolves with its delta once `image` includes
   * it (watchers have been told). Throws a typed KafkaError: NotControllerError where only the
   * controller may write, MetadataUnavailableError when the store cannot be reached,
   * InvalidMetadataRecordError when the records do not apply.
   */
  commit(records: readonly MetadataRecord[]): Promise<MetadataDelta>;
  /** Told every delta in order, local commits and (etcd) other brokers' alike. Returns the unsubscribe. */
  watch(listener: MetadataListener): () => void;
  close(): Promise<void>;
}
