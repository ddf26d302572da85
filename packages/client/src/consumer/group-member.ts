// Membership of a classic consumer group: JoinGroup (the leader runs the client-side assignor from
// @mq/groups over every member's subscription), SyncGroup, periodic Heartbeat, LeaveGroup. Any
// rebalance signal from the coordinator sets `needsRejoin`; the consumer rejoins on its next poll.
import { ApiKey, KafkaError, type ResponseBodyFor, ErrorCode } from '@mq/protocol';
import { type Assignor, type TopicPartition, fromTopicPartitions, toTopicPartitions } from '@mq/assignors';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '@mq/protocol';
import type { Cluster } from '../cluster';

export interface GroupMemberOptions {
  groupId: string;
  topics: readonly string[];
  assignor: Assignor;
  /** Default 10 s. */
  sessionTimeoutMs?: number;
  /** Default 30 s: how long the coordinator waits for every member to rejoin. */
  rebalanceTimeoutMs?: number;
  /** Default 3 s. */
  heartbeatIntervalMs?: number;
}

const { UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, MEMBER_ID_REQUIRED, FENCED_INSTANCE_ID } = ErrorCode;
/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: find it again and retry. */
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);

/** Throws (retriable) when the answer says the coordinator moved, so withCoordinator looks it up again. */
function coordinatorMoved<T extends { errorCode: number }>(res: T): T {
  if (COORDINATOR_ERRORS.has(res.errorCode)) throw new KafkaError(res.errorCode);
  return res;
}


export class GroupMember {
  generationId = -1;
  memberId = '';
  /** The member's partitions in the current generation. */
  assignment: TopicPartition[] = [];
  needsRejoin = true;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating = false;

  constructor(
    private readonly cluster: Cluster,
    readonly opts: GroupMemberOptions,
  ) {}

  get groupId(): string {
    return this.opts.groupId;
  }

  /** Join + sync until the group is stable; returns this member's partitions. */
  async join(): Promise<TopicPartition[]> {
    this.stopHeartbeat();
    for (let attempt = 0; attempt < 20; attempt++) {
      const joined = await this.joinGroup();
      if (!joined) continue;
      const assignment = await this.syncGroup(joined);
      if (assignment === undefined) continue;
      this.assignment = assignment;
      this.needsRejoin = false;
      this.startHeartbeat();
      return assignment;
    }
    throw new KafkaError(REBALANCE_IN_PROGRESS, `group "${this.groupId}" did not stabilise after 20 join attempts`);
  }

