// A KIP-848 group as Kafka's records: ConsumerGroupMetadata (group epoch),
// ConsumerGroupPartitionMetadata (the subscribed topics as last seen), ConsumerGroupTargetAssignment
// Metadata (the epoch the target was computed for) and, per member, ConsumerGroupMemberMetadata
// (who it is, what it subscribes to), ConsumerGroupTargetAssignmentMember (its target) and
// ConsumerGroupCurrentMemberAssignment (epochs, partitions by topic id). A heartbeat's records are
// the difference between the group before it and the clone it worked on; replaying them — live
// after their append, or while loading — is the only way the group's durable state changes, so a
// restarted or failed-over coordinator has every member's epoch, assignment and target back.
import { type TopicPartition, toTopicPartitions, tpKey } from '@mq/assignors';
import type { TopicResolver } from './consumer-group-assignment';
import { type ConsumerGroup, type ConsumerMember, ConsumerGroupState, cancelMemberTimers, subscriptionKeyOf } from './consumer-group';
import { type GroupRecord, MemberState, type StoredConsumerMember, type StoredMemberAssignment, type TopicIdPartitions } from './records/group-record';

type ConsumerRecord = Extract<GroupRecord, { type: `consumer-${string}` }>;

/** What a group is compared against when it has no KIP-848 state yet: every record is written. */
const NO_GROUP = Object.assign(new ConsumerGroupState(), { groupEpoch: -1, assignmentEpoch: -1 });

/**
 * The records that take the log from `before` (null: not a consumer group yet) to `after`, in
 * Kafka's order: departed members' tombstones, member metadata, partition metadata, group epoch,
 * target members, target epoch, current assignments.
 */
export function consumerGroupDelta(groupId: string, before: ConsumerGroupState | null, after: ConsumerGroupState, topics: TopicResolver): ConsumerRecord[] {
  const base = before ?? NO_GROUP;
  const out: ConsumerRecord[] = [];
  for (const gone of base.members.keys()) if (!after.members.has(gone)) out.push(...memberTombstones(groupId, gone));
  for (const m of after.members.values()) {
    const old = base.members.get(m.memberId);
    const value = memberMetadata(m);
    if (old === undefined || JSON.stringify(memberMetadata(old)) !== JSON.stringify(value)) out.push({ type: 'consumer-member', groupId, memberId: m.memberId, value });
  }
  if (after.subscribedTopics !== null && subscriptionKeyOf(after.subscribedTopics) !== subscriptionKeyOf(base.subscribedTopics)) {
    out.push({ type: 'consumer-partition-metadata', groupId, value: { topics: after.subscribedTopics.map((t) => ({ ...t })) } });
  }
  if (after.groupEpoch !== base.groupEpoch) out.push({ type: 'consumer-group', groupId, value: { groupEpoch: after.groupEpoch } });
  for (const [memberId, target] of after.target) {
    const topicPartitions = toIds(target, topics);
    const old = base.target.get(memberId);
    if (old === undefined || JSON.stringify(toIds(old, topics)) !== JSON.stringify(topicPartitions)) {
      out.push({ type: 'consumer-target-member', groupId, memberId, value: { topicPartitions } });
    }
  }
  for (const memberId of base.target.keys()) {
    if (!after.target.has(memberId) && after.members.has(memberId)) out.push({ type: 'consumer-target-member', groupId, memberId, value: null });
  }
  if (after.assignmentEpoch !== base.assignmentEpoch) out.push({ type: 'consumer-target', groupId, value: { assignmentEpoch: after.assignmentEpoch } });
  for (const m of after.members.values()) {
    const old = base.members.get(m.memberId);
    const value = currentAssignment(m, topics);
    if (old === undefined || JSON.stringify(currentAssignment(old, topics)) !== JSON.stringify(value)) out.push({ type: 'consumer-assignment', groupId, memberId: m.memberId, value });
  }
  return out;
}

/** Tombstones for every record of a consumer group (DeleteGroups, expiry). */
export function consumerGroupTombstones(group: ConsumerGroup): GroupRecord[] {
  const state = group.membership;
  const groupId = group.groupId;
  const out: GroupRecord[] = [];
  for (const memberId of state.members.keys()) out.push(...memberTombstones(groupId, memberId));
  out.push({ type: 'consumer-target', groupId, value: null });
  out.push({ type: 'consumer-partition-metadata', groupId, value: null });
  out.push({ type: 'consumer-group', groupId, value: null });
  return out;
}

function memberTombstones(groupId: string, memberId: string): ConsumerRecord[] {
  return [
    { type: 'consumer-assignment', groupId, memberId, value: null },
    { type: 'consumer-target-member', groupId, memberId, value: null },
    { type: 'consumer-member', groupId, memberId, value: null },
  ];
}

