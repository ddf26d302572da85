// KIP-848 ConsumerGroupHeartbeat: one request joins (memberEpoch 0), heartbeats, reports owned
// partitions and leaves (-1; -2 for a static member that will be back within its session). The
// coordinator computes the target assignment server-side (uniform = sticky, or range) whenever the
// group epoch moves — a member joins or leaves, a subscription changes, or a subscribed topic is
// created, deleted or gains partitions — and reconciles each member toward it (consumer-group-assignment.ts).
// A static member (group.instance.id) is replaced only after it left with -2, and its replacement
// keeps its assignment. One session timer per member, and a revocation timer (its rebalance timeout)
// while it holds partitions it must give up. A heartbeat is a coordinator operation: it works on a
// clone of the group, its records (consumer-group-records.ts) are the difference, and the group
// changes only when they are appended and replayed; then the follow-up arms the member's timers.
// A failed append leaves the group as it was and answers the error. Expiring timers remove members
// through operations of the same kind.
import { randomUUID } from 'node:crypto';
import { type CoordinatorResult, recordsOnly, responseOnly } from '@mq/coordinator';
import type { Cancel, Clock } from '@mq/timerwheel';
import { ConsumerGroupAssignment, type TopicResolver, compileTopicRegex } from './consumer-group-assignment';
import { consumerGroupDelta } from './consumer-group-records';
import type { GroupRecord } from './records/group-record';
import { type ConsumerGroup, type ConsumerMember, ConsumerGroupState, cancelMemberTimers } from './consumer-group';
import type { Group } from './group';
import { ErrorCode as E } from '@mq/protocol';
import { CoordinatorError } from './errors';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse, RequestMeta } from './group-api';

export type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from './group-api';

export type { TopicResolver } from './consumer-group-assignment';

/** memberEpoch of a static member leaving for now: it keeps its partitions until its session ends. */
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export const SERVER_ASSIGNORS = ['uniform', 'range'] as const;

export interface ConsumerProtocolHost {
  readonly clock: Clock;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly topics: TopicResolver;
  /** Moves whenever a topic is created, deleted or gains partitions. */
  topicsVersion(): number;
  getGroup(groupId: string): Group | undefined;
  /** Runs an operation on the shard's loop: its records appended, then replayed, then onCommitted. */
  runOp<T>(name: string, op: () => CoordinatorResult<GroupRecord, T>): Promise<T>;
  onError(err: unknown, context: string): void;
}

/** What a heartbeat did to its member, for the follow-up once its records are in. */
interface HeartbeatOutcome {
  readonly response: ConsumerGroupHeartbeatResponse;
  readonly memberId: string;
  /** 'active': heartbeating (session restarted); 'paused': a static member left with -2; 'left': gone. */
  readonly kind: 'active' | 'paused' | 'left';
  /** The member still owns partitions it must give up (its revocation timer runs). */
  readonly unrevoked: boolean;
}

type TimerKind = 'session' | 'revocation';

/** A heartbeat with every field present: what an older version leaves out is the schema's default. */
type Heartbeat = Required<ConsumerGroupHeartbeatRequest>;

function withDefaults(req: ConsumerGroupHeartbeatRequest): Heartbeat {
  return {
    ...req,
    instanceId: req.instanceId ?? null,
    rackId: req.rackId ?? null,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? -1,
    subscribedTopicNames: req.subscribedTopicNames ?? null,
    subscribedTopicRegex: req.subscribedTopicRegex ?? null,
    serverAssignor: req.serverAssignor ?? null,
    topicPartitions: req.topicPartitions ?? null,
  };
}

export class ConsumerGroupProtocol {
  private readonly assignment: ConsumerGroupAssignment;

  constructor(private readonly host: ConsumerProtocolHost) {
    this.assignment = new ConsumerGroupAssignment(host.topics);
  }

