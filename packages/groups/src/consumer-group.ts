// A KIP-848 consumer group (ConsumerGroup, one arm of the Group union) and its membership state
// (ConsumerGroupState): members with their subscriptions, the partitions each was
// told to own (`assigned`) and reported owning (`owned`), the group epoch (bumped by every
// membership or subscription change) and the target assignment computed for it. What the log holds
// (consumer-group-records.ts) changes only by replaying records; a heartbeat works on a clone()
// and its records are the difference. Timers, `owned`, `lastSentAssignment` and the regex cache are
// not in the log: the heartbeat's follow-up copies them over once its records are in.
import type { TopicPartition } from '@mq/assignors';
import type { Cancel } from '@mq/timerwheel';
import type { CommittedOffset, SubscribedTopicMetadata } from './records/group-record';

export interface ConsumerMember {
  readonly memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  memberEpoch: number;
  /** The epoch before the last bump: offset commits still carrying it are accepted. */
  previousMemberEpoch: number;
  subscribedTopicNames: string[];
  /** RE2 pattern matched against whole topic names; '' when the member subscribes by name only. */
  subscribedTopicRegex: string;
  serverAssignor: string | null;
  rebalanceTimeoutMs: number;
  /** What the coordinator last told the member to own. */
  assigned: TopicPartition[];
  /** What the member last reported owning (topicPartitions of its heartbeat). */
  owned: TopicPartition[];
  /** Key of the assignment last sent, so a heartbeat only carries an assignment when it changed. */
  lastSentAssignment: string | null;
  sessionTimer: Cancel | null;
  /** Runs while the member still owns partitions it was told to revoke (rebalance timeout). */
  revocationTimer: Cancel | null;
}

export class ConsumerGroupState {
  groupEpoch = 0;
  /** groupEpoch the target assignment was computed for. */
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerMember>();
  target = new Map<string, TopicPartition[]>();
  /** Every subscribed topic as last checked (ConsumerGroupPartitionMetadata; null before the first check). */
  subscribedTopics: readonly SubscribedTopicMetadata[] | null = null;
  /** Topics version (GroupCoordinator.topicsChanged) and group epoch subscriptionKey was checked at. */
  checkedTopicsVersion = -1;
  checkedGroupEpoch = -1;
  /** Each subscribed regex and the topic names it matched at checkedTopicsVersion. */
  readonly regexTopics = new Map<string, readonly string[]>();

  /** A copy to work on: members and maps are new, their partition lists shared (they are replaced, never edited). */
  clone(): ConsumerGroupState {
    const c = new ConsumerGroupState();
    c.groupEpoch = this.groupEpoch;
    c.assignmentEpoch = this.assignmentEpoch;
    for (const [id, m] of this.members) c.members.set(id, { ...m, subscribedTopicNames: [...m.subscribedTopicNames] });
    c.target = new Map(this.target);
    c.subscribedTopics = this.subscribedTopics;
    c.checkedTopicsVersion = this.checkedTopicsVersion;
    c.checkedGroupEpoch = this.checkedGroupEpoch;
    for (const [r, topics] of this.regexTopics) c.regexTopics.set(r, topics);
    return c;
  }

  /** Kafka's consumer group states: Empty, Assigning (target outdated), Reconciling, Stable. */
  state(): string {
    if (this.members.size === 0) return 'Empty';
    if (this.assignmentEpoch < this.groupEpoch) return 'Assigning';
    for (const m of this.members.values()) if (m.memberEpoch !== this.assignmentEpoch) return 'Reconciling';
    return 'Stable';
  }
}

/**
 * A KIP-848 consumer group (ConsumerGroupHeartbeat): its membership state and its committed
 * offsets. One arm of the Group union (group.ts); an empty one may become a ClassicGroup and back.
 */
export class ConsumerGroup {
  readonly type = 'consumer' as const;
  readonly protocolType = 'consumer';
  readonly groupId: string;
  /** Kafka stores no state timestamp for these groups: it moves when membership changes (retention of an empty one runs from it). */
  stateTimestamp: number;
  readonly membership: ConsumerGroupState;
  readonly offsets: Map<string, Map<number, CommittedOffset>>;

  constructor(groupId: string, now: number, offsets = new Map<string, Map<number, CommittedOffset>>()) {
    this.groupId = groupId;
    this.stateTimestamp = now;
    this.offsets = offsets;
    this.membership = new ConsumerGroupState();
    // No target until a ConsumerGroupTargetAssignmentMetadata record says which epoch it is for.
    this.membership.assignmentEpoch = -1;
  }

  get isEmpty(): boolean {
    return this.membership.members.size === 0;
  }

  /** No member (DeleteGroups, expiry, a type change). */
  get isIdle(): boolean {
    return this.isEmpty;
  }

  offsetCount(): number {
    let n = 0;
    for (const ps of this.offsets.values()) n += ps.size;
    return n;
  }
}

/** Stops a member's session and revocation timers (it left, was removed, or the group goes). */
export function cancelMemberTimers(m: ConsumerMember): void {
  m.sessionTimer?.();
  m.sessionTimer = null;
  m.revocationTimer?.();
  m.revocationTimer = null;
}

/** The key the subscription's topic metadata is compared by (a topic created, deleted or grown changes it). */
export function subscriptionKeyOf(topics: readonly SubscribedTopicMetadata[] | null): string | null {
  return topics === null ? null : topics.map((t) => `${t.topicName}:${t.topicId}:${t.numPartitions}`).join('|');
}
