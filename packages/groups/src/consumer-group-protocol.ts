// KIP-848 ConsumerGroupHeartbeat: one request joins (memberEpoch 0), heartbeats, reports owned
// partitions and leaves (-1/-2). The coordinator computes the target assignment server-side
// (uniform = sticky, or range) whenever the group epoch moves, and reconciles each member toward
// it: partitions still owned by another member are withheld until that member reports them revoked;
// a member's epoch advances once it has nothing left to revoke. One session timer per member, and a
// revocation timer (its rebalance timeout) while it holds partitions it must give up. Every change
// is written to __consumer_offsets as a snapshot of the group before the heartbeat is answered.
import { randomUUID } from 'node:crypto';
import { type AssignorMember, type TopicPartition, toTopicPartitions, tpKey } from './assignors/assignor';
import { rangeAssign } from './assignors/range-assignor';
import { stickyAssign } from './assignors/sticky-assignor';
import type { ClassicGroup } from './classic-group';
import type { Clock } from './clock';
import { fromTopicPartitions } from './assignors/assignor';
import type { StoredConsumerGroup } from './group-records';
import { type ConsumerMember, ConsumerGroupState } from './consumer-group';
import { GroupErrorCode as E } from './error-codes';
import type { RequestMeta } from './types';

export const SERVER_ASSIGNORS = ['uniform', 'range'] as const;

/** Topic ids ↔ names and partition counts, from the broker's topic registry. */
export interface TopicResolver {
  byName(name: string): { topicId: string; partitionCount: number } | undefined;
  nameOf(topicId: string): string | undefined;
}

export interface ConsumerGroupHeartbeatRequest {
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
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
  getGroup(groupId: string): ClassicGroup | undefined;
  createGroup(groupId: string): ClassicGroup;
  /** Appends the group's snapshot record. */
  storeConsumerGroup(group: ClassicGroup, snapshot: StoredConsumerGroup): Promise<void>;
  onError(err: unknown, context: string): void;
}

export class ConsumerGroupProtocol {
  constructor(private readonly host: ConsumerProtocolHost) {}

