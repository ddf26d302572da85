// Membership of a share group (KIP-932): ShareGroupHeartbeat with a member id this client makes up,
// epoch 0 to join, the epoch the coordinator answered afterwards, -1 to leave. The broker assigns
// partitions (many members may share one); a new assignment arrives in a heartbeat's answer.
// A fenced or unknown member rejoins with epoch 0.
import { randomUUID } from 'node:crypto';
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';

const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);
const REJOIN_ERRORS: ReadonlySet<number> = new Set([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_MEMBER_EPOCH]);

export class ShareMembership {
  readonly memberId = randomUUID();
  memberEpoch = 0;
  /** topicId → partitions, from the latest assignment. */
  assignment = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private intervalMs = 5000;
  private joined = false;
  private stopped = false;
  /** A heartbeat failed in the background; the next poll() throws it. */
  failure: unknown;

  constructor(
    private readonly cluster: Cluster,
    readonly groupId: string,
    private readonly topics: readonly string[],
  ) {}

  get isJoined(): boolean {
    return this.joined;
  }

  /** Joins (epoch 0) and starts the heartbeat; resolves once the first assignment is known. */
  async join(): Promise<void> {
    this.memberEpoch = 0;
    await this.heartbeat();
    this.joined = true;
    this.schedule();
  }

  /** One ShareGroupHeartbeat; rejoins (epoch 0) once when fenced or forgotten. */
  async heartbeat(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const joining = this.memberEpoch === 0;
      const res = await this.cluster.withCoordinator(this.groupId, async (conn) => {
        const r = await conn.request(ApiKey.ShareGroupHeartbeat, {
          groupId: this.groupId,
          memberId: this.memberId,
          memberEpoch: this.memberEpoch,
          rackId: null,
          // The full subscription on a join; null ("unchanged") afterwards, as Kafka's consumer sends.
          subscribedTopicNames: joining ? [...this.topics] : null,
        });
        if (COORDINATOR_ERRORS.has(r.errorCode)) throw new KafkaError(r.errorCode);
        return r;
      });
      if (REJOIN_ERRORS.has(res.errorCode) && attempt === 0) {
        this.memberEpoch = 0;
        continue;
      }
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `ShareGroupHeartbeat(${this.groupId}): ${res.errorMessage ?? ''}`);
      this.memberEpoch = res.memberEpoch;
      if (res.heartbeatIntervalMs > 0) this.intervalMs = res.heartbeatIntervalMs;
      if (res.assignment !== null) this.assignment = new Map(res.assignment.topicPartitions.map((tp) => [tp.topicId, [...tp.partitions].sort((a, b) => a - b)]));
      return;
    }
  }

  /** Leaves the group (epoch -1): the broker releases what this member still holds. */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.joined) return;
    this.joined = false;
    await this.cluster.withCoordinator(this.groupId, async (conn) => {
      await conn.request(ApiKey.ShareGroupHeartbeat, { groupId: this.groupId, memberId: this.memberId, memberEpoch: -1, rackId: null, subscribedTopicNames: null });
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.heartbeat()
        .catch((err: unknown) => {
          this.failure = err;
        })
        .finally(() => this.schedule());
    }, this.intervalMs);
    // A consumer nobody polls must not keep the process alive.
    this.timer.unref();
  }
}
