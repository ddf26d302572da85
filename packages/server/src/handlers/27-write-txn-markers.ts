// WriteTxnMarkers (key 27), versions 0-1 (flexible 1+): a transaction coordinator asks this broker
// to end a producer's transaction in partitions it leads: a COMMIT / ABORT control batch in a data
// partition; in __consumer_offsets the group coordinator commits or drops the producer's offsets.
// Per partition: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER (cluster, not led here),
// INVALID_PRODUCER_EPOCH for a marker older than the producer's epoch there. In a cluster a data
// partition's marker is answered once its ISR has it (REQUEST_TIMED_OUT / NOT_LEADER_OR_FOLLOWER
// otherwise: the coordinator retries), so a completed transaction's markers survive a failover.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { type AwaitReplicated, type GroupTxnCompleter, writeLocalMarker } from '@mq/transactions';
import { defineHandler } from '../handler';

/** How long a marker waits for the ISR (Kafka bounds WriteTxnMarkers by the request timeout). */
export const MARKER_REPLICATION_TIMEOUT_MS = 5_000;

type WriteTxnMarkersRequest = RequestBodyFor<typeof ApiKey.WriteTxnMarkers>;
type WriteTxnMarkersResponse = ResponseInputFor<typeof ApiKey.WriteTxnMarkers>;

export const writeTxnMarkersHandler = defineHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse>({
  apiKey: ApiKey.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const groups = ctx.broker.groups as GroupTxnCompleter | undefined;
    const replication = ctx.broker.replication;
    const awaitReplicated: AwaitReplicated | undefined =
      replication === undefined ? undefined : (topic, partition, lastOffset) => replication.awaitIsr(topic, partition, lastOffset, MARKER_REPLICATION_TIMEOUT_MS);
    const markers = await Promise.all(
      req.markers.map(async (m) => {
        const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.transactionResult, coordinatorEpoch: m.coordinatorEpoch };
        const topics = await Promise.all(
          m.topics.map(async (t) => ({
            name: t.name,
            partitions: await Promise.all(
              t.partitionIndexes.map(async (partition) => {
                const notLeader = ctx.broker.replication?.checkLeader(t.name, partition, -1) ?? ErrorCode.NONE;
                const errorCode = notLeader !== ErrorCode.NONE ? notLeader : await writeLocalMarker(ctx.broker.topics, groups, marker, { topic: t.name, partition }, awaitReplicated);
                return { partitionIndex: partition, errorCode };
              }),
            ),
          })),
        );
        return { producerId: m.producerId, topics };
      }),
    );
    return { markers };
  },
  errorResponse(req, errorCode) {
    return {
      markers: (req.markers ?? []).map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode })) })),
      })),
    };
  },
});
