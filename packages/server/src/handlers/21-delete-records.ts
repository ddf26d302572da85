// DeleteRecords (key 21), versions 0-2 (flexible 2+): moves each partition's logStartOffset to
// `offset` (-1: the high watermark); records below become unreadable and whole segments below
// are removed. Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE (beyond HW),
// INVALID_REQUEST for a partition named twice — stricter than Kafka, which keeps the last offset
// given: deleting is irreversible, so an ambiguous request deletes nothing for that partition.
// Cluster mode: only the leader deletes (else NOT_LEADER_OR_FOLLOWER); followers move their log
// start after the leader's, from its Fetch responses.
// Not implemented: timeout_ms (the change is synchronous).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';
import { duplicateKeys, partitionKey } from './duplicates';

type DeleteRecordsRequest = RequestBodyFor<typeof ApiKey.DeleteRecords>;

type DeleteRecordsResponse = ResponseInputFor<typeof ApiKey.DeleteRecords>;

export const deleteRecordsHandler = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: ApiKey.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const dups = duplicateKeys(
      req.topics.flatMap((rt) => rt.partitions.map((rp) => partitionKey(rt.name, rp.partitionIndex))),
      (k) => k,
    );
    const topics = await Promise.all(
      req.topics.map(async (rt) => {
        const topic = ctx.broker.topics.get(rt.name);
        const partitions = await Promise.all(
          rt.partitions.map(async (rp) => {
            if (dups.has(partitionKey(rt.name, rp.partitionIndex))) {
              return { partitionIndex: rp.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.INVALID_REQUEST };
            }
            const p = topic?.partitions[rp.partitionIndex];
            if (p === undefined) return { partitionIndex: rp.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
            const notLeader = ctx.broker.replication?.checkLeader(rt.name, rp.partitionIndex) ?? ErrorCode.NONE;
            if (notLeader !== ErrorCode.NONE) return { partitionIndex: rp.partitionIndex, lowWatermark: -1n, errorCode: notLeader };
            try {
              const lowWatermark = await p.deleteRecordsBefore(rp.offset);
              return { partitionIndex: rp.partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
            } catch (err) {
              return { partitionIndex: rp.partitionIndex, lowWatermark: -1n, errorCode: kafkaErrorCode(err) };
            }
          }),
        );
        return { name: rt.name, partitions };
      }),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((rt) => ({
        name: rt.name,
        partitions: rt.partitions.map((rp) => ({ partitionIndex: rp.partitionIndex, lowWatermark: -1n, errorCode })),
      })),
    };
  },
});
