// What happened to records of a share-partition, as observers (tracing, metrics) are told it: one
// step per state change of a set of records, in the order the share-partition applied them.
// Steps are told once the change is made in memory (acquire, acknowledge, lock expiry, a member's
// release) — an archive and a dead letter once the dead letter is durable, as onArchived is.
import type { AcquiredRecords, ArchivedRecord } from './share-partition';
import type { SharePartitionKey } from './records/share-state-record';

/** A record of a share-partition appended to a dead-letter partition at `dlqOffset`. */
export interface DeadLetteredRecord {
  readonly offset: bigint;
  readonly dlqOffset: bigint;
}

export type ShareStep =
  /** A fetch locked these runs for `memberId` (their delivery count raised). */
  | { readonly kind: 'acquired'; readonly memberId: string; readonly records: readonly AcquiredRecords[] }
  /** The member acknowledged these offsets with ACCEPT, RELEASE or REJECT. */
  | { readonly kind: 'accepted' | 'released' | 'rejected'; readonly memberId: string; readonly offsets: readonly bigint[] }
  /** Given back without an acknowledgement: the lock ran out, or the member left / closed its session. */
  | { readonly kind: 'lock-timeout' | 'member-released'; readonly memberId: string; readonly offsets: readonly bigint[] }
  /** Done without being accepted (rejected, past the delivery limit, expired); dead-lettered first if that is on. */
  | { readonly kind: 'archived'; readonly records: readonly ArchivedRecord[] }
  /** Appended to the dead-letter topic, durable there. */
  | { readonly kind: 'dead-lettered'; readonly dlqTopic: string; readonly dlqPartition: number; readonly records: readonly DeadLetteredRecord[] };

/** ShareCoordinatorOptions.observer: one call per step; it must not throw and must not call back into the coordinator. */
export type ShareObserver = (key: SharePartitionKey, step: ShareStep) => void;
