// A KIP-848 group as Kafka's records: ConsumerGroupMetadata (group epoch), and per member
// ConsumerGroupMemberMetadata (who it is, what it subscribes to) and ConsumerGroupCurrentMemberAssignment
// (epochs, partitions by topic id); a member that left gets tombstones for both. Written after a
// heartbeat changed something durable (before it is answered), replayed while loading. Target
// assignments and partition metadata are not written: they are recomputed from members after a load.
import { type TopicPartition, toTopicPartitions } from '@mq/assignors';
import type { ClassicGroup } from './classic-group';
import type { TopicResolver } from './consumer-group-assignment';
import { type ConsumerMember, ConsumerGroupState } from './consumer-group';
import { type GroupRecord, MemberState, type StoredConsumerMember, type TopicIdPartitions } from './records/group-record';

/** The records that bring the log to the group's current state (undefined when nothing changed since the last write). */
export function consumerGroupRecords(group: ClassicGroup, state: ConsumerGroupState, topics: TopicResolver): GroupRecord[] | undefined {
  const members = [...state.members.values()];
  const snapshotKey = JSON.stringify({
    e: state.groupEpoch,
    m: members.map((m) => [m.memberId, m.instanceId, m.clientId, m.clientHost, m.memberEpoch, m.previousMemberEpoch, m.rebalanceTimeoutMs, m.serverAssignor, m.subscribedTopicNames, m.subscribedTopicRegex, toTopicPartitions(m.assigned)]),
  });
  if (snapshotKey === state.lastStored) return undefined;
  state.lastStored = snapshotKey;
  const groupId = group.groupId;
  const out: GroupRecord[] = [{ type: 'consumer-group', groupId, value: { groupEpoch: state.groupEpoch } }];
  for (const m of members) {
    out.push({ type: 'consumer-member', groupId, memberId: m.memberId, value: memberMetadata(m) });
    out.push({
      type: 'consumer-assignment',
      groupId,
      memberId: m.memberId,
      value: { memberEpoch: m.memberEpoch, previousMemberEpoch: m.previousMemberEpoch, state: MemberState.STABLE, assigned: toIds(m.assigned, topics), pendingRevocation: [] },
    });
  }
  for (const gone of state.storedMembers) {
    if (state.members.has(gone)) continue;
    out.push({ type: 'consumer-member', groupId, memberId: gone, value: null });
    out.push({ type: 'consumer-assignment', groupId, memberId: gone, value: null });
  }
  state.storedMembers = new Set(state.members.keys());
  return out;
}

/** Tombstones for every record of a consumer group (DeleteGroups, expiry). */
export function consumerGroupTombstones(group: ClassicGroup): GroupRecord[] {
  const state = group.consumer;
  if (state === null) return [];
  const ids = new Set([...state.storedMembers, ...state.members.keys()]);
  const out: GroupRecord[] = [];
  for (const memberId of ids) {
    out.push({ type: 'consumer-member', groupId: group.groupId, memberId, value: null });
    out.push({ type: 'consumer-assignment', groupId: group.groupId, memberId, value: null });
  }
  out.push({ type: 'consumer-group', groupId: group.groupId, value: null });
  return out;
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

function toIds(list: readonly TopicPartition[], topics: TopicResolver): TopicIdPartitions[] {
  const out: TopicIdPartitions[] = [];
  for (const tp of toTopicPartitions(list)) {
    const meta = topics.byName(tp.topic);
    if (meta !== undefined) out.push({ topicId: meta.topicId, partitions: [...tp.partitions].sort((a, b) => a - b) });
  }
  return out;
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

/** The group's consumer state while loading, switching it over from classic (an empty classic group may have become a consumer group). */
function loadingState(group: ClassicGroup, now: number): ConsumerGroupState {
  if (group.groupType === 'consumer' && group.consumer !== null) return group.consumer;
  const state = new ConsumerGroupState();
  state.assignmentEpoch = -1;
  group.members.clear();
  group.staticMembers.clear();
  group.groupType = 'consumer';
  group.protocolType = 'consumer';
  group.consumer = state;
  // Kafka keeps no state timestamp for these groups: retention of an empty one runs from its load.
  group.stateTimestamp = now;
  return state;
}

function loadingMember(state: ConsumerGroupState, memberId: string): ConsumerMember {
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
    state.storedMembers.add(memberId);
  }
  return m;
}

/**
 * Applies one KIP-848 record while loading. Returns false when the record removes the group (a
 * ConsumerGroupMetadata tombstone): the caller drops it.
 */
export function replayConsumerRecord(
  group: ClassicGroup,
  r: Extract<GroupRecord, { type: 'consumer-group' | 'consumer-member' | 'consumer-assignment' }>,
  topics: TopicResolver,
  now: number,
): boolean {
  if (r.type === 'consumer-group') {
    if (r.value === null) return false;
    loadingState(group, now).groupEpoch = r.value.groupEpoch;
    return true;
  }
  const state = loadingState(group, now);
  if (r.value === null) {
    state.members.delete(r.memberId);
    state.storedMembers.delete(r.memberId);
    return true;
  }
  const m = loadingMember(state, r.memberId);
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
    m.owned = m.assigned;
  }
  return true;
}
