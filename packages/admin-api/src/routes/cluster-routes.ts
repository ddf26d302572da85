// Cluster and brokers (REST Proxy v3: GET /v3/clusters, /v3/clusters/{id}, …/brokers, …/brokers/{id}).
import { HttpError, type Route } from '@mq/http';
import type { AdminServices, BrokerInfo } from '../admin-services';
import { nonNegativeInt } from '../request-input';
import { CLUSTER_PATH, collection, route } from './admin-route';

export function clusterRoutes(s: AdminServices): Route[] {
  const cluster = () => ({
    kind: 'KafkaCluster',
    cluster_id: s.cluster.clusterId,
    controller_id: s.cluster.controllerId(),
    broker_count: s.cluster.brokers().length,
    topic_count: s.topics.list().length,
    partition_count: s.topics.list().reduce((n, t) => n + t.partitions.length, 0),
  });
  const broker = (b: BrokerInfo) => ({
    kind: 'KafkaBroker',
    cluster_id: s.cluster.clusterId,
    broker_id: b.nodeId,
    host: b.host,
    port: b.port,
    rack: b.rack ?? null,
    is_controller: b.nodeId === s.cluster.controllerId(),
  });
  return [
    route(s, 'GET', '/v3/clusters', () => collection('Cluster', '/v3/clusters', [cluster()])),
    route(s, 'GET', CLUSTER_PATH, () => cluster()),
    route(s, 'GET', `${CLUSTER_PATH}/brokers`, () => collection('Broker', `/v3/clusters/${s.cluster.clusterId}/brokers`, s.cluster.brokers().map(broker))),
    route(s, 'GET', `${CLUSTER_PATH}/brokers/:broker_id`, (_req, p) => {
      const id = nonNegativeInt(p.broker_id, 'broker_id');
      const b = s.cluster.brokers().find((x) => x.nodeId === id);
      if (b === undefined) throw HttpError.notFound(`broker ${id} not found`);
      return broker(b);
    }),
  ];
}
