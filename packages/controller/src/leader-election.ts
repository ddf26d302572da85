// What ElectLeaders does to one partition (Kafka's ReplicationControlManager.electLeader): PREFERRED
// moves leadership to the first replica when it is live and in the ISR; UNCLEAN gives a partition
// without a live leader the first live ISR member, else the first live replica (ISR reset to it).
// A partition whose leader is already the one asked for answers ELECTION_NOT_NEEDED.
import type { PartitionState } from '@mq/metadata';
import { ErrorCode } from '@mq/protocol';
import { electPartition } from './partition-election';

export const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;

export interface ElectionOutcome {
  /** The new state to commit; absent when nothing changes. */
  readonly state?: PartitionState;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export function electLeader(s: PartitionState, live: ReadonlySet<number>, electionType: number): ElectionOutcome {
  const name = `${s.topic}-${s.partition}`;
  if (electionType === ElectionType.UNCLEAN) {
    if (s.leader !== -1 && live.has(s.leader)) return { errorCode: ErrorCode.ELECTION_NOT_NEEDED, errorMessage: `${name} has a live leader (${s.leader})` };
    const next = electPartition(s, live, true);
    if (next === undefined || next.leader === -1) return { errorCode: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, errorMessage: `no replica of ${name} (${s.replicas.join(',')}) is live` };
    return { state: next, errorCode: ErrorCode.NONE, errorMessage: null };
  }
  const preferred = s.replicas[0];
  if (preferred === undefined) return { errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: `${name} has no replicas` };
  if (s.leader === preferred) return { errorCode: ErrorCode.ELECTION_NOT_NEEDED, errorMessage: `${name} is led by its preferred replica ${preferred}` };
  if (!live.has(preferred) || !s.isr.includes(preferred)) {
    const why = live.has(preferred) ? `not in the ISR (${s.isr.join(',')})` : 'not live';
    return { errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: `the preferred leader ${preferred} of ${name} is ${why}` };
  }
  return { state: { ...s, leader: preferred, leaderEpoch: s.leaderEpoch + 1, partitionEpoch: s.partitionEpoch + 1 }, errorCode: ErrorCode.NONE, errorMessage: null };
}