  private error(errorCode: number, errorMessage: string, memberId: string | null = null): ConsumerGroupHeartbeatResponse {
    return { errorCode, errorMessage, memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }

  /**
   * The heartbeat as an operation: its records take the group to the state the heartbeat leads to
   * (nothing changes before they are appended); onCommitted copies what the log does not hold
   * (owned partitions, the regex cache) and arms the member's timers.
   */
  heartbeatOp(input: ConsumerGroupHeartbeatRequest, meta: RequestMeta): CoordinatorResult<GroupRecord, ConsumerGroupHeartbeatResponse> {
    const req = withDefaults(input);
    try {
      this.validate(req);
      const group = this.host.getGroup(req.groupId);
      if (group === undefined && req.memberEpoch !== 0) return responseOnly(this.error(E.UNKNOWN_MEMBER_ID, 'unknown group', req.memberId));
      const before = group === undefined ? null : consumerStateOf(group);
      if (before === undefined) return responseOnly(this.error(E.GROUP_ID_NOT_FOUND, `group ${req.groupId} is a classic group with members`));
      const work = before?.clone() ?? new ConsumerGroupState();
      const outcome = this.handle(work, req, meta);
      const records = consumerGroupDelta(req.groupId, before, work, this.host.topics);
      return { records, response: outcome.response, onCommitted: () => this.committed(req.groupId, work, outcome) };
    } catch (err) {
      if (!(err instanceof CoordinatorError)) throw err;
      return responseOnly(this.error(err.errorCode, err.message, req.memberId));
    }
  }

  /** Kafka's request checks (throwIfConsumerGroupHeartbeatRequestIsInvalid). */
  private validate(req: Heartbeat): void {
    const invalid = (msg: string) => new CoordinatorError(E.INVALID_REQUEST, msg);
    if (req.groupId === '') throw invalid('GroupId can not be empty');
    if (req.instanceId === '') throw invalid("InstanceId can't be empty.");
    if (req.rackId === '') throw invalid("RackId can't be empty.");
    if (req.memberEpoch === 0 && req.subscribedTopicNames === null && req.subscribedTopicRegex === null) {
      throw invalid('Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
    }
    if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH && req.instanceId === null) throw invalid("InstanceId can't be null.");
    if (req.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) throw invalid('MemberEpoch is invalid.');
    if (req.serverAssignor !== null && !(SERVER_ASSIGNORS as readonly string[]).includes(req.serverAssignor)) {
      throw new CoordinatorError(E.UNSUPPORTED_ASSIGNOR, `server assignor ${req.serverAssignor} is not supported (uniform, range)`);
    }
    if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '') compileTopicRegex(req.subscribedTopicRegex);
  }

  /** Runs the heartbeat against `state` (a clone); throws CoordinatorError for a refused one. */
  private handle(state: ConsumerGroupState, req: Heartbeat, meta: RequestMeta): HeartbeatOutcome {
    if (req.memberEpoch < 0) return this.leave(state, req);
    const member = req.instanceId === null ? this.dynamicMember(state, req, meta) : this.staticMember(state, req, meta);
    if (req.memberEpoch !== 0 && req.memberEpoch !== member.memberEpoch && req.memberEpoch !== member.previousMemberEpoch) {
      throw new CoordinatorError(E.FENCED_MEMBER_EPOCH, `member epoch ${req.memberEpoch} is fenced (current ${member.memberEpoch})`);
    }
    if (req.subscribedTopicNames !== null && !sameTopics(member.subscribedTopicNames, req.subscribedTopicNames)) {
      member.subscribedTopicNames = [...req.subscribedTopicNames];
      state.groupEpoch++;
    }
    if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== member.subscribedTopicRegex) {
      member.subscribedTopicRegex = req.subscribedTopicRegex;
      state.groupEpoch++;
    }
    if (req.serverAssignor !== null && req.serverAssignor !== member.serverAssignor) {
      member.serverAssignor = req.serverAssignor;
      state.groupEpoch++;
    }
    if (req.rebalanceTimeoutMs >= 0) member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (req.topicPartitions !== null) member.owned = this.assignment.fromIds(req.topicPartitions);
    this.assignment.refreshSubscriptions(state, this.host.topicsVersion());
    this.assignment.computeTarget(state);
    const unrevoked = this.assignment.reconcile(state, member);

