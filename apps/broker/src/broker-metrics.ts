// Wires @mq/metrics into a broker: a dispatcher middleware (request counts, latency, error codes,
// produce requests awaiting acks, and the sessions that are this broker's), the mq:append /
// mq:fetch channel feed, the fsync timing of the storage seam, gauges read from live state
// (partitions, replicas from the metadata image, group lag), and the /metrics route.
import { statfs } from 'node:fs/promises';
import type { GroupCoordinator } from '@mq/groups';
import type { Route } from '@mq/http';
import { type FileSystem, nodeFileSystem } from '@mq/log';
import { BrokerMetrics, subscribeChannels, type DeadLetterDepth, type GroupLag, type LeaderStats, type PartitionStats, type PriorityLaneDepth, type ReplicationUse, type ShareInFlight } from '@mq/metrics';
import type { TopicManager } from '@mq/partition';
import { ApiKey, apiKeyName, errorName } from '@mq/protocol';
import { type ReplicationQuotaManager, UNLIMITED_REPLICATION_RATE } from '@mq/quota';
import type { ReplicaManager } from '@mq/replication';
import type { BrokerServer, RequestMiddleware } from '@mq/server';
import { FsyncTimingFileSystem } from './fsync-timing';

/** Live queue state sampled at scrape time (attached once the delay store is open). */
export interface QueueGauges {
  inFlight(): Iterable<ShareInFlight>;
  deadLetterDepths(): Iterable<DeadLetterDepth>;
  delayedPending(): number;
  priorityLaneDepths(): Promise<Iterable<PriorityLaneDepth>>;
}

export interface ReplicationQuotas {
  readonly leader: ReplicationQuotaManager;
  readonly follower: ReplicationQuotaManager;
}

export interface BrokerMetricsWiring {
  readonly metrics: BrokerMetrics;
  readonly middleware: RequestMiddleware;
  readonly route: Route;
  /** The storage seam for the partitions, its syncs timed (`base` default node:fs). */
  fileSystem(base: FileSystem | undefined): FileSystem;
  /** Called once the topics are open (partitions and the metadata image are read at scrape time). */
  topicsOpened(topics: TopicManager): void;
  /** Called once the server exists (its connections and purgatory are read at scrape time). */
  attach(server: BrokerServer): void;
  /** Cluster mode, once replication runs (its counters, lag and the quotas are read at scrape time). */
  attachReplication(replication: ReplicaManager, quotas: ReplicationQuotas): void;
  /** Called once the queues exist (share-partitions, dead-letter topics, delay store are read at scrape time). */
  attachQueues(queues: QueueGauges): void;
  stop(): void;
}

/** Created before the topics open, so the storage seam they get is timed from the first sync. */
export function wireMetrics(groups: () => GroupCoordinator | undefined, nodeId: number, dataDir: string): BrokerMetricsWiring {
  let server: BrokerServer | undefined;
  let topics: TopicManager | undefined;
  let queues: QueueGauges | undefined;
  let replicated: { replication: ReplicaManager; quotas: ReplicationQuotas } | undefined;
  const sessions = new WeakSet<object>();
  const metrics = new BrokerMetrics({
    labels: { node_id: String(nodeId) },
    names: {
      apiName: (key) => apiKeyName(key) ?? `ApiKey${key}`,
      errorName: (code) => errorName(code),
      topicNameOf: (id) => topics?.getById(id)?.name,
    },
    sources: {
      connections: () => server?.connectionCount ?? 0,
      rejectedConnections: () => server?.rejectedConnections ?? 0,
      listenerConnections: () => server?.listenerConnections() ?? [],
      fetchPurgatorySize: () => server?.services.fetchPurgatory.size ?? 0,
      partitions: () => (topics === undefined ? [] : partitionStats(topics)),
      groupLag: () => (topics === undefined ? [] : groupLag(groups(), topics)),
      ledPartitions: () => (topics === undefined ? [] : ledPartitions(topics, nodeId)),
      offlinePartitions: () => (topics === undefined ? 0 : offlinePartitions(topics)),
      dataDirSpace: () =>
        statfs(dataDir).then(
          (s) => ({ freeBytes: s.bavail * s.bsize, capacityBytes: s.blocks * s.bsize }),
          () => undefined,
        ),
      shareInFlight: () => queues?.inFlight() ?? [],
      deadLetterDepths: () => queues?.deadLetterDepths() ?? [],
      delayedPending: () => queues?.delayedPending() ?? 0,
      priorityLaneDepths: async () => (queues === undefined ? [] : queues.priorityLaneDepths()),
      clientQuotas: () => server?.services.quotas.stats() ?? [],
      replication: () => (replicated === undefined ? undefined : replicationUse(replicated.replication, replicated.quotas)),
    },
  });
  const middleware: RequestMiddleware = (call, next) => {
    sessions.add(call.ctx.session);
    const done = metrics.requestStarted(call.ctx.apiKey, call.ctx.apiVersion, call.ctx.apiKey === ApiKey.Produce);
    return next().map((settled) =>
      settled.then(
        (response) => {
          done(response, false);
          return response;
        },
        (err: unknown) => {
          done(undefined, true);
          throw err;
        },
      ),
    );
  };
  const unsubscribe = subscribeChannels(metrics, (session) => sessions.has(session));
  const route: Route = {
    method: 'GET',
    path: '/metrics',
    handler: async () => ({ status: 200, body: await metrics.metrics(), contentType: metrics.contentType }),
  };
  return {
    metrics,
    middleware,
    route,
    fileSystem: (base) => new FsyncTimingFileSystem(base ?? nodeFileSystem, (seconds) => metrics.fsyncObserved(seconds)),
    topicsOpened: (t) => {
      topics = t;
    },
    attach: (s) => {
      server = s;
    },
    attachReplication: (replication, quotas) => {
      replicated = { replication, quotas };
    },
    attachQueues: (q) => {
      queues = q;
    },
    stop: unsubscribe,
  };
}

