// @mq/metrics public API: the broker's Prometheus registry and its feeds.
export { BrokerMetrics } from './broker-metrics';
export type { BrokerMetricsOptions } from './broker-metrics';
export { subscribeChannels } from './channel-subscriber';
export { countRecords } from './batch-headers';
export { forEachErrorCode } from './error-codes';
export type { DiskSpace, GroupLag, LeaderStats, MetricNames, MetricSources, PartitionStats } from './metric-sources';
