// The share coordinator's persister in a cluster (KIP-932's Persister): a share-partition lives on
// its data partition's leader, its durable state on the leader of the __share_group_state partition
// its key hashes to (the share coordinator, which follows that partition's leadership). A read or
// write runs in process when that leader is this broker, else as ReadShareGroupState /
// WriteShareGroupState to it; while the coordinator moves (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
// no leader yet, a broken connection, the ISR not answering) it is retried until a deadline.
// Writes are idempotent (an offset's state is set, not added), so a retried write is harmless.
// Summaries (the offsets admin's start offsets) go as one ReadShareGroupStateSummary per coordinator;
// a leader dropping a share-partition (DeleteShareGroupOffsets) sends DeleteShareGroupState.
import { ApiKey, ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';
import type { TopicManager } from '@mq/partition';
import type { InterBrokerSecurity } from '@mq/replication';
import {
  SHARE_GROUP_STATE_TOPIC,
  type ShareCoordinator,
  type SharePartitionKey,
  type SharePartitionRef,
  type SharePersister,
  type ShareState,
  type ShareStateSummary,
  shareStatePartitionFor,
} from '@mq/share';
import type { Clock } from '@mq/timerwheel';
import { brokerConnectionPool } from './broker-connections';
import { retryWhileMoving } from './retry-while-moving';

/** How long a read or write keeps retrying while its coordinator moves (a leader election takes ~1–3 s here). */
export const SHARE_PERSISTER_DEADLINE_MS = 15_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** What a moving coordinator answers; anything else is final. */
const COORDINATOR_MOVING: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

export interface ClusterSharePersisterOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly clock: Clock;
  /** This broker's share coordinator (serves the keys whose state partition it leads). */
  readonly share: () => ShareCoordinator | undefined;
  /** The inter-broker listener's TLS / SASL, when it is not PLAINTEXT. */
  readonly security?: InterBrokerSecurity;
}

