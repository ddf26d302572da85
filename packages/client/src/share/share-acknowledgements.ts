// Acknowledgements waiting to be sent, per share-partition, as the wire's batches: consecutive
// offsets of one type become one batch (first, last, [type]).
export type PendingKind = 'accept' | 'release' | 'reject' | 'gap' | 'renew';

const TYPE: Readonly<Record<PendingKind, number>> = { gap: 0, accept: 1, release: 2, reject: 3, renew: 4 };

export interface PartitionAcks {
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offsets: readonly bigint[];
  readonly batches: { firstOffset: bigint; lastOffset: bigint; acknowledgeTypes: number[] }[];
  /** What restore() puts back. */
  readonly kinds: ReadonlyMap<bigint, PendingKind>;
}

export class ShareAcknowledgements {
  private readonly pending = new Map<string, { topicId: string; topic: string; partition: number; kinds: Map<bigint, PendingKind> }>();

  add(topicId: string, topic: string, partition: number, offset: bigint, kind: PendingKind): void {
    const k = `${topicId}:${partition}`;
    let p = this.pending.get(k);
    if (p === undefined) {
      p = { topicId, topic, partition, kinds: new Map() };
      this.pending.set(k, p);
    }
    p.kinds.set(offset, kind);
  }

  /** Partitions with something to send. */
  partitions(): { topicId: string; topic: string; partition: number }[] {
    return [...this.pending.values()].map(({ topicId, topic, partition }) => ({ topicId, topic, partition }));
  }

  /** Removes and returns the acknowledgements of `parts` (null: all of them) as wire batches. */
  take(parts: readonly { topicId: string; partition: number }[] | null): PartitionAcks[] {
    const out: PartitionAcks[] = [];
    for (const [k, p] of this.pending) {
      if (parts !== null && !parts.some((x) => x.topicId === p.topicId && x.partition === p.partition)) continue;
      this.pending.delete(k);
      const offsets = [...p.kinds.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const batches: PartitionAcks['batches'] = [];
      for (const o of offsets) {
        const type = TYPE[p.kinds.get(o)!];
        const last = batches[batches.length - 1];
        if (last !== undefined && last.lastOffset + 1n === o && last.acknowledgeTypes[0] === type) last.lastOffset = o;
        else batches.push({ firstOffset: o, lastOffset: o, acknowledgeTypes: [type] });
      }
      out.push({ topicId: p.topicId, topic: p.topic, partition: p.partition, offsets, batches, kinds: p.kinds });
    }
    return out;
  }

  /** Puts back what a failed request took (newer acknowledgements of the same offsets win). */
  restore(taken: readonly PartitionAcks[]): void {
    for (const a of taken) for (const [o, kind] of a.kinds) if (!this.has(a.topicId, a.partition, o)) this.add(a.topicId, a.topic, a.partition, o, kind);
  }

  /** Whether a release waits to be sent for the partition (records acquired but never handed out). */
  hasRelease(p: { topicId: string; partition: number }): boolean {
    const pending = this.pending.get(`${p.topicId}:${p.partition}`);
    return pending !== undefined && [...pending.kinds.values()].includes('release');
  }

  private has(topicId: string, partition: number, offset: bigint): boolean {
    return this.pending.get(`${topicId}:${partition}`)?.kinds.has(offset) === true;
  }
}
