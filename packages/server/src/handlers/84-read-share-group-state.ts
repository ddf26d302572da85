// ReadShareGroupState (key 84), version 0 (flexible): the persister API of KIP-932, broker to
// broker. The leader of a data partition asks the share coordinator (the leader of the
// __share_group_state partition the key hashes to) for a share-partition's durable state when it
// starts leading; LeaderEpoch claims the key, so writes from older leaders are refused after it.
// A partition not led here answers NOT_COORDINATOR, one still loading COORDINATOR_LOAD_IN_PROGRESS
// (the leader retries). Without state: StartOffset -1 (the leader initializes it).
import { ApiKey, ErrorCode, type ReadShareGroupStateRequest, type ReadShareGroupStateResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';
import { eachStatePartition } from './share-state-partitions';

type StatePartition = ReadShareGroupStateResponse['results'][number]['partitions'][number];

export const readShareGroupStateHandler = defineHandler<ReadShareGroupStateRequest, ReadShareGroupStateResponse>({
  apiKey: ApiKey.ReadShareGroupState,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const results = await eachStatePartition(
      req.topics,
      async (topicId, p): Promise<StatePartition> => {
        const state = await share.readStateForLeader({ groupId: req.groupId, topicId, partition: p.partition }, p.leaderEpoch);
        return {
          partition: p.partition,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          stateEpoch: 0,
          startOffset: state?.startOffset ?? -1n,
          stateBatches: [...(state?.stateBatches ?? [])],
        };
      },
      (p, errorCode, errorMessage): StatePartition => ({ partition: p.partition, errorCode, errorMessage, stateEpoch: 0, startOffset: -1n, stateBatches: [] }),
    );
    return { results };
  },
  errorResponse(req, errorCode) {
    return {
      results: req.topics.map((t) => ({
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode, errorMessage: null, stateEpoch: 0, startOffset: -1n, stateBatches: [] })),
      })),
    };
  },
});
