// The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the
// timers that drive rebalances (join phase, sync phase, one session timer per member). Every
// mutation runs synchronously on the event loop; the only await (storing the leader's assignment)
// re-checks the generation afterwards, so no invariant is held across it.
import { randomUUID } from 'node:crypto';
import type { ClassicGroup } from './classic-group';
import type { Clock } from './clock';
import type { GroupCoordinatorConfig } from './config';
import { GroupErrorCode as E } from './error-codes';
import { GroupMember } from './group-member';
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
  /** Appends the group's metadata record (with these assignments, when given). */
  storeGroup(group: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): Promise<void>;
  onError(err: unknown, context: string): void;
}

type JoinRespond = (res: JoinGroupResponse) => void;

export function joinError(errorCode: number, memberId: string): JoinGroupResponse {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

export class GroupMembership {
  constructor(private readonly host: MembershipHost) {}

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
      const timer = this.clock.schedule(req.sessionTimeoutMs, () => this.expirePendingMember(group, newMemberId));
      group.pendingMembers.set(newMemberId, timer);
      respond(joinError(E.MEMBER_ID_REQUIRED, newMemberId));
      return;
    }
    this.addMemberAndRebalance(group, newMemberId, req, meta, respond);
  }

  private joinKnownMember(group: ClassicGroup, req: JoinGroupRequest, meta: RequestMeta, respond: JoinRespond): void {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      pending.cancel();
      group.pendingMembers.delete(req.memberId);
      this.addMemberAndRebalance(group, req.memberId, req, meta, respond);
      return;
    }
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) return respond(joinError(err, req.memberId));
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, req, meta, respond);
        return;
      case 'CompletingRebalance':
        if (member.matches(req.protocols)) respond(this.currentJoinResponse(group, member));
        else this.updateMemberAndRebalance(group, member, req, meta, respond);
        return;
      case 'Stable':
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) {
          this.updateMemberAndRebalance(group, member, req, meta, respond);
        } else {
          respond(this.currentJoinResponse(group, member));
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
    this.scheduleSession(group, member);
    this.maybePrepareRebalance(group);
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
    this.maybePrepareRebalance(group);
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
    old.sessionTimer?.cancel();
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
    this.scheduleSession(group, member);

    if (group.state === 'Stable' && old.matches(req.protocols)) {
      // Same subscription: the restarted instance takes over its assignment without a rebalance.
      const generationId = group.generationId;
      this.host.storeGroup(group).then(
        () => {
          const res = this.currentJoinResponse(group, member);
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
    this.maybePrepareRebalance(group);
  }

  currentJoinResponse(group: ClassicGroup, member: GroupMember): JoinGroupResponse {
    const isLeader = group.isLeader(member.memberId);
    return {
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId: member.memberId,
      members: isLeader ? this.memberMetadata(group) : [],
    };
  }

  private memberMetadata(group: ClassicGroup): JoinGroupResponse['members'] {
    const protocol = group.protocolName ?? '';
    return [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocol),
    }));
  }

  maybePrepareRebalance(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    else if (group.state !== 'Dead') this.prepareRebalance(group);
  }

  prepareRebalance(group: ClassicGroup): void {
    if (group.state === 'CompletingRebalance') this.propagateSyncError(group, E.REBALANCE_IN_PROGRESS);
    group.syncTimer?.cancel();
    group.syncTimer = null;
    group.joinTimer?.cancel();
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
    group.joinTimer?.cancel();
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
      if (m.isAwaitingJoin) m.completeJoin(this.currentJoinResponse(group, m));
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
        this.scheduleSession(group, member);
        return Promise.resolve(this.syncSuccess(group, member.assignment));
      case 'CompletingRebalance':
        return new Promise<SyncGroupResponse>((resolve) => {
          member.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
          member.syncWaiter = resolve;
          this.scheduleSession(group, member);
          if (group.isLeader(member.memberId)) this.storeAssignment(group, req);
        });
      default:
        return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
    }
  }

  private storeAssignment(group: ClassicGroup, req: SyncGroupRequest): void {
    const assignments = new Map<string, Buffer>();
    for (const a of req.assignments) if (group.members.has(a.memberId)) assignments.set(a.memberId, Buffer.from(a.assignment));
    const generationId = group.generationId;
    this.host.storeGroup(group, assignments).then(
      () => {
        if (group.state !== 'CompletingRebalance' || group.generationId !== generationId) return;
        for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? Buffer.alloc(0);
        group.syncTimer?.cancel();
        group.syncTimer = null;
        group.transitionTo('Stable', this.clock.now());
        for (const m of group.members.values()) m.completeSync(this.syncSuccess(group, m.assignment));
      },
      (err: unknown) => {
        this.host.onError(err, `storing assignment of group ${group.groupId}`);
        if (group.state !== 'CompletingRebalance' || group.generationId !== generationId) return;
        this.propagateSyncError(group, E.COORDINATOR_NOT_AVAILABLE);
        this.prepareRebalance(group);
      },
    );
  }

  private syncSuccess(group: ClassicGroup, assignment: Buffer): SyncGroupResponse {
    return { errorCode: E.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment };
  }

  private propagateSyncError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.completeSync(syncError(errorCode));
  }

  heartbeat(req: HeartbeatRequest): number {
    if (req.groupId === '') return E.INVALID_GROUP_ID;
    const group = this.host.getGroup(req.groupId);
    if (group === undefined) return E.UNKNOWN_MEMBER_ID;
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) return err;
    if (req.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
    const member = group.members.get(req.memberId)!;
    this.scheduleSession(group, member);
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
        pending.cancel();
        group.pendingMembers.delete(memberId);
        this.maybeCompleteAfterRemoval(group);
        return out;
      }
      out.errorCode = this.validateMember(group, memberId, leaving.groupInstanceId);
      if (out.errorCode === E.NONE) this.removeMemberAndUpdateGroup(group, group.members.get(memberId)!);
      return out;
    });
    return { errorCode: E.NONE, members };
  }

  scheduleSession(group: ClassicGroup, member: GroupMember): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.clock.schedule(member.sessionTimeoutMs, () => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      // Parked joins/syncs are bounded by the rebalance timers instead.
      if (member.isAwaitingJoin || member.isAwaitingSync) this.scheduleSession(group, member);
      else this.removeMemberAndUpdateGroup(group, member);
    });
  }

  private expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.maybeCompleteAfterRemoval(group);
  }

  private maybeCompleteAfterRemoval(group: ClassicGroup): void {
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
    member.sessionTimer?.cancel();
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
    group.joinTimer?.cancel();
    group.syncTimer?.cancel();
    group.joinTimer = null;
    group.syncTimer = null;
    for (const t of group.pendingMembers.values()) t.cancel();
    group.pendingMembers.clear();
    for (const m of group.members.values()) {
      m.sessionTimer?.cancel();
      m.sessionTimer = null;
      m.completeJoin(joinError(errorCode, m.memberId));
      m.completeSync(syncError(errorCode));
    }
  }
}
