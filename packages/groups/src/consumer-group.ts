// State of a KIP-848 consumer group: members with their subscriptions, the partitions each was
// told to own (`assigned`) and reported owning (`owned`), the group epoch (bumped by every
// membership or subscription change) and the target assignment computed for it.
import type { TopicPartition } from '@mq/assignors';
import type { Cancel } from '@mq/timerwheel';

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
  /** name:topicId:partitionCount of every subscribed topic, as last checked (Kafka's metadata hash). */
  subscriptionKey: string | null = null;
  /** Topics version (GroupCoordinator.topicsChanged) and group epoch subscriptionKey was checked at. */
  checkedTopicsVersion = -1;
  checkedGroupEpoch = -1;
  /** Each subscribed regex and the topic names it matched at checkedTopicsVersion. */
  readonly regexTopics = new Map<string, readonly string[]>();
  /** Snapshot key of what was last written to __consumer_offsets (skip no-op heartbeats). */
  lastStored: string | null = null;
  /** Members whose records are in the log (a member that left gets tombstones). */
  storedMembers = new Set<string>();

  /** Kafka's consumer group states: Empty, Assigning (target outdated), Reconciling, Stable. */
  state(): string {
    if (this.members.size === 0) return 'Empty';
    if (this.assignmentEpoch < this.groupEpoch) return 'Assigning';
    for (const m of this.members.values()) if (m.memberEpoch !== this.assignmentEpoch) return 'Reconciling';
    return 'Stable';
  }
}
