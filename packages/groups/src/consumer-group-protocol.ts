// KIP-848 ConsumerGroupHeartbeat: one request joins (memberEpoch 0), heartbeats, reports owned
// partitions and leaves (-1; -2 for a static member that will be back within its session). The
// coordinator computes the target assignment server-side (uniform = sticky, or range) whenever the
// group epoch moves — a member joins or leaves, a subscription changes, or a subscribed topic is
// created, deleted or gains partitions — and reconciles each member toward it (consumer-group-assignment.ts).
// A static member (group.instance.id) is replaced only after it left with -2, and its replacement
// keeps its assignment. One session timer per member, and a revocation timer (its rebalance timeout)
// while it holds partitions it must give up. Every change is written to __consumer_offsets as Kafka's
// records (consumer-group-records.ts) before the heartbeat is answered.
import { randomUUID } from 'node:crypto';
import type { ClassicGroup } from './classic-group';
import type { Clock } from '@mq/timerwheel';
import { ConsumerGroupAssignment, type TopicResolver, compileTopicRegex } from './consumer-group-assignment';
import { consumerGroupRecords } from './consumer-group-records';
import type { GroupRecord } from './records/group-record';
import { type ConsumerMember, ConsumerGroupState } from './consumer-group';
import { ErrorCode as E } from '@mq/protocol';
import { CoordinatorError } from './errors';
import type { RequestMeta } from './types';

export type { TopicResolver } from './consumer-group-assignment';

/** memberEpoch of a static member leaving for now: it keeps its partitions until its session ends. */
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export const SERVER_ASSIGNORS = ['uniform', 'range'] as const;

export interface ConsumerGroupHeartbeatRequest {
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
  /** v1: null = unchanged, '' = no regex (librdkafka ≥ 2.10 always sends ''), else an RE2 pattern. */
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  topicPartitions: { topicId: string; partitions: number[] }[] | null;
}

export interface ConsumerGroupHeartbeatResponse {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: { topicId: string; partitions: number[] }[] } | null;
}

export interface ConsumerProtocolHost {
  readonly clock: Clock;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly topics: TopicResolver;
  /** Moves whenever a topic is created, deleted or gains partitions. */
  topicsVersion(): number;
  getGroup(groupId: string): ClassicGroup | undefined;
  createGroup(groupId: string): ClassicGroup;
  /** Appends the group's records (its in-memory state already holds them). */
  storeConsumerGroup(group: ClassicGroup, records: GroupRecord[]): Promise<void>;
  onError(err: unknown, context: string): void;
}

export class ConsumerGroupProtocol {
  private readonly assignment: ConsumerGroupAssignment;

  constructor(private readonly host: ConsumerProtocolHost) {
    this.assignment = new ConsumerGroupAssignment(host.topics);
  }

