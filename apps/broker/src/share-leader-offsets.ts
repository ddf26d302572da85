// The offsets admin's route in a cluster (ShareLeaderOffsets): the group's coordinator has checked
// the share group is empty; each share-partition's change is applied by its data partition's leader,
// which holds the share-partition in memory and writes its state (a change written past it at the
// share coordinator would be overwritten by the leader's next write). Partitions led here are
// applied in process, the others forwarded to their leader as AlterShareGroupOffsets /
// DeleteShareGroupOffsets with mq's forwardedByCoordinator tag. While leadership moves (no leader,
// NOT_LEADER_OR_FOLLOWER, a broken connection) a partition is asked again, at its leader then, until
// a deadline. A delete goes to every broker leading a partition of the topic; a partition whose
// leader changed while it ran is asked again at its new leader.
import type { TopicManager } from '@mq/partition';
import { ApiKey, ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';
import type { InterBrokerSecurity } from '@mq/replication';
import { type ShareCoordinator, type ShareLeaderOffsets, type ShareOffsetOutcome, ShareOffsetsAdmin } from '@mq/share';
import type { Clock } from '@mq/timerwheel';
import { brokerConnectionPool } from './broker-connections';

/** How long a change keeps being retried while a partition's leadership moves. */
export const SHARE_LEADER_OFFSETS_DEADLINE_MS = 15_000;
const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_BACKOFF_MS = 100;
/** What a partition answers while its leadership moves; anything else is final. */
const LEADERSHIP_MOVING: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.NOT_COORDINATOR,
]);

export interface ClusterShareLeaderOffsetsOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly clock: Clock;
  /** This broker's share coordinator (applies the partitions led here). */
  readonly share: () => ShareCoordinator | undefined;
  readonly security?: InterBrokerSecurity;
}

/** A thrown failure's code: a Kafka error's own, else (a broken or timed-out connection) NETWORK_EXCEPTION, asked again. */
const failureCode = (err: unknown): number => {
  const code = kafkaErrorCode(err);
  return code === ErrorCode.UNKNOWN_SERVER_ERROR ? ErrorCode.NETWORK_EXCEPTION : code;
};

type Leader = 'local' | { readonly nodeId: number; readonly host: string; readonly port: number } | undefined;

