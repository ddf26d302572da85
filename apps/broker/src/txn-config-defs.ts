// The broker's transaction keys (@mq/transactions' coordinator, Kafka's transaction.* names and
// defaults). Declared here so the package needs no @mq/config; the config table composes them.
import { type ConfigDef, INT_MAX } from '@mq/config';
import type { TransactionCoordinatorConfig } from '@mq/transactions';

const t = { dynamic: false, scope: 'broker' } as const;

export const TXN_CONFIG_DEFS: { readonly [K in keyof TransactionCoordinatorConfig]-?: ConfigDef } = {
  transactionStateLogNumPartitions: {
    ...t,
    name: 'transaction.state.log.num.partitions',
    type: 'int',
    default: '50',
    range: { min: 1, max: 10_000 },
    importance: 'high',
    doc: 'Partitions of the internal topic `__transaction_state` when it is created (first use on one node, by the controller in a cluster); a transactional id is coordinated by the leader of partition abs(hash(id)) % this. Fixed afterwards.',
  },
  transactionStateLogReplicationFactor: {
    ...t,
    name: 'transaction.state.log.replication.factor',
    type: 'int',
    default: '3',
    range: { min: 1, max: 32_767 },
    importance: 'high',
    doc: 'Replicas of each `__transaction_state` partition in a cluster. As in Kafka, the controller creates the topic only once this many brokers are registered (transactional producers get COORDINATOR_NOT_AVAILABLE until then); a single node (no --etcd) ignores it.',
  },
  transactionStateLogMinIsr: {
    ...t,
    name: 'transaction.state.log.min.isr',
    type: 'int',
    default: '2',
    range: { min: 1, max: 32_767 },
    importance: 'high',
    doc: "`__transaction_state`'s min.insync.replicas in a cluster: a coordinator write (every state change is acknowledged by the whole ISR) is refused with NOT_ENOUGH_REPLICAS when fewer replicas are in sync.",
  },
  transactionStateLogSegmentBytes: {
    ...t,
    name: 'transaction.state.log.segment.bytes',
    type: 'int',
    default: '104857600',
    range: { min: 1_048_576, max: INT_MAX },
    importance: 'low',
    doc: 'Segment size of `__transaction_state` (compacted: a smaller segment lets the cleaner drop old states sooner).',
  },
  transactionMaxTimeoutMs: {
    ...t,
    name: 'transaction.max.timeout.ms',
    type: 'int',
    default: '900000',
    range: { min: 1, max: INT_MAX },
    importance: 'high',
    doc: 'The longest transaction.timeout.ms a producer may ask for; more is refused with INVALID_TRANSACTION_TIMEOUT.',
  },
  transactionalIdExpirationMs: {
    ...t,
    name: 'transactional.id.expiration.ms',
    type: 'int',
    default: '604800000',
    range: { min: 1, max: INT_MAX },
    importance: 'high',
    doc: 'A transactional id without a transaction this long is forgotten (its state tombstoned).',
  },
  abortTimedOutTransactionsIntervalMs: {
    ...t,
    name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms',
    type: 'int',
    default: '10000',
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'How often the coordinator looks for transactions past their transaction.timeout.ms and aborts them (fencing their producer).',
  },
  removeExpiredTransactionalIdsIntervalMs: {
    ...t,
    name: 'transaction.remove.expired.transaction.cleanup.interval.ms',
    type: 'int',
    default: '3600000',
    range: { min: 1, max: INT_MAX },
    importance: 'low',
    doc: 'How often the coordinator looks for transactional ids past transactional.id.expiration.ms.',
  },
};

export type TxnConfigField = keyof TransactionCoordinatorConfig;