  private error(errorCode: number, errorMessage: string, memberId: string | null = null): ConsumerGroupHeartbeatResponse {
    return { errorCode, errorMessage, memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Handles the heartbeat, then stores the group if anything durable changed, then answers. */
  async heartbeat(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): Promise<ConsumerGroupHeartbeatResponse> {
    let res: ConsumerGroupHeartbeatResponse;
    try {
      res = this.handle(req, meta);
    } catch (err) {
      if (!(err instanceof CoordinatorError)) throw err;
      res = this.error(err.errorCode, err.message, req.memberId);
    }
    const group = this.host.getGroup(req.groupId);
    if (group?.consumer != null) await this.persist(group, group.consumer);
    return res;
  }

  /** Kafka's request checks (throwIfConsumerGroupHeartbeatRequestIsInvalid). */
  private validate(req: ConsumerGroupHeartbeatRequest): void {
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

  private handle(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerGroupHeartbeatResponse {
    this.validate(req);
    let group = this.host.getGroup(req.groupId);
    if (group === undefined) {
      if (req.memberEpoch !== 0) return this.error(E.UNKNOWN_MEMBER_ID, 'unknown group', req.memberId);
      group = this.host.createGroup(req.groupId);
    }
    const state = this.consumerState(group);
    if (state === undefined) return this.error(E.GROUP_ID_NOT_FOUND, `group ${req.groupId} is a classic group with members`);

    if (req.memberEpoch < 0) return this.leave(group, state, req);
    const member = req.instanceId === null ? this.dynamicMember(group, state, req, meta) : this.staticMember(group, state, req, meta);
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
    this.scheduleSession(group, state, member);
    this.assignment.refreshSubscriptions(state, this.host.topicsVersion());
    this.assignment.computeTarget(state);
    this.reconcile(group, state, member);

    // Keyed by topic id, so a topic deleted and re-created under the same name is sent again.
    const assigned = this.assignment.toIds(member.assigned);
    const assignmentKey = JSON.stringify(assigned);
    const changed = assignmentKey !== member.lastSentAssignment;
    member.lastSentAssignment = assignmentKey;
    return {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.host.heartbeatIntervalMs,
      assignment: changed ? { topicPartitions: assigned } : null,
    };
  }

  /** A member without group.instance.id: joins (epoch 0) or must be known. */
  private dynamicMember(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerMember {
    const member = state.members.get(req.memberId);
    if (req.memberEpoch !== 0) {
      if (member === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, 'unknown member');
      return member;
    }
    if (member === undefined) return this.addMember(group, state, req, meta);
    member.lastSentAssignment = null; // a rejoin gets its assignment again
    return member;
  }

  /**
   * A member with group.instance.id. Joining while another live member holds the instance id is
   * UNRELEASED_INSTANCE_ID; after that member left with -2, the newcomer replaces it and keeps its
   * assignment (no rebalance). Heartbeats from a member id the instance no longer belongs to are fenced.
   */
  private staticMember(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerMember {
    const instanceId = req.instanceId!;
    const holder = findStatic(state, instanceId);
    if (req.memberEpoch !== 0) {
      if (holder === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
      throwIfFenced(holder, req.memberId, instanceId);
      return holder;
    }
    if (holder === undefined) return this.dynamicMember(group, state, req, meta);
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
    cancelTimers(holder);
    state.members.delete(holder.memberId);
    const member = this.newMember(req, meta, holder);
    state.members.set(member.memberId, member);
    const target = state.target.get(holder.memberId);
    state.target.delete(holder.memberId);
    if (target !== undefined) state.target.set(member.memberId, target);
    return member;
  }

  /** The group's consumer state, switching an empty classic group over; undefined for a live classic group. */
  private consumerState(group: ClassicGroup): ConsumerGroupState | undefined {
    if (group.groupType === 'consumer' && group.consumer !== null) return group.consumer;
    if (group.members.size > 0 || group.pendingMembers.size > 0) return undefined;
    group.groupType = 'consumer';
    group.protocolType = 'consumer';
    group.consumer = new ConsumerGroupState();
    return group.consumer;
  }

  /** A fresh member; a replacing static member starts from its predecessor's subscription and assignment. */
  private newMember(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta, predecessor?: ConsumerMember): ConsumerMember {
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

  private addMember(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerMember {
    const member = this.newMember(req, meta);
    state.members.set(member.memberId, member);
    state.groupEpoch++;
    group.stateTimestamp = this.host.clock.now();
    return member;
  }

  /** -1: the member leaves (a static one by instance id); -2: a static member leaves for now, keeping its partitions. */
  private leave(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse {
    let member: ConsumerMember | undefined;
    if (req.instanceId === null) {
      member = state.members.get(req.memberId);
      if (member === undefined) return this.error(E.UNKNOWN_MEMBER_ID, 'unknown member', req.memberId);
    } else {
      member = findStatic(state, req.instanceId);
      if (member === undefined) throw new CoordinatorError(E.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
      throwIfFenced(member, req.memberId, req.instanceId);
    }
    if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      // Stays in the group (session timer still running) so its replacement can take over its partitions.
      member.revocationTimer?.();
      member.revocationTimer = null;
      member.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
    } else {
      this.removeMember(group, state, member);
    }
    return { errorCode: E.NONE, errorMessage: null, memberId: member.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Writes the group's records when they differ from the last ones written (failures are logged). */
  private persist(group: ClassicGroup, state: ConsumerGroupState): Promise<void> {
    const records = consumerGroupRecords(group, state, this.host.topics);
    if (records === undefined) return Promise.resolve();
    return this.host.storeConsumerGroup(group, records).catch((err: unknown) => this.host.onError(err, `storing consumer group ${group.groupId}`));
  }

  /** After loading: every restored member gets a session to heartbeat within. */
  resume(group: ClassicGroup): void {
    const state = group.consumer;
    if (state === null) return;
    for (const m of state.members.values()) this.scheduleSession(group, state, m);
    this.assignment.refreshSubscriptions(state, this.host.topicsVersion());
    this.assignment.computeTarget(state);
  }

  private removeMember(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    cancelTimers(member);
    state.members.delete(member.memberId);
    state.target.delete(member.memberId);
    state.groupEpoch++;
    // Offsets of an empty group start their retention clock now.
    if (state.members.size === 0) group.stateTimestamp = this.host.clock.now();
  }

  private scheduleSession(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    member.sessionTimer?.();
    member.sessionTimer = this.host.clock.schedule(this.host.sessionTimeoutMs, () => {
      member.sessionTimer = null;
      if (state.members.get(member.memberId) === member) {
        this.removeMember(group, state, member);
        void this.persist(group, state);
      }
    });
  }

  /** Reconciles, and fences a member that keeps partitions others wait for past its rebalance timeout. */
  private reconcile(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    const unrevoked = this.assignment.reconcile(state, member);
    if (!unrevoked) {
      member.revocationTimer?.();
      member.revocationTimer = null;
    } else if (member.revocationTimer === null) {
      const timeoutMs = member.rebalanceTimeoutMs > 0 ? member.rebalanceTimeoutMs : this.host.sessionTimeoutMs;
      member.revocationTimer = this.host.clock.schedule(timeoutMs, () => {
        member.revocationTimer = null;
        if (state.members.get(member.memberId) === member) {
          this.removeMember(group, state, member);
          void this.persist(group, state);
        }
      });
    }
  }

  /** Cancels member timers (group deleted, coordinator closing). */
  shutdown(state: ConsumerGroupState): void {
    for (const m of state.members.values()) cancelTimers(m);
  }
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

function cancelTimers(m: ConsumerMember): void {
  m.sessionTimer?.();
  m.sessionTimer = null;
  m.revocationTimer?.();
  m.revocationTimer = null;
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((t, i) => t === sb[i]);
}
