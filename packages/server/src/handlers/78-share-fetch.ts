// ShareFetch (key 78), versions 1-2 (flexible): a share-group member's fetch in its share session
// (epoch 0 opens, -1 closes and releases what it holds). Piggybacked acknowledgements are applied
// and made durable first, then records are acquired from the session's partitions (up to
// MaxRecords / MaxBytes, locked for group.share.record.lock.duration.ms) and returned as whole
// stored batches with the acquired ranges. With nothing to acquire the request waits up to
// MaxWaitMs for an append (the fetch purgatory) or for locks freed on its share-partitions. v2: IsRenewAck only renews, acquire mode 1 caps
// at MaxRecords (mq always caps). Bad acknowledgements are the partition's AcknowledgeErrorCode.
// Not implemented: MinBytes beyond "any record", BatchSize (acquired ranges follow stored batches).
import { ApiKey, ErrorCode, type ResponseInputFor, type ShareFetchRequest } from '@mq/protocol';
import { defineHandler } from '../handler';
import { currentLeader, shareCoordinatorOf } from './share-coordinator-of';

type ShareFetchResponse = ResponseInputFor<typeof ApiKey.ShareFetch>;

export const shareFetchHandler = defineHandler<ShareFetchRequest, ShareFetchResponse>({
  apiKey: ApiKey.ShareFetch,
  minVersion: 1,
  maxVersion: 2,
  async handle(req, ctx) {
    const share = shareCoordinatorOf(ctx);
    if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const { fetchPurgatory, shutdownSignal } = ctx.broker;
    const clock = ctx.broker.clock;
    const deadline = clock.monotonic() + req.maxWaitMs;
    // Parked until an append, until record locks are freed on one of its share-partitions
    // (`woken`), or until MaxWaitMs: then it acquires again, and may park for the time left.
    const wait = async (partitions: Parameters<typeof fetchPurgatory.park>[0], woken: AbortSignal): Promise<boolean> => {
      await fetchPurgatory.park(partitions, 1, deadline - clock.monotonic(), shutdownSignal, woken);
      return !shutdownSignal.aborted && clock.monotonic() < deadline;
    };
    const res = await share.shareFetch(
      {
        groupId: req.groupId,
        memberId: req.memberId,
        shareSessionEpoch: req.shareSessionEpoch,
        maxRecords: req.maxRecords,
        maxBytes: req.maxBytes,
        isRenewAck: req.isRenewAck,
        allowRenew: ctx.apiVersion >= 2,
        topics: req.topics,
        forgottenTopicsData: req.forgottenTopicsData,
      },
      req.maxWaitMs > 0 ? wait : undefined,
    );
    return {
      throttleTimeMs: 0,
      errorCode: res.errorCode,
      errorMessage: res.errorMessage,
      acquisitionLockTimeoutMs: share.config.recordLockDurationMs,
      responses: res.responses.map((t) => ({
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({
          ...p,
          records: p.records ?? [],
          currentLeader: currentLeader(ctx, t.topicId, p.partitionIndex),
        })),
      })),
      nodeEndpoints: [],
    };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, acquisitionLockTimeoutMs: 0, responses: [], nodeEndpoints: [] };
  },
});
