// What a partition's leader knows about its followers (Kafka's Replica / ReplicaState): each one's
// log end offset and when it last caught up, the committed ISR and at most one ISR proposal in
// flight. Pure bookkeeping (times are passed in): ReplicaManager owns the side effects.
// The "maximal ISR" (committed ∪ proposed) bounds the high watermark and acks=all, as in Kafka, so a
// shrink takes effect only once committed and an expansion counts before it is.

export interface FollowerState {
  /** The follower's log end offset (its last fetch offset); -1 until it fetched in this epoch. */
  logEndOffset: bigint;
  /** Monotonic ms when it last had everything the leader had (Kafka's lastCaughtUpTimeMs). */
  lastCaughtUpMs: number;
  /** When its previous fetch arrived and the leader's log end then. */
  lastFetchMs: number;
  lastFetchLeaderEndOffset: bigint;
  /** The broker epoch its last fetch named (v15+ replica_state; -1: it holds no registration); undefined: not told. */
  brokerEpoch?: number | undefined;
}

export class LeaderState {
  readonly nodeId: number;
  readonly leaderEpoch: number;
  partitionEpoch: number;
  /** The ISR the control plane committed. */
  isr: readonly number[];
  /** The ISR proposed to the control plane and not answered yet. */
  pendingIsr: readonly number[] | undefined;
  replicas: readonly number[];
  readonly followers = new Map<number, FollowerState>();
  /** Where this leader's epoch starts: a follower below it cannot join the ISR. */
  readonly epochStartOffset: bigint;
  /** Monotonic ms this leadership began (a follower's lag is at least since then if it never caught up). */
  readonly sinceMs: number;

  constructor(opts: {
    nodeId: number;
    leaderEpoch: number;
    partitionEpoch: number;
    replicas: readonly number[];
    isr: readonly number[];
    epochStartOffset: bigint;
    nowMs: number;
  }) {
    this.nodeId = opts.nodeId;
    this.leaderEpoch = opts.leaderEpoch;
    this.partitionEpoch = opts.partitionEpoch;
    this.replicas = opts.replicas;
    this.isr = opts.isr;
    this.pendingIsr = undefined;
    this.epochStartOffset = opts.epochStartOffset;
    this.sinceMs = opts.nowMs;
    for (const r of opts.replicas) {
      if (r === opts.nodeId) continue;
      // ISR members get a full lag window from the election before they can be dropped (Kafka).
      const inIsr = opts.isr.includes(r);
      this.followers.set(r, { logEndOffset: -1n, lastCaughtUpMs: inIsr ? opts.nowMs : 0, lastFetchMs: 0, lastFetchLeaderEndOffset: -1n });
    }
  }

  /**
   * The replica set changed within this epoch (a reassignment adds replicas without a new leader
   * epoch, as KIP-455 does): new followers start unknown and out of sync, gone ones are forgotten.
   */
  setReplicas(replicas: readonly number[]): void {
    this.replicas = replicas;
    for (const r of replicas) {
      if (r !== this.nodeId && !this.followers.has(r)) this.followers.set(r, { logEndOffset: -1n, lastCaughtUpMs: 0, lastFetchMs: 0, lastFetchLeaderEndOffset: -1n });
    }
    for (const r of [...this.followers.keys()]) if (!replicas.includes(r)) this.followers.delete(r);
  }

  /** Committed ∪ proposed: who the HW and acks=all wait for. */
  get maximalIsr(): readonly number[] {
    if (this.pendingIsr === undefined) return this.isr;
    const out = [...this.isr];
    for (const r of this.pendingIsr) if (!out.includes(r)) out.push(r);
    return out;
  }

  /** Kafka's Replica.updateFetchState. */
  recordFetch(replicaId: number, fetchOffset: bigint, nowMs: number, leaderEndOffset: bigint, brokerEpoch?: number): void {
    const f = this.followers.get(replicaId);
    if (f === undefined) return;
    if (fetchOffset >= leaderEndOffset) f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, nowMs);
    else if (fetchOffset >= f.lastFetchLeaderEndOffset) f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, f.lastFetchMs);
    f.logEndOffset = fetchOffset;
    f.lastFetchMs = nowMs;
    f.lastFetchLeaderEndOffset = leaderEndOffset;
    f.brokerEpoch = brokerEpoch;
  }

  /** How far `replicaId` is behind (see FollowerLag); undefined when it is no follower here. */
  lagOf(replicaId: number, leaderEndOffset: bigint, nowMs: number): { lagRecords: bigint; lagMs: number } | undefined {
    const f = this.followers.get(replicaId);
    if (f === undefined) return undefined;
    const leo = f.logEndOffset < 0n ? 0n : f.logEndOffset;
    const lagRecords = leaderEndOffset > leo ? leaderEndOffset - leo : 0n;
    const lagMs = lagRecords === 0n ? 0 : Math.max(0, nowMs - Math.max(f.lastCaughtUpMs, this.sinceMs));
    return { lagRecords, lagMs };
  }

  /** min LEO over the maximal ISR, the leader's own being `leaderEndOffset`; -1 while one is unknown. */
  highWatermark(leaderEndOffset: bigint): bigint {
    let hw = leaderEndOffset;
    for (const r of this.maximalIsr) {
      if (r === this.nodeId) continue;
      const leo = this.followers.get(r)?.logEndOffset ?? -1n;
      if (leo < hw) hw = leo;
    }
    return hw;
  }

  /** Whether every maximal-ISR member has `offset` (acks=all). */
  isReplicatedBelow(offset: bigint, leaderEndOffset: bigint): boolean {
    return this.highWatermark(leaderEndOffset) >= offset;
  }

  /** An ISR to propose adding `replicaId` (caught up to the HW and into this epoch), or undefined. */
  expansionFor(replicaId: number, highWatermark: bigint): readonly number[] | undefined {
    if (this.pendingIsr !== undefined || this.isr.includes(replicaId)) return undefined;
    const f = this.followers.get(replicaId);
    if (f === undefined || f.logEndOffset < highWatermark || f.logEndOffset < this.epochStartOffset) return undefined;
    return [...this.isr, replicaId];
  }

  /** An ISR to propose without the members that have not caught up for `lagMs`, or undefined. */
  shrinkFor(nowMs: number, lagMs: number): readonly number[] | undefined {
    if (this.pendingIsr !== undefined) return undefined;
    const out = this.isr.filter((r) => {
      if (r === this.nodeId) return true;
      const f = this.followers.get(r);
      return f !== undefined && nowMs - f.lastCaughtUpMs <= lagMs;
    });
    return out.length === this.isr.length ? undefined : out;
  }
}
