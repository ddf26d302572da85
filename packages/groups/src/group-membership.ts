// The classic group membership protocol: JoinGroup (two-step ids, static members), SyncGroup,
// Heartbeat and LeaveGroup; the timers and generation changes live in GroupRebalancer. Every
// mutation runs synchronously on the event loop; the leader's assignment is a coordinator operation
// (appended, then replayed into the members) that re-checks the generation on its turn.
import { randomUUID } from 'node:crypto';
import { type CoordinatorResult, responseOnly } from '@mq/coordinator';
import type { ClassicGroup } from './classic-group';
import { classicGroupRecord } from './classic-group-records';
import type { GroupRecord } from './records/group-record';
import type { Clock } from '@mq/timerwheel';
import type { GroupCoordinatorConfig } from './config';
import { ErrorCode as E } from '@mq/protocol';
import { GroupMember } from './group-member';
import { GroupRebalancer } from './group-rebalancer';
import { currentJoinResponse, joinError, syncError } from './group-responses';
import type {
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types';

export interface MembershipHost {
  readonly clock: Clock;
  readonly config: GroupCoordinatorConfig;
  getGroup(groupId: string): ClassicGroup | undefined;
  createGroup(groupId: string): ClassicGroup;
  /** Drops a group that was created for a request that then failed and holds nothing. */
  discardIfUnused(group: ClassicGroup): void;
  /** Appends the group's metadata record as memory holds it. */
  storeGroup(group: ClassicGroup): Promise<void>;
  /** Runs an operation on the shard's loop: its records appended, then replayed, then onCommitted. */
  runOp<T>(name: string, op: () => CoordinatorResult<GroupRecord, T>): Promise<T>;
  onError(err: unknown, context: string): void;
}

type JoinRespond = (res: JoinGroupResponse) => void;

export class GroupMembership {
  readonly rebalancer: GroupRebalancer;

  constructor(private readonly host: MembershipHost) {
    this.rebalancer = new GroupRebalancer(host);
  }

  /** Restarts a member's session timer (heartbeat, commit, reload). */
  scheduleSession(group: ClassicGroup, member: GroupMember): void {
    this.rebalancer.scheduleSession(group, member);
  }

  /** Cancels every timer of a group (delete, shutdown) and answers its parked requests. */
  shutdownGroup(group: ClassicGroup, errorCode: number): void {
    this.rebalancer.shutdownGroup(group, errorCode);
  }

  private get clock(): Clock {
    return this.host.clock;
  }

  joinGroup(req: JoinGroupRequest, meta: RequestMeta): Promise<JoinGroupResponse> {
    const { config } = this.host;
    if (req.groupId === '') return Promise.resolve(joinError(E.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs < config.minSessionTimeoutMs || req.sessionTimeoutMs > config.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(E.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const isUnknownMember = req.memberId === '';
    let group = this.host.getGroup(req.groupId);
    if (group === undefined) {
      if (!isUnknownMember) return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, req.memberId));
      group = this.host.createGroup(req.groupId);
    }
    const g = group;
    if (isUnknownMember && g.members.size + g.pendingMembers.size >= config.maxGroupSize) {
      return Promise.resolve(joinError(E.GROUP_MAX_SIZE_REACHED, req.memberId));
    }
    if (!g.supportsProtocols(req.protocolType, req.protocols)) {
      this.host.discardIfUnused(g);
      return Promise.resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    return new Promise<JoinGroupResponse>((resolve) => {
      if (isUnknownMember) this.joinUnknownMember(g, req, meta, resolve);
      else this.joinKnownMember(g, req, meta, resolve);
    });
  }

  private joinUnknownMember(group: ClassicGroup, req: JoinGroupRequest, meta: RequestMeta, respond: JoinRespond): void {
    if (req.groupInstanceId !== null) {
      const newMemberId = `${req.groupInstanceId}-${randomUUID()}`;
      const existing = group.staticMembers.get(req.groupInstanceId);
      if (existing !== undefined) this.replaceStaticMember(group, existing, newMemberId, req, meta, respond);
      else this.addMemberAndRebalance(group, newMemberId, req, meta, respond);
      return;
    }
    const newMemberId = `${meta.clientId}-${randomUUID()}`;
    if (meta.apiVersion >= 4) {
      // KIP-394: hand out the id first; the member exists once it joins again with it.
      const timer = this.clock.schedule(req.sessionTimeoutMs, () => this.rebalancer.expirePendingMember(group, newMemberId));
      group.pendingMembers.set(newMemberId, timer);
      respond(joinError(E.MEMBER_ID_REQUIRED, newMemberId));
      return;
    }
    this.addMemberAndRebalance(group, newMemberId, req, meta, respond);
  }

  private joinKnownMember(group: ClassicGroup, req: JoinGroupRequest, meta: RequestMeta, respond: JoinRespond): void {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      pending();
      group.pendingMembers.delete(req.memberId);
      this.addMemberAndRebalance(group, req.memberId, req, meta, respond);
      return;
    }
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) {
      respond(joinError(err, req.memberId));
      return;
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, req, meta, respond);
        return;
      case 'CompletingRebalance':
        if (member.matches(req.protocols)) respond(currentJoinResponse(group, member));
        else this.updateMemberAndRebalance(group, member, req, meta, respond);
        return;
      case 'Stable':
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) {
          this.updateMemberAndRebalance(group, member, req, meta, respond);
        } else {
          respond(currentJoinResponse(group, member));
        }
        return;
      default:
        respond(joinError(E.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  /** UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID / NONE for a request naming a member. */
  validateMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.staticMembers.get(groupInstanceId);
      if (current !== undefined && current !== memberId) return E.FENCED_INSTANCE_ID;
    }
    return group.members.has(memberId) ? E.NONE : E.UNKNOWN_MEMBER_ID;
  }

  private addMemberAndRebalance(
    group: ClassicGroup,
    memberId: string,
    req: JoinGroupRequest,
    meta: RequestMeta,
    respond: JoinRespond,
  ): void {
    const member = new GroupMember({
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: meta.clientId,
      clientHost: meta.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    });
    member.isNew = true;
    member.joinWaiter = respond;
    if (group.isEmpty) {
      // An empty group may change protocol: it becomes (again) a classic group.
      group.protocolType = req.protocolType;
      group.groupType = 'classic';
      group.consumer = null;
    }
    group.members.set(memberId, member);
    if (req.groupInstanceId !== null) group.staticMembers.set(req.groupInstanceId, memberId);
    if (group.leaderId === null) group.leaderId = memberId;
    if (group.inInitialDelay) group.newMemberAdded = true;
    this.rebalancer.scheduleSession(group, member);
    this.rebalancer.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(
    group: ClassicGroup,
    member: GroupMember,
    req: JoinGroupRequest,
    meta: RequestMeta,
    respond: JoinRespond,
  ): void {
    member.protocols = req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.clientId = meta.clientId;
    member.clientHost = meta.clientHost;
    // A second JoinGroup while one is parked supersedes it; the first caller gets an answer too.
    member.completeJoin(joinError(E.REBALANCE_IN_PROGRESS, member.memberId));
    member.joinWaiter = respond;
    this.rebalancer.maybePrepareRebalance(group);
  }

  private replaceStaticMember(
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    req: JoinGroupRequest,
    meta: RequestMeta,
    respond: JoinRespond,
  ): void {
    const old = group.members.get(oldMemberId)!;
    old.completeJoin(joinError(E.FENCED_INSTANCE_ID, oldMemberId));
    old.completeSync(syncError(E.FENCED_INSTANCE_ID));
    old.sessionTimer?.();
    const member = new GroupMember({
      memberId: newMemberId,
      groupInstanceId: req.groupInstanceId,
      clientId: meta.clientId,
      clientHost: meta.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    });
    member.assignment = old.assignment;
    group.members.delete(oldMemberId);
    group.members.set(newMemberId, member);
    group.staticMembers.set(req.groupInstanceId!, newMemberId);
    if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
    this.rebalancer.scheduleSession(group, member);

    if (group.state === 'Stable' && old.matches(req.protocols)) {
      // Same subscription: the restarted instance takes over its assignment without a rebalance.
      const generationId = group.generationId;
      this.host.storeGroup(group).then(
        () => {
          const res = currentJoinResponse(group, member);
          // KIP-814: a static leader that rejoins learns the members but must not reassign.
          if (meta.apiVersion >= 9 && group.isLeader(newMemberId)) res.skipAssignment = true;
          respond(group.generationId === generationId ? res : joinError(E.REBALANCE_IN_PROGRESS, newMemberId));
        },
        (err: unknown) => {
          this.host.onError(err, `storing group ${group.groupId} after static member replacement`);
          respond(joinError(E.UNKNOWN_SERVER_ERROR, newMemberId));
        },
      );
      return;
    }
    member.joinWaiter = respond;
    this.rebalancer.maybePrepareRebalance(group);
  }

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    if (req.groupId === '') return Promise.resolve(syncError(E.INVALID_GROUP_ID));
    const group = this.host.getGroup(req.groupId);
    if (group === undefined) return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) return Promise.resolve(syncError(err));
    if (req.generationId !== group.generationId) return Promise.resolve(syncError(E.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== null && req.protocolType !== group.protocolType) ||
      (req.protocolName !== null && req.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(E.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(E.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.rebalancer.scheduleSession(group, member);
        return Promise.resolve(this.syncSuccess(group, member.assignment));
      case 'CompletingRebalance':
        return new Promise<SyncGroupResponse>((resolve) => {
          member.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
          member.syncWaiter = resolve;
          this.rebalancer.scheduleSession(group, member);
          if (group.isLeader(member.memberId)) this.storeAssignment(group, req);
        });
      default:
        return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
    }
  }

  /**
   * The leader's assignment as an operation: its group record is appended, the replay hands each
   * member its assignment, then the generation is Stable and every parked SyncGroup is answered. A
   * generation that moved on while the operation waited writes nothing (or, during the append, is
   * left to its new rebalance); a failed append rebalances.
   */
  private storeAssignment(group: ClassicGroup, req: SyncGroupRequest): void {
    const assignments = new Map<string, Buffer>();
    for (const a of req.assignments) if (group.members.has(a.memberId)) assignments.set(a.memberId, Buffer.from(a.assignment));
    const generationId = group.generationId;
    const current = () => group.state === 'CompletingRebalance' && group.generationId === generationId;
    const op = (): CoordinatorResult<GroupRecord, undefined> => {
      if (!current()) return responseOnly(undefined);
      return { records: [classicGroupRecord(group, assignments)], response: undefined, onCommitted: () => current() && this.completeSync(group) };
    };
    this.host.runOp(`SyncGroup of group ${group.groupId}`, op).catch((err: unknown) => {
      this.host.onError(err, `storing assignment of group ${group.groupId}`);
      if (!current()) return;
      this.rebalancer.propagateSyncError(group, E.COORDINATOR_NOT_AVAILABLE);
      this.rebalancer.prepareRebalance(group);
    });
  }

  /** The assignment is in the log and in the members (replayed): the generation is Stable. */
  private completeSync(group: ClassicGroup): void {
    group.syncTimer?.();
    group.syncTimer = null;
    group.transitionTo('Stable', this.clock.now());
    for (const m of group.members.values()) m.completeSync(this.syncSuccess(group, m.assignment));
  }

  private syncSuccess(group: ClassicGroup, assignment: Buffer): SyncGroupResponse {
    return { errorCode: E.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment };
  }

  heartbeat(req: HeartbeatRequest): number {
    if (req.groupId === '') return E.INVALID_GROUP_ID;
    const group = this.host.getGroup(req.groupId);
    if (group === undefined) return E.UNKNOWN_MEMBER_ID;
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) return err;
    if (req.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
    const member = group.members.get(req.memberId)!;
    this.rebalancer.scheduleSession(group, member);
    switch (group.state) {
      case 'PreparingRebalance':
        return E.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        return E.NONE;
      default:
        return E.UNKNOWN_MEMBER_ID;
    }
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResponse {
    if (req.groupId === '') return { errorCode: E.INVALID_GROUP_ID, members: [] };
    const group = this.host.getGroup(req.groupId);
    const members = req.members.map((leaving) => {
      const out = { memberId: leaving.memberId, groupInstanceId: leaving.groupInstanceId, errorCode: E.NONE as number };
      if (group === undefined) {
        out.errorCode = E.UNKNOWN_MEMBER_ID;
        return out;
      }
      let memberId = leaving.memberId;
      if (memberId === '' && leaving.groupInstanceId !== null) {
        // KIP-345: an admin may remove a static member by instance id alone.
        memberId = group.staticMembers.get(leaving.groupInstanceId) ?? '';
      }
      const pending = group.pendingMembers.get(memberId);
      if (pending !== undefined) {
        pending();
        group.pendingMembers.delete(memberId);
        this.rebalancer.maybeCompleteAfterRemoval(group);
        return out;
      }
      out.errorCode = this.validateMember(group, memberId, leaving.groupInstanceId);
      if (out.errorCode === E.NONE) this.rebalancer.removeMemberAndUpdateGroup(group, group.members.get(memberId)!);
      return out;
    });
    return { errorCode: E.NONE, members };
  }

}
