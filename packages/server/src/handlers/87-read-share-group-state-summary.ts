// ReadShareGroupStateSummary (key 87), version 0 (flexible): the persister API's read for the
// offsets admin (KIP-932). The group's coordinator answers DescribeShareGroupOffsets by asking the
// share coordinator of each share-partition (the leader of the __share_group_state partition its
// key hashes to) for its start offset. Unlike ReadShareGroupState it claims nothing: LeaderEpoch is
// not a leader's and fences no one. A partition not led here answers NOT_COORDINATOR, one still
// loading COORDINATOR_LOAD_IN_PROGRESS (the asker retries). Without state: StartOffset -1.
import { ApiKey, ErrorCode, type ReadShareGroupStateSummaryRequest, type ReadShareGroupStateSummaryResponse } from '@mq/protocol';
import { persisterHandler } from './share-state-partitions';

type StatePartition = ReadShareGroupStateSummaryResponse['results'][number]['partitions'][number];

export const readShareGroupStateSummaryHandler = persisterHandler<ReadShareGroupStateSummaryRequest['topics'][number]['partitions'][number], StatePartition>({
  apiKey: ApiKey.ReadShareGroupStateSummary,
  async answer(share, groupId, topicId, p) {
    const summary = await share.readStateSummary({ groupId, topicId, partition: p.partition });
    return { partition: p.partition, errorCode: ErrorCode.NONE, errorMessage: null, stateEpoch: summary?.stateEpoch ?? 0, startOffset: summary?.startOffset ?? -1n };
  },
  failed: (p, errorCode, errorMessage) => ({ partition: p.partition, errorCode, errorMessage, stateEpoch: 0, startOffset: -1n }),
});
