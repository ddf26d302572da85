// Markers written on this broker (a single node, and the receiving side of WriteTxnMarkers): a data
// partition stores a COMMIT / ABORT control batch (in a cluster answered once the ISR has it); a __consumer_offsets partition hands the end of
// the transaction to the group coordinator, which commits or drops the producer's pending offsets.
import type { TopicManager } from '@mq/partition';
import { ErrorCode as E, kafkaErrorCode } from '@mq/protocol';
import type { TopicPartitionRef } from './transaction-metadata';
import type { TxnMarkerRequest, TxnMarkerResult, TxnMarkerWriter } from './txn-marker-writer';

const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

/** What the group coordinator offers the marker path (GroupCoordinator.completeTransaction). */
export interface GroupTxnCompleter {
  completeTransaction(partitionIndex: number, producerId: bigint, commit: boolean): Promise<number>;
}

/**
 * In a cluster, when a marker appended on this leader is safe: NONE once every ISR member has
 * `lastOffset` (else the code, e.g. NOT_LEADER_OR_FOLLOWER) — a marker a failover could lose must
 * not let the coordinator complete the transaction.
 */
export type AwaitReplicated = (topic: string, partition: number, lastOffset: bigint) => Promise<number>;

/** Writes one partition's marker here; resolves NONE or the partition's error code. */
export async function writeLocalMarker(
  topics: TopicManager,
  groups: GroupTxnCompleter | undefined,
  marker: TxnMarkerRequest,
  ref: TopicPartitionRef,
  awaitReplicated?: AwaitReplicated,
): Promise<number> {
  if (ref.topic === CONSUMER_OFFSETS_TOPIC) {
    return groups === undefined ? E.COORDINATOR_NOT_AVAILABLE : groups.completeTransaction(ref.partition, marker.producerId, marker.commit);
  }
  const partition = topics.get(ref.topic)?.partitions[ref.partition];
  if (partition === undefined) return E.UNKNOWN_TOPIC_OR_PARTITION;
  try {
    const { lastOffset } = await partition.appendTxnMarker(marker);
    return awaitReplicated === undefined ? E.NONE : await awaitReplicated(ref.topic, ref.partition, lastOffset);
  } catch (err) {
    return kafkaErrorCode(err);
  }
}

export class LocalTxnMarkerWriter implements TxnMarkerWriter {
  constructor(
    private readonly topics: TopicManager,
    private readonly groups: () => GroupTxnCompleter | undefined,
  ) {}

  write(marker: TxnMarkerRequest, partitions: readonly TopicPartitionRef[]): Promise<TxnMarkerResult[]> {
    const groups = this.groups();
    return Promise.all(partitions.map(async (ref) => ({ ...ref, errorCode: await writeLocalMarker(this.topics, groups, marker, ref) })));
  }
}
