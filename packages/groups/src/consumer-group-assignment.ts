// The server-side half of a KIP-848 group: which topics the group subscribes to (names, and RE2
// regexes resolved against the topic list), the check of their metadata that moves the group epoch
// when a subscribed topic is created, deleted or gains partitions (Kafka's metadata hash compared on
// heartbeat), the target assignment for an epoch, and reconciling one member toward it.
import { type AssignorMember, type TopicPartition, toTopicPartitions, tpKey, rangeAssign, stickyAssign } from '@mq/assignors';
import { type ConsumerGroupState, type ConsumerMember, subscriptionKeyOf } from './consumer-group';
import type { SubscribedTopicMetadata } from './records/group-record';
import { Re2Pattern } from './re2/re2-matcher';

/** Topic ids ↔ names and partition counts, from the broker's topic registry. */
export interface TopicResolver {
  byName(name: string): { topicId: string; partitionCount: number } | undefined;
  nameOf(topicId: string): string | undefined;
  /** Every topic a subscription regex may match: internal topics excluded, as Kafka does. */
  names(): Iterable<string>;
}

/** Compiled patterns are shared by every group; bounded so hostile clients cannot grow it (≤ ~1.5 MB each). */
const MAX_CACHED_PATTERNS = 64;
const patterns = new Map<string, Re2Pattern>();

/** Compiles (cached) an RE2 pattern; throws CoordinatorError(INVALID_REGULAR_EXPRESSION). */
export function compileTopicRegex(regex: string): Re2Pattern {
  let p = patterns.get(regex);
  if (p === undefined) {
    p = Re2Pattern.compile(regex);
    if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
    patterns.set(regex, p);
  }
  return p;
}

export class ConsumerGroupAssignment {
  constructor(private readonly topics: TopicResolver) {}

  /** The topic names a member subscribes to: its names plus what its regex resolved to. */
  subscribedTopics(state: ConsumerGroupState, m: ConsumerMember): string[] {
    if (m.subscribedTopicRegex === '') return m.subscribedTopicNames;
    return [...new Set([...m.subscribedTopicNames, ...(state.regexTopics.get(m.subscribedTopicRegex) ?? [])])];
  }

  /**
   * Re-resolves regexes and re-reads the subscribed topics' metadata when the topic list changed
   * (topicsVersion) or the group did; bumps the group epoch when the metadata moved while the target
   * was current, so the next computeTarget hands out created/grown topics and drops deleted ones.
   */
  refreshSubscriptions(state: ConsumerGroupState, topicsVersion: number): void {
    if (state.checkedTopicsVersion === topicsVersion && state.checkedGroupEpoch === state.groupEpoch) return;
    if (state.checkedTopicsVersion !== topicsVersion) state.regexTopics.clear();
    const regexes = new Set<string>();
    for (const m of state.members.values()) if (m.subscribedTopicRegex !== '') regexes.add(m.subscribedTopicRegex);
    for (const r of state.regexTopics.keys()) if (!regexes.has(r)) state.regexTopics.delete(r);
    let names: string[] | undefined;
    for (const r of regexes) {
      if (state.regexTopics.has(r)) continue;
      const pattern = compileTopicRegex(r);
      names ??= [...this.topics.names()];
      state.regexTopics.set(r, names.filter((n) => pattern.matches(n)).sort());
    }
    const described = new Map<string, SubscribedTopicMetadata>();
    for (const m of state.members.values()) {
      for (const t of this.subscribedTopics(state, m)) {
        const meta = this.topics.byName(t);
        if (meta !== undefined) described.set(t, { topicId: meta.topicId, topicName: t, numPartitions: meta.partitionCount });
      }
    }
    const seen = [...described.values()].sort((a, b) => (a.topicName < b.topicName ? -1 : a.topicName > b.topicName ? 1 : 0));
    const key = subscriptionKeyOf(seen);
    const before = subscriptionKeyOf(state.subscribedTopics);
    if (before !== null && key !== before && state.assignmentEpoch === state.groupEpoch) state.groupEpoch++;
    if (key !== before) state.subscribedTopics = seen;
    state.checkedTopicsVersion = topicsVersion;
    state.checkedGroupEpoch = state.groupEpoch;
  }

  /** Recomputes the target when the group epoch moved; current assignments are the sticky base. */
  computeTarget(state: ConsumerGroupState): void {
    if (state.assignmentEpoch === state.groupEpoch) return;
    const counts = new Map<string, number>();
    const subscribed = new Map<string, string[]>();
    for (const m of state.members.values()) {
      const topics = this.subscribedTopics(state, m).filter((t) => {
        const meta = this.topics.byName(t);
        if (meta !== undefined) counts.set(t, meta.partitionCount);
        return meta !== undefined;
      });
      subscribed.set(m.memberId, topics);
    }
    const members: AssignorMember[] = [];
    for (const m of state.members.values()) {
      // Partitions of deleted topics are no base for stickiness.
      const current = m.assigned.filter((tp) => (counts.get(tp.topic) ?? 0) > tp.partition);
      members.push({ memberId: m.memberId, topics: subscribed.get(m.memberId)!, ownedPartitions: toTopicPartitions(current), generationId: m.memberEpoch });
    }
    const useRange = [...state.members.values()].some((m) => m.serverAssignor === 'range');
    state.target = useRange ? rangeAssign(members, counts) : stickyAssign(members, counts);
    state.assignmentEpoch = state.groupEpoch;
  }

  /**
   * Moves a member toward its target without ever handing out a partition another member holds.
   * Returns whether the member still owns partitions it must revoke (the caller runs its timer).
   */
  reconcile(state: ConsumerGroupState, member: ConsumerMember): boolean {
    const target = state.target.get(member.memberId) ?? [];
    const targetKeys = new Set(target.map((tp) => tpKey(tp.topic, tp.partition)));
    const heldByOthers = new Set<string>();
    for (const other of state.members.values()) {
      if (other === member) continue;
      for (const tp of other.assigned) heldByOthers.add(tpKey(tp.topic, tp.partition));
      for (const tp of other.owned) heldByOthers.add(tpKey(tp.topic, tp.partition));
    }
    const current = new Set(member.assigned.map((tp) => tpKey(tp.topic, tp.partition)));
    member.assigned = target.filter((tp) => {
      const k = tpKey(tp.topic, tp.partition);
      return current.has(k) || !heldByOthers.has(k);
    });
    // The epoch advances once nothing the member still owns has to go elsewhere.
    const unrevoked = member.owned.some((tp) => !targetKeys.has(tpKey(tp.topic, tp.partition)));
    if (!unrevoked && member.memberEpoch !== state.assignmentEpoch) {
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = state.assignmentEpoch;
    }
    return unrevoked;
  }

  fromIds(list: readonly { topicId: string; partitions: readonly number[] }[]): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const t of list) {
      const topic = this.topics.nameOf(t.topicId);
      if (topic !== undefined) for (const partition of t.partitions) out.push({ topic, partition });
    }
    return out;
  }

  toIds(list: readonly TopicPartition[]): { topicId: string; partitions: number[] }[] {
    const out: { topicId: string; partitions: number[] }[] = [];
    for (const tp of toTopicPartitions(list)) {
      const meta = this.topics.byName(tp.topic);
      if (meta !== undefined) out.push({ topicId: meta.topicId, partitions: [...tp.partitions].sort((a, b) => a - b) });
    }
    return out.sort((a, b) => (a.topicId < b.topicId ? -1 : a.topicId > b.topicId ? 1 : 0));
  }
}
