// The seam between the data plane and wherever metadata lives: local files on one node
// (LocalMetadataStore) or etcd in a cluster (EtcdMetadataStore). Nothing above it needs to know
// which one runs: both load an image, commit record lists atomically and tell watchers every delta.
import type { MetadataImage } from './cluster-image';
import type { MetadataDelta } from './metadata-delta';
import type { MetadataRecord } from './metadata-record';
import type { MembershipBasis } from './membership-basis';

export interface CommitOptions {
  /**
   * The broker registrations the change was computed from (a placement, an election): compared in
   * the store's atomic write, StaleMembershipError (77) when one changed. A store without
   * membership (one node) ignores it.
   */
  readonly basis?: MembershipBasis;
}

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
   * InvalidMetadataRecordError when the records do not apply, StaleMembershipError when
   * `opts.basis` is stale.
   */
  commit(records: readonly MetadataRecord[], opts?: CommitOptions): Promise<MetadataDelta>;
  /**
   * The basis of a decision made from `image`'s registrations of `nodeIds`, for commit's `basis`;
   * absent on a store without membership.
   */
  membershipBasis?(nodeIds: Iterable<number>): MembershipBasis;
  /** Resolves once `image` includes etcd's `revision` (after a StaleMembershipError, whose revision it is); absent on a store without membership. */
  caughtUp?(revision: bigint): Promise<void>;
  /** Told every delta in order, local commits and (etcd) other brokers' alike. Returns the unsubscribe. */
  watch(listener: MetadataListener): () => void;
  close(): Promise<void>;
}