  /** Leaves the group so the others rebalance now instead of after sessionTimeoutMs. */
  async leave(): Promise<void> {
    this.stopHeartbeat();
    if (!this.memberId) return;
    const memberId = this.memberId;
    this.memberId = '';
    this.generationId = -1;
    this.assignment = [];
    await this.cluster.withCoordinator(this.groupId, async (conn) => {
      const res = await conn.request(ApiKey.LeaveGroup, { groupId: this.groupId, memberId, members: [{ memberId, groupInstanceId: null }] });
      if (res.errorCode !== ErrorCode.NONE && res.errorCode !== UNKNOWN_MEMBER_ID) throw new KafkaError(res.errorCode, `LeaveGroup(${this.groupId})`);
    });
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** One heartbeat; flags a rejoin when the coordinator says the group is rebalancing. */
  async heartbeat(): Promise<void> {
    if (this.heartbeating || this.needsRejoin) return;
    this.heartbeating = true;
    try {
      const res = await this.cluster.withCoordinator(this.groupId, async (conn) =>
        coordinatorMoved(
          await conn.request(ApiKey.Heartbeat, {
            groupId: this.groupId,
            generationId: this.generationId,
            memberId: this.memberId,
            groupInstanceId: null,
          }),
        ),
      );
      this.onMembershipError(res.errorCode);
    } catch (err) {
      // Coordinator unreachable past the retries: rejoin will find the new one.
      if (err instanceof KafkaError) this.onMembershipError(err.errorCode);
      else this.needsRejoin = true;
    } finally {
      this.heartbeating = false;
    }
  }

  /** Maps membership error codes to state: rejoin, forget the member id, or nothing. */
  onMembershipError(code: number): void {
    if (code === ErrorCode.NONE) return;
    if (code === UNKNOWN_MEMBER_ID || code === FENCED_INSTANCE_ID) this.memberId = '';
    if (code === UNKNOWN_MEMBER_ID || code === ILLEGAL_GENERATION || code === REBALANCE_IN_PROGRESS || code === FENCED_INSTANCE_ID) {
      this.needsRejoin = true;
      this.stopHeartbeat();
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.opts.heartbeatIntervalMs ?? 3000);
    this.heartbeatTimer.unref();
  }

  private async joinGroup(): Promise<ResponseBodyFor<typeof ApiKey.JoinGroup> | undefined> {
    const rebalanceTimeoutMs = this.opts.rebalanceTimeoutMs ?? 30_000;
    const res = await this.cluster.withCoordinator(this.groupId, async (conn) =>
      coordinatorMoved(
        await conn.request(
          ApiKey.JoinGroup,
          {
            groupId: this.groupId,
            sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 10_000,
            rebalanceTimeoutMs,
            memberId: this.memberId,
            groupInstanceId: null,
            protocolType: 'consumer',
            protocols: [
              {
                name: this.opts.assignor.name,
                metadata: encodeSubscription({
                  topics: [...this.opts.topics],
                  ownedPartitions: toTopicPartitions(this.assignment),
                  generationId: this.generationId,
                }),
              },
            ],
            reason: null,
          },
          // The coordinator parks JoinGroup until the rebalance completes.
          { extraTimeoutMs: rebalanceTimeoutMs },
        ),
      ),
    );
    if (res.errorCode === MEMBER_ID_REQUIRED) {
      this.memberId = res.memberId;
      return undefined;
    }
    if (res.errorCode === UNKNOWN_MEMBER_ID) {
      this.memberId = '';
      return undefined;
    }
    if (res.errorCode === REBALANCE_IN_PROGRESS) return undefined;
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `JoinGroup(${this.groupId}): ${new KafkaError(res.errorCode).message}`);
    this.memberId = res.memberId;
    this.generationId = res.generationId;
    return res;
  }

  private async syncGroup(joined: ResponseBodyFor<typeof ApiKey.JoinGroup>): Promise<TopicPartition[] | undefined> {
    let assignments: Array<{ memberId: string; assignment: Buffer }> = [];
    if (joined.leader === this.memberId) assignments = await this.assign(joined);
    const res = await this.cluster.withCoordinator(this.groupId, async (conn) =>
      coordinatorMoved(
        await conn.request(
          ApiKey.SyncGroup,
          {
            groupId: this.groupId,
            generationId: this.generationId,
            memberId: this.memberId,
            groupInstanceId: null,
            protocolType: 'consumer',
            protocolName: joined.protocolName ?? this.opts.assignor.name,
            assignments,
          },
          { extraTimeoutMs: this.opts.rebalanceTimeoutMs ?? 30_000 },
        ),
      ),
    );
    if (res.errorCode === REBALANCE_IN_PROGRESS || res.errorCode === ILLEGAL_GENERATION || res.errorCode === UNKNOWN_MEMBER_ID) {
      this.onMembershipError(res.errorCode);
      return undefined;
    }
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `SyncGroup(${this.groupId}): ${new KafkaError(res.errorCode).message}`);
    if (!res.assignment || res.assignment.length === 0) return [];
    return fromTopicPartitions(decodeAssignment(res.assignment).assignedPartitions);
  }

  /** Leader only: runs the assignor over every member's subscription. */
  private async assign(joined: ResponseBodyFor<typeof ApiKey.JoinGroup>): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const members = joined.members.map((m) => {
      const sub = decodeSubscription(m.metadata);
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        topics: sub.topics,
        ownedPartitions: sub.ownedPartitions,
        generationId: sub.generationId,
      };
    });
    const topics = [...new Set(members.flatMap((m) => m.topics))];
    const counts = new Map<string, number>();
    if (topics.length > 0) {
      const meta = await this.cluster.refreshMetadata(topics);
      for (const name of topics) {
        const t = meta.topics.get(name);
        if (t && t.errorCode === ErrorCode.NONE) counts.set(name, t.partitions.length);
      }
    }
    const result = this.opts.assignor.assign(members, counts);
    return members.map((m) => ({
      memberId: m.memberId,
      assignment: encodeAssignment({ assignedPartitions: toTopicPartitions(result.get(m.memberId) ?? []) }),
    }));
  }
}
