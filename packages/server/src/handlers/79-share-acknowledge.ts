// ShareAcknowledge (key 79), versions 1-2 (flexible): acknowledgements outside a fetch (accept,
// release, reject, gap; renew from v2), durable in __share_group_state before the answer. Epoch 0
// is INVALID_SHARE_SESSION_EPOCH (only a fetch opens a session); -1 closes the session and
// releases what the member still holds. Per-partition failures (INVALID_RECORD_STATE for records
// not acquired by the member, INVALID_REQUEST for bad types) are data in the response.
import { ApiKey, ErrorCode, type ShareAcknowledgeRequest, type ShareAcknowledgeResponse } from '@mq/protocol';
import { defineHandler } from '../handler';
import { currentLeader, shareCoordinatorOf } from './share-coordinator-of';

export const shareAcknowledgeHandler = defineHandler<ShareAcknowledgeRequest, ShareAcknowledgeResponse>({
  apiKey: ApiKey.ShareAcknowledge,
  minVersion: 1,
  maxVersion: 2,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await share.shareAcknowledge({
      groupId: req.groupId,
      memberId: req.memberId,
      shareSessionEpoch: req.shareSessionEpoch,
      allowRenew: ctx.apiVersion >= 2,
      topics: req.topics,
    });
    return {
      throttleTimeMs: 0,
      errorCode: res.errorCode,
      errorMessage: res.errorMessage,
      acquisitionLockTimeoutMs: share.config.recordLockDurationMs,
      responses: res.responses.map((t) => ({
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({ ...p, currentLeader: currentLeader(ctx, t.topicId, p.partitionIndex) })),
      })),
      nodeEndpoints: [],
    };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, acquisitionLockTimeoutMs: 0, responses: [], nodeEndpoints: [] };
  },
});