    // Keyed by topic id, so a topic deleted and re-created under the same name is sent again.
    const assigned = this.assignment.toIds(member.assigned);
    const assignmentKey = JSON.stringify(assigned);
    const changed = assignmentKey !== member.lastSentAssignment;
    member.lastSentAssignment = assignmentKey;
    const response = {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.host.heartbeatIntervalMs,
      assignment: changed ? { topicPartitions: assigned } : null,
    };
    return { response, memberId: member.memberId, kind: 'active', unrevoked };
  }

  /** A member without group.instance.id: joins (epoch 0) or must be known. */
  private dynamicMember(state: ConsumerGroupState, req: Heartbeat, meta: RequestMeta): ConsumerMember {
    const member = state.members.get(req.memberId);
    if (req.memberEpoch !== 0) {
      if (member === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, 'unknown member');
      return member;
    }
    if (member === undefined) return this.addMember(state, req, meta);
    member.lastSentAssignment = null; // a rejoin gets its assignment again
    return member;
  }

  /**
   * A member with group.instance.id. Joining while another live member holds the instance id is
   * UNRELEASED_INSTANCE_ID; after that member left with -2, the newcomer replaces it and keeps its
   * assignment (no rebalance). Heartbeats from a member id the instance no longer belongs to are fenced.
   */
  private staticMember(state: ConsumerGroupState, req: Heartbeat, meta: RequestMeta): ConsumerMember {
    const instanceId = req.instanceId!;
    const holder = findStatic(state, instanceId);
    if (req.memberEpoch !== 0) {
      if (holder === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
      throwIfFenced(holder, req.memberId, instanceId);
      return holder;
    }
    if (holder === undefined) return this.dynamicMember(state, req, meta);
    if (holder.memberId === req.memberId) {
      holder.lastSentAssignment = null;
      return holder;
    }
    if (holder.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      throw new CoordinatorError(
        E.UNRELEASED_INSTANCE_ID,
        `Static member ${req.memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by ${holder.memberId} member.`,
      );
    }
    // The holder's timers stop when its tombstones are replayed.
    state.members.delete(holder.memberId);
    const member = this.newMember(req, meta, holder);
    state.members.set(member.memberId, member);
    const target = state.target.get(holder.memberId);
    state.target.delete(holder.memberId);
    if (target !== undefined) state.target.set(member.memberId, target);
    return member;
  }

  /** A fresh member; a replacing static member starts from its predecessor's subscription and assignment. */
  private newMember(req: Heartbeat, meta: RequestMeta, predecessor?: ConsumerMember): ConsumerMember {
    return {
      // v0 clients leave the id to the coordinator; v1 clients generate a UUID themselves.
      memberId: req.memberId === '' ? randomUUID() : req.memberId,
      instanceId: req.instanceId,
      clientId: meta.clientId,
      clientHost: meta.clientHost,
      memberEpoch: 0,
      previousMemberEpoch: -1,
      subscribedTopicNames: [...(predecessor?.subscribedTopicNames ?? req.subscribedTopicNames ?? [])],
      subscribedTopicRegex: predecessor?.subscribedTopicRegex ?? req.subscribedTopicRegex ?? '',
      serverAssignor: predecessor?.serverAssignor ?? req.serverAssignor,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      assigned: predecessor?.assigned ?? [],
      owned: [],
      lastSentAssignment: null,
      sessionTimer: null,
      revocationTimer: null,
    };
  }

  private addMember(state: ConsumerGroupState, req: Heartbeat, meta: RequestMeta): ConsumerMember {
    const member = this.newMember(req, meta);
    state.members.set(member.memberId, member);
    state.groupEpoch++;
    return member;
  }

  /** -1: the member leaves (a static one by instance id); -2: a static member leaves for now, keeping its partitions. */
  private leave(state: ConsumerGroupState, req: Heartbeat): HeartbeatOutcome {
    let member: ConsumerMember | undefined;
    if (req.instanceId === null) {
      member = state.members.get(req.memberId);
      if (member === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, 'unknown member');
    } else {
      member = findStatic(state, req.instanceId);
      if (member === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
      throwIfFenced(member, req.memberId, req.instanceId);
    }
    const paused = req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH;
    // Paused, it stays in the group (session timer still running) so its replacement can take over its partitions.
    if (paused) member.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
    else removeMember(state, member);
    const response = { errorCode: E.NONE, errorMessage: null, memberId: member.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
    return { response, memberId: member.memberId, kind: paused ? 'paused' : 'left', unrevoked: false };
  }

  /** The heartbeat's records are in: what the log does not hold comes over from its work copy, and the member's timers are armed. */
  private committed(groupId: string, work: ConsumerGroupState, outcome: HeartbeatOutcome): void {
    const state = consumerGroupOf(this.host.getGroup(groupId))?.membership;
    if (state == null) return;
    state.regexTopics.clear();
    for (const [r, topics] of work.regexTopics) state.regexTopics.set(r, topics);
    state.checkedTopicsVersion = work.checkedTopicsVersion;
    state.checkedGroupEpoch = work.checkedGroupEpoch;
    const member = state.members.get(outcome.memberId);
    const worked = work.members.get(outcome.memberId);
    if (member === undefined || worked === undefined) return;
    member.owned = worked.owned;
    member.lastSentAssignment = worked.lastSentAssignment;
    if (outcome.kind === 'paused') {
      member.revocationTimer?.();
      member.revocationTimer = null;
      return;
    }
    this.scheduleSession(groupId, member);
    if (!outcome.unrevoked) {
      member.revocationTimer?.();
      member.revocationTimer = null;
    } else if (member.revocationTimer === null) {
      // Fenced when it keeps partitions others wait for past its rebalance timeout.
      const timeoutMs = member.rebalanceTimeoutMs > 0 ? member.rebalanceTimeoutMs : this.host.sessionTimeoutMs;
      const timer: Cancel = this.host.clock.schedule(timeoutMs, () => this.expire(groupId, member.memberId, 'revocation', timer));
      member.revocationTimer = timer;
    }
  }

  /** After loading: every restored member gets a session to heartbeat within (its target came back with it). */
  resume(group: ConsumerGroup): void {
    const state = group.membership;
    for (const m of state.members.values()) this.scheduleSession(group.groupId, m);
  }

  private scheduleSession(groupId: string, member: ConsumerMember): void {
    member.sessionTimer?.();
    const timer: Cancel = this.host.clock.schedule(this.host.sessionTimeoutMs, () => this.expire(groupId, member.memberId, 'session', timer));
    member.sessionTimer = timer;
  }

  /**
   * A member's session or revocation timer ran out: it is removed by an operation, unless a
   * heartbeat re-armed the timer before the operation's turn came. When the removal cannot be
   * written the member stays, with another session to be removed at.
   */
  private expire(groupId: string, memberId: string, kind: TimerKind, timer: Cancel): void {
    const armed = (m: ConsumerMember) => (kind === 'session' ? m.sessionTimer : m.revocationTimer) === timer;
    const removal = () => {
      const before = consumerGroupOf(this.host.getGroup(groupId))?.membership;
      const member = before?.members.get(memberId);
      if (before == null || member === undefined || !armed(member)) return responseOnly(undefined);
      const work = before.clone();
      removeMember(work, work.members.get(memberId)!);
      return recordsOnly(consumerGroupDelta(groupId, before, work, this.host.topics));
    };
    this.host.runOp(`${kind} expiry of member ${memberId}`, removal).catch((err: unknown) => {
      this.host.onError(err, `removing member ${memberId} of consumer group ${groupId} (${kind} expired)`);
      const member = consumerGroupOf(this.host.getGroup(groupId))?.membership.members.get(memberId);
      if (member === undefined || !armed(member)) return;
      if (kind === 'revocation') member.revocationTimer = null;
      this.scheduleSession(groupId, member);
    });
  }

  /** Whether any member of the group subscribes to `topic` (names, and regexes resolved now; the group is not changed). */
  subscribesTo(state: ConsumerGroupState, topic: string): boolean {
    const view = state.clone();
    this.assignment.refreshSubscriptions(view, this.host.topicsVersion());
    for (const m of view.members.values()) if (this.assignment.subscribedTopics(view, m).includes(topic)) return true;
    return false;
  }

  /** Cancels member timers (group deleted, coordinator closing). */
  shutdown(state: ConsumerGroupState): void {
    for (const m of state.members.values()) cancelMemberTimers(m);
  }
}

/** The group's KIP-848 state; null for a classic group it may take over (empty), undefined for a live classic group. */
function consumerStateOf(group: Group): ConsumerGroupState | null | undefined {
  if (group.type === 'consumer') return group.membership;
  return group.members.size > 0 || group.pendingMembers.size > 0 ? undefined : null;
}

function consumerGroupOf(group: Group | undefined): ConsumerGroup | undefined {
  return group?.type === 'consumer' ? group : undefined;
}

/** Out of the group (its timers stop when the tombstones are replayed); the group epoch moves. */
function removeMember(state: ConsumerGroupState, member: ConsumerMember): void {
  state.members.delete(member.memberId);
  state.target.delete(member.memberId);
  state.groupEpoch++;
}

function findStatic(state: ConsumerGroupState, instanceId: string): ConsumerMember | undefined {
  for (const m of state.members.values()) if (m.instanceId === instanceId) return m;
  return undefined;
}

function throwIfFenced(holder: ConsumerMember, memberId: string, instanceId: string): void {
  if (holder.memberId !== memberId) {
    throw new CoordinatorError(E.FENCED_INSTANCE_ID, `Static member ${memberId} with instance id ${instanceId} was fenced by member ${holder.memberId}.`);
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((t, i) => t === sb[i]);
}
