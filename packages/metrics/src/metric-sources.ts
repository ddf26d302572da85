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

export interface ListenerConnections {
  readonly listener: string;
  readonly open: number;
  readonly rejected: number;
}

export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** High watermark − committed offset. */
  readonly lag: bigint;
}

/** A partition this broker leads, as the metadata image has it. */
export interface LeaderStats {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: number;
  readonly isr: number;
}

export interface MetricSources {
  connections(): number;
  rejectedConnections(): number;
  /** Per listener: open connections and those its listener.name.<listener>.max.connections closed. */
  listenerConnections(): Iterable<ListenerConnections>;
  fetchPurgatorySize(): number;
  partitions(): Iterable<PartitionStats>;
  groupLag(): Iterable<GroupLag>;
  /** Partitions this broker is the leader of (one node: every hosted partition, one replica). */
  ledPartitions(): Iterable<LeaderStats>;
  /** Partitions of the cluster without a leader, as this broker's metadata image has them. */
  offlinePartitions(): number;
  /** Free and total bytes of the data dir's filesystem (statfs), read at scrape time; undefined when unknown. */
  dataDirSpace(): Promise<DiskSpace | undefined>;
  /** Records acquired now in each share-partition loaded here. */
  shareInFlight(): Iterable<ShareInFlight>;
  /** Dead-letter topics and the records they hold. */
  deadLetterDepths(): Iterable<DeadLetterDepth>;
  /** Delayed messages pending in the delay store. */
  delayedPending(): number;
  /** Available records per priority lane of the prioritised share-partitions loaded here (read from the log). */
  priorityLaneDepths(): Promise<Iterable<PriorityLaneDepth>>;
  /** Client quotas: per enforced quota type, its throttles and each measured entity's rate. */
  clientQuotas(): Iterable<ClientQuotaUse>;
  /** Cluster mode: replication traffic, ISR changes, throttles and follower lag; undefined on a single node. */
  replication(): ReplicationUse | undefined;
}

/** Replication on this broker since it started (cluster mode). */
export interface ReplicationUse {
  /** Record bytes sent to followers as leader (Kafka's ReplicationBytesOutPerSec, as a counter). */
  readonly bytesOut: number;
  /** Record bytes fetched from leaders as follower (ReplicationBytesInPerSec). */
  readonly bytesIn: number;
  /** ISR shrinks / expansions of partitions this broker leads (IsrShrinksPerSec / IsrExpandsPerSec). */
  readonly isrShrinks: number;
  readonly isrExpands: number;
  /** The leader and follower replication quotas. */
  readonly throttles: Iterable<ReplicationThrottleUse>;
  /** Each follower of each partition led here. */
  readonly followerLag: Iterable<ReplicaLag>;
}

export interface ReplicationThrottleUse {
  readonly side: 'leader' | 'follower';
  /** Bytes moved for throttled replicas (counted against the quota) since start. */
  readonly throttledBytes: number;
  /** Time throttled replicas were held back, summed over replicas, ms. */
  readonly throttleTimeMs: number;
  /** The quota's measured rate, bytes/s. */
  readonly rate: number;
  /** leader/follower.replication.throttled.rate; undefined: unlimited. */
  readonly limit: number | undefined;
}

export interface ReplicaLag {
  readonly topic: string;
  readonly partition: number;
  readonly replica: number;
  readonly lagRecords: bigint;
  readonly lagMs: number;
}

/** One enforced client quota type (producer_byte_rate, consumer_byte_rate, request_percentage). */
export interface ClientQuotaUse {
  readonly quota: string;
  /** Requests the quota throttled since the broker started. */
  readonly throttledRequests: number;
  /** Throttle time those requests earned, in ms. */
  readonly throttleTimeMs: number;
  /** Each entity measured now: '' for the part of (user, client id) its quota does not name. */
  readonly sensors: Iterable<{ readonly user: string; readonly clientId: string; readonly limit: number; readonly rate: number }>;
}

export interface ShareInFlight {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
}

export interface PriorityLaneDepth {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** Available records of lanes 0 … 4 within the share-partition's look-ahead window. */
  readonly available: readonly number[];
}

export interface DeadLetterDepth {
  readonly topic: string;
  readonly records: number;
}

export interface DiskSpace {
  /** Bytes available to the broker's user (statfs bavail × bsize). */
  readonly freeBytes: number;
  readonly capacityBytes: number;
}
