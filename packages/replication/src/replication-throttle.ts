// The replication quota as replication sees it (Kafka's ReplicaQuota): one per direction, leader
// and follower, implemented by @mq/quota's ReplicationQuotaManager and handed in by the broker. A
// partition is throttled on this broker when its topic's leader/follower.replication.throttled.replicas
// names it with this broker (or is `*`); Kafka's rule decides which fetches the quota holds back:
// only those of replicas that are not in sync, so the ISR's traffic (acks=all, the HW) never waits.
import { isReplicaThrottled, type Partition } from '@mq/partition';

export interface ReplicationThrottle {
  /** The measured byte rate is above leader/follower.replication.throttled.rate. */
  isQuotaExceeded(): boolean;
  /** Bytes moved for a throttled partition (counted whatever the quota says). */
  record(bytes: number): void;
  /** About how long until the rate is within the bound again (0: it is). */
  throttleTimeMs(): number;
}

/** leader.replication.throttled.replicas names this partition on `nodeId`. */
export function leaderThrottled(p: Partition, nodeId: number): boolean {
  return isReplicaThrottled(p.topicConfig.leaderThrottledReplicas, p.index, nodeId);
}

/** follower.replication.throttled.replicas names this partition on `nodeId`. */
export function followerThrottled(p: Partition, nodeId: number): boolean {
  return isReplicaThrottled(p.topicConfig.followerThrottledReplicas, p.index, nodeId);
}
