// KIP-219: from which version of each API the client itself waits out throttle_time_ms (Kafka's
// AbstractResponse.shouldClientThrottle). Below it the broker delays the response instead; APIs
// newer than KIP-219 (Kafka 2.0) throttle client-side in every version.
import { ApiKey } from '@mq/protocol';

const FIRST_CLIENT_THROTTLED_VERSION = new Map<number, number>([
  [ApiKey.Produce, 6],
  [ApiKey.Fetch, 8],
  [ApiKey.ListOffsets, 3],
  [ApiKey.Metadata, 6],
  [ApiKey.OffsetCommit, 4],
  [ApiKey.OffsetFetch, 4],
  [ApiKey.FindCoordinator, 2],
  [ApiKey.JoinGroup, 3],
  [ApiKey.Heartbeat, 2],
  [ApiKey.LeaveGroup, 2],
  [ApiKey.SyncGroup, 2],
  [ApiKey.DescribeGroups, 2],
  [ApiKey.ListGroups, 2],
  [ApiKey.ApiVersions, 2],
  [ApiKey.CreateTopics, 3],
  [ApiKey.DeleteTopics, 2],
  [ApiKey.DeleteRecords, 1],
  [ApiKey.InitProducerId, 1],
  [ApiKey.OffsetForLeaderEpoch, 3],
  [ApiKey.AddPartitionsToTxn, 1],
  [ApiKey.AddOffsetsToTxn, 1],
  [ApiKey.EndTxn, 1],
  [ApiKey.TxnOffsetCommit, 1],
  [ApiKey.DescribeConfigs, 2],
  [ApiKey.AlterConfigs, 1],
  [ApiKey.CreatePartitions, 1],
  [ApiKey.DeleteGroups, 1],
]);

/** True when a client of this version honours throttle_time_ms itself (the broker then mutes the channel). */
export function clientThrottles(apiKey: number, apiVersion: number): boolean {
  return apiVersion >= (FIRST_CLIENT_THROTTLED_VERSION.get(apiKey) ?? 0);
}
