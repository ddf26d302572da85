// The rebalance machinery of classic groups: entering PreparingRebalance, the join phase (rebalance
// timeout, or Kafka's initial-delay chain for an Empty group), completing a generation, the sync
// timeout, one session timer per member, and removing members. Timers only, no polling: each
// expiry runs as a coordinator operation on the shard's loop. A function that ends the join phase
// with no member left returns that generation's GroupMetadata record and changes nothing: the
// group becomes Empty when the record is replayed after its append (endJoinPhaseEmpty). Everything
// else here is in-flight rebalance state, held in memory only, as Kafka's classic coordinator does.
import type { Cancel, Clock } from '@mq/timerwheel';
import { ErrorCode as E } from '@mq/protocol';
import type { ClassicGroup } from './classic-group';
import { emptyGenerationRecord } from './classic-group-records';
import type { GroupMember } from './group-member';
import type { MembershipHost } from './group-membership';
import { currentJoinResponse, joinError, syncError } from './group-responses';
import type { GroupRecord, StoredGroup } from './records/group-record';

/** Records an in-flight change ends with (the next generation of a group left empty), or none. */
export type JoinPhaseRecords = GroupRecord[];

const NONE: JoinPhaseRecords = [];

export class GroupRebalancer {
  constructor(private readonly host: MembershipHost) {}

  private get clock(): Clock {
    return this.host.clock;
  }

  maybePrepareRebalance(group: ClassicGroup): JoinPhaseRecords {
    if (group.state === 'PreparingRebalance') return this.tryCompleteJoin(group);
    if (group.state !== 'Dead') return this.prepareRebalance(group);
    return NONE;
  }

  prepareRebalance(group: ClassicGroup): JoinPhaseRecords {
    if (group.state === 'CompletingRebalance') this.propagateSyncError(group, E.REBALANCE_IN_PROGRESS);
    group.syncTimer?.();
    group.syncTimer = null;
    group.joinTimer?.();
    group.joinTimer = null;
    const wasEmpty = group.state === 'Empty';
    group.transitionTo('PreparingRebalance', this.clock.now());
    const delay = this.host.config.initialRebalanceDelayMs;
    if (wasEmpty && delay > 0) {
      group.newMemberAdded = false;
      this.scheduleInitialDelay(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
      return NONE;
    }
    this.armJoinTimer(group, group.rebalanceTimeoutMs());
    return this.tryCompleteJoin(group);
  }

  /** The join phase ends when this runs out, whoever has rejoined by then. */
  private armJoinTimer(group: ClassicGroup, delayMs: number): void {
    const timer: Cancel = this.clock.schedule(delayMs, () =>
      this.runTimerOp(group, `join phase end of group ${group.groupId}`, () => group.joinTimer === timer, () => {
        group.joinTimer = null;
        return this.completeJoin(group);
      }, () => {
        // Its record could not be written: the phase stays open and tries to end again later.
        if (group.state === 'PreparingRebalance' && group.joinTimer === null) this.armJoinTimer(group, group.rebalanceTimeoutMs());
      }),
    );
    group.joinTimer = timer;
  }

  /** Kafka's InitialDelayedJoin: each delay that saw a new member is followed by another, up to the rebalance timeout. */
  private scheduleInitialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.inInitialDelay = true;
    const timer: Cancel = this.clock.schedule(delayMs, () =>
      this.runTimerOp(group, `initial rebalance delay of group ${group.groupId}`, () => group.joinTimer === timer, () => {
        group.joinTimer = null;
        if (group.newMemberAdded && remainingMs > 0) {
          group.newMemberAdded = false;
          const next = Math.min(this.host.config.initialRebalanceDelayMs, remainingMs);
          this.scheduleInitialDelay(group, next, Math.max(remainingMs - next, 0));
          return NONE;
        }
        group.inInitialDelay = false;
        return this.completeJoin(group);
      }, () => {
        if (group.state === 'PreparingRebalance' && group.joinTimer === null) this.armJoinTimer(group, group.rebalanceTimeoutMs());
      }),
    );
    group.joinTimer = timer;
  }

  /**
   * A timer's work as an operation on the shard's loop, skipped when the timer was cancelled or
   * replaced before the operation's turn (`current`); `failed` runs when its records could not be written.
   */
  private runTimerOp(group: ClassicGroup, name: string, current: () => boolean, work: () => JoinPhaseRecords, failed: () => void): void {
    this.host
      .runOp(name, () => {
        if (this.host.getGroup(group.groupId) !== group || !current()) return { records: NONE, response: undefined };
        return { records: work(), response: undefined };
      })
      .catch((err: unknown) => {
        this.host.onError(err, name);
        if (this.host.getGroup(group.groupId) === group) failed();
      });
  }

  tryCompleteJoin(group: ClassicGroup): JoinPhaseRecords {
    if (group.state === 'PreparingRebalance' && !group.inInitialDelay && group.hasAllMembersJoined()) return this.completeJoin(group);
    return NONE;
  }

  /**
   * End of the join phase: drop members that did not rejoin, start the next generation. With no
   * member left the next generation is the Empty group's record: nothing changes until it is in.
   */
  private completeJoin(group: ClassicGroup): JoinPhaseRecords {
    if (group.state !== 'PreparingRebalance') return NONE;
    // Static members keep their slot: a restarting instance may still come back within its session.
    const stays = (m: GroupMember) => m.isAwaitingJoin || m.isStatic;
    if (![...group.members.values()].some(stays)) return [emptyGenerationRecord(group, this.clock.now())];
    group.joinTimer?.();
    group.joinTimer = null;
    group.inInitialDelay = false;
    for (const m of [...group.members.values()]) if (!stays(m)) this.removeMember(group, m);
    group.generationId++;
    const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
    if (leader === undefined || !leader.isAwaitingJoin) {
      const joined = [...group.members.values()].find((m) => m.isAwaitingJoin) ?? group.members.values().next().value!;
      group.leaderId = joined.memberId;
    }
    group.protocolName = group.selectProtocol();
    group.transitionTo('CompletingRebalance', this.clock.now());
    for (const m of group.members.values()) {
      m.isNew = false;
      if (m.isAwaitingJoin) m.completeJoin(currentJoinResponse(group, m));
      this.scheduleSession(group, m);
    }
    this.armSyncTimer(group, group.generationId);
    return NONE;
  }

