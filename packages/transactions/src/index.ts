// Public API of @mq/transactions: the transaction coordinator (KIP-98) on __transaction_state.
export { TransactionCoordinator } from './transaction-coordinator';
export type { TransactionCoordinatorOptions, InitProducerIdResult, DescribedTransaction, ListTransactionsFilter } from './transaction-coordinator';
export type { InitRequest, ProducerRef } from './transaction-coordinator-shard';
export { DEFAULT_TRANSACTION_COORDINATOR_CONFIG, type TransactionCoordinatorConfig } from './config';
export { TRANSACTION_STATE_TOPIC, transactionStateTopicConfigs, txnPartitionFor } from './transaction-state-topic';
export { TxnState, type TxnStateId, txnStateName } from './transaction-state';
export type { TopicPartitionRef, TxnMetadata } from './transaction-metadata';
export type { TxnMarkerWriter, TxnMarkerRequest, TxnMarkerResult } from './txn-marker-writer';
export { type AwaitReplicated, LocalTxnMarkerWriter, writeLocalMarker, type GroupTxnCompleter } from './local-txn-marker-writer';
