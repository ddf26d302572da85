// ListOffsets (key 2), versions 0-9 (flexible 6+). Special timestamps: -2 earliest (log start),
// -1 latest (the high watermark; the last stable offset under read_committed, v2+), -3 max timestamp
// (v7+, the batch with the largest maxTimestamp), -4 earliest local (v8+: same as -2, no tiered
// storage), -5 earliest pending upload (v9+: -1, nothing is uploaded). Otherwise: the first
// offset whose timestamp is ≥ the one given, or -1 when none is.
// A partition named twice (in one topic entry or in two) is INVALID_REQUEST in every entry, as
// Kafka (ListOffsetsRequest.duplicatePartitions). Cluster mode: only the leader answers (else
// NOT_LEADER_OR_FOLLOWER), current_leader_epoch (v4+) fences; latest is the high watermark, so an
// offset the ISR does not have yet is never listed. One node: no fencing (epoch 0 forever).
import { ApiKey, ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import { defineHandler } from '../handler';
import { duplicateKeys, partitionKey } from './duplicates';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const EARLIEST_PENDING_UPLOAD = -5n;

interface ListOffsetsRequest {
  isolationLevel?: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: bigint; maxNumOffsets?: number; currentLeaderEpoch?: number }[] }[];
}

interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  oldStyleOffsets: bigint[];
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}

function answer(index: number, errorCode: number, offset = -1n, timestamp = -1n, leaderEpoch = -1): ListOffsetsPartitionResponse {
  return { partitionIndex: index, errorCode, oldStyleOffsets: offset >= 0n ? [offset] : [], timestamp, offset, leaderEpoch };
}

const READ_COMMITTED = 1;

async function lookup(p: Partition, timestamp: bigint, version: number, isolationLevel: number): Promise<ListOffsetsPartitionResponse> {
  const i = p.index;
  switch (timestamp) {
    case LATEST:
      return answer(i, ErrorCode.NONE, isolationLevel === READ_COMMITTED ? p.lastStableOffset : p.highWatermark, -1n, p.leaderEpoch);
    case EARLIEST:
    case EARLIEST_LOCAL:
      return answer(i, ErrorCode.NONE, p.logStartOffset, -1n, p.leaderEpoch);
    case EARLIEST_PENDING_UPLOAD:
      return answer(i, ErrorCode.NONE, -1n, -1n, -1);
    case MAX_TIMESTAMP: {
      if (version < 7) return answer(i, ErrorCode.UNSUPPORTED_VERSION);
      const r = await p.maxTimestamp();
      return r === undefined ? answer(i, ErrorCode.NONE, -1n, -1n, -1) : answer(i, ErrorCode.NONE, r.offset, r.timestamp, p.leaderEpoch);
    }
    default: {
      if (timestamp < 0n) return answer(i, ErrorCode.INVALID_REQUEST);
      const r = await p.offsetForTimestamp(timestamp);
      return r === undefined ? answer(i, ErrorCode.NONE, -1n, -1n, -1) : answer(i, ErrorCode.NONE, r.offset, r.timestamp, p.leaderEpoch);
    }
  }
}

export const listOffsetsHandler = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 9,
  async handle(req, ctx) {
    const { topics } = ctx.broker;
    const dups = duplicateKeys(
      req.topics.flatMap((rt) => rt.partitions.map((rp) => partitionKey(rt.name, rp.partitionIndex))),
      (k) => k,
    );
    const out = await Promise.all(
      req.topics.map(async (rt) => {
        const topic = topics.get(rt.name);
        const partitions = await Promise.all(
          rt.partitions.map(async (rp) => {
            if (dups.has(partitionKey(rt.name, rp.partitionIndex))) return answer(rp.partitionIndex, ErrorCode.INVALID_REQUEST);
            const p = topic?.partitions[rp.partitionIndex];
            if (p === undefined) return answer(rp.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            const notLeader = ctx.broker.replication?.checkLeader(rt.name, rp.partitionIndex, rp.currentLeaderEpoch ?? -1) ?? ErrorCode.NONE;
            if (notLeader !== ErrorCode.NONE) return answer(rp.partitionIndex, notLeader);
            try {
              return await lookup(p, rp.timestamp, ctx.apiVersion, req.isolationLevel ?? 0);
            } catch (err) {
              return answer(rp.partitionIndex, kafkaErrorCode(err));
            }
          }),
        );
        return { name: rt.name, partitions };
      }),
    );
    return { throttleTimeMs: 0, topics: out };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((rt) => ({
        name: rt.name,
        partitions: rt.partitions.map((rp) => answer(rp.partitionIndex, errorCode)),
      })),
    };
  },
});
