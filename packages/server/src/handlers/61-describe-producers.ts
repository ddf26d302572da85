// DescribeProducers (key 61), version 0 (flexible): per partition led here, its producers with
// state (idempotent or transactional): epoch, last sequence and timestamp, and the first offset of
// the open transaction (-1: none), as kafka-transactions.sh --describe-producers shows them.
// UNKNOWN_TOPIC_OR_PARTITION / NOT_LEADER_OR_FOLLOWER per partition. The coordinator epoch is not
// kept per producer here (reported -1).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';

type DescribeProducersRequest = RequestBodyFor<typeof ApiKey.DescribeProducers>;
type DescribeProducersResponse = ResponseInputFor<typeof ApiKey.DescribeProducers>;

export const describeProducersHandler = defineHandler<DescribeProducersRequest, DescribeProducersResponse>({
  apiKey: ApiKey.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const p = ctx.broker.topics.get(t.name)?.partitions[partitionIndex];
          const failed = (errorCode: number) => ({ partitionIndex, errorCode, errorMessage: null, activeProducers: [] });
          if (p === undefined) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const notLeader = ctx.broker.replication?.checkLeader(t.name, partitionIndex, -1) ?? ErrorCode.NONE;
          if (notLeader !== ErrorCode.NONE) return failed(notLeader);
          const activeProducers = p.activeProducers().map((a) => ({
            producerId: a.producerId,
            producerEpoch: a.producerEpoch,
            lastSequence: a.lastSequence,
            lastTimestamp: a.lastTimestamp,
            coordinatorEpoch: -1,
            currentTxnStartOffset: a.currentTxnStartOffset,
          }));
          return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
        }),
      })),
    };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode, errorMessage: null, activeProducers: [] })),
      })),
    };
  },
});
