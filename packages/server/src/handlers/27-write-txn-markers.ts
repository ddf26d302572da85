// WriteTxnMarkers (key 27), versions 0-1 (flexible 1+): a transaction coordinator asks this broker
// to end a producer's transaction in partitions it leads: a COMMIT / ABORT control batch in a data
// partition; in __consumer_offsets the group coordinator commits or drops the producer's offsets.
// Per partition: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER (cluster, not led here),
// INVALID_PRODUCER_EPOCH for a marker older than the producer's epoch there.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { type GroupTxnCompleter, writeLocalMarker } from '@mq/transactions';
import { defineHandler } from '../handler';

type WriteTxnMarkersRequest = RequestBodyFor<typeof ApiKey.WriteTxnMarkers>;
type WriteTxnMarkersResponse = ResponseInputFor<typeof ApiKey.WriteTxnMarkers>;

export const writeTxnMarkersHandler = defineHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse>({
  apiKey: ApiKey.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const groups = ctx.broker.groups as GroupTxnCompleter | undefined;
    const markers = await Promise.all(
      req.markers.map(async (m) => {
        const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.transactionResult, coordinatorEpoch: m.coordinatorEpoch };
        const topics = await Promise.all(
          m.topics.map(async (t) => ({
            name: t.name,
            partitions: await Promise.all(
              t.partitionIndexes.map(async (partition) => {
                const notLeader = ctx.broker.replication?.checkLeader(t.name, partition, -1) ?? ErrorCode.NONE;
                const errorCode = notLeader !== ErrorCode.NONE ? notLeader : await writeLocalMarker(ctx.broker.topics, groups, marker, { topic: t.name, partition });
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
