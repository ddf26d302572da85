// Where a follower cuts its log once the leader said where the follower's latest epoch ends on the
// leader (KIP-101, with KIP-279's fix for a leader that answers an older epoch).
import type { EpochEndOffset, Partition } from '@mq/partition';

/**
 * The offset to truncate to. The leader answers the largest epoch ≤ ours it knows and where it
 * ends there. Same epoch: cut at the leader's end. An older epoch: cut at the lower of the leader's
 * end and our own end of that epoch (KIP-279). Unknown (-1): no epoch information to go by, so keep
 * only what is known committed, the high watermark (Kafka's fallback).
 */
export function truncationOffset(p: Partition, leader: EpochEndOffset): bigint {
  const leo = p.logEndOffset;
  if (leader.endOffset < 0n || leader.epoch < 0) return p.highWatermark < leo ? p.highWatermark : leo;
  let target = leader.endOffset;
  if (leader.epoch !== p.latestEpoch) {
    const own = p.offsetForLeaderEpoch(leader.epoch);
    if (own.endOffset >= 0n && own.endOffset < target) target = own.endOffset;
  }
  return target < leo ? target : leo;
}
