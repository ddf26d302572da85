// WriteShareGroupState (key 85), version 0 (flexible): the persister API of KIP-932, broker to
// broker. The leader of a data partition writes what changed in a share-partition (StartOffset -1:
// unchanged; the state batches merge into the stored state) to the share coordinator, which
// answers once the records are on every ISR member of its __share_group_state partition — so the
// leader answers an acknowledgement only after it cannot be lost. A LeaderEpoch older than the one
// that read or wrote the key last is FENCED_LEADER_EPOCH (a deposed leader); a partition not led
// here NOT_COORDINATOR, one loading COORDINATOR_LOAD_IN_PROGRESS. StateEpoch is not checked
// (mq moves a share-partition's start through its leader, not through InitializeShareGroupState).
import { ApiKey, ErrorCode, type WriteShareGroupStateRequest, type WriteShareGroupStateResponse } from '@mq/protocol';
import { persisterHandler } from './share-state-partitions';

type StatePartition = WriteShareGroupStateResponse['results'][number]['partitions'][number];

export const writeShareGroupStateHandler = persisterHandler<WriteShareGroupStateRequest['topics'][number]['partitions'][number], StatePartition>({
  apiKey: ApiKey.WriteShareGroupState,
  async answer(share, groupId, topicId, p) {
    await share.writeStateFromLeader({ groupId, topicId, partition: p.partition }, p.leaderEpoch, { startOffset: p.startOffset, stateBatches: p.stateBatches });
    return { partition: p.partition, errorCode: ErrorCode.NONE, errorMessage: null };
  },
  failed: (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage }),
});
