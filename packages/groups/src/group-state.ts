// The classic group states, after Kafka's ClassicGroupState. What each request gets per state:
//
// Empty — no members (offsets may still exist). JoinGroup: adds the member → PreparingRebalance
//   (with the initial rebalance delay). SyncGroup/Heartbeat: UNKNOWN_MEMBER_ID. OffsetCommit:
//   only "simple" commits (generation -1). DeleteGroups and offset expiry → Dead.
// PreparingRebalance — waiting for every known member to (re)join, bounded by the rebalance timeout.
//   JoinGroup: parked until the join completes. SyncGroup/Heartbeat: REBALANCE_IN_PROGRESS.
//   OffsetCommit: accepted from the current generation (eager members commit before revoking).
//   Join completes (all joined or timeout): members that did not rejoin are removed; no members →
//   Empty, else generationId+1 → CompletingRebalance.
// CompletingRebalance — waiting for the leader's assignment. SyncGroup: parked; the leader's sync
//   stores the assignment → Stable. JoinGroup with the same protocols: answered with the current
//   generation; changed protocols → PreparingRebalance. Heartbeat: NONE. OffsetCommit:
//   REBALANCE_IN_PROGRESS. Member leaves/expires → PreparingRebalance.
// Stable — assignment distributed. SyncGroup: the member's assignment. Heartbeat: NONE.
//   JoinGroup from the leader or with changed protocols, a new member, a leave or a session expiry →
//   PreparingRebalance.
// Dead — deleted or expired; no longer in the coordinator's map. Every request:
//   COORDINATOR_NOT_AVAILABLE (the client re-looks up the coordinator and starts afresh).
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'];

const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export function isValidTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}