export function clusterShareLeaderOffsets(opts: ClusterShareLeaderOffsetsOptions): ShareLeaderOffsets & { close(): void } {
  const pool = brokerConnectionPool({ clock: opts.clock, clientId: `mq-share-offsets-${opts.nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });

  /** The partition's leader now: this broker, another's endpoint, or undefined (none yet). */
  const leaderOf = (topicName: string, partition: number): Leader => {
    const image = opts.topics.image;
    const leader = image.topics.get(topicName)?.partitions[partition]?.leader ?? -1;
    if (leader === opts.nodeId) return 'local';
    const b = leader < 0 ? undefined : image.brokers.get(leader);
    return b === undefined ? undefined : { nodeId: leader, host: b.host, port: b.port };
  };
  const leaderKey = (l: Leader): string => (l === undefined ? 'none' : l === 'local' ? 'local' : String(l.nodeId));

  const admin = (): ShareOffsetsAdmin => {
    const share = opts.share();
    if (share === undefined) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the share coordinator is not running');
    return new ShareOffsetsAdmin(share, opts.topics);
  };

  /** One round trip of an alter to one leader; every partition gets an outcome. */
  async function alterAt(leader: Leader, groupId: string, topicName: string, partitions: readonly { partitionIndex: number; startOffset: bigint }[]): Promise<ShareOffsetOutcome[]> {
    const each = (errorCode: number, errorMessage: string | null) => partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode, errorMessage }));
    if (leader === undefined) return each(ErrorCode.LEADER_NOT_AVAILABLE, `${topicName} has no leader for this partition yet`);
    try {
      const res =
        leader === 'local'
          ? await admin().alterLed(groupId, [{ topicName, partitions }])
          : await (await pool.connect(leader.host, leader.port)).send(ApiKey.AlterShareGroupOffsets, 0, { groupId, forwardedByCoordinator: opts.nodeId, topics: [{ topicName, partitions: [...partitions] }] }).then((r) => ({ ...r, topics: r.responses }));
      if (res.errorCode !== ErrorCode.NONE) return each(res.errorCode, res.errorMessage);
      const got = new Map(res.topics.flatMap((t) => t.partitions).map((p) => [p.partitionIndex, p]));
      return partitions.map((p) => got.get(p.partitionIndex) ?? { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NETWORK_EXCEPTION, errorMessage: 'left out of the response' });
    } catch (err) {
      return each(failureCode(err), (err as Error).message);
    }
  }

  /** One round trip of a delete of the topic to one leader (it drops the partitions it leads). */
  async function deleteAt(leader: Leader, groupId: string, topicName: string): Promise<{ errorCode: number; errorMessage: string | null }> {
    if (leader === undefined) return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, errorMessage: `${topicName} has a partition without a leader` };
    try {
      const res =
        leader === 'local'
          ? await admin().deleteLed(groupId, [topicName])
          : await (await pool.connect(leader.host, leader.port)).send(ApiKey.DeleteShareGroupOffsets, 0, { groupId, forwardedByCoordinator: opts.nodeId, topics: [{ topicName }] }).then((r) => ({ ...r, topics: r.responses }));
      if (res.errorCode !== ErrorCode.NONE) return { errorCode: res.errorCode, errorMessage: res.errorMessage };
      const t = res.topics[0];
      return t === undefined ? { errorCode: ErrorCode.NETWORK_EXCEPTION, errorMessage: 'left out of the response' } : { errorCode: t.errorCode, errorMessage: t.errorMessage };
    } catch (err) {
      return { errorCode: failureCode(err), errorMessage: (err as Error).message };
    }
  }

  const pause = () => new Promise<void>((resolve) => opts.clock.schedule(RETRY_BACKOFF_MS, resolve));

  return {
    async alter(groupId, topicName, partitions) {
      const done = new Map<number, ShareOffsetOutcome>();
      const deadline = opts.clock.monotonic() + SHARE_LEADER_OFFSETS_DEADLINE_MS;
      let todo = [...partitions];
      while (todo.length > 0) {
        const byLeader = new Map<string, { leader: Leader; partitions: typeof todo }>();
        for (const p of todo) {
          const leader = leaderOf(topicName, p.partitionIndex);
          const g = byLeader.get(leaderKey(leader)) ?? { leader, partitions: [] };
          g.partitions.push(p);
          byLeader.set(leaderKey(leader), g);
        }
        const answered = (await Promise.all([...byLeader.values()].map((g) => alterAt(g.leader, groupId, topicName, g.partitions)))).flat();
        const last = opts.clock.monotonic() >= deadline;
        const again = new Set<number>();
        for (const o of answered) {
          if (!last && LEADERSHIP_MOVING.has(o.errorCode)) again.add(o.partitionIndex);
          else done.set(o.partitionIndex, o);
        }
        todo = todo.filter((p) => again.has(p.partitionIndex));
        if (todo.length > 0) await pause();
      }
      return partitions.map((p) => done.get(p.partitionIndex)!);
    },

    async delete(groupId, topicName) {
      const count = opts.topics.get(topicName)?.partitions.length ?? 0;
      const deadline = opts.clock.monotonic() + SHARE_LEADER_OFFSETS_DEADLINE_MS;
      let todo = Array.from({ length: count }, (_, i) => i);
      for (;;) {
        const asked = new Map<number, string>();
        const leaders = new Map<string, Leader>();
        for (const p of todo) {
          const leader = leaderOf(topicName, p);
          asked.set(p, leaderKey(leader));
          leaders.set(leaderKey(leader), leader);
        }
        const answers = new Map(await Promise.all([...leaders].map(async ([k, leader]) => [k, await deleteAt(leader, groupId, topicName)] as const)));
        const last = opts.clock.monotonic() >= deadline;
        const failed = [...answers.values()].find((a) => a.errorCode !== ErrorCode.NONE && (last || !LEADERSHIP_MOVING.has(a.errorCode)));
        if (failed !== undefined) return failed;
        // Asked again: a partition whose leader could not answer, or moved while it was asked (the one asked skipped it).
        todo = todo.filter((p) => answers.get(asked.get(p)!)!.errorCode !== ErrorCode.NONE || leaderKey(leaderOf(topicName, p)) !== asked.get(p));
        if (todo.length === 0) return { errorCode: ErrorCode.NONE, errorMessage: null };
        if (last) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: `${topicName}: leadership kept moving; partitions ${todo.join(', ')} not dropped` };
        await pause();
      }
    },

    close() {
      pool.close();
    },
  };
}
