// ShareGroup: the membership of one share group (KIP-932) — members, their subscriptions and the
// broker's assignment. The group epoch moves whenever membership, subscriptions or the subscribed
// topics change; a member learns a new epoch (and its assignment) only from its own heartbeat's
// answer, so a heartbeat is fenced only when it carries an epoch it was never told.
// Membership is not persisted: after a restart members rejoin (their heartbeat gets
// UNKNOWN_MEMBER_ID); only the group's existence is, through the coordinator's ShareGroupStore.
import type { Cancel } from '@mq/timerwheel';
import { type AssignorTopic, assignShares } from './share-assignor';

export type ShareGroupState = 'Empty' | 'Stable';

export interface ShareMember {
  readonly memberId: string;
  /** The epoch this member was last told. */
  memberEpoch: number;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: readonly string[];
  /** topicId → partitions. */
  assignment: ReadonlyMap<string, readonly number[]>;
  expireSession: Cancel | undefined;
}

/** Topic names → ids and partition counts; undefined for a topic that does not exist (yet). */
export type TopicLookup = (name: string) => AssignorTopic | undefined;

export class ShareGroup {
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ShareMember>();
  /** Its existence is recorded in the ShareGroupStore (or being recorded). */
  recorded = false;
  /** The resolved subscriptions the last assignment was computed from (topic ids and partition counts). */
  private assignedFrom = '';

  constructor(readonly groupId: string) {}

  get state(): ShareGroupState {
    return this.members.size === 0 ? 'Empty' : 'Stable';
  }

  /** Every subscribed topic name of the group's members. */
  subscribedTopicNames(): Set<string> {
    const out = new Set<string>();
    for (const m of this.members.values()) for (const t of m.subscribedTopicNames) out.add(t);
    return out;
  }

  /**
   * Recomputes the assignment when members, subscriptions or the subscribed topics' partition
   * counts differ from the last computation; bumps the group epoch then. True when it changed.
   */
  reassign(lookup: TopicLookup): boolean {
    const subscriptions = new Map<string, AssignorTopic[]>();
    for (const m of this.members.values()) {
      subscriptions.set(
        m.memberId,
        m.subscribedTopicNames.flatMap((name) => {
          const t = lookup(name);
          return t === undefined ? [] : [t];
        }),
      );
    }
    const fingerprint = JSON.stringify([...subscriptions].sort(([a], [b]) => (a < b ? -1 : 1)));
    if (fingerprint === this.assignedFrom) return false;
    this.assignedFrom = fingerprint;
    const assignment = assignShares(subscriptions);
    for (const m of this.members.values()) m.assignment = assignment.get(m.memberId) ?? new Map();
    this.groupEpoch++;
    this.assignmentEpoch = this.groupEpoch;
    return true;
  }
}