  /** The sync phase of the generation ends when this runs out: members that did not sync are removed. */
  private armSyncTimer(group: ClassicGroup, generationId: number): void {
    const timer: Cancel = this.clock.schedule(group.rebalanceTimeoutMs(), () =>
      this.runTimerOp(group, `sync phase end of group ${group.groupId}`, () => group.syncTimer === timer, () => {
        group.syncTimer = null;
        return this.expireSync(group, generationId);
      }, () => {
        // The Empty generation could not be written: the members stay, and the phase ends again later.
        if (group.state === 'CompletingRebalance' && group.generationId === generationId && group.syncTimer === null) this.armSyncTimer(group, generationId);
      }),
    );
    group.syncTimer = timer;
  }

  /** The live replay of an Empty generation's record: every member goes, the group is Empty at its generation. */
  endJoinPhaseEmpty(group: ClassicGroup, s: StoredGroup): void {
    group.joinTimer?.();
    group.joinTimer = null;
    group.syncTimer?.();
    group.syncTimer = null;
    group.inInitialDelay = false;
    for (const m of [...group.members.values()]) this.removeMember(group, m);
    if (group.state !== 'PreparingRebalance') group.transitionTo('PreparingRebalance', this.clock.now());
    group.generationId = s.generationId;
    group.protocolName = null;
    group.leaderId = null;
    group.transitionTo('Empty', Number(s.stateTimestamp));
  }

  /** The leader (or followers) never sent SyncGroup within the rebalance timeout. */
  private expireSync(group: ClassicGroup, generationId: number): JoinPhaseRecords {
    if (group.state !== 'CompletingRebalance' || group.generationId !== generationId) return NONE;
    return this.removeMembersAndUpdateGroup(group, [...group.members.values()].filter((m) => !m.isAwaitingSync));
  }

  propagateSyncError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.completeSync(syncError(errorCode));
  }

  /** (Re)starts the member's session; when it runs out the member is removed by an operation. */
  scheduleSession(group: ClassicGroup, member: GroupMember): void {
    member.sessionTimer?.();
    const timer: Cancel = this.clock.schedule(member.sessionTimeoutMs, () =>
      this.runTimerOp(group, `session expiry of member ${member.memberId} of group ${group.groupId}`, () => group.members.get(member.memberId) === member && member.sessionTimer === timer, () => {
        member.sessionTimer = null;
        // Parked joins/syncs are bounded by the rebalance timers instead.
        if (member.isAwaitingJoin || member.isAwaitingSync) {
          this.scheduleSession(group, member);
          return NONE;
        }
        return this.removeMembersAndUpdateGroup(group, [member]);
      }, () => {
        // Its removal could not be written: the member stays, with another session to be removed at.
        if (group.members.get(member.memberId) === member && member.sessionTimer === null) this.scheduleSession(group, member);
      }),
    );
    member.sessionTimer = timer;
  }

  /** A MEMBER_ID_REQUIRED id that did not join within its session timeout. */
  schedulePendingExpiry(group: ClassicGroup, memberId: string, timeoutMs: number): Cancel {
    const timer: Cancel = this.clock.schedule(timeoutMs, () =>
      this.runTimerOp(group, `pending member ${memberId} of group ${group.groupId} expired`, () => group.pendingMembers.get(memberId) === timer, () => this.removePendingMember(group, memberId), () => {
        // The id is gone already; the join timer, still armed, ends the phase again later.
      }),
    );
    return timer;
  }

  /**
   * Forgets a MEMBER_ID_REQUIRED id (left, or expired); the join phase may now be complete. The id
   * is in-flight state (no record holds it), so it goes at once, whatever the phase's end writes.
   */
  removePendingMember(group: ClassicGroup, memberId: string): JoinPhaseRecords {
    const timer = group.pendingMembers.get(memberId);
    if (timer === undefined) return NONE;
    timer();
    group.pendingMembers.delete(memberId);
    return this.tryCompleteJoin(group);
  }

  /**
   * Members leave (LeaveGroup, session or sync expiry): the group rebalances, or its join phase
   * completes. When that leaves no member the Empty generation's record is returned and nothing
   * changes before it is replayed.
   */
  removeMembersAndUpdateGroup(group: ClassicGroup, leaving: readonly GroupMember[]): JoinPhaseRecords {
    if (leaving.length === 0) return NONE;
    if (this.endsEmpty(group, leaving)) return [emptyGenerationRecord(group, this.clock.now())];
    for (const m of leaving) this.removeMember(group, m);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.prepareRebalance(group);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
      default:
        return NONE;
    }
  }

  /** Whether removing these members ends the join phase at once with nobody left (an Empty generation). */
  private endsEmpty(group: ClassicGroup, leaving: readonly GroupMember[]): boolean {
    if (group.state === 'Empty' || group.state === 'Dead' || group.pendingMembers.size > 0) return false;
    if (group.state === 'PreparingRebalance' && group.inInitialDelay) return false;
    const gone = new Set(leaving.map((m) => m.memberId));
    return [...group.members.keys()].every((id) => gone.has(id));
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
