// The rebalance machinery of classic groups: entering PreparingRebalance, the join phase (rebalance
// timeout, or Kafka's initial-delay chain for an Empty group), completing a generation, the sync
// timeout, one session timer per member, and removing members. Timers only, no polling.
import type { ClassicGroup } from './classic-group';
import type { Clock } from '@mq/timerwheel';
import { ErrorCode as E } from '@mq/protocol';
import type { GroupMember } from './group-member';
import type { MembershipHost } from './group-membership';
import { currentJoinResponse, joinError, syncError } from './group-responses';

export class GroupRebalancer {
  constructor(private readonly host: MembershipHost) {}

  private get clock(): Clock {
    return this.host.clock;
  }

  maybePrepareRebalance(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    else if (group.state !== 'Dead') this.prepareRebalance(group);
  }

  prepareRebalance(group: ClassicGroup): void {
    if (group.state === 'CompletingRebalance') this.propagateSyncError(group, E.REBALANCE_IN_PROGRESS);
    group.syncTimer?.();
    group.syncTimer = null;
    group.joinTimer?.();
    const wasEmpty = group.state === 'Empty';
    group.transitionTo('PreparingRebalance', this.clock.now());
    const delay = this.host.config.initialRebalanceDelayMs;
    if (wasEmpty && delay > 0) {
      group.newMemberAdded = false;
      this.scheduleInitialDelay(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
    } else {
      group.joinTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => {
        group.joinTimer = null;
        this.completeJoin(group);
      });
      this.tryCompleteJoin(group);
    }
  }

  /** Kafka's InitialDelayedJoin: each delay that saw a new member is followed by another, up to the rebalance timeout. */
  private scheduleInitialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.inInitialDelay = true;
    group.joinTimer = this.clock.schedule(delayMs, () => {
      group.joinTimer = null;
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false;
        const next = Math.min(this.host.config.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelay(group, next, Math.max(remainingMs - next, 0));
      } else {
        group.inInitialDelay = false;
        this.completeJoin(group);
      }
    });
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance' && !group.inInitialDelay && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** End of the join phase: drop members that did not rejoin, start the next generation. */
  private completeJoin(group: ClassicGroup): void {
    if (group.state !== 'PreparingRebalance') return;
    group.joinTimer?.();
    group.joinTimer = null;
    group.inInitialDelay = false;
    for (const m of [...group.members.values()]) {
      // Static members keep their slot: a restarting instance may still come back within its session.
      if (!m.isAwaitingJoin && !m.isStatic) this.removeMember(group, m);
    }
    const now = this.clock.now();
    group.generationId++;
    if (group.isEmpty) {
      group.protocolName = null;
      group.leaderId = null;
      group.transitionTo('Empty', now);
      this.host.storeGroup(group).catch((err: unknown) => this.host.onError(err, `storing empty group ${group.groupId}`));
      return;
    }
    const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
    if (leader === undefined || !leader.isAwaitingJoin) {
      const joined = [...group.members.values()].find((m) => m.isAwaitingJoin) ?? group.members.values().next().value!;
      group.leaderId = joined.memberId;
    }
    group.protocolName = group.selectProtocol();
    group.transitionTo('CompletingRebalance', now);
    for (const m of group.members.values()) {
      m.isNew = false;
      if (m.isAwaitingJoin) m.completeJoin(currentJoinResponse(group, m));
      this.scheduleSession(group, m);
    }
    const generationId = group.generationId;
    group.syncTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => {
      group.syncTimer = null;
      this.expireSync(group, generationId);
    });
  }

  /** The leader (or followers) never sent SyncGroup within the rebalance timeout. */
  private expireSync(group: ClassicGroup, generationId: number): void {
    if (group.state !== 'CompletingRebalance' || group.generationId !== generationId) return;
    for (const m of [...group.members.values()]) if (!m.isAwaitingSync) this.removeMember(group, m);
    this.prepareRebalance(group);
  }

  propagateSyncError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.completeSync(syncError(errorCode));
  }

  scheduleSession(group: ClassicGroup, member: GroupMember): void {
    member.sessionTimer?.();
    member.sessionTimer = this.clock.schedule(member.sessionTimeoutMs, () => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      // Parked joins/syncs are bounded by the rebalance timers instead.
      if (member.isAwaitingJoin || member.isAwaitingSync) this.scheduleSession(group, member);
      else this.removeMemberAndUpdateGroup(group, member);
    });
  }

  expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.maybeCompleteAfterRemoval(group);
  }

  maybeCompleteAfterRemoval(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    this.removeMember(group, member);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        break;
      default:
        break;
    }
  }

  private removeMember(group: ClassicGroup, member: GroupMember): void {
    member.sessionTimer?.();
    member.sessionTimer = null;
    member.completeJoin(joinError(E.UNKNOWN_MEMBER_ID, member.memberId));
    member.completeSync(syncError(E.UNKNOWN_MEMBER_ID));
    group.members.delete(member.memberId);
    if (member.groupInstanceId !== null && group.staticMembers.get(member.groupInstanceId) === member.memberId) {
      group.staticMembers.delete(member.groupInstanceId);
    }
    if (group.leaderId === member.memberId) {
      group.leaderId = group.members.size > 0 ? group.members.keys().next().value! : null;
    }
  }

  /** Cancels every timer of a group (delete, shutdown) and answers its parked requests. */
  shutdownGroup(group: ClassicGroup, errorCode: number): void {
    group.joinTimer?.();
    group.syncTimer?.();
    group.joinTimer = null;
    group.syncTimer = null;
    for (const t of group.pendingMembers.values()) t();
    group.pendingMembers.clear();
    for (const m of group.members.values()) {
      m.sessionTimer?.();
      m.sessionTimer = null;
      m.completeJoin(joinError(errorCode, m.memberId));
      m.completeSync(syncError(errorCode));
    }
  }
}
