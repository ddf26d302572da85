// DeleteShareGroupState (key 86), version 0 (flexible): the persister API's delete (KIP-932). A
// share-partition's leader, applying DeleteShareGroupOffsets, drops the state at the share
// coordinator that keeps it (the leader of the __share_group_state partition its key hashes to).
// A partition not led here answers NOT_COORDINATOR, one still loading COORDINATOR_LOAD_IN_PROGRESS
// (the asker retries). Deleting a key without state is no error.
import { ApiKey, ErrorCode, type DeleteShareGroupStateRequest, type DeleteShareGroupStateResponse } from '@mq/protocol';
import { persisterHandler } from './share-state-partitions';

type StatePartition = DeleteShareGroupStateResponse['results'][number]['partitions'][number];

export const deleteShareGroupStateHandler = persisterHandler<DeleteShareGroupStateRequest['topics'][number]['partitions'][number], StatePartition>({
  apiKey: ApiKey.DeleteShareGroupState,
  async answer(share, groupId, topicId, p) {
    await share.deleteStateForLeader({ groupId, topicId, partition: p.partition });
    return { partition: p.partition, errorCode: ErrorCode.NONE, errorMessage: null };
  },
  failed: (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage }),
});
