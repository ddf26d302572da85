// Automatic leader rebalancing (auto.leader.rebalance.enable, Kafka's checkAndTriggerAutoLeaderRebalance):
// a broker is imbalanced when more than leader.imbalance.per.broker.percentage of the partitions it
// is the preferred replica of are led elsewhere; those of them it can lead now (live, in the ISR,
// no reassignment running) get a preferred election.
import type { MetadataImage, PartitionState } from '@mq/metadata';
import { ElectionType, electLeader } from './leader-election';
import { isReassigning } from './partition-reassignment';

export interface LeaderRebalanceConfig {
  /** auto.leader.rebalance.enable (default true). */
  readonly enabled: boolean;
  /** leader.imbalance.check.interval.seconds, in ms (default 300 000). */
  readonly checkIntervalMs: number;
  /** leader.imbalance.per.broker.percentage (default 10). */
  readonly imbalancePercentage: number;
}

export const DEFAULT_LEADER_REBALANCE: LeaderRebalanceConfig = { enabled: true, checkIntervalMs: 300_000, imbalancePercentage: 10 };

/** The preferred elections the check calls for (new states, at most `limit`). */
export function rebalanceElections(image: MetadataImage, live: ReadonlySet<number>, imbalancePercentage: number, limit: number): PartitionState[] {
  const byPreferred = new Map<number, PartitionState[]>();
  for (const t of image.topics.values()) {
    for (const s of t.partitions) {
      const preferred = s.replicas[0];
      if (preferred === undefined) continue;
      const list = byPreferred.get(preferred) ?? [];
      list.push(s);
      byPreferred.set(preferred, list);
    }
  }
  const out: PartitionState[] = [];
  for (const [broker, states] of [...byPreferred].sort((a, b) => a[0] - b[0])) {
    if (!live.has(broker)) continue;
    const elsewhere = states.filter((s) => s.leader !== broker);
    if ((elsewhere.length * 100) / states.length <= imbalancePercentage) continue;
    for (const s of elsewhere) {
      if (isReassigning(s)) continue;
      const next = electLeader(s, live, ElectionType.PREFERRED).state;
      if (next !== undefined) out.push(next);
      if (out.length === limit) return out;
    }
  }
  return out;
}
