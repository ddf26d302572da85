// KIP-890 part 1 in a cluster (Kafka's AddPartitionsToTxnManager): before a partition leader appends
// the first transactional batch of a transaction, it asks the transactional id's coordinator — the
// leader of the id's __transaction_state partition in the metadata image — with AddPartitionsToTxn
// v4 verify_only whether the partition is in the producer's open transaction. The answer is the
// coordinator's per-partition code; the produce path turns it into a producer's code
// (@mq/server's txn-produce-check.ts). No leader in the image: COORDINATOR_NOT_AVAILABLE; a
// broken connection or a lost answer: NETWORK_EXCEPTION (both retried by the producer). A
// top-level refusal (CLUSTER_AUTHORIZATION_FAILED: this broker may not ask) is INVALID_TXN_STATE
// for the producer, as Kafka: the client is not told about the brokers' own rights.
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { TopicManager } from '@mq/partition';
import type { InterBrokerSecurity } from '@mq/replication';
import type { TxnPartitionVerifier } from '@mq/server';
import type { Clock } from '@mq/timerwheel';
import { TRANSACTION_STATE_TOPIC, txnPartitionFor } from '@mq/transactions';
import { brokerConnectionPool } from './broker-connections';

const REQUEST_TIMEOUT_MS = 10_000;
/** The highest AddPartitionsToTxn version with Kafka 3.6's verify_only semantics (v5 adds TRANSACTION_ABORTABLE). */
const VERIFY_VERSION = 4;

export interface ClusterTxnVerifierOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly clock: Clock;
  readonly security?: InterBrokerSecurity;
}

export function clusterTxnVerifier(opts: ClusterTxnVerifierOptions): TxnPartitionVerifier & { close(): void } {
  const pool = brokerConnectionPool({ clock: opts.clock, clientId: `mq-txn-verify-${opts.nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });
  return {
    async verify(producer, topic, partition) {
      const image = opts.topics.image;
      const state = image.topics.get(TRANSACTION_STATE_TOPIC);
      if (state === undefined || state.partitions.length === 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      const leader = state.partitions[txnPartitionFor(producer.transactionalId, state.partitions.length)]?.leader ?? -1;
      // Led here but not (yet) loaded by this broker's coordinator: the produce path asked because it is not active.
      if (leader === opts.nodeId) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
      const b = image.brokers.get(leader);
      if (leader < 0 || b === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      try {
        const conn = await pool.connect(b.host, b.port);
        const res = await conn.send(ApiKey.AddPartitionsToTxn, VERIFY_VERSION, {
          transactions: [{ ...producer, verifyOnly: true, topics: [{ name: topic, partitions: [partition] }] }],
        });
        if (res.errorCode !== ErrorCode.NONE) return res.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? ErrorCode.INVALID_TXN_STATE : res.errorCode;
        const result = res.resultsByTransaction[0]?.topicResults[0]?.resultsByPartition.find((p) => p.partitionIndex === partition);
        return result?.partitionErrorCode ?? ErrorCode.NETWORK_EXCEPTION;
      } catch {
        return ErrorCode.NETWORK_EXCEPTION;
      }
    },
    close() {
      pool.close();
    },
  };
}
