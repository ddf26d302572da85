// DeleteShareGroupState (key 86), version 0 (flexible): the persister API's delete (KIP-932). A
// share-partition's leader, applying DeleteShareGroupOffsets, drops the state at the share
// coordinator that keeps it (the leader of the __share_group_state partition its key hashes to).
// A partition not led here answers NOT_COORDINATOR, one still loading COORDINATOR_LOAD_IN_PROGRESS
// (the asker retries). Deleting a key without state is no error.
import { ApiKey, ErrorCode, type DeleteShareGroupStateRequest, type DeleteShareGroupStateResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';
import { eachStatePartition } from './share-state-partitions';

export const deleteShareGroupStateHandler = defineHandler<DeleteShareGroupStateRequest, DeleteShareGroupStateResponse>({
  apiKey: ApiKey.DeleteShareGroupState,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const results = await eachStatePartition(
      req.topics,
      async (topicId, p) => {
        await share.deleteStateForLeader({ groupId: req.groupId, topicId, partition: p.partition });
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
