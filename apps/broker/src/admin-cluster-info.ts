// What the admin API shows as the cluster: the registered brokers and controller from the metadata
// image in cluster mode; this broker alone (at its advertised address) on a single node.
import type { BrokerInfo, ClusterInfo } from '@mq/admin-api';
import type { TopicManager } from '@mq/partition';

export function brokerClusterInfo(o: { clusterId: string; nodeId: number; topics: TopicManager; host: string; port: number }): ClusterInfo {
  return {
    clusterId: o.clusterId,
    nodeId: o.nodeId,
    brokers(): BrokerInfo[] {
      const registered = [...o.topics.image.brokers.values()];
      if (registered.length === 0) return [{ nodeId: o.nodeId, host: o.host, port: o.port }];
      return registered
        .sort((a, b) => a.nodeId - b.nodeId)
        .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, ...(b.rack !== undefined ? { rack: b.rack } : {}) }));
    },
    controllerId: () => o.topics.image.controller?.nodeId ?? o.nodeId,
  };
}
