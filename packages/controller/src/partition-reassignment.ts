// Partition reassignment as KIP-455 runs it in KRaft: a target starts by adding its new replicas —
// replicas = target first, then the ones leaving; addingReplicas / removingReplicas say which —
// and completes once every target replica is in the ISR: the leaving ones are dropped (leader epoch
// bumped, so they are fenced) and, if the leader was one of them, the first live target replica
// in the ISR leads. A cancel (null target) reverts to the original replicas.
import type { PartitionState } from '@mq/metadata';
import { ErrorCode } from '@mq/protocol';

export interface ReassignmentOutcome {
  readonly state?: PartitionState;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export function isReassigning(s: PartitionState): boolean {
  return (s.addingReplicas?.length ?? 0) > 0 || (s.removingReplicas?.length ?? 0) > 0;
}

/** The replicas the partition had before its reassignment (its replicas when none runs). */
export function originalReplicas(s: PartitionState): number[] {
  const adding = s.addingReplicas ?? [];
  return s.replicas.filter((r) => !adding.includes(r));
}

/** The replicas it will have once its reassignment completes. */
export function targetReplicas(s: PartitionState): number[] {
  const removing = s.removingReplicas ?? [];
  return s.replicas.filter((r) => !removing.includes(r));
}

/** Starts, replaces (target) or cancels (null) the reassignment of `s`; `registered` are the brokers that may hold replicas. */
export function reassignPartition(s: PartitionState, target: readonly number[] | null, registered: ReadonlySet<number>, live: ReadonlySet<number>): ReassignmentOutcome {
  const name = `${s.topic}-${s.partition}`;
  if (target === null) {
    if (!isReassigning(s)) return { errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: `no reassignment of ${name} is in progress` };
    const original = originalReplicas(s);
    const isr = s.isr.filter((r) => original.includes(r));
    if (isr.length === 0) {
      return { errorCode: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, errorMessage: `cancelling the reassignment of ${name} would need an unclean election: no original replica is in the ISR` };
    }
    return { state: withReplicas(s, original, isr, live), errorCode: ErrorCode.NONE, errorMessage: null };
  }
  if (target.length === 0) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `the target replica list of ${name} is empty` };
  if (new Set(target).size !== target.length) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `the target replicas of ${name} repeat a broker: ${target.join(',')}` };
  const unknown = target.filter((id) => !registered.has(id));
  if (unknown.length > 0) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `the target replicas of ${name} name unknown brokers: ${unknown.join(',')}` };
  const original = originalReplicas(s);
  const removing = s.replicas.filter((r) => !target.includes(r));
  const adding = target.filter((r) => !original.includes(r));
  // The same replicas in another order change the preferred leader only: committed at once (Kafka too).
  const sameOrder = target.length === s.replicas.length && target.every((r, i) => s.replicas[i] === r);
  if (adding.length === 0 && removing.length === 0 && !isReassigning(s) && sameOrder) return { errorCode: ErrorCode.NONE, errorMessage: null };
  const started: PartitionState = { ...s, replicas: [...target, ...removing], addingReplicas: adding, removingReplicas: removing, partitionEpoch: s.partitionEpoch + 1 };
  return { state: completeReassignment(started, live) ?? started, errorCode: ErrorCode.NONE, errorMessage: null };
}

/** The completed state once every target replica is in the ISR (and one of them can lead); else undefined. */
export function completeReassignment(s: PartitionState, live: ReadonlySet<number>): PartitionState | undefined {
  if (!isReassigning(s)) return undefined;
  const target = targetReplicas(s);
  if (!target.every((r) => s.isr.includes(r))) return undefined;
  const isr = s.isr.filter((r) => target.includes(r));
  if (!target.includes(s.leader) && !target.some((r) => live.has(r) && isr.includes(r))) return undefined;
  return withReplicas(s, target, isr, live);
}

/** `s` with exactly `replicas` and `isr`, no reassignment, led by its leader if it stays, else the first live ISR replica. */
function withReplicas(s: PartitionState, replicas: readonly number[], isr: readonly number[], live: ReadonlySet<number>): PartitionState {
  const { addingReplicas: _a, removingReplicas: _r, ...rest } = s;
  const leader = replicas.includes(s.leader) ? s.leader : (replicas.find((r) => live.has(r) && isr.includes(r)) ?? -1);
  // Dropped replicas are fenced by a new leader epoch (Kafka bumps it whenever replicas leave).
  const shrunk = s.replicas.some((r) => !replicas.includes(r));
  return { ...rest, replicas: [...replicas], isr: [...isr], leader, leaderEpoch: leader !== s.leader || shrunk ? s.leaderEpoch + 1 : s.leaderEpoch, partitionEpoch: s.partitionEpoch + 1 };
}
