// The classic group membership protocol: JoinGroup (two-step ids, static members), SyncGroup,
// Heartbeat and LeaveGroup; the timers and generation changes live in GroupRebalancer. JoinGroup,
// SyncGroup, LeaveGroup and every timer run as coordinator operations on the shard's loop (Kafka's
// GroupMetadataManager on its runtime), so none of them runs while another one's records are being
// appended. What the log holds of a classic group changes only by replaying its GroupMetadata
// record after the append: the leader's assignment, the Empty generation a join phase ends with
// when nobody is left, and a restarted static member taking its old member's place; a failed
// append answers the error and leaves the group as it was. The in-flight rebalance (members that
// joined since the last record, their protocols, parked requests, MEMBER_ID_REQUIRED ids, the
// state and the new generation until the leader's SyncGroup) is held in memory only, as Kafka
// does: a coordinator that restarts mid-rebalance loads the last generation written, whose
// members then rejoin (ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID tell them to). Heartbeat changes
// nothing but the member's session timer and runs at once.
import { randomUUID } from 'node:crypto';
import { type CoordinatorResult, responseOnly } from '@mq/coordinator';
import { ErrorCode as E, KafkaError } from '@mq/protocol';
import type { Clock } from '@mq/timerwheel';
import type { ClassicGroup } from './classic-group';
import type { ConsumerGroup } from './consumer-group';
import type { Group } from './group';
import { classicGroupRecord, staticReplacementRecord, storedMember } from './classic-group-records';
import type { GroupCoordinatorConfig } from './config';
import { GroupMember } from './group-member';
import { GroupRebalancer, type JoinPhaseRecords } from './group-rebalancer';
import { currentJoinResponse, joinError, syncError } from './group-responses';
import type { GroupRecord, StoredGroup, StoredMember } from './records/group-record';
import type {
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  RequestMeta,
  SyncGroupRequest,
  SyncGroupResponse,
} from './group-api';

export interface MembershipHost {
  readonly clock: Clock;
  readonly config: GroupCoordinatorConfig;
  getGroup(groupId: string): Group | undefined;
  createGroup(groupId: string): ClassicGroup;
  /** An empty KIP-848 group that a classic member joins becomes a classic group (its offsets kept). */
  toClassic(group: ConsumerGroup): ClassicGroup;
  /** Drops a group that was created for a request that then failed and holds nothing. */
  discardIfUnused(group: ClassicGroup): void;
  /** Runs an operation on the shard's loop: its records appended, then replayed, then onCommitted. */
  runOp<T>(name: string, op: () => CoordinatorResult<GroupRecord, T>): Promise<T>;
  onError(err: unknown, context: string): void;
}

type JoinRespond = (res: JoinGroupResponse) => void;

/** Requests with every field present: what a caller (or an older version) leaves out is the schema's default. */
type Join = Required<JoinGroupRequest>;
type Sync = Required<SyncGroupRequest>;

type Op = CoordinatorResult<GroupRecord, undefined>;

const NOTHING: Op = { records: [], response: undefined };

function op(records: JoinPhaseRecords): Op {
  return records.length === 0 ? NOTHING : { records, response: undefined };
}

function errorCodeOf(err: unknown): number {
  return err instanceof KafkaError ? err.errorCode : E.UNKNOWN_SERVER_ERROR;
}

