// CooperativeStickyAssignor (KIP-429 incremental rebalancing): the sticky target assignment, minus
// every partition that still belongs to another member. Owners drop those partitions (they are
// absent from their assignment: revoke), rejoin, and the next round hands them to the new owner.
import { type Assignor, type AssignorMember, type GroupAssignment, type PartitionCounts, tpKey } from './assignor';
import { currentOwners, stickyAssign } from './sticky-assignor';

export interface CooperativeResult {
  assignment: GroupAssignment;
  /** Partitions withheld this round because their current owner must revoke them first. */
  revoking: number;
}

export function cooperativeStickyAssignWithRevocations(
  members: readonly AssignorMember[],
  partitionCounts: PartitionCounts,
): CooperativeResult {
  const target = stickyAssign(members, partitionCounts);
  const owners = currentOwners(members, partitionCounts);
  let revoking = 0;
  const assignment: GroupAssignment = new Map();
  for (const [memberId, list] of target) {
    assignment.set(
      memberId,
      list.filter((tp) => {
        const owner = owners.get(tpKey(tp.topic, tp.partition));
        if (owner !== undefined && owner !== memberId) {
          revoking++;
          return false;
        }
        return true;
      }),
    );
  }
  return { assignment, revoking };
}

export function cooperativeStickyAssign(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  return cooperativeStickyAssignWithRevocations(members, partitionCounts).assignment;
}

export const cooperativeStickyAssignor: Assignor = { name: 'cooperative-sticky', assign: cooperativeStickyAssign };
