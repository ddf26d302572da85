// The transaction coordinator's settings (Kafka's transaction.* broker configs), with Kafka's defaults.

export interface TransactionCoordinatorConfig {
  /** transaction.state.log.num.partitions. */
  readonly transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor: replicas of each partition in a cluster (the controller creates the topic once this many brokers are registered). */
  readonly transactionStateLogReplicationFactor: number;
  /** transaction.state.log.min.isr: the topic's min.insync.replicas in a cluster (a coordinator write needs this many in the ISR). */
  readonly transactionStateLogMinIsr: number;
  /** transaction.state.log.segment.bytes. */
  readonly transactionStateLogSegmentBytes: number;
  /** transaction.max.timeout.ms: a producer asking for more gets INVALID_TRANSACTION_TIMEOUT. */
  readonly transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms: an idle id unused this long is forgotten. */
  readonly transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms: how often timed-out transactions are looked for. */
  readonly abortTimedOutTransactionsIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms. */
  readonly removeExpiredTransactionalIdsIntervalMs: number;
}

export const DEFAULT_TRANSACTION_COORDINATOR_CONFIG: TransactionCoordinatorConfig = {
  transactionStateLogNumPartitions: 50,
  transactionStateLogReplicationFactor: 3,
  transactionStateLogMinIsr: 2,
  transactionStateLogSegmentBytes: 104_857_600,
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  abortTimedOutTransactionsIntervalMs: 10_000,
  removeExpiredTransactionalIdsIntervalMs: 3_600_000,
};
