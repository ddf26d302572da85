// One snapshot of what the console graphs: per topic the sum of its high watermarks and of the bytes
// appended since the broker opened it (rates are the differences between snapshots), per group its
// lag. Cheap: read from in-memory state, no log I/O.
import type { AdminServices } from '../admin-services';
import { groupLag, type GroupLagView } from '../routes/group-routes';

export interface TopicStats {
  readonly topic_name: string;
  readonly partitions_count: number;
  /** Σ high watermark: its growth per second is the topic's message rate. */
  readonly end_offset_total: bigint;
  readonly appended_bytes: number;
  readonly size_bytes: number;
}

export interface GroupStats {
  readonly consumer_group_id: string;
  readonly state: string;
  readonly members: number;
  readonly total_lag: bigint;
  readonly lags: readonly GroupLagView[];
}

export interface StatsSnapshot {
  readonly type: 'stats';
  /** Broker wall clock, ms. */
  readonly time: number;
  readonly cluster_id: string;
  readonly broker_count: number;
  readonly topics: readonly TopicStats[];
  readonly groups: readonly GroupStats[];
}

export function statsSnapshot(s: AdminServices): StatsSnapshot {
  const topics = s.topics
    .list()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => {
      let end = 0n;
      let appended = 0;
      let size = 0;
      for (const p of t.partitions) {
        if (p === undefined) continue; // a partition this cluster member hosts no replica of
        end += p.highWatermark;
        appended += p.appendedBytes;
        size += p.sizeInBytes;
      }
      return { topic_name: t.name, partitions_count: t.partitions.length, end_offset_total: end, appended_bytes: appended, size_bytes: size };
    });
  const g = s.groups();
  const groups: GroupStats[] = [];
  if (g !== undefined) {
    const listed = g.listGroups();
    const described = g.describeGroups(listed.groups.map((l) => l.groupId));
    for (const d of described.sort((a, b) => a.groupId.localeCompare(b.groupId))) {
      const lags = groupLag(s, g, d.groupId);
      groups.push({ consumer_group_id: d.groupId, state: d.groupState, members: d.members.length, total_lag: lags.reduce((n, l) => n + (l.lag ?? 0n), 0n), lags });
    }
  }
  return { type: 'stats', time: s.clock.now(), cluster_id: s.cluster.clusterId, broker_count: s.cluster.brokers().length, topics, groups };
}
