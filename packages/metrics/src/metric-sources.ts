// What the broker wiring gives the metrics: names for codes, and read-only views of live state
// sampled at scrape time (so the hot path pays nothing for gauges).

export interface MetricNames {
  /** Kafka's API name for an API key ("Produce", "Fetch", ...). */
  apiName(apiKey: number): string;
  /** Kafka's error name for an error code ("UNKNOWN_TOPIC_OR_PARTITION", ...). */
  errorName(errorCode: number): string;
  /** A topic's name from its id (Fetch v13+ names topics by id only). */
  topicNameOf(topicId: string): string | undefined;
}

export interface PartitionStats {
  readonly topic: string;
  readonly partition: number;
  readonly sizeBytes: number;
  readonly segments: number;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  readonly highWatermark: bigint;
}

export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** High watermark − committed offset. */
  readonly lag: bigint;
}

export interface MetricSources {
  connections(): number;
  rejectedConnections(): number;
  fetchPurgatorySize(): number;
  partitions(): Iterable<PartitionStats>;
  groupLag(): Iterable<GroupLag>;
}
