// Replication settings, with Kafka's names and defaults (replica.lag.time.max.ms and friends).

export interface ReplicationConfig {
  /** replica.lag.time.max.ms: a follower that has not caught up for this long leaves the ISR. */
  readonly replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms: how long a follower's fetch may park on the leader. */
  readonly replicaFetchWaitMaxMs: number;
  /** replica.fetch.min.bytes. */
  readonly replicaFetchMinBytes: number;
  /** replica.fetch.max.bytes: per partition. */
  readonly replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: per fetch. */
  readonly replicaFetchResponseMaxBytes: number;
  /** replica.fetch.backoff.ms: pause after a failed fetch. */
  readonly replicaFetchBackoffMs: number;
  /**
   * replica.socket.timeout.ms: the most a request to the leader may wait for an answer. Replica
   * fetchers use replica.fetch.wait.max.ms + 3 s when that is shorter (replica-fetcher.ts).
   */
  readonly replicaSocketTimeoutMs: number;
  /** min.insync.replicas of a topic (default: the topic's own config). */
  readonly minInsyncReplicas?: (topic: string) => number;
}

export const DEFAULT_REPLICATION_CONFIG: ReplicationConfig = {
  replicaLagTimeMaxMs: 30_000,
  replicaFetchWaitMaxMs: 500,
  replicaFetchMinBytes: 1,
  replicaFetchMaxBytes: 1_048_576,
  replicaFetchResponseMaxBytes: 10_485_760,
  replicaFetchBackoffMs: 1_000,
  replicaSocketTimeoutMs: 30_000,
};

/** pino-compatible logger shape (pino's Logger satisfies it). */
export interface ReplicationLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: ReplicationLogger = { info() {}, warn() {}, error() {} };
