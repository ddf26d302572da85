// What the controller does to one partition given the live brokers (Kafka's PartitionChangeBuilder
// for broker fencing): dead brokers leave the ISR (never emptying it: the last member stays, so a
// clean election can still pick it when it returns); a dead or missing leader is replaced by the
// first live ISR member in replica order (clean), or — only with unclean.leader.election.enable —
// by the first live replica (ISR reset to it), else leader -1. leaderEpoch moves on every leader
// change, partitionEpoch on every change.
import type { PartitionState } from '@mq/metadata';

export function electPartition(s: PartitionState, live: ReadonlySet<number>, unclean: boolean): PartitionState | undefined {
  const liveIsr = s.isr.filter((id) => live.has(id));
  const leaderLive = s.leader !== -1 && live.has(s.leader);
  if (leaderLive) {
    if (liveIsr.length === s.isr.length) return undefined;
    return { ...s, isr: liveIsr, partitionEpoch: s.partitionEpoch + 1 };
  }
  const clean = s.replicas.find((id) => liveIsr.includes(id));
  if (clean !== undefined) {
    return { ...s, leader: clean, leaderEpoch: s.leaderEpoch + 1, isr: liveIsr, partitionEpoch: s.partitionEpoch + 1 };
  }
  const anyLive = unclean ? s.replicas.find((id) => live.has(id)) : undefined;
  if (anyLive !== undefined) {
    return { ...s, leader: anyLive, leaderEpoch: s.leaderEpoch + 1, isr: [anyLive], partitionEpoch: s.partitionEpoch + 1 };
  }
  if (s.leader === -1) return undefined;
  // No eligible replica: offline. The ISR keeps its last members for a clean election later.
  return { ...s, leader: -1, leaderEpoch: s.leaderEpoch + 1, partitionEpoch: s.partitionEpoch + 1 };
}
