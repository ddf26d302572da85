// OffsetForLeaderEpoch (key 23), versions 0-4 (flexible 4+): for each partition, the largest leader
// epoch ≤ the one asked that the log knows and the offset where it ended (the next epoch's start,
// or the log end for the latest), from the partition's leader-epoch-checkpoint — what a returning
// follower truncates to (KIP-101/279) and what clients validate positions with (KIP-320).
// Cluster mode: only the leader answers (replica_id -2, a debugging tool, may ask any replica),
// current_leader_epoch (v2+) fences with FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH. One node: the
// broker leads every partition, in epoch 0 (its batches' epoch).
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import { defineHandler, type RequestContext } from '../handler';

interface OffsetForLeaderEpochRequest {
  replicaId?: number;
  topics: { topic: string; partitions: { partition: number; currentLeaderEpoch?: number; leaderEpoch: number }[] }[];
}

interface EpochEndOffsetResponse {
  errorCode: number;
  partition: number;
  leaderEpoch: number;
  endOffset: bigint;
}

interface OffsetForLeaderEpochResponse {
  throttleTimeMs: number;
  topics: { topic: string; partitions: EpochEndOffsetResponse[] }[];
}

const NO_EPOCH = -1;
/** The consumer default for replica_id before v3 carried it. */
const CONSUMER_REPLICA_ID = -1;

function failed(partition: number, errorCode: number): EpochEndOffsetResponse {
  return { errorCode, partition, leaderEpoch: NO_EPOCH, endOffset: -1n };
}

/** Single node: this broker leads in the partition's own epoch; fence on it as a leader would. */
function answerLocally(p: Partition, index: number, currentLeaderEpoch: number, leaderEpoch: number): EpochEndOffsetResponse {
  if (currentLeaderEpoch !== NO_EPOCH && currentLeaderEpoch < p.leaderEpoch) return failed(index, ErrorCode.FENCED_LEADER_EPOCH);
  if (currentLeaderEpoch !== NO_EPOCH && currentLeaderEpoch > p.leaderEpoch) return failed(index, ErrorCode.UNKNOWN_LEADER_EPOCH);
  const end = p.offsetForLeaderEpoch(leaderEpoch);
  return { errorCode: ErrorCode.NONE, partition: index, leaderEpoch: end.epoch, endOffset: end.endOffset };
}

function answer(topic: string, index: number, currentLeaderEpoch: number, leaderEpoch: number, replicaId: number, ctx: RequestContext): EpochEndOffsetResponse {
  const p = ctx.broker.topics.get(topic)?.partitions[index];
  if (p === undefined) return failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const replication = ctx.broker.replication;
  if (replication === undefined) return answerLocally(p, index, currentLeaderEpoch, leaderEpoch);
  const r = replication.offsetForLeaderEpoch(topic, index, currentLeaderEpoch, leaderEpoch, replicaId);
  return { errorCode: r.errorCode, partition: index, leaderEpoch: r.leaderEpoch, endOffset: r.endOffset };
}

export const offsetForLeaderEpochHandler = defineHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const replicaId = ctx.apiVersion >= 3 ? (req.replicaId ?? CONSUMER_REPLICA_ID) : CONSUMER_REPLICA_ID;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((rp) => answer(t.topic, rp.partition, rp.currentLeaderEpoch ?? NO_EPOCH, rp.leaderEpoch, replicaId, ctx)),
      })),
    };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t) => ({ topic: t.topic, partitions: t.partitions.map((rp) => failed(rp.partition, errorCode)) })),
    };
  },
});
