// The version range of each API this client's code handles. The wire version of a request is
// min(our max, broker max), refused when it falls below max(our min, broker min). Caps sit below
// versions that change shape in ways this client does not speak (topic ids in Fetch 13+, batched
// FindCoordinator 4+, OffsetFetch 8+ groups array, LeaveGroup 3+ member list).

const RANGES: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [3, 9]], // Produce: v3+ carries RecordBatch v2 only
  [1, [4, 12]], // Fetch
  [2, [1, 7]], // ListOffsets: v1+ single timestamp query
  [3, [1, 12]], // Metadata
  [8, [2, 8]], // OffsetCommit
  [9, [1, 7]], // OffsetFetch
  [10, [0, 3]], // FindCoordinator
  [11, [0, 7]], // JoinGroup
  [12, [0, 4]], // Heartbeat
  [13, [0, 2]], // LeaveGroup
  [14, [0, 5]], // SyncGroup
  [15, [0, 5]], // DescribeGroups
  [16, [0, 4]], // ListGroups
  [17, [1, 1]], // SaslHandshake: v1, then SaslAuthenticate (v0's raw tokens are not spoken)
  [18, [0, 3]], // ApiVersions
  [19, [0, 7]], // CreateTopics
  [20, [0, 5]], // DeleteTopics
  [21, [0, 2]], // DeleteRecords
  [22, [0, 4]], // InitProducerId
  [29, [1, 3]], // DescribeAcls: v1+ pattern types (KIP-290)
  [30, [1, 3]], // CreateAcls
  [31, [1, 3]], // DeleteAcls
  [32, [0, 4]], // DescribeConfigs
  [33, [0, 2]], // AlterConfigs
  [36, [1, 2]], // SaslAuthenticate: v1+ answers the session lifetime (KIP-368)
  [37, [0, 3]], // CreatePartitions
  [42, [0, 2]], // DeleteGroups
  [43, [0, 2]], // ElectLeaders
  [44, [0, 1]], // IncrementalAlterConfigs
  [45, [0, 0]], // AlterPartitionReassignments
  [46, [0, 0]], // ListPartitionReassignments
  [47, [0, 0]], // OffsetDelete
  [48, [0, 1]], // DescribeClientQuotas
  [49, [0, 1]], // AlterClientQuotas
  [50, [0, 0]], // DescribeUserScramCredentials
  [51, [0, 0]], // AlterUserScramCredentials
  [76, [1, 1]], // ShareGroupHeartbeat
  [77, [1, 1]], // ShareGroupDescribe
  [78, [1, 2]], // ShareFetch
  [79, [1, 2]], // ShareAcknowledge
  [90, [0, 0]], // DescribeShareGroupOffsets
  [91, [0, 0]], // AlterShareGroupOffsets
  [92, [0, 0]], // DeleteShareGroupOffsets
]);

export function clientMaxVersion(apiKey: number): number {
  return RANGES.get(apiKey)?.[1] ?? -1;
}

export function clientMinVersion(apiKey: number): number {
  return RANGES.get(apiKey)?.[0] ?? 0;
}