/** Where a share-partition's state lives now: this broker, another's endpoint, or an error code to retry on. */
export function shareCoordinatorNode(topics: TopicManager, nodeId: number, key: SharePartitionKey): 'local' | { host: string; port: number } | number {
  const image = topics.image;
  const partitions = image.topics.get(SHARE_GROUP_STATE_TOPIC)?.partitions;
  if (partitions === undefined || partitions.length === 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const leader = partitions[shareStatePartitionFor(key, partitions.length)]?.leader ?? -1;
  if (leader === nodeId) return 'local';
  const b = leader < 0 ? undefined : image.brokers.get(leader);
  return b === undefined ? ErrorCode.COORDINATOR_NOT_AVAILABLE : { host: b.host, port: b.port };
}

export function clusterSharePersister(opts: ClusterSharePersisterOptions): SharePersister & { close(): void } {
  const pool = brokerConnectionPool({ clock: opts.clock, clientId: `mq-share-persister-${opts.nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });
  const connect = pool.connect;
  const coordinatorOf = (key: SharePartitionKey) => shareCoordinatorNode(opts.topics, opts.nodeId, key);
  const withRetries = <T>(what: string, attempt: () => Promise<T>): Promise<T> => retryWhileMoving(opts.clock, SHARE_PERSISTER_DEADLINE_MS, COORDINATOR_MOVING, what, attempt);

  const checked = (errorCode: number, errorMessage: string | null, what: string): void => {
    if (errorCode !== ErrorCode.NONE) throw new KafkaError(errorCode, `${what}: ${errorMessage ?? 'refused by the share coordinator'}`);
  };

  /**
   * One persister call on `key`, retried while its coordinator moves: in process where this broker
   * is the key's share coordinator, else one request to it whose single partition result is checked.
   */
  function atCoordinator<T, P extends { errorCode: number; errorMessage: string | null }>(
    key: SharePartitionKey,
    what: string,
    here: (share: ShareCoordinator) => Promise<T>,
    there: (conn: Awaited<ReturnType<typeof connect>>) => Promise<P | undefined>,
    answer: (p: P) => T,
  ): Promise<T> {
    return withRetries(what, async () => {
      const at = coordinatorOf(key);
      if (typeof at === 'number') throw new KafkaError(at, `${SHARE_GROUP_STATE_TOPIC} has no leader for this key yet`);
      if (at === 'local') {
        const share = opts.share();
        if (share === undefined) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the share coordinator is not running');
        return here(share);
      }
      const p = await there(await connect(at.host, at.port));
      if (p === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `${what}: an empty response`);
      checked(p.errorCode, p.errorMessage, what);
      return answer(p);
    });
  }

  return {
    read(key, leaderEpoch) {
      return atCoordinator(
        key,
        `reading the share state of ${key.groupId} ${key.topicId}-${key.partition}`,
        (share) => share.readStateForLeader(key, leaderEpoch),
        async (conn) =>
          (await conn.send(ApiKey.ReadShareGroupState, 0, { groupId: key.groupId, topics: [{ topicId: key.topicId, partitions: [{ partition: key.partition, leaderEpoch }] }] })).results[0]?.partitions[0],
        (p): ShareState | undefined => (p.startOffset < 0n ? undefined : { startOffset: p.startOffset, stateBatches: p.stateBatches }),
      );
    },
    write(key, leaderEpoch, delta) {
      return atCoordinator(
        key,
        `writing the share state of ${key.groupId} ${key.topicId}-${key.partition}`,
        (share) => share.writeStateFromLeader(key, leaderEpoch, delta),
        async (conn) =>
          (
            await conn.send(ApiKey.WriteShareGroupState, 0, {
              groupId: key.groupId,
              topics: [{ topicId: key.topicId, partitions: [{ partition: key.partition, stateEpoch: 0, leaderEpoch, startOffset: delta.startOffset, stateBatches: [...delta.stateBatches] }] }],
            })
          ).results[0]?.partitions[0],
        () => undefined,
      );
    },
    readSummary(groupId, partitions) {
      return readSummaries(groupId, partitions);
    },
    delete(key) {
      return atCoordinator(
        key,
        `deleting the share state of ${key.groupId} ${key.topicId}-${key.partition}`,
        (share) => share.deleteStateForLeader(key),
        async (conn) => (await conn.send(ApiKey.DeleteShareGroupState, 0, { groupId: key.groupId, topics: [{ topicId: key.topicId, partitions: [{ partition: key.partition }] }] })).results[0]?.partitions[0],
        () => undefined,
      );
    },
    close() {
      pool.close();
    },
  };

  /** One key's summary where this broker is its share coordinator. */
  async function summaryHere(groupId: string, ref: SharePartitionRef): Promise<ShareStateSummary> {
    const share = opts.share();
    if (share === undefined) return { ...ref, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'the share coordinator is not running', startOffset: -1n };
    try {
      const s = await share.readStateSummary({ groupId, ...ref });
      return { ...ref, errorCode: ErrorCode.NONE, errorMessage: null, startOffset: s?.startOffset ?? -1n };
    } catch (err) {
      return { ...ref, errorCode: kafkaErrorCode(err), errorMessage: (err as Error).message, startOffset: -1n };
    }
  }

  /** One ReadShareGroupStateSummary with every key another broker coordinates; a broken connection answers each NETWORK_EXCEPTION. */
  async function summariesThere(host: string, port: number, groupId: string, refs: readonly SharePartitionRef[]): Promise<ShareStateSummary[]> {
    const byTopic = new Map<string, { partition: number; leaderEpoch: number }[]>();
    for (const r of refs) byTopic.set(r.topicId, [...(byTopic.get(r.topicId) ?? []), { partition: r.partition, leaderEpoch: -1 }]);
    try {
      const conn = await connect(host, port);
      const res = await conn.send(ApiKey.ReadShareGroupStateSummary, 0, { groupId, topics: [...byTopic].map(([topicId, ps]) => ({ topicId, partitions: ps })) });
      const got = new Map<string, ShareStateSummary>();
      for (const t of res.results) for (const p of t.partitions) got.set(`${t.topicId}:${p.partition}`, { topicId: t.topicId, partition: p.partition, errorCode: p.errorCode, errorMessage: p.errorMessage, startOffset: p.startOffset });
      // A key the response leaves out was not read: asked again.
      return refs.map((r) => got.get(`${r.topicId}:${r.partition}`) ?? { ...r, errorCode: ErrorCode.NETWORK_EXCEPTION, errorMessage: 'left out of the response', startOffset: -1n });
    } catch (err) {
      return refs.map((r) => ({ ...r, errorCode: ErrorCode.NETWORK_EXCEPTION, errorMessage: (err as Error).message, startOffset: -1n }));
    }
  }

  /**
   * Rounds: the keys still unread are grouped by their share coordinator now, one request per
   * coordinator; keys answered with a moving coordinator's code are asked again next round, until
   * the deadline (then they keep that code).
   */
  async function readSummaries(groupId: string, partitions: readonly SharePartitionRef[]): Promise<ShareStateSummary[]> {
    const done = new Map<string, ShareStateSummary>();
    const id = (r: SharePartitionRef): string => `${r.topicId}:${r.partition}`;
    const deadline = opts.clock.monotonic() + SHARE_PERSISTER_DEADLINE_MS;
    let todo = [...partitions];
    while (todo.length > 0) {
      const here: SharePartitionRef[] = [];
      const there = new Map<string, { host: string; port: number; refs: SharePartitionRef[] }>();
      const round: ShareStateSummary[] = [];
      for (const r of todo) {
        const at = coordinatorOf({ groupId, ...r });
        if (at === 'local') here.push(r);
        else if (typeof at === 'number') round.push({ ...r, errorCode: at, errorMessage: `${SHARE_GROUP_STATE_TOPIC} has no leader for this key yet`, startOffset: -1n });
        else {
          const k = `${at.host}:${at.port}`;
          const g = there.get(k) ?? { ...at, refs: [] };
          g.refs.push(r);
          there.set(k, g);
        }
      }
      const answered = await Promise.all([...here.map((r) => summaryHere(groupId, r).then((s) => [s])), ...[...there.values()].map((g) => summariesThere(g.host, g.port, groupId, g.refs))]);
      round.push(...answered.flat());
      const last = opts.clock.monotonic() >= deadline;
      todo = [];
      for (const s of round) {
        if (!last && COORDINATOR_MOVING.has(s.errorCode)) todo.push({ topicId: s.topicId, partition: s.partition });
        else done.set(id(s), s);
      }
      if (todo.length > 0) await new Promise<void>((resolve) => opts.clock.schedule(50, resolve));
    }
    return partitions.map((r) => done.get(id(r))!);
  }
}
