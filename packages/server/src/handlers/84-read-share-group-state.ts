// ReadShareGroupState (key 84), version 0 (flexible): the persister API of KIP-932, broker to
// broker. The leader of a data partition asks the share coordinator (the leader of the
// __share_group_state partition the key hashes to) for a share-partition's durable state when it
// starts leading; LeaderEpoch claims the key, so writes from older leaders are refused after it.
// A partition not led here answers NOT_COORDINATOR, one still loading COORDINATOR_LOAD_IN_PROGRESS
// (the leader retries). Without state: StartOffset -1 (the leader initializes it).
import { ApiKey, ErrorCode, type ReadShareGroupStateRequest, type ReadShareGroupStateResponse } from '@mq/protocol';
import { persisterHandler } from './share-state-partitions';

type StatePartition = ReadShareGroupStateResponse['results'][number]['partitions'][number];

export const readShareGroupStateHandler = persisterHandler<ReadShareGroupStateRequest['topics'][number]['partitions'][number], StatePartition>({
  apiKey: ApiKey.ReadShareGroupState,
  async answer(share, groupId, topicId, p) {
    const state = await share.readStateForLeader({ groupId, topicId, partition: p.partition }, p.leaderEpoch);
    return {
      partition: p.partition,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      stateEpoch: 0,
      startOffset: state?.startOffset ?? -1n,
      stateBatches: [...(state?.stateBatches ?? [])],
    };
  },
  failed: (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage, stateEpoch: 0, startOffset: -1n, stateBatches: [] }),
});
