// A classic group (JoinGroup / SyncGroup): members, generation, selected protocol, leader, state
// with its timestamp, the timers of the current rebalance, and its committed offsets. One arm of
// the Group union (group.ts); an empty one may become a ConsumerGroup and back.
import type { Cancel } from '@mq/timerwheel';
import { type GroupState, isValidTransition } from './group-state';
import type { GroupMember, MemberProtocol } from './group-member';
import type { CommittedOffset } from './records/group-record';

export class ClassicGroup {
  readonly type = 'classic' as const;
  readonly groupId: string;
  state: GroupState = 'Empty';
  /** When the group entered its current state (ms); offsets of an Empty group expire from here. */
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** groupInstanceId → memberId of the static member currently holding it. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with their expiry timer. */
  readonly pendingMembers = new Map<string, Cancel>();
  /** Join phase timer (rebalance timeout or initial delay) and sync phase timer. */
  joinTimer: Cancel | null = null;
  syncTimer: Cancel | null = null;
  /** A member joined during the initial delay: extend it (bounded by the rebalance timeout). */
  newMemberAdded = false;
  /** The join phase is in its initial delay: it completes only when the delay runs out. */
  inInitialDelay = false;
  /** Committed offsets by topic and partition (kept when the group changes type). */
  readonly offsets: Map<string, Map<number, CommittedOffset>>;

  constructor(groupId: string, now: number, offsets = new Map<string, Map<number, CommittedOffset>>()) {
    this.groupId = groupId;
    this.stateTimestamp = now;
    this.offsets = offsets;
  }

  transitionTo(next: GroupState, now: number): void {
    if (!isValidTransition(this.state, next)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} → ${next}`);
    }
    this.state = next;
    this.stateTimestamp = now;
  }

  /** No members. */
  get isEmpty(): boolean {
    return this.members.size === 0;
  }

  /** Empty with nothing in flight: no member, no MEMBER_ID_REQUIRED id (DeleteGroups, expiry, a type change). */
  get isIdle(): boolean {
    return this.state === 'Empty' && this.members.size === 0 && this.pendingMembers.size === 0;
  }

  /** Whether a member with this protocol type/protocols may join (Kafka's supportsProtocols). */
  supportsProtocols(protocolType: string, protocols: readonly MemberProtocol[]): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    if (this.isEmpty) return true;
    if (this.protocolType !== protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /** Protocols every current member supports. */
  candidateProtocols(): Set<string> {
    let out: Set<string> | undefined;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      out = out === undefined ? names : new Set([...out].filter((n) => names.has(n)));
    }
    return out ?? new Set();
  }

  /** Each member votes for its preferred candidate; most votes wins, ties by first member's order. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      if (v !== undefined) votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId}: no protocol common to all members`);
    return best;
  }

  /** Every member has a parked JoinGroup and no MEMBER_ID_REQUIRED member is still on its way. */
  hasAllMembersJoined(): boolean {
    if (this.pendingMembers.size > 0) return false;
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return true;
  }

  /** Longest rebalance timeout among members: how long the join phase may wait. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  offsetCount(): number {
    let n = 0;
    for (const ps of this.offsets.values()) n += ps.size;
    return n;
  }
}
