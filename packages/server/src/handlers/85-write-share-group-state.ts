// WriteShareGroupState (key 85), version 0 (flexible): the persister API of KIP-932, broker to
// broker. The leader of a data partition writes what changed in a share-partition (StartOffset -1:
// unchanged; the state batches merge into the stored state) to the share coordinator, which
// answers once the records are on every ISR member of its __share_group_state partition — so the
// leader answers an acknowledgement only after it cannot be lost. A LeaderEpoch older than the one
// that read or wrote the key last is FENCED_LEADER_EPOCH (a deposed leader); a partition not led
// here NOT_COORDINATOR, one loading COORDINATOR_LOAD_IN_PROGRESS. StateEpoch is not checked
// (mq moves a share-partition's start through its leader, not through InitializeShareGroupState).
import { ApiKey, ErrorCode, type WriteShareGroupStateRequest, type WriteShareGroupStateResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';
import { eachStatePartition } from './share-state-partitions';

export const writeShareGroupStateHandler = defineHandler<WriteShareGroupStateRequest, WriteShareGroupStateResponse>({
  apiKey: ApiKey.WriteShareGroupState,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const results = await eachStatePartition(
      req.topics,
      async (topicId, p) => {
        await share.writeStateFromLeader({ groupId: req.groupId, topicId, partition: p.partition }, p.leaderEpoch, { startOffset: p.startOffset, stateBatches: p.stateBatches });
        return { partition: p.partition, errorCode: ErrorCode.NONE, errorMessage: null };
      },
      (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage }),
    );
    return { results };
  },
  errorResponse(req, errorCode) {
    return { results: req.topics.map((t) => ({ topicId: t.topicId, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, errorMessage: null })) })) };
  },
});