function replicationUse(replication: ReplicaManager, quotas: ReplicationQuotas): ReplicationUse {
  const { stats } = replication;
  const now = replication.clock.monotonic();
  const side = (name: 'leader' | 'follower', quota: ReplicationQuotaManager, heldMs: number) => ({
    side: name,
    throttledBytes: quota.recordedBytes,
    throttleTimeMs: heldMs,
    rate: quota.measure(),
    limit: quota.bytesPerSecond >= UNLIMITED_REPLICATION_RATE ? undefined : quota.bytesPerSecond,
  });
  return {
    bytesOut: stats.bytesOut,
    bytesIn: stats.bytesIn,
    isrShrinks: stats.isrShrinks,
    isrExpands: stats.isrExpands,
    throttles: [side('leader', quotas.leader, stats.leaderHeld.totalMs(now)), side('follower', quotas.follower, stats.followerHeld.totalMs(now))],
    followerLag: replication.followerLag(),
  };
}

function* partitionStats(topics: TopicManager): Iterable<PartitionStats> {
  for (const t of topics.list()) {
    for (const p of t.partitions) {
      if (p === undefined) continue; // a partition this cluster member hosts no replica of
      yield {
        topic: t.name,
        partition: p.index,
        sizeBytes: p.sizeInBytes,
        segments: p.segmentCount,
        logStartOffset: p.logStartOffset,
        logEndOffset: p.logEndOffset,
        highWatermark: p.highWatermark,
      };
    }
  }
}

function* groupLag(groups: GroupCoordinator | undefined, topics: TopicManager): Iterable<GroupLag> {
  if (groups === undefined) return;
  const hw = (topic: string, partition: number): bigint | undefined => topics.get(topic)?.partitions[partition]?.highWatermark;
  for (const group of groups.groupIds()) {
    for (const l of groups.lag(group, hw)) {
      if (l.lag !== undefined) yield { group, topic: l.topic, partition: l.partition, lag: l.lag };
    }
  }
}

/**
 * Partitions led here, replicas and ISR from the metadata image. A single node's partitions may
 * have no state in the image: it leads them all, with one replica in sync.
 */
function* ledPartitions(topics: TopicManager, nodeId: number): Iterable<LeaderStats> {
  const image = topics.image;
  for (const t of topics.list()) {
    const states = image.topics.get(t.name)?.partitions;
    for (const p of t.partitions) {
      if (p === undefined) continue;
      const state = states?.[p.index];
      if (state === undefined) yield { topic: t.name, partition: p.index, replicas: 1, isr: 1 };
      else if (state.leader === nodeId) yield { topic: t.name, partition: p.index, replicas: state.replicas.length, isr: state.isr.length };
    }
  }
}

function offlinePartitions(topics: TopicManager): number {
  let n = 0;
  for (const t of topics.image.topics.values()) for (const p of t.partitions) if (p.leader < 0) n++;
  return n;
}