function memberMetadata(m: ConsumerMember): StoredConsumerMember {
  return {
    instanceId: m.instanceId,
    rackId: null,
    clientId: m.clientId,
    clientHost: m.clientHost,
    subscribedTopicNames: m.subscribedTopicNames,
    subscribedTopicRegex: m.subscribedTopicRegex,
    rebalanceTimeoutMs: m.rebalanceTimeoutMs,
    serverAssignor: m.serverAssignor,
  };
}

/** Its epochs, what it was told to own, and what it still owns but must give up (so a reload keeps those from others). */
function currentAssignment(m: ConsumerMember, topics: TopicResolver): StoredMemberAssignment {
  const assigned = new Set(m.assigned.map((tp) => tpKey(tp.topic, tp.partition)));
  const pending = m.owned.filter((tp) => !assigned.has(tpKey(tp.topic, tp.partition)));
  return {
    memberEpoch: m.memberEpoch,
    previousMemberEpoch: m.previousMemberEpoch,
    state: pending.length > 0 ? MemberState.UNREVOKED_PARTITIONS : MemberState.STABLE,
    assigned: toIds(m.assigned, topics),
    pendingRevocation: toIds(pending, topics),
  };
}

function toIds(list: readonly TopicPartition[], topics: TopicResolver): TopicIdPartitions[] {
  const out: TopicIdPartitions[] = [];
  for (const tp of toTopicPartitions(list)) {
    const meta = topics.byName(tp.topic);
    if (meta !== undefined) out.push({ topicId: meta.topicId, partitions: [...tp.partitions].sort((a, b) => a - b) });
  }
  return out.sort((a, b) => (a.topicId < b.topicId ? -1 : a.topicId > b.topicId ? 1 : 0));
}

function fromIds(list: readonly TopicIdPartitions[], topics: TopicResolver): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const t of list) {
    const topic = topics.nameOf(t.topicId);
    // A topic deleted since: its partitions are no longer anyone's.
    if (topic !== undefined) for (const partition of t.partitions) out.push({ topic, partition });
  }
  return out;
}

function memberOf(state: ConsumerGroupState, memberId: string): ConsumerMember {
  let m = state.members.get(memberId);
  if (m === undefined) {
    m = {
      memberId,
      instanceId: null,
      clientId: '',
      clientHost: '',
      memberEpoch: 0,
      previousMemberEpoch: -1,
      subscribedTopicNames: [],
      subscribedTopicRegex: '',
      serverAssignor: null,
      rebalanceTimeoutMs: -1,
      assigned: [],
      owned: [],
      lastSentAssignment: null,
      sessionTimer: null,
      revocationTimer: null,
    };
    state.members.set(memberId, m);
  }
  return m;
}

/**
 * Applies one KIP-848 record (live after its append, or while loading). Returns false when the
 * record removes the group (a ConsumerGroupMetadata tombstone): the caller drops it. `now` starts
 * the retention clock of a group whose membership changed.
 */
export function replayConsumerRecord(group: ConsumerGroup, r: ConsumerRecord, topics: TopicResolver, now: number): boolean {
  if (r.type === 'consumer-group' && r.value === null) return false;
  const state = group.membership;
  switch (r.type) {
    case 'consumer-group':
      state.groupEpoch = r.value!.groupEpoch;
      return true;
    case 'consumer-partition-metadata':
      state.subscribedTopics = r.value === null ? null : r.value.topics;
      return true;
    case 'consumer-target':
      state.assignmentEpoch = r.value === null ? -1 : r.value.assignmentEpoch;
      return true;
    case 'consumer-target-member':
      if (r.value === null) state.target.delete(r.memberId);
      else state.target.set(r.memberId, fromIds(r.value.topicPartitions, topics));
      return true;
    case 'consumer-member':
    case 'consumer-assignment':
      break;
  }
  if (r.value === null) {
    const gone = state.members.get(r.memberId);
    if (gone === undefined) return true;
    cancelMemberTimers(gone);
    state.members.delete(r.memberId);
    group.stateTimestamp = now;
    return true;
  }
  if (!state.members.has(r.memberId)) group.stateTimestamp = now;
  const m = memberOf(state, r.memberId);
  if (r.type === 'consumer-member') {
    Object.assign(m, {
      instanceId: r.value.instanceId,
      clientId: r.value.clientId,
      clientHost: r.value.clientHost,
      subscribedTopicNames: r.value.subscribedTopicNames,
      subscribedTopicRegex: r.value.subscribedTopicRegex,
      rebalanceTimeoutMs: r.value.rebalanceTimeoutMs,
      serverAssignor: r.value.serverAssignor,
    });
  } else {
    m.memberEpoch = r.value.memberEpoch;
    m.previousMemberEpoch = r.value.previousMemberEpoch;
    m.assigned = fromIds(r.value.assigned, topics);
    // Until the member reports what it owns, it owns what it was told to and what it has yet to revoke.
    m.owned = [...m.assigned, ...fromIds(r.value.pendingRevocation, topics)];
  }
  return true;
}
