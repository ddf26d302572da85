// Replication metrics on the broker's registry (cluster mode), sampled at scrape time from the
// ReplicaManager's counters and the replication quotas: Kafka's ReplicationBytesIn/OutPerSec,
// IsrShrinks/ExpandsPerSec (counters here; rate() gives the per second), the leader and follower
// quotas' throttled bytes, held time, measured rate and bound, and each follower's lag as its
// partition's leader sees it. A single node registers the series and reports nothing.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSources, ReplicationThrottleUse, ReplicationUse } from './metric-sources';

export function registerReplicationMetrics(registry: Registry, sources: Pick<MetricSources, 'replication'>): void {
  const registers = [registry];
  const total = (name: string, help: string, pick: (r: ReplicationUse) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        const r = sources.replication();
        this.reset();
        if (r !== undefined) this.inc(pick(r));
      },
    });
  total('mq_replication_bytes_out_total', 'Record bytes this broker sent as leader to follower fetches (Kafka ReplicationBytesOutPerSec)', (r) => r.bytesOut);
  total('mq_replication_bytes_in_total', 'Record bytes this broker fetched as follower and appended (Kafka ReplicationBytesInPerSec)', (r) => r.bytesIn);
  total('mq_isr_shrinks_total', 'ISR shrinks of partitions this broker leads, its own proposals and the controller’s removals of dead brokers (Kafka IsrShrinksPerSec)', (r) => r.isrShrinks);
  total('mq_isr_expands_total', 'ISR expansions of partitions this broker leads (Kafka IsrExpandsPerSec)', (r) => r.isrExpands);

  const labelNames = ['side'] as const;
  const throttles = (): Iterable<ReplicationThrottleUse> => sources.replication()?.throttles ?? [];
  const counterPerSide = (name: string, help: string, value: (t: ReplicationThrottleUse) => number) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const t of throttles()) this.inc({ side: t.side }, value(t));
      },
    });
  const gaugePerSide = (name: string, help: string, value: (t: ReplicationThrottleUse) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const t of throttles()) {
          const v = value(t);
          if (v !== undefined) this.set({ side: t.side }, v);
        }
      },
    });
  counterPerSide('mq_replication_throttled_bytes_total', 'Bytes moved for throttled replicas, counted against the leader or follower replication quota', (t) => t.throttledBytes);
  counterPerSide('mq_replication_throttle_time_seconds_total', 'Time throttled replicas were held back by the leader or follower replication quota, summed over replicas', (t) => t.throttleTimeMs / 1000);
  gaugePerSide('mq_replication_throttle_rate_bytes', 'The leader or follower replication quota’s measured rate over its window, bytes/s (Kafka LeaderReplication / FollowerReplication byte-rate)', (t) => t.rate);
  gaugePerSide('mq_replication_throttle_limit_bytes', 'leader/follower.replication.throttled.rate in force, bytes/s (absent while unlimited)', (t) => t.limit);

  // One walk of the followers fills both lag gauges, from the first one's collect (registered first).
  const lagLabels = ['topic', 'partition', 'replica'] as const;
  new Gauge({
    name: 'mq_replica_lag_records',
    help: 'Records a follower is behind the leader’s log end, by topic, partition and follower (reported by the leader)',
    labelNames: lagLabels,
    registers,
    collect() {
      this.reset();
      lagMs.reset();
      for (const l of sources.replication()?.followerLag ?? []) {
        const labels = { topic: l.topic, partition: String(l.partition), replica: String(l.replica) };
        this.set(labels, Number(l.lagRecords));
        lagMs.set(labels, l.lagMs / 1000);
      }
    },
  });
  const lagMs = new Gauge({
    name: 'mq_replica_lag_seconds',
    help: 'Time since a follower last had everything the leader had (0 while it has), by topic, partition and follower (reported by the leader)',
    labelNames: lagLabels,
    registers,
  });
}