/** A promise answered once: by the operation (now or from a parked request), or with the error it failed with. */
function answerOnce<T>(run: (respond: (res: T) => void) => Promise<unknown>, failed: (err: unknown) => T): Promise<T> {
  return new Promise<T>((resolve) => {
    let answered = false;
    const respond = (res: T) => {
      if (answered) return;
      answered = true;
      resolve(res);
    };
    run(respond).catch((err: unknown) => respond(failed(err)));
  });
}

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

  /** The classic group of that id; a KIP-848 group is none (its members are unknown here). */
  private classic(groupId: string): ClassicGroup | undefined {
    const g = this.host.getGroup(groupId);
    return g?.type === 'classic' ? g : undefined;
  }

  private failed(err: unknown, context: string): number {
    if (!(err instanceof KafkaError)) this.host.onError(err, context);
    return errorCodeOf(err);
  }

  joinGroup(input: JoinGroupRequest, meta: RequestMeta): Promise<JoinGroupResponse> {
    const req: Join = { ...input, rebalanceTimeoutMs: input.rebalanceTimeoutMs ?? -1, groupInstanceId: input.groupInstanceId ?? null, reason: input.reason ?? null };
    const name = `JoinGroup of group ${req.groupId}`;
    return answerOnce<JoinGroupResponse>(
      (respond) => this.host.runOp(name, () => this.joinGroupOp(req, meta, respond)),
      (err) => joinError(this.failed(err, name), req.memberId),
    );
  }

  private joinGroupOp(req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    const { config } = this.host;
    const answer = (errorCode: number): Op => {
      respond(joinError(errorCode, req.memberId));
      return NOTHING;
    };
    if (req.groupId === '') return answer(E.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < config.minSessionTimeoutMs || req.sessionTimeoutMs > config.maxSessionTimeoutMs) return answer(E.INVALID_SESSION_TIMEOUT);
    const isUnknownMember = req.memberId === '';
    const found = this.host.getGroup(req.groupId);
    let group: ClassicGroup | undefined;
    if (found?.type === 'consumer') {
      // A live KIP-848 group refuses the classic protocol; an empty one may become classic again.
      if (!found.isEmpty || req.protocolType === '' || req.protocols.length === 0) return answer(E.INCONSISTENT_GROUP_PROTOCOL);
      if (!isUnknownMember) return answer(E.UNKNOWN_MEMBER_ID);
      group = this.host.toClassic(found);
    } else {
      group = found;
    }
    if (group === undefined) {
      if (!isUnknownMember) return answer(E.UNKNOWN_MEMBER_ID);
      group = this.host.createGroup(req.groupId);
    }
    if (isUnknownMember && group.members.size + group.pendingMembers.size >= config.maxGroupSize) return answer(E.GROUP_MAX_SIZE_REACHED);
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      this.host.discardIfUnused(group);
      return answer(E.INCONSISTENT_GROUP_PROTOCOL);
    }
    return isUnknownMember ? this.joinUnknownMember(group, req, meta, respond) : this.joinKnownMember(group, req, meta, respond);
  }

  private joinUnknownMember(group: ClassicGroup, req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    if (req.groupInstanceId !== null) {
      const newMemberId = `${req.groupInstanceId}-${randomUUID()}`;
      const existing = group.staticMembers.get(req.groupInstanceId);
      if (existing !== undefined) return this.replaceStaticMember(group, existing, newMemberId, req, meta, respond);
      return this.addMemberAndRebalance(group, newMemberId, req, meta, respond);
    }
    const newMemberId = `${meta.clientId}-${randomUUID()}`;
    if (meta.apiVersion >= 4) {
      // KIP-394: hand out the id first; the member exists once it joins again with it.
      group.pendingMembers.set(newMemberId, this.rebalancer.schedulePendingExpiry(group, newMemberId, req.sessionTimeoutMs));
      respond(joinError(E.MEMBER_ID_REQUIRED, newMemberId));
      return NOTHING;
    }
    return this.addMemberAndRebalance(group, newMemberId, req, meta, respond);
  }

  private joinKnownMember(group: ClassicGroup, req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      pending();
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(group, req.memberId, req, meta, respond);
    }
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) {
      respond(joinError(err, req.memberId));
      return NOTHING;
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, req, meta, respond);
      case 'CompletingRebalance':
        if (!member.matches(req.protocols)) return this.updateMemberAndRebalance(group, member, req, meta, respond);
        respond(currentJoinResponse(group, member));
        return NOTHING;
      case 'Stable':
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) return this.updateMemberAndRebalance(group, member, req, meta, respond);
        respond(currentJoinResponse(group, member));
        return NOTHING;
      default:
        respond(joinError(E.UNKNOWN_MEMBER_ID, req.memberId));
        return NOTHING;
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

  private newMember(memberId: string, req: Join, meta: RequestMeta): GroupMember {
    return new GroupMember({
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: meta.clientId,
      clientHost: meta.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    });
  }

  /** In-flight: the member is in the group's next generation once the join phase completes. */
  private addMemberAndRebalance(group: ClassicGroup, memberId: string, req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    const member = this.newMember(memberId, req, meta);
    member.isNew = true;
    member.joinWaiter = respond;
    // The first member sets the group's protocol type.
    if (group.isEmpty) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    if (req.groupInstanceId !== null) group.staticMembers.set(req.groupInstanceId, memberId);
    if (group.leaderId === null) group.leaderId = memberId;
    if (group.inInitialDelay) group.newMemberAdded = true;
    this.rebalancer.scheduleSession(group, member);
    return op(this.rebalancer.maybePrepareRebalance(group));
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    member.protocols = req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.clientId = meta.clientId;
    member.clientHost = meta.clientHost;
    // A second JoinGroup while one is parked supersedes it; the first caller gets an answer too.
    member.completeJoin(joinError(E.REBALANCE_IN_PROGRESS, member.memberId));
    member.joinWaiter = respond;
    return op(this.rebalancer.maybePrepareRebalance(group));
  }

  /**
   * A static instance restarted (JoinGroup with its instance id, no member id). In Stable with the
   * same subscription it takes over its old member's assignment without a rebalance: that is the
   * group's record with the new member id, and the old member is fenced only when it is replayed.
   * Otherwise the replacement is in-flight and the group rebalances.
   */
  private replaceStaticMember(group: ClassicGroup, oldMemberId: string, newMemberId: string, req: Join, meta: RequestMeta, respond: JoinRespond): Op {
    const old = group.members.get(oldMemberId)!;
    if (group.state === 'Stable' && old.matches(req.protocols)) {
      const fresh = this.newMember(newMemberId, req, meta);
      const stored: StoredMember = {
        memberId: newMemberId,
        groupInstanceId: req.groupInstanceId,
        clientId: fresh.clientId,
        clientHost: fresh.clientHost,
        rebalanceTimeoutMs: fresh.rebalanceTimeoutMs,
        sessionTimeoutMs: fresh.sessionTimeoutMs,
        subscription: old.metadataFor(group.protocolName ?? ''),
        assignment: old.assignment,
      };
      const generationId = group.generationId;
      return {
        records: [staticReplacementRecord(group, oldMemberId, stored)],
        response: undefined,
        onCommitted: () => {
          const member = group.members.get(newMemberId);
          if (member === undefined || group.generationId !== generationId) {
            respond(joinError(E.REBALANCE_IN_PROGRESS, newMemberId));
            return;
          }
          this.rebalancer.scheduleSession(group, member);
          const res = currentJoinResponse(group, member);
          // KIP-814: a static leader that rejoins learns the members but must not reassign.
          if (meta.apiVersion >= 9 && group.isLeader(newMemberId)) res.skipAssignment = true;
          respond(res);
        },
      };
    }
    old.completeJoin(joinError(E.FENCED_INSTANCE_ID, oldMemberId));
    old.completeSync(syncError(E.FENCED_INSTANCE_ID));
    old.sessionTimer?.();
    old.sessionTimer = null;
    const member = this.newMember(newMemberId, req, meta);
    member.assignment = old.assignment;
    group.members.delete(oldMemberId);
    group.members.set(newMemberId, member);
    group.staticMembers.set(req.groupInstanceId!, newMemberId);
    if (group.leaderId === oldMemberId) group.leaderId = newMemberId;
    this.rebalancer.scheduleSession(group, member);
    member.joinWaiter = respond;
    return op(this.rebalancer.maybePrepareRebalance(group));
  }

  /**
   * A GroupMetadata record replayed live after its append. Of the group's current generation: its
   * members take their assignments (the leader's SyncGroup), and a member id the group does not
   * know for a static instance it does is that instance's restart taking over. Of the next
   * generation with no member: the join phase ended Empty. Anything else (written for a
   * generation the group has left) changes nothing.
   */
  applyGroupRecord(g: ClassicGroup, s: StoredGroup): void {
    if (s.members.length === 0 && s.generationId === g.generationId + 1) {
      this.rebalancer.endJoinPhaseEmpty(g, s);
      return;
    }
    if (s.generationId !== g.generationId) return;
    for (const sm of s.members) {
      const m = g.members.get(sm.memberId) ?? this.takeOverStaticMember(g, sm);
      if (m !== undefined) m.assignment = sm.assignment;
    }
  }

  private takeOverStaticMember(g: ClassicGroup, sm: StoredMember): GroupMember | undefined {
    if (sm.groupInstanceId === null) return undefined;
    const oldId = g.staticMembers.get(sm.groupInstanceId);
    const old = oldId === undefined ? undefined : g.members.get(oldId);
    if (old === undefined) return undefined;
    old.completeJoin(joinError(E.FENCED_INSTANCE_ID, old.memberId));
    old.completeSync(syncError(E.FENCED_INSTANCE_ID));
    old.sessionTimer?.();
    old.sessionTimer = null;
    // Taken over only with the same subscription, so the old member's protocols are the new one's.
    const member = storedMember(sm, old.protocolType, old.protocols);
    g.members.delete(old.memberId);
    g.members.set(member.memberId, member);
    g.staticMembers.set(sm.groupInstanceId, member.memberId);
    if (g.leaderId === old.memberId) g.leaderId = member.memberId;
    return member;
  }

  syncGroup(input: SyncGroupRequest): Promise<SyncGroupResponse> {
    const req: Sync = { ...input, groupInstanceId: input.groupInstanceId ?? null, protocolType: input.protocolType ?? null, protocolName: input.protocolName ?? null };
    const name = `SyncGroup of group ${req.groupId}`;
    return answerOnce<SyncGroupResponse>(
      (respond) => this.host.runOp(name, () => this.syncGroupOp(req, respond)),
      (err) => syncError(this.failed(err, name)),
    );
  }

  private syncGroupOp(req: Sync, respond: (res: SyncGroupResponse) => void): Op {
    const answer = (res: SyncGroupResponse): Op => {
      respond(res);
      return NOTHING;
    };
    if (req.groupId === '') return answer(syncError(E.INVALID_GROUP_ID));
    const group = this.classic(req.groupId);
    if (group === undefined) return answer(syncError(E.UNKNOWN_MEMBER_ID));
    const err = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (err !== E.NONE) return answer(syncError(err));
    if (req.generationId !== group.generationId) return answer(syncError(E.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== null && req.protocolType !== group.protocolType) ||
      (req.protocolName !== null && req.protocolName !== group.protocolName)
    ) {
      return answer(syncError(E.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return answer(syncError(E.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.rebalancer.scheduleSession(group, member);
        return answer(this.syncSuccess(group, member.assignment));
      case 'CompletingRebalance':
        member.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
        member.syncWaiter = respond;
        this.rebalancer.scheduleSession(group, member);
        return group.isLeader(member.memberId) ? this.storeAssignment(group, req) : NOTHING;
      default:
        return answer(syncError(E.UNKNOWN_MEMBER_ID));
    }
  }

  /**
   * The leader's assignment: its group record is appended, the replay hands each member its
   * assignment, then the generation is Stable and every parked SyncGroup is answered. A failed
   * append answers them COORDINATOR_NOT_AVAILABLE and rebalances (in another operation).
   */
  private storeAssignment(group: ClassicGroup, req: Sync): Op {
    const assignments = new Map<string, Buffer>();
    for (const a of req.assignments) if (group.members.has(a.memberId)) assignments.set(a.memberId, Buffer.from(a.assignment));
    const generationId = group.generationId;
    const current = () => this.classic(group.groupId) === group && group.state === 'CompletingRebalance' && group.generationId === generationId;
    const name = `SyncGroup of group ${group.groupId}`;
    return {
      records: [classicGroupRecord(group, assignments)],
      response: undefined,
      onCommitted: () => {
        if (current()) this.completeSync(group);
      },
      onFailed: () => {
        if (!current()) return;
        // Still this operation's turn on the loop: the parked SyncGroups learn of it and the group rebalances.
        this.rebalancer.propagateSyncError(group, E.COORDINATOR_NOT_AVAILABLE);
        const records = this.rebalancer.prepareRebalance(group);
        // A group with members cannot end its join phase Empty here; should it, that is written in turn.
        if (records.length > 0) this.host.runOp(`${name}: end of the join phase`, () => op(this.rebalancer.tryCompleteJoin(group))).catch((e: unknown) => this.host.onError(e, name));
      },
    };
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

  /**
   * Heartbeat as an operation, as Kafka's classic-group-heartbeat: it writes nothing, but it takes
   * its turn behind a JoinGroup or SyncGroup whose records are being appended, so it never answers
   * from a generation the log does not hold yet. On an idle shard it runs inside the call.
   */
  heartbeat(req: HeartbeatRequest): Promise<number> {
    const name = `Heartbeat of group ${req.groupId}`;
    return this.host.runOp(name, () => responseOnly(this.heartbeatOp(req))).catch((err: unknown) => this.failed(err, name));
  }

  private heartbeatOp(req: HeartbeatRequest): number {
    if (req.groupId === '') return E.INVALID_GROUP_ID;
    const group = this.classic(req.groupId);
    if (group === undefined) return E.UNKNOWN_MEMBER_ID;
    const err = this.validateMember(group, req.memberId, req.groupInstanceId ?? null);
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

  leaveGroup(req: LeaveGroupRequest): Promise<LeaveGroupResponse> {
    const name = `LeaveGroup of group ${req.groupId}`;
    return this.host.runOp(name, () => this.leaveGroupOp(req)).catch((err: unknown) => ({ errorCode: this.failed(err, name), members: [] }));
  }

  /** Every leaving member in one operation: when nobody is left its Empty generation is written before anyone is removed. */
  private leaveGroupOp(req: LeaveGroupRequest): CoordinatorResult<GroupRecord, LeaveGroupResponse> {
    if (req.groupId === '') return responseOnly({ errorCode: E.INVALID_GROUP_ID, members: [] });
    const group = this.classic(req.groupId);
    const leaving = new Map<string, GroupMember>();
    let pendingLeft = false;
    const members = req.members.map((m) => {
      const groupInstanceId = m.groupInstanceId ?? null;
      const out = { memberId: m.memberId, groupInstanceId, errorCode: E.NONE as number };
      if (group === undefined) {
        out.errorCode = E.UNKNOWN_MEMBER_ID;
        return out;
      }
      let memberId = m.memberId;
      if (memberId === '' && groupInstanceId !== null) {
        // KIP-345: an admin may remove a static member by instance id alone.
        memberId = group.staticMembers.get(groupInstanceId) ?? '';
      }
      const pending = group.pendingMembers.get(memberId);
      if (pending !== undefined) {
        // A MEMBER_ID_REQUIRED id is in-flight state: it goes at once.
        pending();
        group.pendingMembers.delete(memberId);
        pendingLeft = true;
        return out;
      }
      out.errorCode = this.validateMember(group, memberId, groupInstanceId);
      if (out.errorCode === E.NONE) leaving.set(memberId, group.members.get(memberId)!);
      return out;
    });
    const response = { errorCode: E.NONE, members };
    if (group === undefined) return responseOnly(response);
    let records = this.rebalancer.removeMembersAndUpdateGroup(group, [...leaving.values()]);
    if (leaving.size === 0 && pendingLeft) records = this.rebalancer.tryCompleteJoin(group);
    return { records, response };
  }
}
