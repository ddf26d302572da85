// The transaction coordinator's markers in a cluster (Kafka's TransactionMarkerChannelManager): each
// partition of a transaction gets its COMMIT / ABORT marker from the partition's leader in the
// metadata image — in process when that is this broker, else as one WriteTxnMarkers per leader. A
// partition without a leader, a broken connection or a leader that moved (NOT_LEADER_OR_FOLLOWER)
// comes back as a retriable code: the coordinator retries with the image as it is then. A marker is
// reported written only once the partition's ISR has it.
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { TopicManager } from '@mq/partition';
import type { InterBrokerSecurity, ReplicaManager } from '@mq/replication';
import { brokerConnectionPool } from './broker-connections';
import { type GroupTxnCompleter, type TopicPartitionRef, type TxnMarkerRequest, type TxnMarkerResult, type TxnMarkerWriter, writeLocalMarker } from '@mq/transactions';
import type { Clock } from '@mq/timerwheel';

/** A marker waits for its partition's ISR at most this long, on this broker and on the others. */
const REQUEST_TIMEOUT_MS = 10_000;
const MARKER_ISR_TIMEOUT_MS = 5_000;

export interface ClusterTxnMarkerWriterOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly replication: ReplicaManager;
  readonly clock: Clock;
  /** This broker's group coordinator (markers for the __consumer_offsets partitions it leads). */
  readonly groups: () => GroupTxnCompleter | undefined;
  readonly security?: InterBrokerSecurity;
}

export function clusterTxnMarkerWriter(opts: ClusterTxnMarkerWriterOptions): TxnMarkerWriter & { close(): void } {
  const pool = brokerConnectionPool({ clock: opts.clock, clientId: `mq-txn-markers-${opts.nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });

  const writeHere = async (marker: TxnMarkerRequest, ref: TopicPartitionRef): Promise<number> => {
    const notLeader = opts.replication.checkLeader(ref.topic, ref.partition);
    if (notLeader !== ErrorCode.NONE) return notLeader;
    return writeLocalMarker(opts.topics, opts.groups(), marker, ref, (topic, partition, lastOffset) => opts.replication.awaitIsr(topic, partition, lastOffset, MARKER_ISR_TIMEOUT_MS));
  };

  const writeThere = async (host: string, port: number, marker: TxnMarkerRequest, refs: readonly TopicPartitionRef[]): Promise<TxnMarkerResult[]> => {
    const byTopic = new Map<string, number[]>();
    for (const r of refs) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition]);
    try {
      const conn = await pool.connect(host, port);
      const res = await conn.send(ApiKey.WriteTxnMarkers, 1, {
        markers: [
          {
            producerId: marker.producerId,
            producerEpoch: marker.producerEpoch,
            transactionResult: marker.commit,
            topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
            coordinatorEpoch: marker.coordinatorEpoch,
          },
        ],
      });
      const codes = new Map<string, number>();
      for (const t of res.markers[0]?.topics ?? []) for (const p of t.partitions) codes.set(`${t.name}\u0000${p.partitionIndex}`, p.errorCode);
      // A partition the response leaves out has no marker: retried.
      return refs.map((r) => ({ ...r, errorCode: codes.get(`${r.topic}\u0000${r.partition}`) ?? ErrorCode.NETWORK_EXCEPTION }));
    } catch {
      // The leader died or the request timed out: retried once the image names the next leader.
      return refs.map((r) => ({ ...r, errorCode: ErrorCode.NETWORK_EXCEPTION }));
    }
  };

  return {
    async write(marker, partitions) {
      const image = opts.topics.image;
      const here: TopicPartitionRef[] = [];
      const byLeader = new Map<number, TopicPartitionRef[]>();
      const results: TxnMarkerResult[] = [];
      for (const ref of partitions) {
        const leader = image.topics.get(ref.topic)?.partitions[ref.partition]?.leader;
        // Deleted since it joined the transaction: nothing is left to end there (Kafka skips it too).
        if (leader === undefined) results.push({ ...ref, errorCode: ErrorCode.NONE });
        else if (leader === opts.nodeId) here.push(ref);
        else if (leader < 0 || !image.brokers.has(leader)) results.push({ ...ref, errorCode: ErrorCode.LEADER_NOT_AVAILABLE });
        else byLeader.set(leader, [...(byLeader.get(leader) ?? []), ref]);
      }
      const written = await Promise.all([
        ...here.map(async (ref) => [{ ...ref, errorCode: await writeHere(marker, ref) }]),
        ...[...byLeader].map(([leader, refs]) => {
          const b = image.brokers.get(leader)!;
          return writeThere(b.host, b.port, marker, refs);
        }),
      ]);
      return [...results, ...written.flat()];
    },
    close() {
      pool.close();
    },
  };
}