  private error(errorCode: number, errorMessage: string, memberId: string | null = null): ConsumerGroupHeartbeatResponse {
    return { errorCode, errorMessage, memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Handles the heartbeat, then stores the group if anything durable changed, then answers. */
  async heartbeat(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): Promise<ConsumerGroupHeartbeatResponse> {
    const res = this.handle(req, meta);
    const group = this.host.getGroup(req.groupId);
    if (group?.consumer != null) await this.persist(group, group.consumer);
    return res;
  }

  private handle(req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerGroupHeartbeatResponse {
    if (req.groupId === '') return this.error(E.INVALID_REQUEST, 'GroupId can not be empty');
    if (req.memberEpoch === 0 && req.subscribedTopicNames === null) {
      return this.error(E.INVALID_REQUEST, 'SubscribedTopicNames must be set in the first request');
    }
    if (req.serverAssignor !== null && !(SERVER_ASSIGNORS as readonly string[]).includes(req.serverAssignor)) {
      return this.error(E.UNSUPPORTED_ASSIGNOR, `server assignor ${req.serverAssignor} is not supported (uniform, range)`);
    }
    let group = this.host.getGroup(req.groupId);
    if (group === undefined) {
      if (req.memberEpoch !== 0) return this.error(E.UNKNOWN_MEMBER_ID, 'unknown group', req.memberId);
      group = this.host.createGroup(req.groupId);
    }
    const state = this.consumerState(group);
    if (state === undefined) return this.error(E.GROUP_ID_NOT_FOUND, `group ${req.groupId} is a classic group with members`);

    if (req.memberEpoch < 0) return this.leave(group, state, req);
    let member = state.members.get(req.memberId);
    if (req.memberEpoch === 0) {
      if (member === undefined) member = this.addMember(group, state, req, meta);
      else member.lastSentAssignment = null; // a rejoin gets its assignment again
    } else {
      if (member === undefined) return this.error(E.UNKNOWN_MEMBER_ID, 'unknown member', req.memberId);
      if (req.memberEpoch !== member.memberEpoch && req.memberEpoch !== member.previousMemberEpoch) {
        return this.error(E.FENCED_MEMBER_EPOCH, `member epoch ${req.memberEpoch} is fenced (current ${member.memberEpoch})`, req.memberId);
      }
    }
    if (req.subscribedTopicNames !== null && !sameTopics(member.subscribedTopicNames, req.subscribedTopicNames)) {
      member.subscribedTopicNames = [...req.subscribedTopicNames];
      state.groupEpoch++;
    }
    if (req.serverAssignor !== null && req.serverAssignor !== member.serverAssignor) {
      member.serverAssignor = req.serverAssignor;
      state.groupEpoch++;
    }
    if (req.rebalanceTimeoutMs >= 0) member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (req.topicPartitions !== null) member.owned = this.fromIds(req.topicPartitions);
    this.scheduleSession(group, state, member);
    this.computeTarget(state);
    this.reconcile(group, state, member);

    const assignmentKey = key(member.assigned);
    const changed = assignmentKey !== member.lastSentAssignment;
    member.lastSentAssignment = assignmentKey;
    return {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.host.heartbeatIntervalMs,
      assignment: changed ? { topicPartitions: this.toIds(member.assigned) } : null,
    };
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

  private addMember(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest, meta: RequestMeta): ConsumerMember {
    const member: ConsumerMember = {
      // v0 clients leave the id to the coordinator; v1 clients generate a UUID themselves.
      memberId: req.memberId === '' ? randomUUID() : req.memberId,
      instanceId: req.instanceId,
      clientId: meta.clientId,
      clientHost: meta.clientHost,
      memberEpoch: 0,
      previousMemberEpoch: -1,
      subscribedTopicNames: [...(req.subscribedTopicNames ?? [])],
      serverAssignor: req.serverAssignor,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      assigned: [],
      owned: [],
      lastSentAssignment: null,
      sessionTimer: null,
      revocationTimer: null,
    };
    state.members.set(member.memberId, member);
    state.groupEpoch++;
    group.stateTimestamp = this.host.clock.now();
    return member;
  }

  private leave(group: ClassicGroup, state: ConsumerGroupState, req: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse {
    const member = state.members.get(req.memberId);
    if (member === undefined) return this.error(E.UNKNOWN_MEMBER_ID, 'unknown member', req.memberId);
    this.removeMember(group, state, member);
    return { errorCode: E.NONE, errorMessage: null, memberId: member.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Writes the group's snapshot when it differs from the last one written (failures are logged). */
  private persist(group: ClassicGroup, state: ConsumerGroupState): Promise<void> {
    const snapshot = toStored(group, state);
    const key = JSON.stringify({ e: snapshot.groupEpoch, m: snapshot.members });
    if (key === state.lastStored) return Promise.resolve();
    state.lastStored = key;
    return this.host.storeConsumerGroup(group, snapshot).catch((err: unknown) => this.host.onError(err, `storing consumer group ${group.groupId}`));
  }

  /** Rebuilds a group from its snapshot while loading; resume() recomputes the target afterwards. */
  restore(group: ClassicGroup, s: StoredConsumerGroup): void {
    const state = new ConsumerGroupState();
    state.groupEpoch = s.groupEpoch;
    state.assignmentEpoch = -1;
    for (const m of s.members) {
      const assigned = fromTopicPartitions(m.assigned);
      state.members.set(m.memberId, {
        ...m,
        assigned,
        owned: assigned,
        lastSentAssignment: null,
        sessionTimer: null,
        revocationTimer: null,
      });
    }
    // A snapshot after classic records: the (then empty) group moved to the consumer protocol.
    group.members.clear();
    group.staticMembers.clear();
    group.groupType = 'consumer';
    group.protocolType = 'consumer';
    group.consumer = state;
    group.stateTimestamp = Number(s.stateTimestamp);
  }

  /** After loading: every restored member gets a session to heartbeat within. */
  resume(group: ClassicGroup): void {
    const state = group.consumer;
    if (state === null) return;
    for (const m of state.members.values()) this.scheduleSession(group, state, m);
    this.computeTarget(state);
  }

  private removeMember(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = null;
    member.revocationTimer?.cancel();
    member.revocationTimer = null;
    state.members.delete(member.memberId);
    state.target.delete(member.memberId);
    state.groupEpoch++;
    // Offsets of an empty group start their retention clock now.
    if (state.members.size === 0) group.stateTimestamp = this.host.clock.now();
  }

  private scheduleSession(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.host.clock.schedule(this.host.sessionTimeoutMs, () => {
      member.sessionTimer = null;
      if (state.members.get(member.memberId) === member) {
        this.removeMember(group, state, member);
        void this.persist(group, state);
      }
    });
  }

  /** Recomputes the target when the group epoch moved; current assignments are the sticky base. */
  private computeTarget(state: ConsumerGroupState): void {
    if (state.assignmentEpoch === state.groupEpoch) return;
    const counts = new Map<string, number>();
    const members: AssignorMember[] = [];
    for (const m of state.members.values()) {
      const topics = m.subscribedTopicNames.filter((t) => {
        const meta = this.host.topics.byName(t);
        if (meta !== undefined) counts.set(t, meta.partitionCount);
        return meta !== undefined;
      });
      members.push({ memberId: m.memberId, topics, ownedPartitions: toTopicPartitions(m.assigned), generationId: m.memberEpoch });
    }
    const useRange = [...state.members.values()].some((m) => m.serverAssignor === 'range');
    state.target = useRange ? rangeAssign(members, counts) : stickyAssign(members, counts);
    state.assignmentEpoch = state.groupEpoch;
  }

  /** Moves a member toward its target without ever handing out a partition another member holds. */
  private reconcile(group: ClassicGroup, state: ConsumerGroupState, member: ConsumerMember): void {
    const target = state.target.get(member.memberId) ?? [];
    const targetKeys = new Set(target.map((tp) => tpKey(tp.topic, tp.partition)));
    const heldByOthers = new Set<string>();
    for (const other of state.members.values()) {
      if (other === member) continue;
      for (const tp of other.assigned) heldByOthers.add(tpKey(tp.topic, tp.partition));
      for (const tp of other.owned) heldByOthers.add(tpKey(tp.topic, tp.partition));
    }
    const current = new Set(member.assigned.map((tp) => tpKey(tp.topic, tp.partition)));
    const next = target.filter((tp) => {
      const k = tpKey(tp.topic, tp.partition);
      return current.has(k) || !heldByOthers.has(k);
    });
    member.assigned = next;
    // The epoch advances once nothing the member still owns has to go elsewhere.
    const unrevoked = member.owned.some((tp) => !targetKeys.has(tpKey(tp.topic, tp.partition)));
    if (!unrevoked && member.memberEpoch !== state.assignmentEpoch) {
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = state.assignmentEpoch;
    }
    if (!unrevoked) {
      member.revocationTimer?.cancel();
      member.revocationTimer = null;
    } else if (member.revocationTimer === null) {
      // A member that keeps partitions others wait for is fenced after its rebalance timeout.
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

  private fromIds(list: readonly { topicId: string; partitions: number[] }[]): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const t of list) {
      const topic = this.host.topics.nameOf(t.topicId);
      if (topic !== undefined) for (const partition of t.partitions) out.push({ topic, partition });
    }
    return out;
  }

  private toIds(list: readonly TopicPartition[]): { topicId: string; partitions: number[] }[] {
    const out: { topicId: string; partitions: number[] }[] = [];
    for (const tp of toTopicPartitions(list)) {
      const meta = this.host.topics.byName(tp.topic);
      if (meta !== undefined) out.push({ topicId: meta.topicId, partitions: tp.partitions });
    }
    return out;
  }

  /** Cancels member timers (group deleted, coordinator closing). */
  shutdown(state: ConsumerGroupState): void {
    for (const m of state.members.values()) {
      m.sessionTimer?.cancel();
      m.sessionTimer = null;
      m.revocationTimer?.cancel();
      m.revocationTimer = null;
    }
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((t, i) => t === sb[i]);
}

function key(list: readonly TopicPartition[]): string {
  return list
    .map((tp) => tpKey(tp.topic, tp.partition))
    .sort()
    .join('|');
}

function toStored(group: ClassicGroup, state: ConsumerGroupState): StoredConsumerGroup {
  return {
    groupEpoch: state.groupEpoch,
    stateTimestamp: BigInt(group.stateTimestamp),
    members: [...state.members.values()].map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberEpoch: m.memberEpoch,
      previousMemberEpoch: m.previousMemberEpoch,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      serverAssignor: m.serverAssignor,
      subscribedTopicNames: m.subscribedTopicNames,
      assigned: toTopicPartitions(m.assigned),
    })),
  };
}
