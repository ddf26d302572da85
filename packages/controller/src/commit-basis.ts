// The partition changes of one controller commit and the brokers they were decided from. Every
// membership-driven decision (a leader elected on broker death, dead brokers out of an ISR, a
// reassignment completed, a preferred election, internal-topic placement) depends on which of a
// partition's replicas are registered; the commit compares each of those registrations' etcd mod
// revisions (its membership basis), so a decision made from a stale view of membership fails in
// etcd and is recomputed instead of being written.
import type { EtcdMetadataStore, MembershipBasis, PartitionState } from '@mq/metadata';

/**
 * etcd refuses a txn with more than --max-txn-ops (default 128) compares; a commit compares the
 * controller key, each partition key it writes and each registration of its basis. A margin below
 * the limit leaves room for the topic compares of a creation.
 */
export const MAX_COMMIT_COMPARES = 120;

export class CommitBasis {
  private readonly brokers = new Set<number>();
  private readonly states: PartitionState[] = [];

  constructor(
    private readonly maxPartitions: number,
    private readonly maxCompares = MAX_COMMIT_COMPARES,
  ) {}

  get changes(): readonly PartitionState[] {
    return this.states;
  }

  get full(): boolean {
    return this.states.length >= this.maxPartitions;
  }

  /**
   * Adds `next` (decided from `before`'s replicas as the image had them) unless the commit would
   * outgrow etcd's txn limit; the first change always fits. False: commit what is there first.
   */
  tryAdd(next: PartitionState, before: PartitionState = next): boolean {
    if (this.full) return false;
    const added = [...new Set([...before.replicas, ...next.replicas])].filter((id) => !this.brokers.has(id));
    const compares = 1 + this.states.length + 1 + this.brokers.size + added.length;
    if (this.states.length > 0 && compares > this.maxCompares) return false;
    this.states.push(next);
    for (const id of added) this.brokers.add(id);
    return true;
  }

  /** Brokers decided from, besides the partitions' replicas (placement over every registered broker). */
  addBrokers(ids: Iterable<number>): void {
    for (const id of ids) this.brokers.add(id);
  }

  /** `whole` (a basis taken earlier, when the decision was made) cut to this commit's brokers. */
  restrict(whole: MembershipBasis): MembershipBasis {
    const registrations = new Map<number, string>();
    for (const id of this.brokers) {
      const rev = whole.registrations.get(id);
      if (rev !== undefined) registrations.set(id, rev);
    }
    return { registrations };
  }

  /** The registrations as the store's image has them now: call in the same synchronous step as the decision. */
  basis(store: EtcdMetadataStore): MembershipBasis {
    return store.membershipBasis(this.brokers);
  }
}
