// @mq/metrics public API: the broker's Prometheus registry and its feeds.
export { BrokerMetrics } from './broker-metrics';
export type { BrokerMetricsOptions } from './broker-metrics';
export { subscribeChannels } from './channel-subscriber';
export { countRecords } from './batch-headers';
export { forEachErrorCode } from './error-codes';
export { QueueMetrics, type AcknowledgeKind, type ReleaseReason } from './queue-metrics';
export type { ClientQuotaUse, DeadLetterDepth, DiskSpace, GroupLag, LeaderStats, ListenerConnections, MetricNames, MetricSources, PartitionStats, PriorityLaneDepth, ReplicaLag, ReplicationThrottleUse, ReplicationUse, ShareInFlight } from './metric-sources';
export { registerTenantMetrics, type TenantMetricsView } from './tenant-metrics';
