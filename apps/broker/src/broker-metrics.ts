// Wires @mq/metrics into a broker: a dispatcher middleware (request counts, latency, error codes,
// produce requests awaiting acks, and the sessions that are this broker's), the mq:append /
// mq:fetch channel feed, gauges read from live state, and the /metrics route.
import type { GroupCoordinator } from '@mq/groups';
import type { Route } from '@mq/http';
import { BrokerMetrics, subscribeChannels, type GroupLag, type PartitionStats } from '@mq/metrics';
import type { TopicManager } from '@mq/partition';
import { ApiKey, apiKeyName, errorName } from '@mq/protocol';
import type { BrokerServer, RequestMiddleware } from '@mq/server';

export interface BrokerMetricsWiring {
  readonly metrics: BrokerMetrics;
  readonly middleware: RequestMiddleware;
  readonly route: Route;
  /** Called once the server exists (its connections and purgatory are read at scrape time). */
  attach(server: BrokerServer): void;
  stop(): void;
}

export function wireMetrics(topics: TopicManager, groups: () => GroupCoordinator | undefined, nodeId: number): BrokerMetricsWiring {
  let server: BrokerServer | undefined;
  const sessions = new WeakSet<object>();
  const metrics = new BrokerMetrics({
    labels: { node_id: String(nodeId) },
    names: {
      apiName: (key) => apiKeyName(key) ?? `ApiKey${key}`,
      errorName: (code) => errorName(code),
      topicNameOf: (id) => topics.getById(id)?.name,
    },
    sources: {
      connections: () => server?.connectionCount ?? 0,
      rejectedConnections: () => server?.rejectedConnections ?? 0,
      fetchPurgatorySize: () => server?.services.fetchPurgatory.size ?? 0,
      partitions: () => partitionStats(topics),
      groupLag: () => groupLag(groups(), topics),
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
    attach: (s) => {
      server = s;
    },
    stop: unsubscribe,
  };
}

function* partitionStats(topics: TopicManager): Iterable<PartitionStats> {
  for (const t of topics.list()) {
    for (const p of t.partitions) {
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
