// HTTP and WebSocket consumers as share-group members: every receive (and settlement) is a
// heartbeat of its member, so it appears in ShareGroupDescribe, takes part in the broker's
// assignment with the group's Kafka consumers, and — when it stops calling — is removed after
// group.share.session.timeout.ms by the coordinator, which releases the records it still holds.
import type { TopicManager } from '@mq/partition';
import { ErrorCode } from '@mq/errors';
import type { ShareCoordinator } from '@mq/share';
import type { Clock } from '@mq/timerwheel';
import { QueueErrorCode, queueError, queueErrorForKafkaCode } from './queue-errors';

interface HttpMember {
  /** Every topic this member received from: its subscription. */
  readonly topics: Set<string>;
  /** Clock time of its last call. */
  seenAt: number;
}

/** Every this many touches, members silent for two session timeouts are forgotten here too. */
const PRUNE_EVERY = 1000;

const memberKey = (groupId: string, memberId: string): string => `${groupId}\u0000${memberId}`;

export class QueueMembers {
  private readonly members = new Map<string, HttpMember>();
  private touches = 0;

  constructor(
    private readonly topics: TopicManager,
    private readonly clock: Clock,
  ) {}

  /**
   * Joins `memberId` to the group (subscribed to `topic` beside its earlier topics) or refreshes its
   * session, and answers the partitions of `topic` the broker assigned it.
   */
  touch(share: ShareCoordinator, groupId: string, memberId: string, topic: string, clientHost: string): number[] {
    const key = memberKey(groupId, memberId);
    if (++this.touches % PRUNE_EVERY === 0) this.prune(share.config.sessionTimeoutMs);
    const m = this.members.get(key) ?? { topics: new Set<string>(), seenAt: 0 };
    m.topics.add(topic);
    m.seenAt = this.clock.now();
    // Epoch 0 on every call: a join for a new member, for a known one a heartbeat that always
    // carries the assignment (the coordinator keeps its epoch when nothing changed).
    const res = share.heartbeat({ groupId, memberId, memberEpoch: 0, rackId: null, subscribedTopicNames: [...m.topics] }, { clientId: 'mq-http', clientHost });
    if (res.errorCode !== ErrorCode.NONE) {
      if (!this.members.has(key)) m.topics.delete(topic);
      throw queueErrorForKafkaCode(res.errorCode, res.errorMessage ?? `share group ${groupId} refused member ${memberId}`);
    }
    this.members.set(key, m);
    const topicId = this.topics.get(topic)?.topicId;
    const mine = res.assignment?.topicPartitions.find((tp) => tp.topicId === topicId)?.partitions ?? [];
    return [...mine].sort((a, b) => a - b);
  }

  /** Refreshes a known member's session (a settlement); unknown ones (never received here) are left alone. */
  refresh(share: ShareCoordinator, groupId: string, memberId: string, clientHost: string): void {
    const m = this.members.get(memberKey(groupId, memberId));
    if (m === undefined || m.topics.size === 0) return;
    m.seenAt = this.clock.now();
    const res = share.heartbeat({ groupId, memberId, memberEpoch: 0, rackId: null, subscribedTopicNames: [...m.topics] }, { clientId: 'mq-http', clientHost });
    if (res.errorCode !== ErrorCode.NONE) this.members.delete(memberKey(groupId, memberId));
  }

  /** The member leaves the group now: the coordinator releases what it holds. */
  leave(share: ShareCoordinator, groupId: string, memberId: string): void {
    const key = memberKey(groupId, memberId);
    const known = this.members.delete(key);
    const inGroup = share.describeGroups([groupId])[0]?.members.some((m) => m.memberId === memberId) === true;
    if (!known && !inGroup) throw queueError(QueueErrorCode.CONSUMER_NOT_FOUND, `consumer ${memberId} is not a member of share group ${groupId}`);
    share.heartbeat({ groupId, memberId, memberEpoch: -1, rackId: null, subscribedTopicNames: null }, { clientId: 'mq-http', clientHost: '' });
  }

  /**
   * Consumer ids come and go with the clients; one silent past two session timeouts was removed
   * from its group by the coordinator, so its subscription need not be kept for a rejoin.
   */
  private prune(sessionTimeoutMs: number): void {
    const before = this.clock.now() - 2 * sessionTimeoutMs;
    for (const [k, m] of this.members) if (m.seenAt < before) this.members.delete(k);
  }
}
